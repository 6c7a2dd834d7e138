// PackedForest: all trees of a model in one contiguous node array, the layout the scoring hot paths
// walk, derived from the canonical `GBDTTree`s. Leaves are self-looping nodes, so eight trees are walked
// together branch-free (one loop test per step) to overlap their latency chains.

/// One node. Internal: `x[feature] <= threshold` (NaN: `defaultLeft != 0`) → `left`, else `right`.
/// Leaf: `left == right ==` its own index and `threshold` holds the leaf value.
struct PackedNode: Sendable {
    var threshold: Double
    var feature: Int32
    var defaultLeft: Int32
    var left: Int32
    var right: Int32
}

struct PackedForest: Sendable {
    let nodes: [PackedNode]
    /// Per tree: root node index.
    let roots: [Int32]

    /// Index of the first leaf node: all internal nodes of all trees come first, then all leaves, so
    /// "is a leaf" is one comparison.
    let leafStart: Int32

    init(trees: [GBDTTree]) {
        let internalTotal = trees.reduce(0) { $0 + $1.splitFeature.count }
        var nodes: [PackedNode] = []
        var leaves: [PackedNode] = []
        var roots: [Int32] = []
        for t in trees {
            let internalCount = t.splitFeature.count
            let base = nodes.count, leafBase = internalTotal + leaves.count
            func map(_ c: Int) -> Int32 { Int32(c >= 0 ? base + c : leafBase + ~c) }
            for k in 0..<internalCount {
                nodes.append(PackedNode(threshold: t.threshold[k], feature: Int32(t.splitFeature[k]),
                                        defaultLeft: t.defaultLeft[k] ? 1 : 0,
                                        left: map(t.leftChild[k]), right: map(t.rightChild[k])))
            }
            for (l, v) in t.leafValue.enumerated() {
                let me = Int32(leafBase + l)
                leaves.append(PackedNode(threshold: v, feature: 0, defaultLeft: 1, left: me, right: me))
            }
            roots.append(Int32(internalCount > 0 ? base : leafBase))
        }
        self.nodes = nodes + leaves
        self.roots = roots
        self.leafStart = Int32(internalTotal)
    }

    /// One branch-free step: the child `row` goes to (a leaf maps to itself).
    @inline(__always)
    static func step(_ nodes: UnsafePointer<PackedNode>, _ c: Int32, _ row: UnsafePointer<Double>) -> Int32 {
        let nd = nodes[Int(c)]
        let v = row[Int(nd.feature)]
        // NaN fails `v <= t` (→ right) and passes `!(v > t)` (→ left): pick the test by default direction.
        let goLeft = nd.defaultLeft != 0 ? !(v > nd.threshold) : (v <= nd.threshold)
        return goLeft ? nd.left : nd.right
    }

    /// `bias` + Σ leaf values for one row, trees summed in order (shared by single-row and batch scoring
    /// so both are bit-identical). O(Σ depth).
    @inline(__always)
    static func score(_ np: UnsafePointer<PackedNode>, _ roots: UnsafeBufferPointer<Int32>, leafStart: Int32,
                      _ treeRange: Range<Int>, row: UnsafePointer<Double>, into s: inout Double) {
        var t = treeRange.lowerBound
        while t + 8 <= treeRange.upperBound {
            var c0 = roots[t], c1 = roots[t + 1], c2 = roots[t + 2], c3 = roots[t + 3]
            var c4 = roots[t + 4], c5 = roots[t + 5], c6 = roots[t + 6], c7 = roots[t + 7]
            // Step all eight until every walk sits on a leaf (leaves loop to themselves).
            while min(min(min(c0, c1), min(c2, c3)), min(min(c4, c5), min(c6, c7))) < leafStart {
                c0 = step(np, c0, row); c1 = step(np, c1, row); c2 = step(np, c2, row); c3 = step(np, c3, row)
                c4 = step(np, c4, row); c5 = step(np, c5, row); c6 = step(np, c6, row); c7 = step(np, c7, row)
            }
            s += np[Int(c0)].threshold; s += np[Int(c1)].threshold
            s += np[Int(c2)].threshold; s += np[Int(c3)].threshold
            s += np[Int(c4)].threshold; s += np[Int(c5)].threshold
            s += np[Int(c6)].threshold; s += np[Int(c7)].threshold
            t += 8
        }
        while t < treeRange.upperBound {
            var c = roots[t]
            while c < leafStart { c = step(np, c, row) }
            s += np[Int(c)].threshold
            t += 1
        }
    }

    /// `bias` plus the leaf values of all trees for one row. No allocation.
    @inline(__always)
    func sum(row: UnsafePointer<Double>, bias: Double) -> Double {
        nodes.withUnsafeBufferPointer { nb in
            roots.withUnsafeBufferPointer { rb in
                    var s = bias
                    guard let np = nb.baseAddress else { return s }
                    Self.score(np, rb, leafStart: leafStart, 0..<rb.count, row: row, into: &s)
                    return s
            }
        }
    }

    /// Raw scores of `rows` row-major rows into `out`, parallel over row chunks. Each block of 32 rows
    /// is walked through groups of 16 trees at a time, so those trees' nodes stay in L1 for the block.
    /// Summation order per row equals `sum(row:bias:)`.
    func sumBatch(x: UnsafePointer<Double>, rows: Int, cols: Int, bias: Double, out: UnsafeMutablePointer<Double>,
                  workers: Int) {
        nodes.withUnsafeBufferPointer { nb in
            roots.withUnsafeBufferPointer { rb in
                    let block = 32, treeGroup = 16, ls = leafStart
                    let blocks = (rows + block - 1) / block
                    let chunks = max(1, min(workers * 8, blocks))
                    let treeCount = rb.count
                    let body = { (c: Int) in
                        let b0 = blocks * c / chunks, b1 = blocks * (c + 1) / chunks
                        for b in b0..<b1 {
                            let r0 = b * block, r1 = min(rows, r0 + block)
                            for r in r0..<r1 { out[r] = bias }
                            guard let np = nb.baseAddress else { continue }
                            var t0 = 0
                            while t0 < treeCount {
                                let t1 = min(treeCount, t0 + treeGroup)
                                for r in r0..<r1 { Self.score(np, rb, leafStart: ls, t0..<t1, row: x + r * cols, into: &out[r]) }
                                t0 = t1
                            }
                        }
                    }
                    if workers == 1 { for c in 0..<chunks { body(c) } } else { parallelFor(chunks, body) }
            }
        }
    }
}
