// PackedForest: all trees of a model in one contiguous node array, the layout the scoring hot paths
// walk (24-byte nodes, global child indices), derived from the canonical `GBDTTree`s.
import Foundation
import Dispatch

/// One internal node: `x[feature] <= threshold` (NaN: `defaultLeft != 0`) → `left`, else `right`.
/// Child `c >= 0` is a node index into `nodes`, `c < 0` is leaf value index `~c`.
struct PackedNode: Sendable {
    var threshold: Double
    var feature: Int32
    var defaultLeft: Int32
    var left: Int32
    var right: Int32
}

struct PackedForest: Sendable {
    let nodes: [PackedNode]
    let leafValues: [Double]
    /// Per tree: its root (node index, or ~leaf for a single-leaf tree).
    let roots: [Int32]

    init(trees: [GBDTTree]) {
        var nodes: [PackedNode] = []
        var leaves: [Double] = []
        var roots: [Int32] = []
        for t in trees {
            let nodeBase = nodes.count, leafBase = leaves.count
            func map(_ c: Int) -> Int32 { Int32(c >= 0 ? nodeBase + c : ~(leafBase + ~c)) }
            for k in 0..<t.splitFeature.count {
                nodes.append(PackedNode(threshold: t.threshold[k], feature: Int32(t.splitFeature[k]),
                                        defaultLeft: t.defaultLeft[k] ? 1 : 0,
                                        left: map(t.leftChild[k]), right: map(t.rightChild[k])))
            }
            leaves.append(contentsOf: t.leafValue)
            roots.append(t.splitFeature.isEmpty ? Int32(~leafBase) : Int32(nodeBase))
        }
        self.nodes = nodes
        self.leafValues = leaves
        self.roots = roots
    }

    /// Leaf value index reached by `row` from `root`. O(depth).
    @inline(__always)
    static func leaf(_ nodes: UnsafePointer<PackedNode>, root: Int32, row: UnsafePointer<Double>) -> Int {
        var c = root
        while c >= 0 {
            let nd = nodes[Int(c)]
            let x = row[Int(nd.feature)]
            let goLeft = x <= nd.threshold || (x.isNaN && nd.defaultLeft != 0)
            c = goLeft ? nd.left : nd.right
        }
        return Int(~c)
    }

    /// `bias` plus the leaf values of all trees for one row, added in tree order (the same order as
    /// `sumBatch`, so both give bit-identical results). No allocation.
    @inline(__always)
    func sum(row: UnsafePointer<Double>, bias: Double) -> Double {
        nodes.withUnsafeBufferPointer { nb in
            leafValues.withUnsafeBufferPointer { lv in
                roots.withUnsafeBufferPointer { rb in
                    var s = bias
                    let np = nb.baseAddress ?? UnsafePointer(bitPattern: 8)!
                    for r in rb { s += lv[Self.leaf(np, root: r, row: row)] }
                    return s
                }
            }
        }
    }

    /// Raw scores of `rows` row-major rows into `out` (plus `bias`), parallel over row chunks.
    /// Rows are processed in blocks of 64 per tree so a tree's nodes stay in L1 while the block is walked.
    func sumBatch(x: UnsafePointer<Double>, rows: Int, cols: Int, bias: Double, out: UnsafeMutablePointer<Double>,
                  workers: Int) {
        nodes.withUnsafeBufferPointer { nb in
            leafValues.withUnsafeBufferPointer { lv in
                roots.withUnsafeBufferPointer { rb in
                    let np = nb.baseAddress ?? UnsafePointer(bitPattern: 8)!
                    let lp = lv.baseAddress!
                    let block = 64
                    let blocks = (rows + block - 1) / block
                    let chunks = max(1, min(workers * 4, blocks))
                    let body = { (c: Int) in
                        let b0 = blocks * c / chunks, b1 = blocks * (c + 1) / chunks
                        for b in b0..<b1 {
                            let r0 = b * block, r1 = min(rows, r0 + block)
                            for r in r0..<r1 { out[r] = bias }
                            for root in rb {
                                var r = r0
                                while r + 1 < r1 {
                                    // Two independent walks interleaved to overlap their latencies.
                                    let p0 = x + r * cols, p1 = p0 + cols
                                    var c0 = root, c1 = root
                                    while c0 >= 0 || c1 >= 0 {
                                        if c0 >= 0 {
                                            let nd = np[Int(c0)]; let v = p0[Int(nd.feature)]
                                            c0 = (v <= nd.threshold || (v.isNaN && nd.defaultLeft != 0)) ? nd.left : nd.right
                                        }
                                        if c1 >= 0 {
                                            let nd = np[Int(c1)]; let v = p1[Int(nd.feature)]
                                            c1 = (v <= nd.threshold || (v.isNaN && nd.defaultLeft != 0)) ? nd.left : nd.right
                                        }
                                    }
                                    out[r] += lp[Int(~c0)]; out[r + 1] += lp[Int(~c1)]
                                    r += 2
                                }
                                if r < r1 { out[r] += lp[Self.leaf(np, root: root, row: x + r * cols)] }
                            }
                        }
                    }
                    if workers == 1 { for c in 0..<chunks { body(c) } } else { parallelFor(chunks, body) }
                }
            }
        }
    }
}
