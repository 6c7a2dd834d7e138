// Label definitions: churn (lookback eligibility, qualifying events), activation (signup window, already
// activated users, key events) and task none (every user seen before the cutoff, no labels).
import EventLog
import Foundation
import Testing
@testable import Features

/// Cutoff 2026-03-01. Far-future event (2026-06-01, user "late") keeps every 14-day horizon uncensored.
private let churnLog = """
user_id,timestamp,event
stays,2026-02-20T10:00:00Z,login
stays,2026-03-05T10:00:00Z,login
churns,2026-02-25T10:00:00Z,login
old,2026-01-01T10:00:00Z,purchase
edge_lookback,2026-01-30T00:00:00Z,login
just_outside_lookback,2026-01-29T23:59:59Z,login
views_only,2026-02-26T10:00:00Z,purchase
views_only,2026-03-02T10:00:00Z,page_view
at_horizon_end,2026-02-27T10:00:00Z,purchase
at_horizon_end,2026-03-15T00:00:00Z,purchase
at_cutoff,2026-02-27T10:00:00Z,login
at_cutoff,2026-03-01T00:00:00Z,purchase
late,2026-06-01T00:00:00Z,login

"""

private let cutoff = ms("2026-03-01")

@Suite("Churn labels and eligibility")
struct ChurnLabelTests {
    @Test("30-day lookback: eligible users and their labels")
    func lookback() throws {
        let store = try readCSV(churnLog)
        let (table, summary) = try buildRows(store, label: LabelSpec(task: .churn, lookback: .days(30), horizon: .days(14)),
                                             cutoffs: [cutoff])
        // Lookback: last event before the cutoff ≥ 01-30T00:00 (inclusive). Label 1 = nothing in [03-01, 03-15).
        #expect(table.labels(at: cutoff, in: store) == [
            "stays": 0, "churns": 1, "edge_lookback": 1, "views_only": 0,
            "at_horizon_end": 1,   // 03-15T00:00 is the horizon's exclusive end
            "at_cutoff": 0,        // an event exactly at the cutoff is in the horizon
        ])
        #expect(summary.perCutoff[0].eligible == 6 && summary.positives == 3 && summary.censored == 0)
    }

    @Test("qualifying events: only those count as staying")
    func qualifying() throws {
        let store = try readCSV(churnLog)
        let label = LabelSpec(task: .churn, lookback: .days(30), horizon: .days(14), qualifyingEvents: ["purchase", "login"])
        let (table, _) = try buildRows(store, label: label, cutoffs: [cutoff])
        let labels = table.labels(at: cutoff, in: store)
        #expect(labels["views_only"] == 1)   // a page_view is not a qualifying event
        #expect(labels["stays"] == 0 && labels["at_cutoff"] == 0)
        // A group name works too: the default "purchase" group.
        let byGroup = LabelSpec(task: .churn, lookback: .days(30), horizon: .days(14), qualifyingEvents: ["purchase"])
        let groupLabels = try buildRows(store, label: byGroup, cutoffs: [cutoff]).0.labels(at: cutoff, in: store)
        #expect(groupLabels["stays"] == 1 && groupLabels["at_cutoff"] == 0)
        // An unknown name is an error listing the log's events.
        let unknown = LabelSpec(task: .churn, qualifyingEvents: ["checkout"])
        #expect(throws: FeaturesError.self) { _ = try buildRows(store, label: unknown, cutoffs: [cutoff]) }
    }

    @Test("lookback nil: any history makes a user eligible")
    func anyHistory() throws {
        let store = try readCSV(churnLog)
        let (table, summary) = try buildRows(store, label: LabelSpec(task: .churn, lookback: nil, horizon: .days(14)),
                                             cutoffs: [cutoff])
        let labels = table.labels(at: cutoff, in: store)
        #expect(labels["old"] == 1 && labels["just_outside_lookback"] == 1)
        #expect(labels["late"] == nil)   // first seen after the cutoff
        #expect(summary.perCutoff[0].eligible == 8 && labels.count == 8)
    }
}

/// Cutoff 2026-03-01, signup window 14 days: first seen in [02-15, 03-01).
private let activationLog = """
user_id,timestamp,event,value
converts,2026-02-20T10:00:00Z,signup,
converts,2026-03-03T10:00:00Z,purchase,20
no_convert,2026-02-25T10:00:00Z,signup,
no_convert,2026-03-03T10:00:00Z,login,
already,2026-02-20T10:00:00Z,signup,
already,2026-02-22T10:00:00Z,purchase,5
veteran,2026-01-01T10:00:00Z,signup,
veteran,2026-03-02T10:00:00Z,purchase,9
window_edge,2026-02-15T00:00:00Z,signup,
window_edge,2026-03-14T23:59:59Z,upgrade,
late_convert,2026-02-28T10:00:00Z,signup,
late_convert,2026-03-15T00:00:00Z,purchase,7
late,2026-06-01T00:00:00Z,login,

"""

@Suite("Activation labels")
struct ActivationLabelTests {
    @Test("signup window, already-activated users excluded and counted, key event in the horizon")
    func activation() throws {
        let store = try readCSV(activationLog)
        let label = LabelSpec(task: .activation, horizon: .days(14), signupWindow: .days(14), keyEvents: ["purchase"])
        let (table, summary) = try buildRows(store, label: label, cutoffs: [cutoff])
        #expect(table.labels(at: cutoff, in: store) == [
            "converts": 1, "no_convert": 0,
            "window_edge": 0,    // first seen exactly 14 days before: eligible; an upgrade is not a purchase
            "late_convert": 0,   // purchase at the horizon's exclusive end
        ])
        #expect(summary.alreadyActivated == 1)   // "already"; "veteran" is outside the signup window
        #expect(summary.perCutoff[0].eligible == 4 && summary.positives == 1)
    }

    @Test("several key events, by event name")
    func keyEvents() throws {
        let store = try readCSV(activationLog)
        let label = LabelSpec(task: .activation, horizon: .days(14), signupWindow: .days(14), keyEvents: ["upgrade", "purchase"])
        let labels = try buildRows(store, label: label, cutoffs: [cutoff]).0.labels(at: cutoff, in: store)
        #expect(labels["window_edge"] == 1 && labels["converts"] == 1 && labels["no_convert"] == 0)
        let unknown = LabelSpec(task: .activation, keyEvents: ["subscribe"])
        #expect {
            _ = try buildRows(store, label: unknown, cutoffs: [cutoff])
        } throws: { error in
            guard case let FeaturesError.unknownEvent(name, known) = error else { return false }
            return name == "subscribe" && known.contains("purchase")
        }
    }
}

@Suite("Task none")
struct NoLabelTests {
    @Test("every user seen before the cutoff gets a row, no labels, no censoring")
    func none() throws {
        let store = try readCSV(activationLog)
        let (table, summary) = try buildRows(store, label: LabelSpec(task: .none), cutoffs: [cutoff])
        #expect(table.labels == nil)
        let users = Set(table.users.map { store.userIDs[Int($0)] })
        #expect(users == ["converts", "no_convert", "already", "veteran", "window_edge", "late_convert"])
        #expect(summary.rows == 6 && summary.perCutoff[0].eligible == 6 && summary.positives == 0 && summary.censored == 0)
    }

    @Test("rows come out per cutoff in ascending order, whatever order the cutoffs are given in")
    func cutoffOrder() throws {
        let store = try readCSV(activationLog)
        let (table, summary) = try buildRows(store, label: LabelSpec(task: .none),
                                             cutoffs: [ms("2026-03-10"), ms("2026-02-21")])
        #expect(summary.perCutoff.map(\.cutoff) == [ms("2026-02-21"), ms("2026-03-10")])
        // 02-21: converts, already (02-20), veteran (01-01), window_edge (02-15).
        #expect(summary.perCutoff.map(\.rows) == [4, 6])
        #expect(table.cutoffs == Array(repeating: ms("2026-02-21"), count: 4) + Array(repeating: ms("2026-03-10"), count: 6))
    }
}
