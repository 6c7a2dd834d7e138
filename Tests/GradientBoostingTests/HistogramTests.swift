// Histograms and binning: subtraction equals a direct build; bins follow the `<=` boundary rule.
import Foundation
import Testing
@testable import GradientBoosting

@Suite("Histogram")
struct HistogramTests {
    @Test("parent minus smaller child equals the directly built larger child")
    func subtraction() {
        let d = TestData.planted(rows: 1500, seed: 31, nanRate: 0.25)
        let binned = d.x.withUnsafeBufferPointer {
            BinnedMatrix(x: $0, rows: d.rows, cols: d.cols, maxBin: 31, seed: 1, threads: 2)
        }
        var rng = SeededGenerator(seed: 2)
        // Fixed-point gradients, as the booster quantises them: sums are exact, so every comparison is `==`.
        let g = (0..<d.rows).map { _ in Int64((TestData.uniform(&rng) - 0.5) * 0x1p40) }
        let h = (0..<d.rows).map { _ in Int64(TestData.uniform(&rng) * 0.25 * 0x1p40) }
        let parentRows = (0..<d.rows).filter { $0 % 3 != 0 }
        let small = parentRows.filter { d.x[$0 * d.cols] <= 0.3 || d.x[$0 * d.cols + 1].isNaN }
        let large = parentRows.filter { !(d.x[$0 * d.cols] <= 0.3 || d.x[$0 * d.cols + 1].isNaN) }
        // Kernel-built histograms (row-wise, row indices, split into two chunks as the grower may).
        func kernel(_ rows: [Int]) -> [Int64] {
            var hist = [Int64](repeating: 0, count: binned.totalBins * Histogram.stride)
            let idx = rows.map { Int32($0) }
            let base = binned.histogramOffsets.map { $0 * Histogram.stride }
            let feats = Array(0..<binned.cols)
            let sc = UnsafeMutablePointer<UInt8>.allocate(capacity: rows.count * binned.rowStride)
            let sg = UnsafeMutablePointer<Int64>.allocate(capacity: rows.count)
            let sh = UnsafeMutablePointer<Int64>.allocate(capacity: rows.count)
            defer { sc.deallocate(); sg.deallocate(); sh.deallocate() }
            let staged = (codes: sc, grad: sg, hess: sh)
            hist.withUnsafeMutableBufferPointer { hb in
                binned.rowCodes.withUnsafeBufferPointer { codes in
                    for (lo, hi) in [(0, rows.count / 2), (rows.count / 2, rows.count)] {
                        Histogram.accumulateRows(rowCodes: codes.baseAddress!, cols: binned.cols,
                                                 rowStride: binned.rowStride, slotBase: base,
                                                 features: feats, featureCount: feats.count, rowIndices: idx,
                                                 lo: lo, hi: hi, grad: g, hess: h, staged: staged, into: hb.baseAddress!)
                    }
                }
            }
            return hist
        }
        var parent = kernel(parentRows)
        let smallHist = kernel(small)
        parent.withUnsafeMutableBufferPointer { p in
            Histogram.subtract(smallHist, from: p.baseAddress!, slots: binned.totalBins)
        }
        let direct = Histogram.direct(binned: binned, rows: large, grad: g, hess: h)
        #expect(parent.count == direct.count)
        #expect(parent == direct)
        #expect(kernel(small) == Histogram.direct(binned: binned, rows: small, grad: g, hess: h))
    }

    @Test("binning: few distinct values get one bin each, NaN its own bin, at most maxBin value bins")
    func binning() {
        let few = FeatureBins.fit(values: [3, 1, 2, 2, 3, 1], sawNaN: true, maxBin: 255)
        #expect(few.upperBounds == [1.5, 2.5])
        #expect([1.0, 2, 3, 2.5, 2.6, .nan].map(few.bin(of:)) == [0, 1, 2, 1, 2, 3])
        var rng = SeededGenerator(seed: 1)
        let many = (0..<10000).map { _ in TestData.uniform(&rng) }
        let bins = FeatureBins.fit(values: many, sawNaN: false, maxBin: 16)
        #expect(bins.valueBins <= 16 && bins.valueBins >= 14)
        // Radix sort agrees with the standard sort (negatives, zeros, duplicates, extremes).
        var mixed = many.map { ($0 - 0.5) * 1e6 } + [0, -0.0, 0, 1, 1, -Double.greatestFiniteMagnitude, Double.leastNonzeroMagnitude, -Double.leastNonzeroMagnitude]
        mixed += many.prefix(100).map { -$0 }
        #expect(FeatureBins.radixSorted(mixed) == mixed.sorted())
        // The vector lookup used for coding agrees with the reference search, bounds included.
        FeatureBins.VectorLookup(bounds: [bins.upperBounds]).vectors.withUnsafeBufferPointer { v in
            for x in many.prefix(2000) + bins.upperBounds + [-1, 2] {
                #expect(FeatureBins.VectorLookup.count(v.baseAddress!, feature: 0, x) == bins.bin(of: x))
            }
        }
        var counts = [Int](repeating: 0, count: bins.valueBins)
        for v in many { counts[bins.bin(of: v)] += 1 }
        #expect(counts.allSatisfy { $0 > 10000 / 16 / 2 }, "quantile bins are roughly equal: \(counts)")
        // A heavy value gets a bin to itself.
        let heavy = FeatureBins.fit(values: many + [Double](repeating: 0.5, count: 5000), sawNaN: false, maxBin: 16)
        let b = heavy.bin(of: 0.5)
        let below = many.filter { $0 < 0.5 }.max()!, above = many.filter { $0 > 0.5 }.min()!
        #expect(heavy.bin(of: below) != b && heavy.bin(of: above) != b)
    }
}
