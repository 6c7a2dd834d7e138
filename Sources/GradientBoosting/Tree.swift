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

    public var numLeaves: Int { leafValue.count }

    /// Leaf reached by a row (row-major, at least `max(splitFeature)+1` values). O(depth).
    @inline(__always)
    public func leafIndex(_ row: UnsafeBufferPointer<Double>) -> Int {
        if splitFeature.isEmpty { return 0 }
        var node = 0
        while node >= 0 {
            let x = row[splitFeature[node]]
            let left = x.isNaN ? defaultLeft[node] : x <= threshold[node]
            node = left ? leftChild[node] : rightChild[node]
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

    /// Checks the structure (array lengths, child ranges, every leaf reached once); used after decoding.
    func validate(featureCount: Int) throws {
        let l = leafValue.count
        guard l >= 1 else { throw GradientBoostingError.invalidModel(reason: "a tree has no leaf") }
        let n = l - 1
        let sizes = [splitFeature.count, threshold.count, defaultLeft.count, leftChild.count, rightChild.count,
                     splitGain.count, internalValue.count, internalWeight.count, internalCount.count]
        guard sizes.allSatisfy({ $0 == n }), leafWeight.count == l, leafCount.count == l else {
            throw GradientBoostingError.invalidModel(reason: "tree arrays disagree with \(l) leaves")
        }
        var seenLeaf = [Bool](repeating: false, count: l)
        var seenNode = [Bool](repeating: false, count: n)
        var stack = n > 0 ? [0] : []
        while let node = stack.popLast() {
            guard !seenNode[node] else { throw GradientBoostingError.invalidModel(reason: "tree node \(node) reached twice") }
            seenNode[node] = true
            guard (0..<featureCount).contains(splitFeature[node]), !threshold[node].isNaN else {
                throw GradientBoostingError.invalidModel(reason: "tree node \(node) has a bad feature or threshold")
            }
            for c in [leftChild[node], rightChild[node]] {
                if c >= 0 {
                    guard c < n else { throw GradientBoostingError.invalidModel(reason: "child \(c) out of range") }
                    stack.append(c)
                } else {
                    let leaf = ~c
                    guard leaf < l, !seenLeaf[leaf] else {
                        throw GradientBoostingError.invalidModel(reason: "leaf \(leaf) out of range or reached twice")
                    }
                    seenLeaf[leaf] = true
                }
            }
        }
        if n == 0 { seenLeaf[0] = true }
        guard seenLeaf.allSatisfy({ $0 }), seenNode.allSatisfy({ $0 }) else {
            throw GradientBoostingError.invalidModel(reason: "a tree has unreachable nodes")
        }
    }
}
