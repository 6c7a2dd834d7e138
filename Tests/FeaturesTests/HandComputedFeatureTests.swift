// Every feature of two users' rows, computed by hand from a fourteen-event log read through the real reader.
import EventLog
import Foundation
import Testing
@testable import Features

/// Cutoff: 2026-03-01T12:00:00Z, a Sunday. Not midnight, so a 1-day window ([Feb 28 12:00, Mar 1 12:00))
/// splits a UTC day. Rows are scrambled; the reader sorts them.
///
/// alice (age = cutoff − time):
///   e1  01-10 09:00 login            age 50d 3h   (outside 30d; in the 30–60d "previous 30")
///   e2  01-25 12:00 purchase 40      age 35d
///   e3  02-05 10:00 post             age 24d 2h   Thursday
///   e4  02-05 10:20 comment          gap 20 min → same session
///   e5  02-05 11:00 login            gap 40 min → new session
///   e6  02-22 12:00 purchase 70      age exactly 7d → inside the 7d window (inclusive); Sunday
///   e7  02-28 09:00 comment          age 27h → outside 1d; Saturday
///   e8  02-28 13:00 purchase 60      age 23h; same UTC day as e7, but e7 is outside the 1d window
///   e9  02-28 13:10 login            gap 10 min → same session
///   e10 03-01 11:30 post             age 30 min; Sunday
///   e11 03-01 12:00 purchase 500     at the cutoff → excluded
///   e12 03-05 08:00 login            after the cutoff → excluded
/// bob: 02-20 06:00 login, 02-20 06:45 login (a Friday; gap 45 min → two sessions)
private let log = """
user_id,timestamp,event,value
alice,2026-02-28T13:00:00Z,purchase,60
bob,2026-02-20T06:45:00Z,login,
alice,2026-01-10T09:00:00Z,login,
alice,2026-03-01T12:00:00Z,purchase,500
alice,2026-02-05T10:20:00Z,comment,
alice,2026-01-25T12:00:00Z,purchase,40
alice,2026-02-22T12:00:00Z,purchase,70
alice,2026-02-05T10:00:00Z,post,
alice,2026-02-28T09:00:00Z,comment,
alice,2026-03-05T08:00:00Z,login,
alice,2026-02-28T13:10:00Z,login,
bob,2026-02-20T06:00:00Z,login,
alice,2026-03-01T11:30:00Z,post,
alice,2026-02-05T11:00:00Z,login,

"""

private let spec = FeatureSpec(version: 1, windows: [1, 7, 30], sessionGapMinutes: 30, groups: FeatureSpec.default.groups,
                               eventCounts: nil, maxEventCounts: 16, genuineActivity: .default)

/// Hours → days.
private func h(_ hours: Double) -> Double { hours / 24 }

// Per-window block: events, active_days, sessions, value, count_purchase, count_creation (post),
// count_interaction (comment, like), then per-event counts comment, login, post (event counts are the log's
// names by frequency — login 6, purchase 4, comment 2, post 2 — minus "purchase", which is a group name).
private let aliceExpected: [(String, Double)] = [
    // 1d: e8, e9, e10. Days: e8 (Feb 28; its predecessor e7 is outside the window) and e10 (Mar 1) = 2.
    // Sessions: e8 (gap 4h) and e10 (gap 22h20m) start one; e9 does not. Value 60.
    ("events_1d", 3), ("active_days_1d", 2), ("sessions_1d", 2), ("value_1d", 60),
    ("count_purchase_1d", 1), ("count_creation_1d", 1), ("count_interaction_1d", 0),
    ("count_comment_1d", 0), ("count_login_1d", 1), ("count_post_1d", 1),
    // 7d: e6..e10. Days Feb 22, Feb 28, Mar 1 = 3. Sessions start at e6, e7, e8, e10 = 4. Value 70 + 60.
    ("events_7d", 5), ("active_days_7d", 3), ("sessions_7d", 4), ("value_7d", 130),
    ("count_purchase_7d", 2), ("count_creation_7d", 1), ("count_interaction_7d", 1),
    ("count_comment_7d", 1), ("count_login_7d", 1), ("count_post_7d", 1),
    // 30d: e3..e10. Days Feb 5, 22, 28, Mar 1 = 4. Sessions start at e3, e5, e6, e7, e8, e10 = 6. Value 130.
    ("events_30d", 8), ("active_days_30d", 4), ("sessions_30d", 6), ("value_30d", 130),
    ("count_purchase_30d", 2), ("count_creation_30d", 2), ("count_interaction_30d", 2),
    ("count_comment_30d", 2), ("count_login_30d", 2), ("count_post_30d", 2),
    ("recency_days", h(0.5)),                 // e10, 30 min
    ("recency_purchase_days", h(23)),         // e8
    ("recency_creation_days", h(0.5)),        // e10
    ("recency_interaction_days", h(27)),      // e7
    ("tenure_days", 50 + h(3)),               // e1
    // Gaps in hours: 363, 262, 1/3, 2/3, 409, 141, 4, 1/6, 22 1/3; sum 1202.5 (= e10 − e1), n = 9.
    // mean = 1202.5 / 9 h; population std = sqrt(Σg²/9 − mean²) = 158.9629586483034 h (Python statistics.pstdev) = 6.6234566103459755 d; max 409 h.
    ("gap_mean_days", h(1202.5 / 9)),
    ("gap_std_days", 6.6234566103459755),
    ("gap_max_days", h(409)),
    ("trend_7d", .nan),                       // last 7d: e6..e10 = 5; the 7 before: none → NaN
    ("trend_30d", 4),                         // last 30d: 8; days 30–60: e1, e2 = 2
    ("weekday_concentration", 3.0 / 8),       // 30d events: Thu ×3 (e3–e5), Sat ×3 (e7–e9), Sun ×2
    ("hour_concentration", 2.0 / 8),          // hours 10,10,11,12,9,13,13,11: busiest hour has 2
    ("value_purchase_30d", 130),              // e6 + e8
    ("genuine_spending", 1),                  // 130 > 100
    ("genuine_creation", 0),                  // posts in 7d: 1 < 3
    ("genuine_interaction", 0),               // comments/likes in 30d: 2 < 10
    ("genuine_activity", 1),
]

private let bobExpected: [(String, Double)] = {
    var out: [(String, Double)] = []
    for w in [1, 7] {   // both logins are 9d 5h15m and 9d 6h old
        for f in ["events", "active_days", "sessions", "value", "count_purchase", "count_creation", "count_interaction",
                  "count_comment", "count_login", "count_post"] { out.append(("\(f)_\(w)d", 0)) }
    }
    out += [("events_30d", 2), ("active_days_30d", 1), ("sessions_30d", 2), ("value_30d", 0),
            ("count_purchase_30d", 0), ("count_creation_30d", 0), ("count_interaction_30d", 0),
            ("count_comment_30d", 0), ("count_login_30d", 2), ("count_post_30d", 0),
            ("recency_days", 9 + h(5.25)),
            ("recency_purchase_days", .nan), ("recency_creation_days", .nan), ("recency_interaction_days", .nan),
            ("tenure_days", 9 + h(6)),
            ("gap_mean_days", h(0.75)), ("gap_std_days", .nan),   // one gap: std needs 3 events
            ("gap_max_days", h(0.75)),
            ("trend_7d", 0),            // last 7d: 0; the 7 before: 2
            ("trend_30d", .nan),        // nothing 30–60 days back
            ("weekday_concentration", 1), ("hour_concentration", 1),
            ("value_purchase_30d", 0),
            ("genuine_spending", 0), ("genuine_creation", 0), ("genuine_interaction", 0), ("genuine_activity", 0)]
    return out
}()

@Suite("Hand-computed features for a small log")
struct HandComputedFeatureTests {
    @Test("every feature of alice's and bob's rows", arguments: [1, 2])
    func everyFeature(threads: Int) throws {
        let store = try readCSV(log)
        let cutoff = ms("2026-03-01T12:00:00Z")
        let (table, summary) = try buildRows(store, spec: spec, cutoffs: [cutoff], threads: threads)
        #expect(table.names == aliceExpected.map(\.0))
        #expect(table.rows == 2 && summary.rows == 2 && table.labels == nil)
        for (user, expected) in [("alice", aliceExpected), ("bob", bobExpected)] {
            let rows = table.rows(of: user, in: store)
            try #require(rows.count == 1)
            let row = table.row(rows[0])
            #expect(table.cutoffs[rows[0]] == cutoff)
            for (k, (name, want)) in expected.enumerated() {
                let got = row[k]
                if want.isNaN {
                    #expect(got.isNaN, "\(user) \(name): \(got), expected NaN")
                } else {
                    // Tolerance: 1e-12 relative (sums of a few doubles).
                    #expect(abs(got - want) <= 1e-12 * max(1, abs(want)), "\(user) \(name): \(got), expected \(want)")
                }
            }
        }
    }

    @Test("the descriptor list names every feature once, with a meaning")
    func descriptors() throws {
        let store = try readCSV(log)
        let plan = FeaturePlan(ResolvedFeatureSpec.resolve(spec, for: store), store: store)
        #expect(Set(plan.names).count == plan.count)
        #expect(plan.descriptors.allSatisfy { !$0.meaning.isEmpty })
        #expect(plan.resolved.eventCounts == ["comment", "login", "post"])
        #expect(plan.resolved.includeValue)
    }
}
