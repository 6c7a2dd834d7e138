// PackedForest: all trees of a model as 16-byte nodes with adjacent siblings, the layout the scoring hot
// paths walk, derived from the canonical `GBDTTree`s. Eight trees are walked in lock step, branch-free,
// over a row staged twice (NaN kept, NaN as −∞) so a node's default direction costs no branch.

/// One node, 16 bytes. Internal: goes to child pair `firstChild` when `staged[slot] <= threshold`, else to
/// `firstChild + 1`. Leaf: `threshold` is the leaf value, `slot` reads −∞ (always passes) and `firstChild`
/// is the node itself, so it loops to itself. `firstChild` carries "is a leaf" for the two children in
/// bits 30 and 31, so a walk knows it has arrived without loading another node.
struct PackedNode: Sendable {
    var threshold: Double
    var firstChild: Int32
    var slot: Int32
}

/// The staged row has `2 · cols + 1` values: slot f is x[f] (NaN fails `<=`: default right), slot cols + f
/// is x[f] with NaN replaced by −∞ (passes `<=`: default left), slot 2·cols is −∞ (leaves). A node reads
/// the copy matching its default direction; for non-NaN x both copies equal x, so every test is exactly
/// the tree's `x <= threshold` (NaN → `defaultLeft`).
struct PackedForest: Sendable {
    let nodes: [PackedNode]
    /// Per tree: reference to its root (bit 31 set when the root is a leaf).
    let roots: [Int32]
    let cols: Int

    static let group = 8
    static let leafBit: Int32 = Int32(bitPattern: 0x8000_0000)
    static let indexMask: Int32 = 0x3FFF_FFFF

    /// Values of a staged row.
    var stagedStride: Int { 2 * cols + 1 }

    init(trees: [GBDTTree], cols: Int) {
        self.cols = cols
        let leafSlot = Int32(2 * cols)
        var nodes: [PackedNode] = [], roots: [Int32] = []
        for t in trees {
            let root = nodes.count
            roots.append(Int32(root) | (t.splitFeature.isEmpty ? Self.leafBit : 0))
            // Breadth-first; each internal node's two children are allocated side by side.
            var queue: [(id: Int, at: Int)] = [(t.splitFeature.isEmpty ? ~0 : 0, root)]
            nodes.append(PackedNode(threshold: 0, firstChild: 0, slot: 0))
            var head = 0
            while head < queue.count {
                let (id, at) = queue[head]; head += 1
                if id < 0 {
                    nodes[at] = PackedNode(threshold: t.leafValue[~id],
                                           firstChild: Int32(at) | Int32(bitPattern: 0xC000_0000), slot: leafSlot)
                    continue
                }
                let first = nodes.count
                nodes.append(PackedNode(threshold: 0, firstChild: 0, slot: 0))
                nodes.append(PackedNode(threshold: 0, firstChild: 0, slot: 0))
                let tags = (t.leftChild[id] < 0 ? UInt32(1) << 30 : 0) | (t.rightChild[id] < 0 ? UInt32(1) << 31 : 0)
                let f = t.splitFeature[id]
                nodes[at] = PackedNode(threshold: t.threshold[id], firstChild: Int32(first) | Int32(bitPattern: tags),
                                       slot: Int32(t.defaultLeft[id] ? cols + f : f))
                queue.append((t.leftChild[id], first))
                queue.append((t.rightChild[id], first + 1))
            }
        }
        precondition(nodes.count <= Int(Self.indexMask), "PackedForest: more than 2^30 nodes")
        self.nodes = nodes
        self.roots = roots
    }

    /// Stages one row (`cols` values) into `out` (`stagedStride` values). O(cols), vectorisable.
    @inline(__always)
    static func stage(_ row: UnsafePointer<Double>, cols: Int, into out: UnsafeMutablePointer<Double>) {
        for f in 0..<cols {
            let v = row[f]
            out[f] = v
            out[cols &+ f] = v.isNaN ? -.infinity : v
        }
        out[2 &* cols] = -.infinity
    }

    /// One branch-free move from reference `c`: to the first child when the staged value passes the
    /// threshold, else to the second; the result carries the child's leaf bit in bit 31.
    @inline(__always)
    static func step(_ nodes: UnsafePointer<PackedNode>, _ c: Int32, _ staged: UnsafePointer<Double>) -> Int32 {
        let nd = nodes[Int(c & indexMask)]
        let raw = UInt32(bitPattern: nd.firstChild)
        let go = UInt32(truncatingIfNeeded: unsafeBitCast(!(staged[Int(nd.slot)] <= nd.threshold), to: UInt8.self))
        let leaf = (raw &>> (30 &+ go)) & 1
        return Int32(bitPattern: ((raw & 0x3FFF_FFFF) &+ go) | (leaf &<< 31))
    }

    /// Adds the leaf values of the trees in `groups` (groups of 8 trees) for one staged row to `s`, trees
    /// in order (single-row and batch scoring share it, so both are bit-identical). The eight walks of a
    /// group move in lock step until all sit on leaves. O(Σ depth).
    @inline(__always)
    static func score(_ np: UnsafePointer<PackedNode>, _ roots: UnsafePointer<Int32>, treeCount: Int,
                      _ groups: Range<Int>, staged: UnsafePointer<Double>, into s: inout Double) {
        for g in groups {
            let t = g &* group
            if t &+ group <= treeCount {
                var c0 = roots[t], c1 = roots[t &+ 1], c2 = roots[t &+ 2], c3 = roots[t &+ 3]
                var c4 = roots[t &+ 4], c5 = roots[t &+ 5], c6 = roots[t &+ 6], c7 = roots[t &+ 7]
                while ((c0 & c1) & (c2 & c3)) & ((c4 & c5) & (c6 & c7)) >= 0 {
                    c0 = step(np, c0, staged); c1 = step(np, c1, staged); c2 = step(np, c2, staged)
                    c3 = step(np, c3, staged); c4 = step(np, c4, staged); c5 = step(np, c5, staged)
                    c6 = step(np, c6, staged); c7 = step(np, c7, staged)
                }
                s += np[Int(c0 & indexMask)].threshold; s += np[Int(c1 & indexMask)].threshold
                s += np[Int(c2 & indexMask)].threshold; s += np[Int(c3 & indexMask)].threshold
                s += np[Int(c4 & indexMask)].threshold; s += np[Int(c5 & indexMask)].threshold
                s += np[Int(c6 & indexMask)].threshold; s += np[Int(c7 & indexMask)].threshold
            } else {
                for tt in t..<treeCount {
                    var c = roots[tt]
                    while c >= 0 { c = step(np, c, staged) }
                    s += np[Int(c & indexMask)].threshold
                }
            }
        }
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
        let treeCount = roots.count, groups = (treeCount + Self.group - 1) / Self.group, cols = cols
        return nodes.withUnsafeBufferPointer { nb in
            roots.withUnsafeBufferPointer { rb in
                var s = bias
                guard let np = nb.baseAddress, let rp = rb.baseAddress else { return s }
                Self.stage(row, cols: cols, into: staged)
                Self.score(np, rp, treeCount: treeCount, 0..<groups, staged: staged, into: &s)
                return s
            }
        }
    }

    /// Raw scores of `rows` row-major rows into `out`, parallel over chunks of row blocks on `workers`
    /// threads. A block of 32 rows is staged once, then walked two groups of 8 trees at a time, so those
    /// trees' nodes stay in L1 for the whole block. Summation order per row equals `sum(row:bias:)`.
    func sumBatch(x: UnsafePointer<Double>, rows: Int, bias: Double, out: UnsafeMutablePointer<Double>, workers: Int) {
        let block = 32, groupsPerPass = 2
        let blocks = (rows + block - 1) / block
        let chunks = max(1, min(workers * 4, blocks))
        let stride = stagedStride, cols = cols
        let treeCount = roots.count, groups = (treeCount + Self.group - 1) / Self.group
        nodes.withUnsafeBufferPointer { nb in
            roots.withUnsafeBufferPointer { rb in
                let body = { (c: Int) in
                    let staged = UnsafeMutablePointer<Double>.allocate(capacity: block * stride)
                    defer { staged.deallocate() }
                    let b0 = blocks * c / chunks, b1 = blocks * (c + 1) / chunks
                    for b in b0..<b1 {
                        let r0 = b * block, r1 = min(rows, r0 + block)
                        for r in r0..<r1 {
                            Self.stage(x + r * cols, cols: cols, into: staged + (r - r0) * stride)
                            out[r] = bias
                        }
                        guard let np = nb.baseAddress, let rp = rb.baseAddress else { continue }
                        var g0 = 0
                        while g0 < groups {
                            let g1 = min(groups, g0 + groupsPerPass)
                            for r in r0..<r1 {
                                Self.score(np, rp, treeCount: treeCount, g0..<g1, staged: staged + (r - r0) * stride,
                                           into: &out[r])
                            }
                            g0 = g1
                        }
                    }
                }
                if workers <= 1 || chunks == 1 { for c in 0..<chunks { body(c) } } else { parallelFor(chunks, body) }
            }
        }
    }
}
