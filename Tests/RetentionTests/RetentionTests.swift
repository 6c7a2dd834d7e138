// Signup-cohort retention on hand-built stores: the calendar-day definition, observability, alarms, weeks.
import EventLog
import Foundation
import Testing
@testable import Retention

/// Builds a store from (user, "yyyy-mm-ddThh:mm:ssZ", event) triples.
func makeStore(_ rows: [(String, String, String)]) throws -> EventStore {
    var users: [String] = [], names: [String] = []
    var u: [Int32] = [], t: [Int64] = [], e: [UInt32] = []
    for (user, time, event) in rows {
        if !users.contains(user) { users.append(user) }
        if !names.contains(event) { names.append(event) }
        u.append(Int32(users.firstIndex(of: user)!))
        t.append(try #require(parseTimestamp(time), "bad test time \(time)"))
        e.append(UInt32(names.firstIndex(of: event)!))
    }
    return EventStore(userIDs: users, eventNames: names, users: u, times: t, events: e, values: nil)
}

/// 2026-03-02 is a Monday.
func day(_ d: Int, _ hms: String = "12:00:00") -> String {
    let base = parseTimestamp("2026-03-02")! + Int64(d) * CohortRetention.dayMillis
    return formatTimestamp(base, dateOnly: true) + "T" + hms + "Z"
}

@Suite struct CalendarDayDefinition {
    @Test func dayOneIsTheNextCalendarDayNotTwentyFourHours() throws {
        let store = try makeStore([
            ("late", day(0, "23:00:00"), "a"), ("late", day(1, "01:00:00"), "a"),       // 2 h later, next day: retained
            ("early", day(0, "01:00:00"), "a"), ("early", day(0, "23:30:00"), "a"),     // same day only
            ("early", day(2, "00:30:00"), "a"),                                            // day 2, not day 1
            ("end", day(40), "a"),
        ])
        let t = try CohortRetention.compute(store, options: RetentionOptions(days: [1, 2]))
        let c = try #require(t.cohorts.first)
        #expect(c.label == "2026-03-02" && c.size == 2)
        #expect(c.cells[0].retained == 1 && c.cells[0].rate == 0.5)
        #expect(c.cells[1].retained == 1)
    }

    @Test func daySevenAndThirtyCountOnlyThatDay() throws {
        var rows: [(String, String, String)] = []
        for k in 0..<4 { rows.append(("u\(k)", day(0), "a")) }
        rows.append(("u0", day(7, "00:00:00"), "a"))      // first instant of day 7
        rows.append(("u1", day(6, "23:59:59"), "a"))      // last second of day 6
        rows.append(("u2", day(30, "10:00:00"), "a"))
        rows.append(("u3", day(31), "a"))
        let t = try CohortRetention.compute(try makeStore(rows))
        let cells = try #require(t.cohorts.first).cells
        #expect(cells.map(\.day) == [1, 7, 30])
        #expect(cells.map(\.retained) == [0, 1, 1])
        #expect(cells.map(\.rate) == [0, 0.25, 0.25])
    }
}

@Suite struct Observability {
    @Test func youngCohortsAreNotYetObservableNeverZero() throws {
        // Data ends at midnight after day 10: day 7 is observable for signups up to day 3 only.
        let store = try makeStore([
            ("a", day(2), "x"), ("b", day(4), "x"), ("c", day(9), "x"), ("c", day(10), "x"),
        ])
        let t = try CohortRetention.compute(store)
        #expect(t.dataEnd == parseTimestamp("2026-03-02")! + 11 * CohortRetention.dayMillis)
        let byLabel = Dictionary(uniqueKeysWithValues: t.cohorts.map { ($0.label, $0) })
        let d2 = try #require(byLabel["2026-03-04"]), d4 = try #require(byLabel["2026-03-06"])
        let d9 = try #require(byLabel["2026-03-11"])
        #expect(d2.cells[1].observable && d2.cells[1].rate == 0)
        #expect(!d4.cells[1].observable && d4.cells[1].rate == nil)
        #expect(d9.cells[0].observable && d9.cells[0].rate == 1)
        #expect(!d9.cells[2].observable)
        // The day-1 alarm fires on observed zeros only.
        #expect(d2.flagged && !d4.cells[1].underAlarm)
    }

    @Test func aWeekIsObservableOnlyWhenItsLatestMemberIs() throws {
        let store = try makeStore([("mon", day(0), "x"), ("sun", day(6), "x"), ("z", day(12), "x")])
        let t = try CohortRetention.compute(store, options: RetentionOptions(period: .week))
        let w = try #require(t.cohorts.first)
        #expect(w.size == 2 && w.cells[0].observable && !w.cells[1].observable)   // data ends with day 12; Sunday's day 7 is day 13
    }
}

@Suite struct Alarms {
    /// A cohort of `size` users on `signupDay`, `retained` of them active the next day; plus a late event.
    func cohortRows(_ signupDay: Int, size: Int, retained: Int) -> [(String, String, String)] {
        var rows: [(String, String, String)] = []
        for k in 0..<size {
            rows.append(("d\(signupDay)u\(k)", day(signupDay), "x"))
            if k < retained { rows.append(("d\(signupDay)u\(k)", day(signupDay + 1), "x")) }
        }
        return rows
    }

    @Test func dayOneUnderEighteenPercentIsFlaggedByDefault() throws {
        let store = try makeStore(cohortRows(0, size: 10, retained: 1) + cohortRows(1, size: 10, retained: 2)
                                  + cohortRows(2, size: 50, retained: 9) + [("tail", day(40), "x")])
        let t = try CohortRetention.compute(store)
        #expect(t.cohorts.prefix(3).map { $0.cells[0].rate } == [0.1, 0.2, 0.18])
        #expect(t.cohorts.prefix(3).map(\.flagged) == [true, false, false])   // 18% itself is not under the line
        #expect(t.flaggedCohorts.map(\.label) == ["2026-03-02"])
        #expect(RetentionFormat.summary(t).contains("1 flagged under the alarm line (day 1 under 18.0%)"))
    }

    @Test func linesAreConfigurablePerDay() throws {
        let store = try makeStore(cohortRows(0, size: 10, retained: 1) + [("tail", day(40), "x")])
        let none = try CohortRetention.compute(store, options: RetentionOptions(alarmLines: [:]))
        #expect(none.flaggedCohorts.isEmpty)
        let seven = try CohortRetention.compute(store, options: RetentionOptions(alarmLines: [1: 0.05, 7: 0.12]))
        #expect(seven.cohorts[0].cells.map(\.underAlarm) == [false, true, false])
    }

    @Test func badOptionsThrow() throws {
        let store = try makeStore([("a", day(0), "x")])
        #expect(throws: RetentionError.invalidDays([0, 7])) { try CohortRetention.compute(store, options: RetentionOptions(days: [0, 7])) }
        #expect(throws: RetentionError.invalidAlarm(day: 1, line: 18)) {
            try CohortRetention.compute(store, options: RetentionOptions(alarmLines: [1: 18]))
        }
        #expect(throws: RetentionError.invalidAlarm(day: 3, line: 0.1)) {
            try CohortRetention.compute(store, options: RetentionOptions(alarmLines: [3: 0.1]))
        }
        let empty = EventStore(userIDs: [], eventNames: [], users: [], times: [], events: nil, values: nil)
        #expect(throws: RetentionError.emptyLog) { try CohortRetention.compute(empty) }
    }
}

@Suite struct Cohorts {
    @Test func weeksStartOnMondayUTC() throws {
        let store = try makeStore([("sun", day(-1, "23:59:59"), "x"), ("mon", day(0, "00:00:00"), "x"),
                                   ("sun2", day(6), "x"), ("mon2", day(7), "x"), ("tail", day(60), "x")])
        let t = try CohortRetention.compute(store, options: RetentionOptions(period: .week))
        #expect(t.cohorts.map(\.label) == ["2026-02-23", "2026-03-02", "2026-03-09", "2026-04-27"])
        #expect(t.cohorts.map(\.size) == [1, 2, 1, 1])
        #expect(t.cohorts[0].startsWithLog && !t.cohorts[1].startsWithLog)
    }

    @Test func signupEventDefinesTheCohortAndLeavesOutUsersWithoutOne() throws {
        let store = try makeStore([
            ("old", day(0), "view"), ("old", day(5), "view"),
            ("new", day(0), "view"), ("new", day(3), "signup"), ("new", day(4), "view"),
            ("tail", day(40), "view"),
        ])
        let t = try CohortRetention.compute(store, options: RetentionOptions(signupEvents: ["signup"]))
        #expect(t.cohorts.map(\.label) == ["2026-03-05"])
        #expect(t.cohorts[0].cells[0].rate == 1 && !t.cohorts[0].startsWithLog)
        #expect(t.usersWithoutSignup == 2)
        #expect(throws: RetentionError.self) {
            try CohortRetention.compute(store, options: RetentionOptions(signupEvents: ["register"]))
        }
    }
}

@Suite struct Formats {
    @Test func notObservableIsBlankInCSVAndNullInJSON() throws {
        let store = try makeStore([("a", day(0), "x"), ("a", day(1), "x"), ("b", day(2), "x")])
        let t = try CohortRetention.compute(store)
        let csv = try RetentionFormat.csv.render(t).split(separator: "\n")
        #expect(csv[0] == "cohort,users,day1_retained,day1_rate,day1_under_alarm,day7_retained,day7_rate,day7_under_alarm,day30_retained,day30_rate,day30_under_alarm,flagged,starts_with_log")
        #expect(csv[1] == "2026-03-02,1,1,1.000000,false,,,,,,,false,true")
        let json = try RetentionFormat.json.render(t)
        let decoded = try JSONDecoder().decode(RetentionTable.self, from: Data(json.utf8))
        #expect(decoded == t)
        #expect(try RetentionFormat.table.render(t).contains("n/a"))
    }
}
