// Who gets scored, and from what: only users active in the lookback before as-of, only events before it.
import EventLog
import Features
import Testing
@testable import ModelFormat
@testable import Scoring
import TenureCore

@Suite("Scoring eligibility and point-in-time")
struct EligibilityTests {
    @Test("a churn model scores exactly the users active in the 30 days before as-of", arguments: [ModelKind.logistic, .gbdt])
    func eligibleUsers(kind: ModelKind) throws {
        let data = try ScoringData.get()
        let store = data.store
        let lookback = try #require(data.scorer(kind).model.label.lookback).millis
        var expected: Set<String> = []
        for u in 0..<store.userCount {
            if store.range(ofUser: u).contains(where: { store.times[$0] >= ScoringData.asOf - lookback && store.times[$0] < ScoringData.asOf }) {
                expected.insert(store.userIDs[u])
            }
        }
        let (_, ranked) = try data.scorer(kind).rank(store: store, asOf: ScoringData.asOf)
        #expect(Set(ranked.map(\.userID)) == expected)
        #expect(ranked.count == expected.count)
        #expect(expected.count > 50 && expected.count < store.userCount, "the as-of date should split the users")
    }

    @Test("events at or after as-of change no probability", arguments: [ModelKind.logistic, .gbdt])
    func futureEventsIgnored(kind: ModelKind) throws {
        let data = try ScoringData.get()
        let scorer = data.scorer(kind)
        let store = data.store
        let (_, before) = try scorer.rank(store: store, asOf: ScoringData.asOf)

        // Every user (and one brand-new user) gets events exactly at as-of and later, with values.
        var (users, times, events, values) = ScoringData.columns(store)
        let newUser = Int32(store.userCount)
        for u in 0...Int(newUser) {
            for (k, offset) in [Int64(0), 1, 3_600_000, 5 * millisPerDay].enumerated() {
                users.append(Int32(u))
                times.append(ScoringData.asOf + offset)
                events.append(UInt32((u + k) % store.eventNames.count))
                values.append(Double(k) * 10)
            }
        }
        let extended = EventStore(userIDs: store.userIDs + ["zz-new"], eventNames: store.eventNames, users: users,
                                  times: times, events: events, values: values)
        #expect(extended.eventCount == store.eventCount + 4 * (store.userCount + 1))
        let (_, after) = try scorer.rank(store: extended, asOf: ScoringData.asOf)
        #expect(after.map(\.userID) == before.map(\.userID))
        #expect(after.map(\.probability) == before.map(\.probability))
    }

    /// Label variants the same trained weights can be scored under: eligibility comes from the label.
    static let labels: [(ModelKind, String, LabelSpec)] = [
        (.logistic, "churn", LabelSpec(task: .churn)),
        (.gbdt, "churn", LabelSpec(task: .churn)),
        (.logistic, "churn, purchase qualifies", LabelSpec(task: .churn, qualifyingEvents: ["purchase"])),
        (.gbdt, "activation on purchase", LabelSpec(task: .activation, keyEvents: ["purchase"])),
    ]

    @Test("probability(history:asOf:) equals the same user scored from the store, nil exactly when rank leaves them out",
          arguments: labels)
    func singleHistory(kind: ModelKind, name: String, label: LabelSpec) throws {
        let data = try ScoringData.get()
        var model = data.scorer(kind).model
        model.label = label
        let scorer = Scorer(model: model)
        let store = data.store
        let (_, ranked) = try scorer.rank(store: store, asOf: ScoringData.asOf)
        let byID = Dictionary(uniqueKeysWithValues: ranked.map { ($0.userID, $0.probability) })
        var checkedEligible = 0, checkedIneligible = 0
        for u in stride(from: 0, to: store.userCount, by: 7) {
            let history = store.range(ofUser: u).map { i in
                (time: store.times[i], event: store.eventNames[Int(store.events[i])], value: store.values[i].isNaN ? nil : Optional(store.values[i]))
            }
            let p = try scorer.probability(history: history, asOf: ScoringData.asOf)
            if let expected = byID[store.userIDs[u]] {
                let got = try #require(p, "user \(store.userIDs[u]) is eligible in the store")
                #expect(abs(got - expected) <= 1e-12, "user \(store.userIDs[u]): \(got) vs \(expected)")
                checkedEligible += 1
            } else {
                #expect(p == nil, "user \(store.userIDs[u]) is not eligible in the store")
                checkedIneligible += 1
            }
        }
        #expect(checkedEligible > 3 && checkedIneligible > 3, "\(name): \(checkedEligible) eligible, \(checkedIneligible) not")
        // Only future events: nothing to score.
        #expect(try scorer.probability(history: [(time: ScoringData.asOf, event: "login", value: nil)], asOf: ScoringData.asOf) == nil)
    }

    @Test("a model trained from a feature matrix cannot score events")
    func noEventSpec() throws {
        var model = try ScoringData.get().logistic.model
        model.features = nil
        let scorer = Scorer(model: model)
        #expect(throws: ScoringError.self) { try scorer.rank(store: try ScoringData.get().store, asOf: ScoringData.asOf) }
        #expect(throws: ScoringError.self) { try scorer.probability(history: [], asOf: ScoringData.asOf) }
    }
}
