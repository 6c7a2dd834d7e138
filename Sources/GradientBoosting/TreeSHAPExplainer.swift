// TreeSHAPExplainer: exact path-dependent TreeSHAP in O(trees · leaves · depth) per row (Linear TreeSHAP,
// Yu et al. 2022, in its quadrature form), over a per-model plan built once: flat nodes with precomputed
// cover fractions, and a Gauss–Legendre rule per tree. No allocation per row.

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
/// **Cost.** Per row O(Σ_trees leaves · n), n = ⌈maxDistinctFeaturesOnAPath / 2⌉ (≤ ⌈depth/2⌉); Algorithm 2 is
/// O(leaves · depth²). Plan memory: 56 bytes per internal node + 8 per leaf + 32 per tree.
public struct TreeSHAPExplainer: Sendable {
    public let featureCount: Int
    public let cover: TreeSHAPCover
    /// `initScore` + Σ over trees of the cover-weighted mean leaf value: the last output of every row.
    public let expectedValue: Double
    let nodes: [SHAPNode]
    let leafValues: [Double]
    /// Trees with at least one split (single-leaf trees only add to `expectedValue`).
    let trees: [SHAPTree]
    /// Gauss–Legendre rules on [0, 1] for the point counts the trees use: nodes t, 1 − t, weights.
    let quadT: [Double]
    let quadS: [Double]
    let quadW: [Double]
    /// Largest leaf depth and point count over the trees (scratch sizes).
    let maxDepth: Int
    let maxPoints: Int

    /// Builds the plan. O(trees · leaves).
    public init(model: GBDTModel, cover: TreeSHAPCover = .hessian) {
        var builder = SHAPPlanBuilder(featureCount: model.featureCount, cover: cover)
        var bias = model.initScore
        for tree in model.trees {
            bias += builder.add(tree)
        }
        featureCount = model.featureCount
        self.cover = cover
        expectedValue = bias
        nodes = builder.nodes
        leafValues = builder.leafValues
        trees = builder.trees
        quadT = builder.quadT
        quadS = builder.quadS
        quadW = builder.quadW
        maxDepth = builder.maxDepth
        maxPoints = builder.maxPoints
    }

    /// Number of values `contributions` writes: one per feature, then the expected value.
    public var outputCount: Int { featureCount + 1 }

    /// Bytes held by the plan (shared by copies of the explainer).
    public var planBytes: Int {
        nodes.count * MemoryLayout<SHAPNode>.stride + trees.count * MemoryLayout<SHAPTree>.stride
            + (leafValues.count + quadT.count + quadS.count + quadW.count) * MemoryLayout<Double>.stride
    }

    /// SHAP contributions of one row into `out[0..<featureCount+1]` (features, then the expected value); they
    /// sum to the model's raw score up to rounding. Allocates nothing on the heap for trees up to depth ~500;
    /// thread-safe.
    public func contributions(_ row: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        precondition(row.count >= featureCount, "row has \(row.count) values, model needs \(featureCount)")
        precondition(out.count >= featureCount + 1, "output has \(out.count) slots, needs \(featureCount + 1)")
        let phi = out.baseAddress!
        phi.update(repeating: 0, count: featureCount)
        phi[featureCount] = expectedValue
        guard !trees.isEmpty else { return }
        let levels = maxDepth + 2, n = maxPoints
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 3 * levels * n + n) { scratch in
            withUnsafeTemporaryAllocation(of: Bool.self, capacity: levels) { ones in
                let base = scratch.baseAddress!
                let unit = base + 3 * levels * n
                unit.update(repeating: 1, count: n)
                nodes.withUnsafeBufferPointer { nb in
                    leafValues.withUnsafeBufferPointer { lb in
                        quadT.withUnsafeBufferPointer { tb in
                            quadS.withUnsafeBufferPointer { sb in
                                quadW.withUnsafeBufferPointer { wb in
                                    for tree in trees {
                                        let p = Int(tree.points), q = Int(tree.quadOffset)
                                        let walk = SHAPWalk(
                                            nodes: nb.baseAddress!, leafValues: lb.baseAddress!, x: row.baseAddress!,
                                            phi: phi, t: tb.baseAddress! + q, s: sb.baseAddress! + q,
                                            w: wb.baseAddress! + q, n: p, c: base, g: base + levels * p,
                                            inv: base + 2 * levels * p, unit: unit, one: ones.baseAddress!)
                                        base.update(repeating: 1, count: p)   // C at the root
                                        walk.visit(Int(tree.root), level: 0)
                                    }
                                }
                            }
                        }
                    }
                }
            }
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
    /// Cumulative zero fraction z of `feature` on the path after the left / right edge.
    var zeroLeft: Double
    var zeroRight: Double
    /// Cumulative zero fraction of `feature` before this node (its nearest ancestor edge on the feature), 1 if none.
    var prevZero: Double
    var feature: Int32
    var left: Int32
    var right: Int32
    /// Level (depth of the child) of that ancestor edge, −1 if none.
    var prevLevel: Int32
    var defaultLeft: Bool
}

struct SHAPTree: Sendable {
    var root: Int32
    /// Gauss–Legendre points for this tree and where its rule starts in the quadrature arrays.
    var points: Int32
    var quadOffset: Int32
}

/// Builds the flat plan tree by tree.
struct SHAPPlanBuilder {
    let featureCount: Int
    let cover: TreeSHAPCover
    var nodes: [SHAPNode] = []
    var leafValues: [Double] = []
    var trees: [SHAPTree] = []
    var quadT: [Double] = []
    var quadS: [Double] = []
    var quadW: [Double] = []
    /// Offset of the n-point rule in the quadrature arrays, once added.
    var ruleOffset: [Int: Int] = [:]
    var maxDepth = 0
    var maxPoints = 1
    /// Per feature, during the walk: level and cumulative zero fraction of its nearest edge on the path.
    private var lastLevel: [Int32]
    private var lastZero: [Double]

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
        let nodeBase = nodes.count, leafBase = leafValues.count
        leafValues += tree.leafValue
        nodes += [SHAPNode](repeating: SHAPNode(threshold: 0, zeroLeft: 0, zeroRight: 0, prevZero: 1, feature: 0,
                                                left: 0, right: 0, prevLevel: -1, defaultLeft: false),
                            count: tree.splitFeature.count)
        var distinct = 0
        build(tree, node: 0, level: 0, distinct: 0, internalCover: internalCover, leafCover: leafCover,
              nodeBase: nodeBase, leafBase: leafBase, maxDistinct: &distinct)
        let points = max(1, (distinct + 1) / 2)   // exact for polynomials of degree ≤ 2·points − 1 ≥ distinct − 1
        let offset = rule(points)
        trees.append(SHAPTree(root: Int32(nodeBase), points: Int32(points), quadOffset: Int32(offset)))
        maxPoints = max(maxPoints, points)
        return tree.expectedValue(leafWeight: leafCover, rootWeight: internalCover[0])
    }

    /// Fills node `node` (local index) and its subtree; `distinct` = distinct features on the path above it.
    private mutating func build(_ tree: GBDTTree, node: Int, level: Int, distinct: Int, internalCover: [Double],
                                leafCover: [Double], nodeBase: Int, leafBase: Int, maxDistinct: inout Int) {
        let f = tree.splitFeature[node]
        let savedLevel = lastLevel[f], savedZero = lastZero[f]
        let w = internalCover[node]
        func coverOf(_ c: Int) -> Double { c >= 0 ? internalCover[c] : leafCover[~c] }
        func index(_ c: Int) -> Int32 { c >= 0 ? Int32(nodeBase + c) : ~Int32(leafBase + ~c) }
        let l = tree.leftChild[node], r = tree.rightChild[node]
        nodes[nodeBase + node] = SHAPNode(
            threshold: tree.threshold[node], zeroLeft: coverOf(l) / w * savedZero,
            zeroRight: coverOf(r) / w * savedZero, prevZero: savedZero, feature: Int32(f), left: index(l),
            right: index(r), prevLevel: savedLevel, defaultLeft: tree.defaultLeft[node])
        let below = distinct + (savedLevel < 0 ? 1 : 0)
        for (c, z) in [(l, nodes[nodeBase + node].zeroLeft), (r, nodes[nodeBase + node].zeroRight)] {
            if c < 0 {
                maxDistinct = max(maxDistinct, below)
                maxDepth = max(maxDepth, level + 1)
                continue
            }
            lastLevel[f] = Int32(level + 1)
            lastZero[f] = z
            build(tree, node: c, level: level + 1, distinct: below, internalCover: internalCover,
                  leafCover: leafCover, nodeBase: nodeBase, leafBase: leafBase, maxDistinct: &maxDistinct)
        }
        lastLevel[f] = savedLevel
        lastZero[f] = savedZero
    }

    /// Offset of the n-point Gauss–Legendre rule on [0, 1], appending it the first time.
    private mutating func rule(_ n: Int) -> Int {
        if let o = ruleOffset[n] { return o }
        let o = quadT.count
        let (t, s, w) = TreeSHAPQuadrature.gaussLegendre01(points: n)
        quadT += t
        quadS += s
        quadW += w
        ruleOffset[n] = o
        return o
    }
}

/// One row's walk of one tree. Scratch per level d (n values each): `c` = C at the node on level d, `g` = G of
/// the node on level d, `inv` = 1/F of the edge into level d; `one[d]` = o of that edge.
struct SHAPWalk {
    let nodes: UnsafePointer<SHAPNode>
    let leafValues: UnsafePointer<Double>
    let x: UnsafePointer<Double>
    let phi: UnsafeMutablePointer<Double>
    let t: UnsafePointer<Double>
    let s: UnsafePointer<Double>
    let w: UnsafePointer<Double>
    let n: Int
    let c: UnsafeMutablePointer<Double>
    let g: UnsafeMutablePointer<Double>
    let inv: UnsafeMutablePointer<Double>
    /// n ones: 1/F_p for an edge with no earlier edge on its feature.
    let unit: UnsafePointer<Double>
    let one: UnsafeMutablePointer<Bool>

    /// Visits internal node `k` on level `d` (C already at level d); leaves G of the node at level d.
    func visit(_ k: Int, level d: Int) {
        let node = nodes[k]
        let v = x[Int(node.feature)]
        let goLeft = v.isNaN ? node.defaultLeft : v <= node.threshold
        let prev = Int(node.prevLevel)
        let op = prev >= 0 ? one[prev] : true
        let ip: UnsafePointer<Double> = prev >= 0 ? UnsafePointer(inv + prev * n) : unit
        let kp = prev >= 0 ? (op ? 1 : 0) - node.prevZero : 0
        var total = edge(node.left, zero: node.zeroLeft, one: op && goLeft, ip: ip, kp: kp, level: d, first: true)
        total += edge(node.right, zero: node.zeroRight, one: op && !goLeft, ip: ip, kp: kp, level: d, first: false)
        phi[Int(node.feature)] += total
    }

    /// One edge from the node on level d: builds the child's C, recurses, and returns the edge's φ term;
    /// stores (`first`) or adds the child's G into the node's G.
    @inline(__always)
    private func edge(_ child: Int32, zero z: Double, one oe: Bool, ip: UnsafePointer<Double>, kp: Double,
                      level d: Int, first: Bool) -> Double {
        let a: Double = oe ? 1 : 0
        let ke = a - z
        let cNode = c + d * n, gNode = g + d * n
        var acc = 0.0
        if child < 0 {
            let value = leafValues[Int(~child)]
            for q in 0..<n {
                let f = z * s[q] + a * t[q]
                let r = cNode[q] * f * ip[q]
                let ie = f == 0 ? 0 : 1 / f
                acc += w[q] * r * (ke * ie - kp * ip[q])
                gNode[q] = first ? value * r : gNode[q] + value * r
            }
            return value * acc
        }
        let cChild = c + (d + 1) * n, gChild = g + (d + 1) * n, iChild = inv + (d + 1) * n
        for q in 0..<n {
            let f = z * s[q] + a * t[q]
            cChild[q] = cNode[q] * f * ip[q]
            iChild[q] = f == 0 ? 0 : 1 / f
        }
        one[d + 1] = oe
        visit(Int(child), level: d + 1)
        for q in 0..<n {
            acc += w[q] * gChild[q] * (ke * iChild[q] - kp * ip[q])
            gNode[q] = first ? gChild[q] : gNode[q] + gChild[q]
        }
        return acc
    }
}
