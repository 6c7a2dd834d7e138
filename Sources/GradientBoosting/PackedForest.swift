// PackedForest: all trees of a model as 16-byte nodes with adjacent siblings, the layout the scoring hot
// paths walk, derived from the canonical `GBDTTree`s. The trees are threaded into `lanes` chains: lane k
// walks trees k, k + lanes, k + 2·lanes, …, each leaf leading straight to the next tree's root, so the
// eight walks of a row move in lock step, branch-free, and a lane that reaches a leaf starts its next tree
// on the following step instead of idling until the slowest tree of a group arrives. The row is staged
// twice (NaN kept, NaN as −∞) so a node's default direction costs no branch.
import TenureCore

/// One node, 16 bytes. Internal: goes to child pair `firstChild` when `staged[slot] <= threshold`, else to
/// `firstChild + 1`. Leaf: `threshold` is the leaf value, `slot` is −1 (reads −∞, so the test always
/// passes; its sign marks the leaf) and `firstChild` is the root of the lane's next tree, or the end node.
struct PackedNode: Sendable {
    var threshold: Double
    var firstChild: Int32
    var slot: Int32
}

/// A staged row: `staged[-1]` is −∞ (read by leaves), `staged[f]` is x[f] (NaN fails `<=`: default
/// right), `staged[cols + f]` is x[f] with NaN replaced by −∞ (passes `<=`: default left). A node reads
/// the copy matching its default direction; for non-NaN x both copies equal x, so every test is exactly
/// the tree's `x <= threshold` (NaN → `defaultLeft`).
struct PackedForest: Sendable {
    /// Node 0 is the end node: a leaf of value 0 that leads to itself, where every lane finishes.
    let nodes: [PackedNode]
    /// Per lane: the root of its first tree (the end node when the model has fewer trees).
    let laneStarts: [Int32]
    let cols: Int

    static let lanes = 8

    /// Values of a staged row, the −∞ in front included.
    var stagedStride: Int { 2 * cols + 1 }

    init(trees: [GBDTTree], cols: Int) {
        self.cols = cols
        var nodes = [PackedNode(threshold: 0, firstChild: 0, slot: -1)]
        var roots: [Int] = [], leavesOf: [[Int]] = []
        for t in trees {
            let root = nodes.count
            roots.append(root)
            var leaves: [Int] = []
            // Breadth-first; each internal node's two children are allocated side by side.
            var queue: [(id: Int, at: Int)] = [(t.splitFeature.isEmpty ? ~0 : 0, root)]
            nodes.append(PackedNode(threshold: 0, firstChild: 0, slot: 0))
            var head = 0
            while head < queue.count {
                let (id, at) = queue[head]; head += 1
                if id < 0 {
                    // A leaf's test reads −∞ <= value, true for any non-NaN value: a NaN leaf would send the
                    // chain walk back into its own tree for ever. Decoded models refuse it; trained ones never have it.
                    precondition(!t.leafValue[~id].isNaN, "PackedForest: a NaN leaf value would never end the walk")
                    nodes[at] = PackedNode(threshold: t.leafValue[~id], firstChild: 0, slot: -1)
                    leaves.append(at)
                    continue
                }
                let first = nodes.count
                nodes.append(PackedNode(threshold: 0, firstChild: 0, slot: 0))
                nodes.append(PackedNode(threshold: 0, firstChild: 0, slot: 0))
                let f = t.splitFeature[id]
                nodes[at] = PackedNode(threshold: t.threshold[id], firstChild: Int32(first),
                                       slot: Int32(t.defaultLeft[id] ? cols + f : f))
                queue.append((t.leftChild[id], first))
                queue.append((t.rightChild[id], first + 1))
            }
            leavesOf.append(leaves)
        }
        precondition(nodes.count <= Int(Int32.max), "PackedForest: more than 2^31 nodes")
        for (i, leaves) in leavesOf.enumerated() {
            let next = i + Self.lanes < trees.count ? Int32(roots[i + Self.lanes]) : 0
            for at in leaves { nodes[at].firstChild = next }
        }
        self.nodes = nodes
        self.laneStarts = (0..<Self.lanes).map { $0 < trees.count ? Int32(roots[$0]) : 0 }
    }

    /// Stages one row (`cols` values) into `out` (`stagedStride` values); returns where `staged[0]` is.
    /// O(cols), vectorisable.
    @inline(__always)
    static func stage(_ row: UnsafePointer<Double>, cols: Int, into out: UnsafeMutablePointer<Double>)
        -> UnsafeMutablePointer<Double> {
        out[0] = -.infinity
        let staged = out + 1
        for f in 0..<cols {
            let v = row[f]
            staged[f] = v
            staged[cols &+ f] = v.isNaN ? -.infinity : v
        }
        return staged
    }

    /// One branch-free move of a lane standing on node `c`: a leaf adds its value to `s` (an internal
    /// node adds +0), then on to `firstChild` when the staged value passes the threshold (always, from a
    /// leaf), else to `firstChild + 1`.
    @inline(__always)
    static func step(_ nodes: UnsafePointer<PackedNode>, _ c: inout Int32, _ s: inout Double,
                     _ staged: UnsafePointer<Double>) {
        let nd = nodes[Int(c)]
        let go = Int32(truncatingIfNeeded: unsafeBitCast(!(staged[Int(nd.slot)] <= nd.threshold), to: UInt8.self))
        let onLeaf = UInt64(bitPattern: Int64(nd.slot) &>> 63)
        s += Double(bitPattern: nd.threshold.bitPattern & onLeaf)
        c = nd.firstChild &+ go
    }

    /// The leaf values of all trees for one staged row: the lanes walk their chains in lock step until
    /// all stand on the end node, then their sums join in lane order (single-row and batch scoring share
    /// it, so both are bit-identical). O(Σ depth + trees) steps.
    @inline(__always)
    static func score(_ np: UnsafePointer<PackedNode>, _ starts: UnsafePointer<Int32>,
                      staged: UnsafePointer<Double>) -> Double {
        var c0 = starts[0], c1 = starts[1], c2 = starts[2], c3 = starts[3]
        var c4 = starts[4], c5 = starts[5], c6 = starts[6], c7 = starts[7]
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0, s5 = 0.0, s6 = 0.0, s7 = 0.0
        while ((c0 | c1) | (c2 | c3)) | ((c4 | c5) | (c6 | c7)) != 0 {
            step(np, &c0, &s0, staged); step(np, &c1, &s1, staged); step(np, &c2, &s2, staged)
            step(np, &c3, &s3, staged); step(np, &c4, &s4, staged); step(np, &c5, &s5, staged)
            step(np, &c6, &s6, staged); step(np, &c7, &s7, staged)
        }
        return join(s0, s1, s2, s3, s4, s5, s6, s7)
    }

    /// The lanes' sums joined in the one order every score uses (the booster's kept training scores too).
    @inline(__always)
    static func join(_ s0: Double, _ s1: Double, _ s2: Double, _ s3: Double, _ s4: Double, _ s5: Double,
                     _ s6: Double, _ s7: Double) -> Double {
        ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
    }

    /// `bias` plus the leaf values of all trees for one row. No heap allocation for models of up to
    /// `inlineCols` features: the staged row lives in a fixed-size stack buffer (wider models stage into a
    /// heap buffer).
    func sum(row: UnsafePointer<Double>, bias: Double) -> Double {
        if stagedStride <= Self.inlineStaged {
            var buffer = InlineArray<256, Double>(repeating: 0)
            return withUnsafeMutablePointer(to: &buffer) { p in
                p.withMemoryRebound(to: Double.self, capacity: Self.inlineStaged) { sum(row: row, bias: bias, staged: $0) }
            }
        }
        let staged = UnsafeMutablePointer<Double>.allocate(capacity: stagedStride)
        defer { staged.deallocate() }
        return sum(row: row, bias: bias, staged: staged)
    }

    /// Staged values that fit the single-row stack buffer, and the widest model that uses it.
    static let inlineStaged = 256
    static let inlineCols = (inlineStaged - 1) / 2

    private func sum(row: UnsafePointer<Double>, bias: Double, staged: UnsafeMutablePointer<Double>) -> Double {
        let cols = cols
        return nodes.withUnsafeBufferPointer { nb in
            laneStarts.withUnsafeBufferPointer { lb in
                let row = Self.stage(row, cols: cols, into: staged)
                return bias + Self.score(nb.baseAddress!, lb.baseAddress!, staged: row)
            }
        }
    }

    /// Raw scores of `rows` row-major rows into `out`, parallel over chunks of rows on `workers` threads,
    /// each row exactly as `sum(row:bias:)` computes it. Rows walk the whole forest one after another: at 16
    /// bytes a node, 200 trees of 31 leaves take 195 KB, which stays in L2.
    func sumBatch(x: UnsafePointer<Double>, rows: Int, bias: Double, out: UnsafeMutablePointer<Double>, workers: Int) {
        let chunks = max(1, min(workers * 4, rows / 256))
        let stride = stagedStride, cols = cols
        nodes.withUnsafeBufferPointer { nb in
            laneStarts.withUnsafeBufferPointer { lb in
                let np = nb.baseAddress!, lp = lb.baseAddress!
                let body = { (c: Int) in
                    let staged = UnsafeMutablePointer<Double>.allocate(capacity: stride)
                    defer { staged.deallocate() }
                    for r in (rows * c / chunks)..<(rows * (c + 1) / chunks) {
                        let row = Self.stage(x + r * cols, cols: cols, into: staged)
                        out[r] = bias + Self.score(np, lp, staged: row)
                    }
                }
                if workers <= 1 || chunks == 1 { for c in 0..<chunks { body(c) } } else { parallelFor(chunks, body) }
            }
        }
    }
}
