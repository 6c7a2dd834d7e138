// One shared Scorer serves many threads: concurrent single-row scoring equals serial, bit for bit.
import Dispatch
import Testing
@testable import ModelFormat
@testable import Scoring

/// Disjoint writes from concurrentPerform iterations into one buffer.
private struct Slots: @unchecked Sendable { let p: UnsafeMutableBufferPointer<Double> }
private struct Rows: @unchecked Sendable { let p: UnsafeBufferPointer<Double> }

@Suite("Concurrent scoring")
struct ConcurrencyTests {
    @Test("concurrentPerform over 1000 rows with one Scorer equals serial and batch", arguments: [ModelKind.logistic, .gbdt])
    func concurrentEqualsSerial(kind: ModelKind) throws {
        let data = try ScoringData.get()
        let scorer = data.scorer(kind)
        let width = data.training.width
        let n = 1000
        try #require(data.training.rows >= n)
        let x = Array(data.training.values.prefix(n * width))
        let hasMissing = x.contains { $0.isNaN }
        #expect(hasMissing, "rows should include missing values")
        let serial = x.withUnsafeBufferPointer { v in
            (0..<n).map { i in scorer.probability(UnsafeBufferPointer(rebasing: v[(i * width)..<((i + 1) * width)])) }
        }
        var concurrent = [Double](repeating: -1, count: n)
        x.withUnsafeBufferPointer { v in
            concurrent.withUnsafeMutableBufferPointer { out in
                let rows = Rows(p: v), slots = Slots(p: out)
                DispatchQueue.concurrentPerform(iterations: n) { i in
                    slots.p[i] = scorer.probability(UnsafeBufferPointer(rebasing: rows.p[(i * width)..<((i + 1) * width)]))
                }
            }
        }
        #expect(concurrent == serial)
        #expect(try scorer.probabilities(rows: x, count: n) == serial)
        #expect(serial.allSatisfy { $0 > 0 && $0 < 1 })
        #expect(Set(serial).count > 100, "a model that scores everyone alike would pass trivially")
    }

    @Test("a row of the wrong width is refused with both counts")
    func wrongWidth() throws {
        let scorer = try ScoringData.get().logistic
        #expect {
            try scorer.probability(features: [1, 2, 3])
        } throws: { error in
            guard case let ScoringError.featureCountMismatch(expected, found) = error else { return false }
            return expected == scorer.featureNames.count && found == 3
        }
        #expect(throws: ScoringError.self) { try scorer.probabilities(rows: [1, 2, 3], count: 1) }
    }
}
