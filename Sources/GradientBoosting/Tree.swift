// Tree: one trained regression tree in LightGBM's flat layout (internal nodes 0..<L-1, leaves 0..<L,
// child index < 0 meaning leaf ~child), with raw-value thresholds so scoring needs no binning.

/// A trained tree. Internal node `n` sends a row left when `x[splitFeature[n]] <= threshold[n]`, or,
/// when that value is NaN, when `defaultLeft[n]`. A child index `c >= 0` is an internal node,
/// `c < 0` is leaf `~c`. A tree with one leaf has no internal nodes.
public struct GBDTTree: Codable, Sendable, Equatable {
    public var splitFeature: [Int]
    public var threshold: [Double]
    public var defaultLeft: [Bool]
    public var leftChild: [Int]
    public var rightChild: [Int]
    /// Gain of each split (gain(left) + gain(right) − gain(parent), LightGBM units).
    public var splitGain: [Double]
    /// Output the node would have as a leaf (learning rate applied), sum of hessians, row count.
    public var internalValue: [Double]
    public var internalWeight: [Double]
    public var internalCount: [Int]
    /// Leaf outputs in raw-score units (learning rate applied), hessian sums and row counts.
    public var leafValue: [Double]
    public var leafWeight: [Double]
    public var leafCount: [Int]
    /// Per internal node, for a categorical split (LightGBM's `decision_type` bit 0): the category codes that go
    /// left, ascending (empty for a threshold node). Absent (nil) in a tree without categorical splits, so such
    /// trees encode as before. A categorical node sends NaN, and any value that is not one of its codes' range
    /// (negative, fractional, beyond `maxCategoryCode`), to the `defaultLeft` side.
    public var categoryLeft: [[Int]]? = nil
    public var isCategorical: [Bool]? = nil

    public var numLeaves: Int { leafValue.count }
    /// Category codes are bin codes: below 256.
    public static let maxCategoryCode = 255

    /// Whether node `n` sends value `x` left. O(1) for thresholds, O(log categories) for categorical nodes.
    @inline(__always)
    public func goesLeft(_ n: Int, _ x: Double) -> Bool {
        if x.isNaN { return defaultLeft[n] }
        guard let isCategorical, isCategorical[n] else { return x <= threshold[n] }
        guard x >= 0, x <= Double(Self.maxCategoryCode), x == x.rounded(.down) else { return defaultLeft[n] }
        let code = Int(x), cats = categoryLeft![n]
        var lo = 0, hi = cats.count
        while lo < hi { let m = (lo + hi) >> 1; if cats[m] < code { lo = m + 1 } else { hi = m } }
        return lo < cats.count && cats[lo] == code
    }

    /// Whether any node splits categorically (such a tree needs `goesLeft`, not the packed threshold walk).
    public var hasCategoricalSplit: Bool { isCategorical?.contains(true) ?? false }

    /// Leaf reached by a row (row-major, at least `max(splitFeature)+1` values). O(depth).
    @inline(__always)
    public func leafIndex(_ row: UnsafeBufferPointer<Double>) -> Int {
        if splitFeature.isEmpty { return 0 }
        var node = 0
        while node >= 0 {
            node = goesLeft(node, row[splitFeature[node]]) ? leftChild[node] : rightChild[node]
        }
        return ~node
    }

    /// Depth of the deepest leaf (a single leaf has depth 0).
    public var maxDepth: Int {
        if splitFeature.isEmpty { return 0 }
        var best = 0
        var stack: [(Int, Int)] = [(0, 1)]
        while let (node, depth) = stack.popLast() {
            for c in [leftChild[node], rightChild[node]] {
                if c >= 0 { stack.append((c, depth + 1)) } else { best = max(best, depth) }
            }
        }
        return best
    }

    /// Most leaves a decoded tree may have: `GBDTConfig.numLeaves`' upper bound. A tree reaches every leaf exactly
    /// once, so its depth is at most `maxLeaves − 1`; the walks over trees (scoring, TreeSHAP) are iterative, so
    /// any such depth is safe.
    public static let maxLeaves = 65536

    /// Checks everything scoring and TreeSHAP rely on, after decoding: array lengths, child and feature indices,
    /// every node and leaf reached exactly once from the root (so no cycle, depth < leaves), finite leaf values,
    /// gains, internal values and covers (covers ≥ 0), counts ≥ 0. A threshold may be ±∞ (every non-missing
    /// value goes left, or only −∞ does: well defined, and scoring treats it exactly) but not NaN.
    func validate(featureCount: Int, index: Int) throws {
        func bad(_ s: String) -> GradientBoostingError { .invalidModel(reason: "tree \(index): " + s) }
        let l = leafValue.count
        guard l >= 1, l <= Self.maxLeaves else { throw bad("\(l) leaves; a tree has 1...\(Self.maxLeaves)") }
        let n = l - 1
        let sizes = [splitFeature.count, threshold.count, defaultLeft.count, leftChild.count, rightChild.count,
                     splitGain.count, internalValue.count, internalWeight.count, internalCount.count]
        guard sizes.allSatisfy({ $0 == n }), leafWeight.count == l, leafCount.count == l else {
            throw bad("arrays disagree with \(l) leaves")
        }
        if let i = leafValue.firstIndex(where: { !$0.isFinite }) { throw bad("leafValue[\(i)] is \(leafValue[i])") }
        if isCategorical != nil || categoryLeft != nil {
            guard let isCategorical, let categoryLeft, isCategorical.count == n, categoryLeft.count == n else {
                throw bad("isCategorical and categoryLeft need one entry per internal node (\(n))")
            }
            for i in 0..<n {
                let c = categoryLeft[i]
                guard isCategorical[i] || c.isEmpty else { throw bad("threshold node \(i) lists categories") }
                guard c.allSatisfy({ (0...Self.maxCategoryCode).contains($0) }), zip(c, c.dropFirst()).allSatisfy({ $0 < $1 }) else {
                    throw bad("node \(i): categories must be ascending codes in 0...\(Self.maxCategoryCode)")
                }
            }
        }
        if let i = threshold.firstIndex(where: \.isNaN) { throw bad("threshold[\(i)] is NaN") }
        for (name, values) in [("splitGain", splitGain), ("internalValue", internalValue)] {
            if let i = values.firstIndex(where: { !$0.isFinite }) { throw bad("\(name)[\(i)] is \(values[i])") }
        }
        for (name, values) in [("internalWeight", internalWeight), ("leafWeight", leafWeight)] {
            if let i = values.firstIndex(where: { !($0.isFinite && $0 >= 0) }) { throw bad("\(name)[\(i)] is \(values[i]); covers are finite and ≥ 0") }
        }
        guard internalCount.allSatisfy({ $0 >= 0 }), leafCount.allSatisfy({ $0 >= 0 }) else { throw bad("a row count is negative") }
        var seenLeaf = [Bool](repeating: false, count: l)
        var seenNode = [Bool](repeating: false, count: n)
        var stack = n > 0 ? [0] : []
        while let node = stack.popLast() {
            guard !seenNode[node] else { throw bad("node \(node) reached twice") }
            seenNode[node] = true
            guard (0..<featureCount).contains(splitFeature[node]) else {
                throw bad("node \(node) splits on feature \(splitFeature[node]); the model has \(featureCount)")
            }
            for c in [leftChild[node], rightChild[node]] {
                if c >= 0 {
                    guard c < n else { throw bad("child \(c) out of range") }
                    stack.append(c)
                } else {
                    let leaf = ~c
                    guard leaf < l, !seenLeaf[leaf] else { throw bad("leaf \(leaf) out of range or reached twice") }
                    seenLeaf[leaf] = true
                }
            }
        }
        if n == 0 { seenLeaf[0] = true }
        guard seenLeaf.allSatisfy({ $0 }), seenNode.allSatisfy({ $0 }) else { throw bad("unreachable nodes") }
    }
}
