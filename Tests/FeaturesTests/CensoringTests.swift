// Censoring: a cutoff whose label horizon runs past the end of the data (midnight after the last event)
// gets no labelled rows; its eligible users are counted as censored.
import EventLog
import Foundation
import Testing
@testable import Features

/// Last event 2026-03-10T15:00Z → data end 2026-03-11T00:00Z.
private let log = """
user_id,timestamp,event
a,2026-02-01T10:00:00Z,login
a,2026-02-20T10:00:00Z,login
b,2026-02-15T08:00:00Z,login
b,2026-03-10T15:00:00Z,login
c,2026-02-24T23:59:59Z,login

"""

@Suite("Censoring at the end of the data")
struct CensoringTests {
    @Test("horizon ending exactly at the data end is labelled; one day later is censored")
    func boundary() throws {
        let store = try readCSV(log)
        // 14d horizon: cutoff 02-25 + 14d = 03-11 = data end → labelled; 02-26 → censored.
        let cutoffs = try CutoffSchedule.parse("2026-02-24..2026-02-26/1d")
        #expect(cutoffs == [ms("2026-02-24"), ms("2026-02-25"), ms("2026-02-26")])
        let label = LabelSpec(task: .churn, lookback: .days(30), horizon: .days(14))
        let (table, summary) = try buildRows(store, label: label, cutoffs: cutoffs)
        #expect(summary.dataEnd == ms("2026-03-11"))
        #expect(summary.perCutoff.map(\.cutoff) == cutoffs)
        // 02-24: a, b eligible (c's first event is later that day). 02-25, 02-26: a, b, c eligible.
        #expect(summary.perCutoff.map(\.eligible) == [2, 3, 3])
        #expect(summary.perCutoff.map(\.rows) == [2, 3, 0])
        #expect(summary.perCutoff.map(\.censored) == [0, 0, 3])
        #expect(summary.censored == 3 && summary.rows == 5 && table.rows == 5)
        #expect(!table.cutoffs.contains(ms("2026-02-26")))
        // Labels at 02-25: a and c have nothing in [02-25, 03-11) → churned; b logs in on 03-10 → stayed.
        #expect(table.labels(at: ms("2026-02-25"), in: store) == ["a": 1, "b": 0, "c": 1])
        #expect(summary.positives == 2 + 2)
    }

    @Test("data end is the midnight after the last event, also when that event is at midnight")
    func dataEnd() throws {
        let store = try readCSV("user_id,timestamp\nx,2026-01-01T00:00:00Z\nx,2026-01-05T00:00:00Z\n")
        let (_, summary) = try buildRows(store, label: LabelSpec(task: .churn, horizon: .days(2)),
                                         cutoffs: [ms("2026-01-04"), ms("2026-01-04T00:00:01Z")])
        #expect(summary.dataEnd == ms("2026-01-06"))
        #expect(summary.perCutoff.map(\.censored) == [0, 1])
        #expect(summary.perCutoff.map(\.rows) == [1, 0])
    }

    @Test("activation cutoffs are censored the same way; task none never is")
    func otherTasks() throws {
        let store = try readCSV(log)
        let activation = LabelSpec(task: .activation, horizon: .days(14), signupWindow: .days(30), keyEvents: ["login"])
        // At 02-26 every user has already logged in (the key event): they are already activated, not censored.
        let (_, s1) = try buildRows(store, label: activation, cutoffs: [ms("2026-02-26")])
        #expect(s1.censored == 0 && s1.alreadyActivated == 3 && s1.rows == 0)
        let none = try buildRows(store, label: LabelSpec(task: .none), cutoffs: [ms("2026-03-10"), ms("2027-01-01")])
        #expect(none.1.censored == 0)
        #expect(none.1.perCutoff.map(\.rows) == [3, 3])
        #expect(none.0.labels == nil)
    }

    @Test("an empty log is an error")
    func emptyLog() throws {
        let store = EventStore(userIDs: [], eventNames: [], users: [], times: [], events: nil, values: nil)
        #expect(throws: FeaturesError.self) { _ = try buildRows(store, cutoffs: [0]) }
    }
}
