// What an event log holds, and the feature spec and playbook that fit it: the analysis behind `tenure profile`.
// The proposals are built from the library's own defaults (FeatureSpec.default, Playbook.default), changed only
// where the log says they do not fit, and pass the same checks `features --spec` and `playbook --check` run.
import EventLog
import Features
import Foundation
import Retention
import Targeting
import TenureCore

struct EventNameStats {
    var name: String
    var count: Int
    var users: Int
    var first: Int64
    var last: Int64
}

struct LogProfile {
    var firstTime: Int64
    var lastTime: Int64
    var users: Int
    var events: Int
    var eventsPerUser: (median: Double, p90: Double, max: Double)
    var names: [EventNameStats]
    var hasEventColumn: Bool
    var values: (count: Int, zeros: Int, min: Double, median: Double, p90: Double, max: Double)?
    /// Per hour of day (UTC), the share of events.
    var hourShares: [Double]
    /// Median days between a user's consecutive active days.
    var medianActiveGapDays: Double
    var day1Rates: [Double]
    var spec: FeatureSpec
    /// Signal name → the words `profile` prints: the rule it proposes, or why the log cannot support it.
    var signalNotes: [(String, String)]
    var playbook: Playbook
    var alarmNote: String

    var spanDays: Double { Double(lastTime - firstTime) / Double(millisPerDay) }

    /// Name fragments that mark an event as a purchase, a creation or an interaction (lower-case substrings).
    static let signalWords: [String: [String]] = [
        "spending": ["purchase", "order_complete", "order_placed", "checkout_complete", "transaction", "payment_success", "subscribe", "renewal", "buy"],
        "creation": ["post", "upload", "create", "publish", "write", "compose"],
        "interaction": ["comment", "like", "share", "reply", "follow", "message", "react", "vote", "add_to_cart", "wishlist", "favorite"],
    ]
    /// The group names the built-in spec uses for the signals.
    static let groupNames = ["spending": "purchase", "creation": "creation", "interaction": "interaction"]

    init(store: EventStore) throws {
        users = store.userCount
        events = store.eventCount
        hasEventColumn = store.hasEventColumn
        firstTime = store.firstTime ?? 0
        lastTime = store.lastTime ?? 0
        var perName = store.eventNames.map { EventNameStats(name: $0, count: 0, users: 0, first: .max, last: .min) }
        var perUser: [Double] = []
        var gaps: [Double] = []
        var hours = [Int](repeating: 0, count: 24)
        var lastUserOfName = [Int](repeating: -1, count: store.eventNames.count)
        for u in 0..<store.userCount {
            let r = store.range(ofUser: u)
            perUser.append(Double(r.count))
            var prevDay = Int64.min
            for k in r {
                let e = Int(store.events[k]), t = store.times[k]
                perName[e].count += 1
                perName[e].first = min(perName[e].first, t)
                perName[e].last = max(perName[e].last, t)
                if lastUserOfName[e] != u { perName[e].users += 1; lastUserOfName[e] = u }
                hours[Int((t - utcDay(t) * millisPerDay) / 3_600_000)] += 1
                let day = utcDay(t)
                if prevDay != .min && day != prevDay { gaps.append(Double(day - prevDay)) }
                prevDay = day
            }
        }
        names = perName.filter { $0.count > 0 }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
        eventsPerUser = (Self.quantile(perUser, 0.5), Self.quantile(perUser, 0.9), perUser.max() ?? 0)
        medianActiveGapDays = Self.quantile(gaps, 0.5)
        let total = max(1, hours.reduce(0, +))
        hourShares = hours.map { Double($0) / Double(total) }
        if store.hasValueColumn {
            let v = store.values.filter { !$0.isNaN }
            values = (v.count, v.filter { $0 == 0 }.count, v.min() ?? 0, Self.quantile(v, 0.5), Self.quantile(v, 0.9), v.max() ?? 0)
        }
        let table = try CohortRetention.compute(store, options: RetentionOptions(period: .week, days: [1], alarmLines: [:], signupEvents: []))
        day1Rates = table.cohorts.compactMap { c in c.cells.first { $0.day == 1 && $0.observable }?.rate }
        spec = .default
        signalNotes = []
        playbook = .default
        alarmNote = ""
        proposeSpec(store: store)
        proposePlaybook()
    }

    /// Groups from the names found, signals the log supports (others left out, said why), windows that fit.
    private mutating func proposeSpec(store: EventStore) {
        let found = names.map(\.name)
        var groups: [EventGroup] = []
        var rules = GenuineActivityRules(spending: nil, creation: nil, interaction: nil)
        let window = spanDays >= 60 ? 30 : max(1, Int(spanDays / 2))
        for signal in GenuineActivityRules.names {
            let words = Self.signalWords[signal] ?? []
            let group = Self.groupNames[signal] ?? signal
            var members = found.filter { n in words.contains { n.lowercased().contains($0) } }
            if signal == "spending" && !hasEventColumn { members = ["*"] }
            if signal != "spending" {   // a name is one signal's: a purchase is no creation
                members.removeAll { n in groups.contains { $0.events.contains(n) } }
            }
            guard !members.isEmpty else {
                let why = signal == "spending" && values == nil ? "no purchase-like event name and no value column"
                    : "no event name looks like \(signal) (\(words.prefix(4).joined(separator: ", ")), …)"
                signalNotes.append((signal, "not supported: \(why); left out (null), so it flags nobody"))
                continue
            }
            groups.append(EventGroup(name: group, events: members))
            let counts = perUserCounts(store: store, events: Set(members), windowDays: window)
            if signal == "spending", values != nil {
                // The median spend of the users who spent in the window: a real, not a token, payer.
                let spend = perUserValues(store: store, events: members == ["*"] ? nil : Set(members), windowDays: window)
                let line = max(0, (Self.quantile(spend, 0.5) * 100).rounded() / 100)
                rules.spending = GenuineSignal(group: group, windowDays: window, minValue: line, minCount: nil)
            } else {
                // Half the median count of the users who did it at all, at least once.
                let line = max(1, Int((Self.quantile(counts, 0.5) / 2).rounded(.down)))
                rules[signal] = GenuineSignal(group: group, windowDays: window, minValue: nil, minCount: line)
            }
            let rule = rules[signal]!
            let share = Double(counts.count) / Double(max(1, users))
            signalNotes.append((signal, "\(rule.summary) (\(members.joined(separator: ", ")); \(String(format: "%.0f%%", 100 * share)) of users did it in the last \(window) days)"))
        }
        if groups.isEmpty, let top = found.first { groups.append(EventGroup(name: "top_event", events: [top])) }
        // Windows: the built-in ones that fit in half the span; a daily window only when users come back daily-ish.
        var windows = FeatureSpec.default.windows.filter { Double($0) <= max(7, spanDays / 2) }
        if medianActiveGapDays >= 7 { windows.removeAll { $0 == 1 } }
        if windows.isEmpty { windows = [7] }
        spec = FeatureSpec(version: FeatureSpec.currentVersion, windows: windows, sessionGapMinutes: FeatureSpec.default.sessionGapMinutes,
                           groups: groups, eventCounts: nil,
                           maxEventCounts: min(FeatureSpec.Limits.maxEventCounts, max(FeatureSpec.default.maxEventCounts, found.count)),
                           genuineActivity: rules)
    }

    /// The built-in playbook with the day-1 alarm line at the lower quartile of the log's weekly cohorts.
    private mutating func proposePlaybook() {
        guard day1Rates.count >= 2 else {
            alarmNote = "too few signup cohorts to fit an alarm line: kept \(RetentionAlarms.default.day1.map { String(format: "%.0f%%", 100 * $0) } ?? "none")"
            return
        }
        let line = (Self.quantile(day1Rates, 0.25) * 1000).rounded() / 1000
        playbook.alarms.day1 = line
        alarmNote = String(format: "day-1 alarm line %.1f%%: the lower quartile of %d weekly cohorts (median %.1f%%), so it flags the worst quarter; the built-in 18%% would flag %d of them",
                           100 * line, day1Rates.count, 100 * (RetentionFormat.medianRate(day1Rates) ?? 0),
                           day1Rates.filter { $0 < (RetentionAlarms.default.day1 ?? 0) }.count)
    }

    /// Per user who did one of `events` in the `windowDays` before the log's end: how many times.
    private func perUserCounts(store: EventStore, events: Set<String>, windowDays: Int) -> [Double] {
        let ids = Set(store.eventNames.indices.filter { events.contains("*") || events.contains(store.eventNames[$0]) }.map { UInt32($0) })
        let from = lastTime - Int64(windowDays) * millisPerDay
        var out: [Double] = []
        for u in 0..<store.userCount {
            let n = store.range(ofUser: u).filter { store.times[$0] > from && ids.contains(store.events[$0]) }.count
            if n > 0 { out.append(Double(n)) }
        }
        return out
    }

    private func perUserValues(store: EventStore, events: Set<String>?, windowDays: Int) -> [Double] {
        let from = lastTime - Int64(windowDays) * millisPerDay
        var out: [Double] = []
        for u in 0..<store.userCount {
            var sum = 0.0
            for k in store.range(ofUser: u) where store.times[k] > from && !store.values[k].isNaN
                && (events == nil || events!.contains(store.eventNames[Int(store.events[k])])) { sum += store.values[k] }
            if sum > 0 { out.append(sum) }
        }
        return out
    }

    static func quantile(_ xs: [Double], _ q: Double) -> Double {
        guard !xs.isEmpty else { return .nan }
        let s = xs.sorted()
        return s[min(s.count - 1, Int(q * Double(s.count - 1)))]
    }
}
