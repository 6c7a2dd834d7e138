// Per-user reasons are the largest positive contributions, and contributions add up to the raw score.
import Foundation
import Testing
@testable import ModelFormat
@testable import Scoring

@Suite("Reasons")
struct ReasonTests {
    @Test("contributions sum to the raw score within 1e-9", arguments: [ModelKind.logistic, .gbdt])
    func additivity(kind: ModelKind) throws {
        let data = try ScoringData.get()
        let model = data.scorer(kind).model
        let (table, _) = try data.scorer(kind).rank(store: data.store, asOf: ScoringData.asOf)
        let width = table.width
        var worst = 0.0
        table.values.withUnsafeBufferPointer { v in
            for r in 0..<table.rows {
                let row = UnsafeBufferPointer(rebasing: v[(r * width)..<((r + 1) * width)])
                let c = model.contributions(row)
                #expect(c.count == width + 1)
                let raw = model.rawScore(row)
                worst = max(worst, abs(c.reduce(0, +) - raw))
                #expect(abs(model.probability(row) - 1 / (1 + exp(-raw))) <= 1e-15)
            }
        }
        #expect(worst <= 1e-9, "\(kind): largest |Σ contributions − raw| = \(worst)")
    }

    @Test("each user's reasons are their largest positive contributions, in order", arguments: [ModelKind.logistic, .gbdt])
    func topPositive(kind: ModelKind) throws {
        let data = try ScoringData.get()
        let model = data.scorer(kind).model
        let (table, ranked) = try data.scorer(kind).rank(store: data.store, asOf: ScoringData.asOf)
        let reasons = ReasonFinder.topReasons(model: model, table: table, users: ranked, count: 3)
        #expect(reasons.count == ranked.count)
        #expect(reasons.contains { $0.count == 3 })
        let width = table.width
        for (i, user) in ranked.enumerated() {
            let row = Array(table.values[(user.row * width)..<((user.row + 1) * width)])
            let c = model.contributions(row.withUnsafeBufferPointer { $0 })
            let positive = (0..<width).filter { c[$0] > 0 }
            #expect(reasons[i].count == min(3, positive.count))
            let listed = Set(reasons[i].map(\.feature))
            for r in reasons[i] {
                let j = try #require(model.featureNames.firstIndex(of: r.feature))
                #expect(r.contribution == c[j] && r.contribution > 0)
                #expect(r.value == row[j] || (r.value.isNaN && row[j].isNaN))
            }
            // Sorted descending, and nothing left out beats the weakest listed reason.
            #expect(zip(reasons[i], reasons[i].dropFirst()).allSatisfy { $0.contribution >= $1.contribution })
            if let weakest = reasons[i].last?.contribution {
                for j in positive where !listed.contains(model.featureNames[j]) { #expect(c[j] <= weakest) }
            }
        }
    }

    @Test("signs .either: the largest contributions in size, raising and lowering, in order", arguments: [ModelKind.logistic, .gbdt])
    func eitherSign(kind: ModelKind) throws {
        let data = try ScoringData.get()
        let model = data.scorer(kind).model
        let (table, ranked) = try data.scorer(kind).rank(store: data.store, asOf: ScoringData.asOf)
        let reasons = ReasonFinder.topReasons(model: model, table: table, users: ranked, count: 3, signs: .either)
        #expect(reasons.contains { $0.contains { $0.contribution < 0 } }, "no lowering reason for anyone")
        let width = table.width
        for (i, user) in ranked.enumerated() {
            let row = Array(table.values[(user.row * width)..<((user.row + 1) * width)])
            let c = model.contributions(row.withUnsafeBufferPointer { $0 })
            let moving = (0..<width).filter { c[$0] != 0 }
            #expect(reasons[i].count == min(3, moving.count))
            #expect(zip(reasons[i], reasons[i].dropFirst()).allSatisfy { abs($0.contribution) >= abs($1.contribution) })
            let listed = Set(reasons[i].map(\.feature))
            if let weakest = reasons[i].last.map({ abs($0.contribution) }) {
                for j in moving where !listed.contains(model.featureNames[j]) { #expect(abs(c[j]) <= weakest) }
            }
        }
    }

    @Test("count 0 gives no reasons")
    func none() throws {
        let data = try ScoringData.get()
        let (table, ranked) = try data.logistic.rank(store: data.store, asOf: ScoringData.asOf)
        let reasons = ReasonFinder.topReasons(model: data.logistic.model, table: table, users: ranked, count: 0)
        #expect(reasons.count == ranked.count && reasons.allSatisfy { $0.isEmpty })
    }
}
