// Ranking: probability descending with ties by user id; percentiles share ties; tiers at 50 and 75.
import Testing
@testable import Scoring

@Suite("Ranking, percentiles and tiers")
struct RankTests {
    @Test("hand-checked ranking of six users")
    func handChecked() {
        let p = [0.2, 0.9, 0.5, 0.9, 0.75, 0.499]
        let ids = ["e", "b", "c", "a", "d", "f"]
        let ranked = Scorer.rank(probabilities: p, userIDs: ids, tiers: TierThresholds())
        #expect(ranked.map(\.userID) == ["a", "b", "d", "c", "f", "e"])
        #expect(ranked.map(\.row) == [3, 1, 4, 2, 5, 0])
        #expect(ranked.map(\.score) == [90, 90, 75, 50, 49.9, 20])
        #expect(ranked.map(\.tier) == ["high", "high", "high", "medium", "low", "low"])
        // Share of users at or below: ties share the higher rank.
        #expect(ranked.map(\.percentile) == [100, 100, 66.7, 50, 33.3, 16.7])
        #expect(ranked.map(\.probability) == [0.9, 0.9, 0.75, 0.5, 0.499, 0.2])
    }

    @Test("tier boundaries: exactly 50 is medium, exactly 75 is high")
    func boundaries() {
        let t = TierThresholds()
        #expect(t.tier(0) == "low")
        #expect(t.tier(49.9) == "low")
        #expect(t.tier(50) == "medium")
        #expect(t.tier(74.9) == "medium")
        #expect(t.tier(75) == "high")
        #expect(t.tier(100) == "high")
        let custom = TierThresholds(medium: 10, high: 20)
        #expect([5.0, 10, 19.9, 20].map(custom.tier) == ["low", "medium", "medium", "high"])
    }

    @Test("scores round to one decimal, and the tier follows the rounded score")
    func rounding() {
        let ranked = Scorer.rank(probabilities: [0.74951, 0.4996], userIDs: ["x", "y"], tiers: TierThresholds())
        #expect(ranked.map(\.score) == [75, 50])
        #expect(ranked.map(\.tier) == ["high", "medium"])
    }

    @Test("empty and all-tied inputs")
    func degenerate() {
        #expect(Scorer.rank(probabilities: [], userIDs: [], tiers: TierThresholds()).isEmpty)
        let tied = Scorer.rank(probabilities: [0.3, 0.3, 0.3], userIDs: ["c", "a", "b"], tiers: TierThresholds())
        #expect(tied.map(\.userID) == ["a", "b", "c"])
        #expect(tied.allSatisfy { $0.percentile == 100 })
    }

    @Test("ranking a whole log is sorted by probability desc then user id, with consistent fields")
    func wholeLog() throws {
        let data = try ScoringData.get()
        let (table, ranked) = try data.gbdt.rank(store: data.store, asOf: ScoringData.asOf)
        #expect(ranked.count == table.rows && ranked.count > 50)
        for (a, b) in zip(ranked, ranked.dropFirst()) {
            #expect(a.probability > b.probability || (a.probability == b.probability && a.userID < b.userID))
            #expect(a.percentile >= b.percentile)
        }
        #expect(ranked.first?.percentile == 100)
        for u in ranked {
            #expect(data.store.userIDs[Int(table.users[u.row])] == u.userID)
            #expect(u.score == (u.probability * 1000).rounded() / 10)
            #expect(u.tier == TierThresholds().tier(u.score))
        }
    }
}
