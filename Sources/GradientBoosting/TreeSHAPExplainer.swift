// TreeSHAPExplainer: exact path-dependent TreeSHAP in O(trees · leaves · depth) per row (Linear TreeSHAP,
// Yu et al. 2022, in its quadrature form), over a per-model plan built once: flat nodes with precomputed
// cover fractions, and a Gauss–Legendre rule per tree. No array is allocated per row.

/// Exact path-dependent SHAP values of a `GBDTModel` (the same numbers as Lundberg et al.'s Algorithm 2).
///
/// **Method.** For a leaf `l` with value `v`, let `P` be the distinct features split on along its path. For a
/// feature `j ∈ P`, `z_j` is the product of cover(child)/cover(parent) over the path's edges that split on `j`,
/// and `o_j ∈ {0, 1}` says whether the row follows all of them. Algorithm 2's Shapley weights are Beta
/// integrals, `k!(|P|−1−k)!/|P|! = ∫₀¹ tᵏ(1−t)^{|P|−1−k} dt`, so the leaf adds to feature `i`
///
///     φ_i += v · (o_i − z_i) · ∫₀¹ Π_{j∈P, j≠i} F_j(t) dt,   F_j(t) = z_j(1−t) + o_j t,
///
/// a polynomial of degree `|P|−1`, integrated exactly by an `n`-point Gauss–Legendre rule with
/// `2n−1 ≥ |P|−1`. Summed over leaves and telescoped over repeated features (Linear TreeSHAP), every edge `e`
/// (feature `i`, cumulative factor `F_e`, nearest ancestor edge on `i` with factor `F_p`, or none) adds
///
///     φ_i += Σ_q w_q · G_e(t_q) · [ (o_e − z_e)/F_e(t_q) − (o_p − z_p)/F_p(t_q) ],
///     G_e(t) = Σ_{leaves l below e} v_l · C_l(t),   C_l(t) = Π_{j∈P_l} F_j(t),
///
/// with `C` built down the tree (`C_child = C · F_e / F_p`) and `G` summed up it, both as `n` values at the
/// quadrature nodes. Every factor lies in [0, 1], so nothing overflows; a zero-cover edge (F = 0) contributes 0.
///
/// **Evaluation.** One depth-first walk per tree over nodes stored in preorder; leaves are handled by their parent.
/// Trees up to `SHAPWalk.recursionLimit` deep are walked recursively (fastest: returns are predicted), deeper ones
/// (up to `GBDTTree.maxLeaves` − 1) by the same steps with an explicit stack of levels, so no tree can overflow
/// a thread's stack. The n values are SIMD lanes (SIMD2/4/8, or chunks of SIMD16 beyond 8 points; padding points have
/// t = ½ and weight 0), and nothing is divided per row: for o = 0, F = z(1−t), so (o − z)/F = −1/(1−t) and
/// 1/F = (1/z)·1/(1−t); for o = 1 the plan holds 1/(z(1−t) + t) per edge. The weights ride in C from the root
/// (C_root = w), and a tree's φ is accumulated per slot (its distinct features) in lanes, reduced once per tree,
/// and added to the row's φ in slot order: a tree's part depends only on which way the row goes at each node,
/// which is what `TreeSHAPMemoExplainer` shares between rows.
///
/// **Cost.** Per row O(Σ_trees nodes · n), n = ⌈maxDistinctFeaturesOnAPath / 2⌉ ≤ ⌈depth/2⌉ per tree; Algorithm 2
/// is O(leaves · depth²). Plan memory: 72 bytes per internal node + 16·lanes bytes per internal node (the o = 1
/// tables) + 8 per leaf (≈ 1 MB for 200 trees of 31 leaves). Scratch per row: (6 + 5·(depth + 2))·lanes +
/// slots·(width + 1) doubles and 8·(depth + 2) bytes of walk stack, from `withUnsafeTemporaryAllocation` (the
/// stack when small).
public struct TreeSHAPExplainer: Sendable {
    public let featureCount: Int
    public let cover: TreeSHAPCover
    /// `initScore` + Σ over trees of the cover-weighted mean leaf value: the last output of every row.
    public let expectedValue: Double
    /// The model's initScore (part of the plan cache's key).
    let initScore: Double
    let nodes: [SHAPNode]
    /// Left-category bitsets of the categorical nodes, `SHAPNode.categoryWords` words each (never empty).
    let categoryMasks: [UInt64]
    let leafValues: [Double]
    /// Trees with at least one split (single-leaf trees only add to `expectedValue`).
    let trees: [SHAPTree]
    /// Per internal node, for o = 1, 1/F(t_q) = 1/(z(1−t_q) + t_q) of the left then the right edge, `lanes`
    /// values each; and per rule the lanes of t, 1 − t, 1/(1 − t), w. Pairs of doubles, for 16-byte alignment.
    let oneInverse: [SIMD2<Double>]
    let rules: [SIMD2<Double>]
    /// Largest leaf depth and lane count over the trees (scratch sizes).
    let maxDepth: Int
    let maxLanes: Int
    /// Widest SIMD type a tree uses (the φ accumulators' lanes).
    let maxWidth: Int
    /// Per tree its features in φ-slot order (`SHAPTree.slotBase`), and the most slots any tree has.
    let slotFeatures: [Int32]
    let maxSlots: Int

    /// Builds the plan. O(trees · leaves · lanes).
    public init(model: GBDTModel, cover: TreeSHAPCover = .hessian) {
        var builder = SHAPPlanBuilder(featureCount: model.featureCount, cover: cover)
        var bias = model.initScore
        for tree in model.trees {
            bias += builder.add(tree)
        }
        featureCount = model.featureCount
        self.cover = cover
        initScore = model.initScore
        expectedValue = bias
        nodes = builder.nodes
        categoryMasks = builder.categoryMasks.isEmpty ? [0] : builder.categoryMasks
        leafValues = builder.leafValues
        trees = builder.trees
        oneInverse = builder.oneInverse
        rules = SHAPPlanBuilder.pairs(builder.rules)
        maxDepth = builder.maxDepth
        maxLanes = builder.maxLanes
        maxWidth = builder.trees.map { Int($0.width) }.max() ?? 2
        slotFeatures = builder.slotFeatures.isEmpty ? [0] : builder.slotFeatures
        maxSlots = builder.maxSlots
    }

    /// Diagnostic: Gauss–Legendre points used per tree with a split (the per-row cost is ∝ leaves · points).
    public var quadraturePointsPerTree: [Int] { trees.map { Int($0.points) } }

    /// Number of values `contributions` writes: one per feature, then the expected value.
    public var outputCount: Int { featureCount + 1 }

    /// Bytes held by the plan (shared by copies of the explainer).
    public var planBytes: Int {
        nodes.count * MemoryLayout<SHAPNode>.stride + trees.count * MemoryLayout<SHAPTree>.stride
            + leafValues.count * MemoryLayout<Double>.stride + slotFeatures.count * MemoryLayout<Int32>.stride
            + (oneInverse.count + rules.count) * MemoryLayout<SIMD2<Double>>.stride
    }

    /// SHAP contributions of one row into `out[0..<featureCount+1]` (features, then the expected value); they
    /// sum to the model's raw score up to rounding. Thread-safe; no array is created (the scratch comes from
    /// `withUnsafeTemporaryAllocation`). Each tree's terms are summed into its own slots, then added to φ tree by
    /// tree (`accumulate`), so `TreeSHAPMemoExplainer`, which replays a tree's slots, gives the same bits.
    public func contributions(_ row: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        let phi = start(row, out)
        guard !trees.isEmpty else { return }
        withRowState { state in
            for tree in trees {
                explain(tree, row: row.baseAddress!, state: state)
                state.accumulate(tree, state.sums, into: phi)
            }
        }
    }

    /// Checks the sizes and sets `out` to the empty sum: zeros, then the expected value.
    func start(_ row: UnsafeBufferPointer<Double>, _ out: UnsafeMutableBufferPointer<Double>) -> UnsafeMutablePointer<Double> {
        precondition(row.count >= featureCount, "row has \(row.count) values, model needs \(featureCount)")
        precondition(out.count >= featureCount + 1, "output has \(out.count) slots, needs \(featureCount + 1)")
        let phi = out.baseAddress!
        phi.update(repeating: 0, count: featureCount)
        phi[featureCount] = expectedValue
        return phi
    }

    /// Runs `body` with one row's scratch (on the stack when small) and the plan as pointers.
    func withRowState<R>(_ body: (SHAPRowState) -> R) -> R {
        let levels = maxDepth + 2
        let bytes = SHAPScratch.vectors(levels: levels) * maxLanes * MemoryLayout<Double>.stride
        // One tree's φ per slot as `maxWidth` lanes (summed once per tree, not once per node).
        let lanePhiCount = maxSlots * maxWidth
        return withUnsafeTemporaryAllocation(of: SIMD2<Double>.self, capacity: lanePhiCount / 2) { lanePhiPairs in
        withUnsafeTemporaryAllocation(of: Double.self, capacity: maxSlots) { sums in
        withUnsafeTemporaryAllocation(byteCount: bytes, alignment: 16) { scratch in
        withUnsafeTemporaryAllocation(of: Bool.self, capacity: levels) { ones in
        withUnsafeTemporaryAllocation(of: SHAPFrame.self, capacity: levels) { frames in
            nodes.withUnsafeBufferPointer { nb in
            categoryMasks.withUnsafeBufferPointer { cm in
            leafValues.withUnsafeBufferPointer { lb in
            slotFeatures.withUnsafeBufferPointer { sf in
            oneInverse.withUnsafeBytes { ob in
            rules.withUnsafeBytes { rb in
                let plan = SHAPPlanPointers(nodes: nb.baseAddress!, categoryMasks: cm.baseAddress!, leafValues: lb.baseAddress!,
                                            oneInverse: ob.baseAddress!, rules: rb.baseAddress!,
                                            lanePhi: UnsafeMutableRawPointer(lanePhiPairs.baseAddress!),
                                            phiStride: maxWidth * MemoryLayout<Double>.stride)
                return body(SHAPRowState(plan: plan, slotFeatures: sf.baseAddress!, sums: sums.baseAddress!,
                                         scratch: scratch.baseAddress!, levelCount: levels,
                                         levels: SHAPLevels(one: ones.baseAddress!, frame: frames.baseAddress!)))
            }
            }
            }
            }
            }
            }
        }
        }
        }
        }
        }
    }

    /// One tree's contributions to `row`, per slot, into `state.sums[0..<tree.slots]`.
    @inline(__always)
    func explain(_ tree: SHAPTree, row x: UnsafePointer<Double>, state: SHAPRowState) {
        let plan = state.plan, width = Int(tree.width), slots = Int(tree.slots)
        let lanes = plan.lanePhi.assumingMemoryBound(to: Double.self), stride = maxWidth
        for k in 0..<slots { (lanes + k &* stride).update(repeating: 0, count: width) }
        let (s, levels, o) = (state.scratch, state.levelCount, state.levels)
        switch tree.width {
        case 2: plan.walk(SIMD2<Double>.self, tree, row: x, scratch: s, levels: levels, ones: o)
        case 4: plan.walk(SIMD4<Double>.self, tree, row: x, scratch: s, levels: levels, ones: o)
        case 8: plan.walk(SIMD8<Double>.self, tree, row: x, scratch: s, levels: levels, ones: o)
        default: plan.walk(SIMD16<Double>.self, tree, row: x, scratch: s, levels: levels, ones: o)
        }
        for k in 0..<slots {
            var sum = 0.0
            for j in 0..<width { sum += lanes[k &* stride &+ j] }
            state.sums[k] = sum
        }
    }

    /// SHAP contributions of one row as a new array (features, then the expected value).
    public func contributions(_ row: UnsafeBufferPointer<Double>) -> [Double] {
        [Double](unsafeUninitializedCapacity: featureCount + 1) { buffer, count in
            contributions(row, into: buffer)
            count = featureCount + 1
        }
    }
}

/// One internal node of the plan. Children: `>= 0` a node index in the plan, `< 0` leaf `~c` of `leafValues`.
struct SHAPNode: Sendable {
    var threshold: Double
    /// A categorical node's first word in `categoryMasks` (its left codes as a bitset), −1 for a threshold node.
    var category: Int32 = -1
    /// Index of `feature` among its tree's distinct features (first seen in preorder): the tree's φ slot.
    var slot: Int32 = 0
    static let categoryWords = (GBDTTree.maxCategoryCode + 1) / 64
    /// Cumulative zero fraction z of `feature` on the path after the left / right edge.
    var zeroLeft: Double
    var zeroRight: Double
    /// Cumulative zero fraction of `feature` before this node (its nearest ancestor edge on the feature), 1 if none.
    var prevZero: Double
    /// 1/zeroLeft and 1/zeroRight (0 for a zero-cover child, whose subtree then contributes 0).
    var inverseZeroLeft: Double
    var inverseZeroRight: Double
    var feature: Int32
    var left: Int32
    var right: Int32
    /// Level (depth of the child) of that ancestor edge, −1 if none.
    var prevLevel: Int32
    /// Start (in doubles) in `oneInverse` of the left edge's 1/(z(1−t) + t) lanes; the right edge's follow.
    var oneTable: Int32
    var defaultLeft: Bool
    /// Whether a descendant node splits on `feature` again with the left / right edge as its nearest earlier
    /// edge (then the walk keeps that edge's 1/F and (o − z)/F).
    var leftIsPrev: Bool
    var rightIsPrev: Bool
}

extension SHAPNode {
    /// Whether a row with value `v` of `feature` takes the left edge (as `GBDTTree.goesLeft`: NaN, and a value
    /// that is no category code, go to the default side).
    @inline(__always)
    func goesLeft(_ v: Double, categoryMasks: UnsafePointer<UInt64>) -> Bool {
        if v.isNaN { return defaultLeft }
        if category < 0 { return v <= threshold }
        guard v >= 0, v <= Double(GBDTTree.maxCategoryCode), v == v.rounded(.down) else { return defaultLeft }
        let code = Int(v)
        return categoryMasks[Int(category) + code >> 6] >> UInt64(code & 63) & 1 == 1
    }
}

struct SHAPTree: Sendable {
    var root: Int32
    /// Gauss–Legendre points n (exactness needs 2n − 1 ≥ distinct features on a path − 1).
    var points: Int32
    /// SIMD width (2 or 4) and vectors per quadrature rule: lanes = width · chunks ≥ points.
    var width: Int32
    var chunks: Int32
    /// Start (in doubles) of this tree's rule in `rules`: t, 1 − t, 1/(1 − t), w, `lanes` values each.
    var rule: Int32
    /// Depth of the deepest leaf (picks the recursive or the iterative walk).
    var depth: Int32
    /// Internal nodes (plan indices root ..< root + nodeCount, preorder).
    var nodeCount: Int32
    /// The tree's distinct features, `slotFeatures[slotBase ..< slotBase + slots]`, in slot order.
    var slotBase: Int32
    var slots: Int32
}

/// Per-row scratch layout, in vectors of `chunks` SIMD values: t, 1 − t, 1/(1 − t), w, ones, zeros, then per
/// level C, G, 1/F, (o − z)/F, and the φ term of the node on that level so far.
enum SHAPScratch {
    static func vectors(levels: Int) -> Int { 6 + 5 * levels }
}

/// The walk's stack entry for one level: the node there and how far its visit has got.
struct SHAPFrame {
    var node: Int32
    var phase: Int32
}

/// Per-level state outside the SIMD scratch: o of the edge into each level, and the walk's stack.
struct SHAPLevels {
    let one: UnsafeMutablePointer<Bool>
    let frame: UnsafeMutablePointer<SHAPFrame>
}

/// One row's working memory and the plan, as pointers (valid inside `TreeSHAPExplainer.withRowState`).
struct SHAPRowState {
    let plan: SHAPPlanPointers
    let slotFeatures: UnsafePointer<Int32>
    /// One tree's contribution per slot (`TreeSHAPExplainer.explain`'s result).
    let sums: UnsafeMutablePointer<Double>
    let scratch: UnsafeMutableRawPointer
    let levelCount: Int
    let levels: SHAPLevels

    /// Adds a tree's per-slot contributions to φ, in slot order (the one place φ is summed over trees).
    @inline(__always)
    func accumulate(_ tree: SHAPTree, _ values: UnsafePointer<Double>, into phi: UnsafeMutablePointer<Double>) {
        let features = slotFeatures + Int(tree.slotBase)
        for k in 0..<Int(tree.slots) { phi[Int(features[k])] += values[k] }
    }
}

/// The plan's arrays as pointers, for one row.
struct SHAPPlanPointers {
    let nodes: UnsafePointer<SHAPNode>
    let categoryMasks: UnsafePointer<UInt64>
    let leafValues: UnsafePointer<Double>
    let oneInverse: UnsafeRawPointer
    let rules: UnsafeRawPointer
    /// φ accumulators of the tree being walked: per slot `phiStride` bytes of lanes (16-byte aligned).
    let lanePhi: UnsafeMutableRawPointer
    let phiStride: Int

    /// Adds one tree's contributions to the lane accumulators, in SIMD vectors of type V.
    @inline(__always)
    func walk<V: SIMD>(_: V.Type, _ tree: SHAPTree, row: UnsafePointer<Double>,
                       scratch: UnsafeMutableRawPointer, levels: Int, ones: SHAPLevels)
    where V.Scalar == Double {
        let m = Int(tree.chunks)
        let v = scratch.bindMemory(to: V.self, capacity: SHAPScratch.vectors(levels: levels) * m)
        let rule = rules + Int(tree.rule) * MemoryLayout<Double>.stride
        for j in 0..<(4 * m) { v[j] = rule.load(fromByteOffset: j * MemoryLayout<V>.stride, as: V.self) }
        for j in 0..<m {
            v[4 * m + j] = V(repeating: 1)
            v[5 * m + j] = .zero
            v[6 * m + j] = v[3 * m + j]   // C at the root = the weights: C and G carry w_q, so Σ_q needs no w
        }
        let c = v + 6 * m
        let walk = SHAPWalk<V>(nodes: nodes, categoryMasks: categoryMasks, leafValues: leafValues, oneInverse: oneInverse, x: row,
                               lanePhi: lanePhi, phiStride: phiStride,
                               t: v, s: v + m, invS: v + 2 * m, w: v + 3 * m, m: m, c: c, g: c + levels * m,
                               inv: c + 2 * levels * m, ratio: c + 3 * levels * m, term: c + 4 * levels * m,
                               unit: v + 4 * m, zero: v + 5 * m, one: ones.one, frame: ones.frame)
        // Shallow trees (all trained ones in practice) take the recursive walk, whose returns the CPU predicts
        // perfectly; a deeper one, which could exhaust a thread's stack, the iterative walk. Same arithmetic.
        if Int(tree.depth) <= SHAPWalk<V>.recursionLimit { walk.visit(Int(tree.root), level: 0) } else { walk.run(root: tree.root) }
    }
}

/// Builds the flat plan tree by tree.
struct SHAPPlanBuilder {
    let featureCount: Int
    let cover: TreeSHAPCover
    var nodes: [SHAPNode] = []
    var categoryMasks: [UInt64] = []
    var leafValues: [Double] = []
    var trees: [SHAPTree] = []
    var oneInverse: [SIMD2<Double>] = []
    var rules: [Double] = []
    /// Offset in `rules` of the rule with n points, once added.
    var ruleOffset: [Int: Int] = [:]
    var maxDepth = 0
    var maxLanes = 2
    /// Per tree, its distinct features in slot order (see `SHAPNode.slot`); the most any tree has.
    var slotFeatures: [Int32] = []
    var maxSlots = 1
    /// Per feature, during the walk: level and cumulative zero fraction of its nearest edge on the path.
    private var lastLevel: [Int32]
    private var lastZero: [Double]
    /// The edges (plan node, side 0 left / 1 right) from the root to the node being built; edge i enters level i+1.
    private var pathEdges: [(Int, Int)] = []

    init(featureCount: Int, cover: TreeSHAPCover) {
        self.featureCount = featureCount
        self.cover = cover
        lastLevel = [Int32](repeating: -1, count: featureCount)
        lastZero = [Double](repeating: 1, count: featureCount)
    }

    /// Adds one tree; returns what it adds to the expected value (computed exactly as Algorithm 2's code did).
    mutating func add(_ tree: GBDTTree) -> Double {
        if tree.numLeaves == 1 { return tree.leafValue[0] }
        let internalCover = cover == .hessian ? tree.internalWeight : tree.internalCount.map(Double.init)
        let leafCover = cover == .hessian ? tree.leafWeight : tree.leafCount.map(Double.init)
        let nodeBase = nodes.count
        var distinct = 0, depth = 0
        place(tree, internalCover: internalCover, leafCover: leafCover, maxDistinct: &distinct, depth: &depth)
        let points = max(1, (distinct + 1) / 2)   // exact for polynomials of degree ≤ 2·points − 1 ≥ distinct − 1
        let width = points <= 2 ? 2 : points <= 4 ? 4 : points <= 8 ? 8 : 16   // one vector per level up to 16
        let lanes = (points + width - 1) / width * width
        let offset = rule(points, lanes: lanes)
        // 1/(z(1−t) + t) of both edges of every node, two lanes at a time.
        let pairs = lanes / 2
        precondition(2 * (oneInverse.count + (nodes.count - nodeBase) * 2 * pairs) < Int(Int32.max),
                     "TreeSHAP plan too large for 32-bit offsets")
        for k in nodeBase..<nodes.count {
            nodes[k].oneTable = Int32(2 * oneInverse.count)
            for z in [nodes[k].zeroLeft, nodes[k].zeroRight] {
                let zv = SIMD2(repeating: z)
                for q in 0..<pairs {
                    let t = SIMD2(rules[offset + 2 * q], rules[offset + 2 * q + 1])
                    let s = SIMD2(rules[offset + lanes + 2 * q], rules[offset + lanes + 2 * q + 1])
                    oneInverse.append(1 / (zv * s + t))
                }
            }
        }
        // φ slots: the tree's distinct features, numbered in preorder of first use.
        let slotBase = slotFeatures.count
        var slotOf: [Int32: Int32] = [:]
        for k in nodeBase..<nodes.count {
            let f = nodes[k].feature
            if let known = slotOf[f] { nodes[k].slot = known; continue }
            nodes[k].slot = Int32(slotOf.count)
            slotOf[f] = nodes[k].slot
            slotFeatures.append(f)
        }
        maxSlots = max(maxSlots, slotOf.count)
        trees.append(SHAPTree(root: Int32(nodeBase), points: Int32(points), width: Int32(width), chunks: Int32(lanes / width),
                              rule: Int32(offset), depth: Int32(depth), nodeCount: Int32(nodes.count - nodeBase),
                              slotBase: Int32(slotBase), slots: Int32(slotOf.count)))
        maxLanes = max(maxLanes, lanes)
        return tree.expectedValue(leafWeight: leafCover, rootWeight: internalCover[0])
    }

    /// Appends the tree's nodes in depth-first preorder (the walk's order, so it streams through memory), leaves
    /// to `leafValues` in the order the walk meets them. Iterative (an explicit stack of the nodes on the path),
    /// so any depth is safe; `maxDistinct` = most distinct features on a root-to-leaf path.
    private mutating func place(_ tree: GBDTTree, internalCover: [Double], leafCover: [Double], maxDistinct: inout Int,
                                depth: inout Int) {
        /// An internal node on the current path: its tree index, plan index, level, the distinct features below
        /// it, what its feature's last edge was before it, and how far its visit has got.
        struct Frame {
            var node: Int, me: Int, level: Int, below: Int
            var savedLevel: Int32, savedZero: Double
            var phase: Int
        }
        func coverOf(_ c: Int) -> Double { c >= 0 ? internalCover[c] : leafCover[~c] }
        var stack: [Frame] = []
        /// Places tree child `c` one level below the top frame: a leaf now (returning its plan index), an internal
        /// node by pushing its frame (returning nil; its index is known when its frame pops).
        func open(_ c: Int, level: Int, distinct: Int) -> Int32? {
            if c < 0 {
                leafValues.append(tree.leafValue[~c])
                maxDistinct = max(maxDistinct, distinct)
                depth = max(depth, level)
                maxDepth = max(maxDepth, level)
                return ~Int32(leafValues.count - 1)
            }
            let f = tree.splitFeature[c]
            let savedLevel = lastLevel[f], savedZero = lastZero[f]
            let w = internalCover[c]
            let zl = coverOf(tree.leftChild[c]) / w * savedZero, zr = coverOf(tree.rightChild[c]) / w * savedZero
            let me = nodes.count
            nodes.append(SHAPNode(
                threshold: tree.threshold[c], zeroLeft: zl, zeroRight: zr, prevZero: savedZero,
                inverseZeroLeft: zl == 0 ? 0 : 1 / zl, inverseZeroRight: zr == 0 ? 0 : 1 / zr, feature: Int32(f),
                left: 0, right: 0, prevLevel: savedLevel, oneTable: 0, defaultLeft: tree.defaultLeft[c],
                leftIsPrev: false, rightIsPrev: false))
            if let isCategorical = tree.isCategorical, isCategorical[c] {
                nodes[me].category = Int32(categoryMasks.count)
                var words = [UInt64](repeating: 0, count: SHAPNode.categoryWords)
                for code in tree.categoryLeft![c] { words[code >> 6] |= 1 << UInt64(code & 63) }
                categoryMasks += words
            }
            if savedLevel >= 0 {
                let (ancestor, side) = pathEdges[Int(savedLevel) - 1]
                if side == 0 { nodes[ancestor].leftIsPrev = true } else { nodes[ancestor].rightIsPrev = true }
            }
            stack.append(Frame(node: c, me: me, level: level, below: distinct + (savedLevel < 0 ? 1 : 0),
                               savedLevel: savedLevel, savedZero: savedZero, phase: 0))
            return nil
        }
        _ = open(0, level: 0, distinct: 0)
        var placed: Int32 = 0   // plan index of the subtree finished last
        while var top = stack.popLast() {
            let f = tree.splitFeature[top.node]
            if top.phase > 0 {   // back from child `phase − 1`
                pathEdges.removeLast()
                if top.phase == 1 { nodes[top.me].left = placed } else { nodes[top.me].right = placed }
            }
            if top.phase == 2 {
                lastLevel[f] = top.savedLevel
                lastZero[f] = top.savedZero
                placed = Int32(top.me)
                continue
            }
            // Descend into the left (phase 0) or right (phase 1) child with this edge as its feature's last.
            let side = top.phase, c = side == 0 ? tree.leftChild[top.node] : tree.rightChild[top.node]
            lastLevel[f] = Int32(top.level + 1)
            lastZero[f] = side == 0 ? nodes[top.me].zeroLeft : nodes[top.me].zeroRight
            pathEdges.append((top.me, side))
            top.phase += 1
            stack.append(top)
            if let leaf = open(c, level: top.level + 1, distinct: top.below) { placed = leaf }
        }
    }

    /// Offset of the n-point Gauss–Legendre rule padded to `lanes` (extra points: t = ½, weight 0), adding it
    /// the first time: t, 1 − t, 1/(1 − t), w.
    private mutating func rule(_ n: Int, lanes: Int) -> Int {
        if let o = ruleOffset[n] { return o }
        let o = rules.count
        let (t, s, w) = TreeSHAPQuadrature.cachedGaussLegendre01(points: n)
        let pad = [Double](repeating: 0.5, count: lanes - n)
        rules += t + pad
        rules += s + pad
        rules += (s + pad).map { 1 / $0 }
        rules += w + [Double](repeating: 0, count: lanes - n)
        ruleOffset[n] = o
        return o
    }

    /// Doubles (an even count) as pairs.
    static func pairs(_ v: [Double]) -> [SIMD2<Double>] {
        precondition(v.count % 2 == 0, "plan tables hold whole pairs")
        return stride(from: 0, to: v.count, by: 2).map { SIMD2(v[$0], v[$0 + 1]) }
    }
}

/// One row's walk of one tree, in vectors of `m` SIMD values (the quadrature lanes). Scratch per level d: `c` = C
/// at the node on level d, `g` = G of the node on level d, `inv` = 1/F and `ratio` = (o − z)/F of the edge into
/// level d; `one[d]` = o of that edge.
struct SHAPWalk<V: SIMD> where V.Scalar == Double {
    let nodes: UnsafePointer<SHAPNode>
    let categoryMasks: UnsafePointer<UInt64>
    let leafValues: UnsafePointer<Double>
    let oneInverse: UnsafeRawPointer
    let x: UnsafePointer<Double>
    let lanePhi: UnsafeMutableRawPointer
    let phiStride: Int
    let t: UnsafeMutablePointer<V>
    let s: UnsafeMutablePointer<V>
    let invS: UnsafeMutablePointer<V>
    let w: UnsafeMutablePointer<V>
    let m: Int
    let c: UnsafeMutablePointer<V>
    let g: UnsafeMutablePointer<V>
    let inv: UnsafeMutablePointer<V>
    let ratio: UnsafeMutablePointer<V>
    /// Per level, the φ term of the node there so far (its left edge's, then plus its right edge's).
    let term: UnsafeMutablePointer<V>
    /// Ones and zeros: 1/F_p and (o_p − z_p)/F_p for an edge with no earlier edge on its feature.
    let unit: UnsafeMutablePointer<V>
    let zero: UnsafeMutablePointer<V>
    let one: UnsafeMutablePointer<Bool>
    let frame: UnsafeMutablePointer<SHAPFrame>

    /// Vectors per value: 1 for SIMD2/4/8 (a compile-time constant after specialization), `m` for SIMD16.
    @inline(__always) var chunks: Int { V.scalarCount == 16 ? m : 1 }

    @inline(__always) func tableAt(_ table: UnsafeRawPointer, _ j: Int) -> V {
        table.load(fromByteOffset: j &* MemoryLayout<V>.stride, as: V.self)
    }

    /// Deepest tree the recursive walk takes: at most this many nested `visit` frames (a few KB), far inside any
    /// thread's stack.
    static var recursionLimit: Int { 256 }

    /// What the visit of internal node `k` on level `d` needs besides the node: the edges' o, the earlier edge's
    /// 1/F_p on the node's feature, and the node's o = 1 tables.
    struct Step {
        let node: SHAPNode
        let d: Int
        let prev: Int
        let hasPrev: Bool
        let oneLeft: Bool
        let oneRight: Bool
        let ip: UnsafeMutablePointer<V>
        let table: UnsafeRawPointer
        let rightTable: UnsafeRawPointer
    }

    @inline(__always) func step(_ k: Int, level d: Int) -> Step {
        let node = nodes[k]
        let goLeft = node.goesLeft(x[Int(node.feature)], categoryMasks: categoryMasks)
        let prev = Int(node.prevLevel)
        let hasPrev = prev >= 0
        let op = hasPrev ? one[prev] : true
        let table = oneInverse + Int(node.oneTable) &* MemoryLayout<Double>.stride
        return Step(node: node, d: d, prev: prev, hasPrev: hasPrev, oneLeft: op && goLeft, oneRight: op && !goLeft,
                    ip: hasPrev ? inv + prev &* chunks : unit, table: table,
                    rightTable: table + chunks &* MemoryLayout<V>.stride)
    }

    // The edges of a step, in the order a visit takes them: the left edge's term (to a leaf, or around the left
    // subtree: enter, walk it, leave), then the right edge's, then `finish`.
    @inline(__always) func leftLeaf(_ n: Step) -> V {
        leafEdge(n.node.left, zero: n.node.zeroLeft, one: n.oneLeft, table: n.table, ip: n.ip, hasPrev: n.hasPrev,
                 level: n.d, first: true)
    }
    @inline(__always) func enterLeft(_ n: Step) {
        enter(zero: n.node.zeroLeft, inverseZero: n.node.inverseZeroLeft, one: n.oneLeft, table: n.table,
              keep: n.node.leftIsPrev, ip: n.ip, hasPrev: n.hasPrev, level: n.d)
    }
    @inline(__always) func leaveLeft(_ n: Step) -> V {
        leave(zero: n.node.zeroLeft, one: n.oneLeft, table: n.table, level: n.d, first: true)
    }
    @inline(__always) func rightLeaf(_ n: Step) -> V {
        leafEdge(n.node.right, zero: n.node.zeroRight, one: n.oneRight, table: n.rightTable, ip: n.ip,
                 hasPrev: n.hasPrev, level: n.d, first: false)
    }
    @inline(__always) func enterRight(_ n: Step) {
        enter(zero: n.node.zeroRight, inverseZero: n.node.inverseZeroRight, one: n.oneRight, table: n.rightTable,
              keep: n.node.rightIsPrev, ip: n.ip, hasPrev: n.hasPrev, level: n.d)
    }
    @inline(__always) func leaveRight(_ n: Step) -> V {
        leave(zero: n.node.zeroRight, one: n.oneRight, table: n.rightTable, level: n.d, first: false)
    }

    /// Adds the node's φ term (both edges' terms in `total`) to its feature's lanes.
    @inline(__always) func finish(_ n: Step, _ total: V) {
        var total = total
        if n.hasPrev {
            // Both edges' − Σ_q G_child (o_p − z_p)/F_p at once: G_left + G_right = G of this node.
            let gNode = g + n.d &* chunks, rp = ratio + n.prev &* chunks
            for j in 0..<chunks { total -= gNode[j] * rp[j] }
        }
        let dst = lanePhi + Int(n.node.slot) &* phiStride
        dst.storeBytes(of: dst.load(as: V.self) + total, as: V.self)
    }

    /// Visits internal node `k` on level `d` (C already at level d), recursively; leaves G of the node at level
    /// d. For trees no deeper than `recursionLimit`.
    func visit(_ k: Int, level d: Int) {
        let n = step(k, level: d)
        var total: V
        if n.node.left < 0 { total = leftLeaf(n) } else {
            enterLeft(n)
            visit(Int(n.node.left), level: d &+ 1)
            total = leaveLeft(n)
        }
        if n.node.right < 0 { total += rightLeaf(n) } else {
            enterRight(n)
            visit(Int(n.node.right), level: d &+ 1)
            total += leaveRight(n)
        }
        finish(n, total)
    }

    /// The same walk without recursion, for a tree of any depth: `frame[d]` holds the node on level d and its
    /// phase (0: start, 1: back from its left subtree, 2: back from its right subtree); `term[d]` carries its
    /// φ term across the descent (a store and load of the same bits, so the results equal `visit`'s).
    func run(root: Int32) {
        var d = 0
        frame[0] = SHAPFrame(node: root, phase: 0)
        while d >= 0 {
            let phase = frame[d].phase
            let n = step(Int(frame[d].node), level: d)
            let total = term + d &* chunks
            if phase == 0 {
                if n.node.left < 0 { total[0] = leftLeaf(n) } else {
                    enterLeft(n)
                    frame[d].phase = 1
                    d &+= 1
                    frame[d] = SHAPFrame(node: n.node.left, phase: 0)
                    continue
                }
            } else if phase == 1 {
                total[0] = leaveLeft(n)
            }
            if phase < 2 {
                if n.node.right < 0 { total[0] += rightLeaf(n) } else {
                    enterRight(n)
                    frame[d].phase = 2
                    d &+= 1
                    frame[d] = SHAPFrame(node: n.node.right, phase: 0)
                    continue
                }
            } else {
                total[0] += leaveRight(n)
            }
            finish(n, total[0])
            d &-= 1
        }
    }

    /// An edge from the node on level d to a leaf: returns its φ term Σ_q G(t_q)(o − z)/F(t_q) (w_q is inside G,
    /// G = value · C · F / F_p) and stores (`first`) or adds G into the node's G.
    @inline(__always)
    private func leafEdge(_ child: Int32, zero z: Double, one oe: Bool, table: UnsafeRawPointer,
                          ip: UnsafeMutablePointer<V>, hasPrev: Bool, level d: Int, first: Bool) -> V {
        let cNode = c + d &* chunks, gNode = g + d &* chunks
        let zv = V(repeating: z)
        let value = V(repeating: leafValues[Int(~child)])
        var acc = V.zero
        if oe {
            for j in 0..<chunks {
                var r = cNode[j] * (zv * s[j] + t[j])
                if hasPrev { r *= ip[j] }
                acc += r * tableAt(table, j)
                gNode[j] = first ? value * r : gNode[j] + value * r
            }
            return value * V(repeating: 1 - z) * acc
        }
        for j in 0..<chunks {
            var r = cNode[j] * (zv * s[j])
            if hasPrev { r *= ip[j] }
            acc += r * invS[j]
            gNode[j] = first ? value * r : gNode[j] + value * r
        }
        return -(value * acc)
    }

    /// Before visiting an internal child: its C = C · F / F_p at level d + 1, o, and (`keep`: a descendant
    /// splits on the same feature with this as its earlier edge) 1/F and (o − z)/F.
    @inline(__always)
    private func enter(zero z: Double, inverseZero: Double, one oe: Bool, table: UnsafeRawPointer, keep: Bool,
                       ip: UnsafeMutablePointer<V>, hasPrev: Bool, level d: Int) {
        let cNode = c + d &* chunks, level = (d &+ 1) &* chunks
        let cChild = c + level
        let zv = V(repeating: z)
        if oe {
            for j in 0..<chunks {
                var f = zv * s[j] + t[j]
                if hasPrev { f *= ip[j] }
                cChild[j] = cNode[j] * f
            }
            if keep {
                let iChild = inv + level, rChild = ratio + level, k = V(repeating: 1 - z)
                for j in 0..<chunks {
                    let table = tableAt(table, j)
                    iChild[j] = table
                    rChild[j] = k * table
                }
            }
        } else {
            for j in 0..<chunks {
                var f = zv * s[j]
                if hasPrev { f *= ip[j] }
                cChild[j] = cNode[j] * f
            }
            if keep {
                let iChild = inv + level, rChild = ratio + level, iz = V(repeating: inverseZero)
                for j in 0..<chunks {
                    iChild[j] = iz * invS[j]
                    rChild[j] = -invS[j]
                }
            }
        }
        one[d &+ 1] = oe
    }

    /// After visiting an internal child: its edge's φ term Σ_q G_child (o − z)/F, and G_child into the node's G.
    @inline(__always)
    private func leave(zero z: Double, one oe: Bool, table: UnsafeRawPointer, level d: Int, first: Bool) -> V {
        let gNode = g + d &* chunks, gChild = g + (d &+ 1) &* chunks
        var acc = V.zero
        if oe {
            for j in 0..<chunks {
                acc += gChild[j] * tableAt(table, j)
                gNode[j] = first ? gChild[j] : gNode[j] + gChild[j]
            }
            return V(repeating: 1 - z) * acc
        }
        for j in 0..<chunks {
            acc += gChild[j] * invS[j]
            gNode[j] = first ? gChild[j] : gNode[j] + gChild[j]
        }
        return -acc
    }
}
