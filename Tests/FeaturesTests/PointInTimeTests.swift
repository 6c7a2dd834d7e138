// Point-in-time correctness: events at or after the cutoff never change a feature (no leakage).
import EventLog
import Foundation
import Testing
@testable import Features
@testable import Synthetic
import TenureCore

private let names = ["login", "purchase", "post", "comment", "like", "view"]
private let start = ms("2026-01-01T00:00:00Z")

/// Random events (users, times over 120 days, names, values or NaN).
private func randomEvents(_ rng: inout Xoshiro256, count: Int, users: Int, from: Int64, to: Int64)
    -> (users: [Int32], times: [Int64], events: [UInt32], values: [Double]) {
    var u: [Int32] = [], t: [Int64] = [], e: [UInt32] = [], v: [Double] = []
    for _ in 0..<count {
        u.append(Int32.random(in: 0..<Int32(users), using: &rng))
        // Minute resolution with clumps, so sessions, gaps and same-day events all occur.
        t.append(Int64.random(in: from..<to, using: &rng) / 60_000 * 60_000)
        e.append(UInt32.random(in: 0..<UInt32(names.count), using: &rng))
        v.append(Bool.random(using: &rng) ? .nan : Double(Int.random(in: 1...200, using: &rng)))
    }
    return (u, t, e, v)
}

@Suite("Events after the cutoff change no feature")
struct PointInTimeTests {
    @Test("appending random events at or after the cutoff leaves every row bit-identical",
          arguments: [UInt64(1), 2, 3, 4, 5])
    func appendAfterCutoff(seed: UInt64) throws {
        var rng = Xoshiro256(seed: seed)
        let userCount = 40
        let base = randomEvents(&rng, count: 1_500, users: userCount, from: start, to: start + 120 * millisPerDay)
        let userIDs = (0..<userCount).map { "u\($0)" }
        let before = EventStore(userIDs: userIDs, eventNames: names, users: base.users, times: base.times,
                                events: base.events, values: base.values)
        let resolved = ResolvedFeatureSpec.resolve(.default, for: before)
        // Cutoffs at midnight and mid-day.
        for cutoff in [start + 40 * millisPerDay, start + 75 * millisPerDay + 13 * 3_600_000 + 7 * 60_000] {
            // Later events for old users and for new users, the first exactly at the cutoff.
            var extra = randomEvents(&rng, count: 800, users: userCount + 10, from: cutoff, to: cutoff + 200 * millisPerDay)
            extra.times[0] = cutoff
            let after = EventStore(userIDs: userIDs + (userCount..<(userCount + 10)).map { "u\($0)" }, eventNames: names,
                                   users: base.users + extra.users, times: base.times + extra.times,
                                   events: base.events + extra.events, values: base.values + extra.values)
            let label = LabelSpec(task: .none)
            let (a, _) = try TrainingSetBuilder.build(store: before, plan: FeaturePlan(resolved, store: before),
                                                      label: label, cutoffs: [cutoff])
            let (b, _) = try TrainingSetBuilder.build(store: after, plan: FeaturePlan(resolved, store: after),
                                                      label: label, cutoffs: [cutoff])
            #expect(a.rows > 20)
            #expect(a.names == b.names)
            #expect(a.users.map { before.userIDs[Int($0)] } == b.users.map { after.userIDs[Int($0)] })
            #expect(a.values.map(\.bitPattern) == b.values.map(\.bitPattern))
        }
    }

    @Test("removing events at or after the cutoff leaves every row bit-identical (synthetic log)")
    func truncateSynthetic() throws {
        let (bytes, _) = try SyntheticLog.csv(config: SyntheticLogConfig(users: 200, days: 60, seed: 3))
        let full = try withTempFile("s.csv", bytes) { try EventLogReader.read($0).0 }
        let cutoff = try #require(full.firstTime) + 40 * millisPerDay
        var u: [Int32] = [], t: [Int64] = [], e: [UInt32] = [], v: [Double] = []
        for user in 0..<full.userCount {
            for k in full.range(ofUser: user) where full.times[k] < cutoff {
                u.append(Int32(user)); t.append(full.times[k]); e.append(full.events[k]); v.append(full.values[k])
            }
        }
        let cut = EventStore(userIDs: full.userIDs, eventNames: full.eventNames, users: u, times: t, events: e, values: v)
        let resolved = ResolvedFeatureSpec.resolve(.default, for: full)
        let (a, _) = try TrainingSetBuilder.build(store: full, plan: FeaturePlan(resolved, store: full),
                                                  label: LabelSpec(task: .none), cutoffs: [cutoff])
        let (b, _) = try TrainingSetBuilder.build(store: cut, plan: FeaturePlan(resolved, store: cut),
                                                  label: LabelSpec(task: .none), cutoffs: [cutoff])
        #expect(a.rows > 100 && a.rows == b.rows)
        #expect(a.users == b.users)
        #expect(a.values.map(\.bitPattern) == b.values.map(\.bitPattern))
    }
}
