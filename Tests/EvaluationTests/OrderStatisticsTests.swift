// OrderStatistics.select against a full sort: every requested rank holds the value the sorted sample holds
// there, on samples with heavy ties, runs, infinities and sizes around the insertion-sort cut-off; and the
// reference histogram's cuts equal those taken from the sorted column.
import Foundation
import Testing
@testable import Evaluation

@Suite("Order statistics by selection")
struct OrderStatisticsTests {
    /// Samples that stress the partition: uniform, mostly one value, few distinct, sorted, reversed, organ pipe.
    static func samples(_ n: Int, seed: UInt64) -> [[Double]] {
        var state = seed
        func next() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) }
        let uniform = (0..<n).map { _ in next() * 1000 - 500 }
        let zeros = (0..<n).map { _ in next() < 0.9 ? 0 : (next() * 20).rounded() }
        let few = (0..<n).map { _ in Double(Int(next() * 4)) - 1.5 }
        let sorted = uniform.sorted(), reversed = Array(uniform.sorted().reversed())
        let pipe = (0..<n).map { Double(min($0, n - $0)) }
        let infinite = (0..<n).map { i in i % 7 == 0 ? Double.infinity : i % 11 == 0 ? -.infinity : next() }
        return [uniform, zeros, few, sorted, reversed, pipe, infinite]
    }

    @Test("each rank holds the sorted sample's value", arguments: [1, 2, 23, 24, 25, 100, 4_097, 60_000])
    func matchesSort(n: Int) {
        for (s, sample) in Self.samples(n, seed: UInt64(n)).enumerated() {
            let sorted = sample.sorted()
            let ranks = [0, n - 1, n / 2, n / 3, n / 10, (9 * n) / 10, n / 3]
            var work = sample
            let found = OrderStatistics.select(&work, ranks: ranks)
            #expect(found == ranks.map { sorted[$0] }, "sample \(s) of \(n)")
            #expect(work.sorted() == sorted, "sample \(s) of \(n): selection lost or duplicated values")
            for k in Set(ranks) { #expect(work[k] == sorted[k], "sample \(s) of \(n), rank \(k)") }
        }
    }

    /// The bucketed path (16,384 values and more) on the same samples, plus ones that stress its key range: a
    /// sample inside one binade, two clusters 600 orders of magnitude apart, and signed zeros among negatives.
    @Test("bucketed selection: the sorted sample's values and counts below", arguments: [100, 16_384, 60_000, 250_001])
    func bucketedMatchesSort(n: Int) {
        let narrow: [Double] = (0..<n).map { (i: Int) -> Double in 1 + Double((i * 7919) % n) * 0x1p-40 }
        let clusters: [Double] = (0..<n).map { (i: Int) -> Double in
            let small: Double = 1e-300 * Double(1 + i % 7), large: Double = 1e300 * Double(1 + i % 5)
            return i % 3 == 0 ? large : small
        }
        let zeros: [Double] = (0..<n).map { (i: Int) -> Double in
            if i % 4 == 0 { return -0.0 }
            return i % 4 == 1 ? 0.0 : -Double(i % 9)
        }
        for (s, sample) in (Self.samples(n, seed: UInt64(n) &+ 3) + [narrow, clusters, zeros]).enumerated() {
            let sorted = sample.sorted()
            let ranks = [0, n - 1, n / 2, n / 3, n / 10, (9 * n) / 10, n / 3, 1]
            let found: [(value: Double, below: Int)] = sample.withUnsafeBufferPointer { OrderStatistics.values($0, ranks: ranks) }
            let values: [Double] = found.map { $0.value }, counts: [Int] = found.map { $0.below }
            #expect(values == ranks.map { sorted[$0] }, "sample \(s) of \(n)")
            let below: [Int] = values.map { v in sorted.firstIndex { !($0 < v) } ?? n }
            #expect(counts == below, "sample \(s) of \(n): counts below")
        }
    }

    @Test("a reference histogram's cuts are those of the sorted column", arguments: [9, 1_000, 70_001])
    func histogramCuts(n: Int) {
        for sample in Self.samples(n, seed: 99) {
            let withNaN = sample.enumerated().map { $0.offset % 13 == 5 ? Double.nan : $0.element }
            let sorted = withNaN.filter { !$0.isNaN }.sorted()
            var want: [Double] = []
            for j in 1..<10 {
                let c = sorted[j * sorted.count / 10]
                if want.last != c, c > sorted[0] { want.append(c) }
            }
            let histogram = FeatureHistogram(name: "x", values: withNaN)
            #expect(histogram.cuts == want)
            // Its shares are the counts of a pass that bins every value.
            let counted = PopulationStability.histogram(withNaN, cuts: want).map { $0 / Double(n) }
            #expect(histogram.shares == counted)
        }
    }
}
