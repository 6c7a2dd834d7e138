// Scoring: batch equals single-row, concurrent equals serial, JSON round trip keeps the model.
import Foundation
import Dispatch
import Testing
@testable import GradientBoosting

@Suite("Scoring")
struct ScoringTests {
    static let data = TestData.planted(rows: 3000, seed: 51, nanRate: 0.2)
    static let model = try! TestData.train(data, TestData.config { $0.trees = 30 })

    @Test("batch probabilities equal single-row scores exactly")
    func batchEqualsSingle() {
        let d = Self.data, m = Self.model
        let batch = m.scoreBatch(x: d.x, rows: d.rows)
        let raw = m.rawScoreBatch(x: d.x, rows: d.rows)
        for r in 0..<d.rows {
            let s = TestData.raw(m, d.row(r))
            #expect(raw[r] == s)
            #expect(batch[r] == 1 / (1 + exp(-s)))
        }
        // Odd row counts and tiny batches take the tail paths.
        #expect(m.rawScoreBatch(x: Array(d.x[0..<(3 * d.cols)]), rows: 3) == Array(raw[0..<3]))
        #expect(m.scoreBatch(x: [], rows: 0).isEmpty)
    }

    @Test("many threads scoring one model concurrently agree with serial scoring")
    func concurrent() {
        let d = Self.data, m = Self.model
        let serial = (0..<d.rows).map { TestData.raw(m, d.row($0)) }
        let results = ConcurrentResults(count: 8 * d.rows)
        DispatchQueue.concurrentPerform(iterations: 8) { k in
            for r in 0..<d.rows {
                let s = d.x.withUnsafeBufferPointer { m.rawScore(UnsafeBufferPointer(rebasing: $0[(r * d.cols)..<((r + 1) * d.cols)])) }
                results.set(k * d.rows + r, s)
            }
        }
        for k in 0..<8 { #expect(Array(results.values[(k * d.rows)..<((k + 1) * d.rows)]) == serial) }
    }

    @Test("JSON round trip gives an equal model with identical scores")
    func codable() throws {
        let m = Self.model
        let encoder = JSONEncoder(); encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(m)
        let back = try JSONDecoder().decode(GBDTModel.self, from: data)
        #expect(back == m)
        #expect(back.rawScoreBatch(x: Self.data.x, rows: Self.data.rows) == m.rawScoreBatch(x: Self.data.x, rows: Self.data.rows))
        // A corrupted child index is rejected on decode.
        var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var trees = try #require(json["trees"] as? [[String: Any]])
        trees[0]["leftChild"] = [Int](repeating: 7_000, count: m.trees[0].numLeaves - 1)
        json["trees"] = trees
        let bad = try JSONSerialization.data(withJSONObject: json)
        #expect(throws: GradientBoostingError.self) { try JSONDecoder().decode(GBDTModel.self, from: bad) }
    }
}

/// Disjoint-slot result buffer for the concurrency test.
final class ConcurrentResults: @unchecked Sendable {
    private(set) var values: [Double]
    private let lock = NSLock()
    init(count: Int) { values = [Double](repeating: .nan, count: count) }
    func set(_ i: Int, _ v: Double) { lock.lock(); values[i] = v; lock.unlock() }
}
