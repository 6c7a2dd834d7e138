// The sparse row layout (each feature's most frequent bin left out and recovered from the leaf's totals) must
// give the dense layout's histograms and trees exactly: the model files may not change with the layout.
import Foundation
import Testing
@testable import GradientBoosting

@Suite("SparseRows")
struct SparseRowsTests {
    /// Planted data where 70% of the values are a default (0, or NaN in feature 3), as in churn matrices.
    static func mostlyDefault(rows: Int) -> (d: Dataset, grad: [Int64], hess: [Int64]) {
        var d = TestData.planted(rows: rows, cols: 9, seed: 5, nanRate: 0.2)
        var rng = SeededGenerator(seed: 9)
        for i in 0..<d.x.count where TestData.uniform(&rng) < 0.7 { d.x[i] = i % d.cols == 3 ? .nan : 0 }
        // Log-loss gradients at p = 0.5 with some noise, fixed point as the booster quantises them.
        let g = (0..<rows).map { r in Int64((0.5 - d.y[r] + 0.1 * (TestData.uniform(&rng) - 0.5)) * 0x1p40) }
        let h = (0..<rows).map { _ in Int64((0.2 + 0.05 * TestData.uniform(&rng)) * 0x1p40) }
        return (d, g, h)
    }

    static func binned(_ d: Dataset, sparse: Bool) -> BinnedMatrix {
        d.x.withUnsafeBufferPointer {
            BinnedMatrix(x: $0, rows: d.rows, cols: d.cols, maxBin: 63, seed: 1, threads: 2, sparseRows: sparse)
        }
    }

    @Test("the sparse kernel plus recovered mode bins equals the direct histogram")
    func histogram() throws {
        let (d, g, h) = Self.mostlyDefault(rows: 3000)
        let binned = Self.binned(d, sparse: true)
        let sparse = try #require(binned.sparse)
        #expect(sparse.entries.count < d.rows * d.cols * 3 / 4)
        let rows = (0..<d.rows).filter { $0 % 3 != 1 }
        let idx = rows.map { Int32($0) }
        let gh = (0..<d.rows).map { SIMD2(g[$0], h[$0]) }  // by row, as the grower packs them
        var hist = [Int64](repeating: 0, count: binned.totalBins * Histogram.stride)
        var total = SIMD2<Int64>(0, 0)
        hist.withUnsafeMutableBufferPointer { hb in
            let stageEntries = UnsafeMutablePointer<UInt16>.allocate(capacity: SparseRows.stageRows * (d.cols + SparseRows.padding))
            let stageEnds = UnsafeMutablePointer<Int>.allocate(capacity: SparseRows.stageRows)
            let stagePairs = UnsafeMutablePointer<SIMD2<Int64>>.allocate(capacity: SparseRows.stageRows)
            defer { stageEntries.deallocate(); stageEnds.deallocate(); stagePairs.deallocate() }
            // Three chunks into one histogram and one total: staged, unstaged, staged over a partial block.
            for (lo, hi, staged) in [(0, rows.count / 3, true), (rows.count / 3, rows.count / 2, false),
                                     (rows.count / 2, rows.count, true)] {
                Histogram.accumulateSparse(rowStart: sparse.rowStart, entries: sparse.entries, rowIndices: idx,
                                           lo: lo, hi: hi, gh: gh, into: hb.baseAddress!, total: &total,
                                           stage: staged ? (entries: stageEntries, ends: stageEnds, pairs: stagePairs) : nil)
            }
            for f in 0..<binned.cols {
                Histogram.recoverModeBin(hb.baseAddress! + binned.histogramOffsets[f] * 2,
                                         bins: binned.features[f].valueBins + 1, mode: sparse.modeBin[f], total: total)
            }
        }
        #expect(hist == Histogram.direct(binned: binned, rows: rows, grad: g, hess: h))
    }

    @Test("sparse and dense rows grow identical trees, with and without a row bag, for 1, 2, 3 and 5 threads")
    func trees() throws {
        // 70,000 rows: the root is built from 8 row blocks taken by whichever worker is free, children from fewer.
        let (d, g, h) = Self.mostlyDefault(rows: 70_000)
        let sparse = Self.binned(d, sparse: true), dense = Self.binned(d, sparse: false)
        #expect(sparse.sparse != nil && dense.sparse == nil)
        var config = GBDTConfig()
        config.threads = 2
        let quantiser = GradientQuantiser(rows: d.rows, maxWeight: 1, scalePosWeight: 1)
        let bag: [Int32] = (0..<Int32(d.rows)).filter { $0 % 5 != 2 }
        for rows in [nil, bag] {
            let trees = [sparse, dense].map { b in
                g.withUnsafeBufferPointer { gp in
                    h.withUnsafeBufferPointer { hp in
                        TreeGrower(binned: b, config: config, quantiser: quantiser)
                            .grow(grad: gp.baseAddress!, hess: hp.baseAddress!, bag: rows, features: Array(0..<d.cols))
                    }
                }
            }
            #expect(trees[0].tree.numLeaves == config.numLeaves)
            #expect(trees[0].tree == trees[1].tree)
            #expect(trees[0].leafBegin == trees[1].leafBegin && trees[0].localLeafCount == trees[1].localLeafCount)
            // Which worker adds which block depends on scheduling; the integer sums, and so the tree, do not.
            for threads in [1, 3, 5] {
                var c = config
                c.threads = threads
                let grown = g.withUnsafeBufferPointer { gp in
                    h.withUnsafeBufferPointer { hp in
                        TreeGrower(binned: sparse, config: c, quantiser: quantiser)
                            .grow(grad: gp.baseAddress!, hess: hp.baseAddress!, bag: rows, features: Array(0..<d.cols))
                    }
                }
                #expect(grown.tree == trees[0].tree, "\(threads) threads grew another tree")
            }
        }
    }
}
