// A feature spec resolved against one event store: feature names, and event-id lookups for groups.
import EventLog

/// A genuine-activity signal the training log cannot support, and why (stored in the model so scoring says so too).
public struct UnavailableSignal: Sendable, Codable, Equatable {
    /// spending, creation or interaction.
    public var signal: String
    public var rule: GenuineSignal
    /// "no event of group 'creation' (post) in the log", "the log has no value column".
    public var why: String

    /// The one warning `train`, `features` and `score` print for it.
    public var warning: String {
        "warning: genuine-activity rule '\(signal)' (\(rule.summary)) is unavailable: \(why); it flags nobody as suspected fake-active"
    }
}

/// The spec with every choice made (event counts listed, value features on or off), as stored in a model,
/// so the same features come out of any later log.
public struct ResolvedFeatureSpec: Sendable, Codable, Equatable {
    public var spec: FeatureSpec
    public var eventCounts: [String]
    public var includeValue: Bool
    /// Signals of the given spec the training log cannot support: left out of `spec` (nil when none, so a
    /// model whose log fits the spec is written as before).
    public var unavailableSignals: [UnavailableSignal]?
    /// Groups of the given spec that match no event of the training log: left out of `spec` (their columns
    /// would be 0 or NaN in every row). Nil when none.
    public var droppedGroups: [EventGroup]?

    public init(spec: FeatureSpec, eventCounts: [String], includeValue: Bool,
                unavailableSignals: [UnavailableSignal]? = nil, droppedGroups: [EventGroup]? = nil) {
        self.spec = spec
        self.eventCounts = eventCounts
        self.includeValue = includeValue
        self.unavailableSignals = unavailableSignals
        self.droppedGroups = droppedGroups
    }

    /// Resolves `spec` for a training log: fills the event-count list from the log's most frequent names, drops
    /// groups matching no event and marks the signals the log cannot support. Only events before `before` (the
    /// latest training cutoff) count, so rows after it cannot change the feature columns (point in time).
    public static func resolve(_ spec: FeatureSpec, for store: EventStore, before: Int64 = .max) -> ResolvedFeatureSpec {
        var spec = spec
        if !store.hasEventColumn {
            // A plain purchase log: every row is a transaction, so the spending group is every event.
            let spending = spec.genuineActivity.spending?.group
            spec.groups = spec.groups.map { g in
                g.name == spending ? EventGroup(name: g.name, events: ["*"]) : g
            }
        }
        var freq = [Int](repeating: 0, count: store.eventNames.count)
        for (t, e) in zip(store.times, store.events) where t < before { freq[Int(e)] += 1 }
        let seen = Set(store.eventNames.indices.filter { freq[$0] > 0 }.map { store.eventNames[$0] })
        let dropped = spec.groups.filter { g in !g.events.contains("*") && g.events.allSatisfy { !seen.contains($0) } }
        var unavailable: [UnavailableSignal] = []
        for (name, signal) in spec.genuineActivity.present {
            var why: String?
            if let g = dropped.first(where: { $0.name == signal.group }) {
                why = "no event of group '\(g.name)' (\(g.events.joined(separator: ", "))) in the log"
            } else if signal.minValue != nil && !store.hasValueColumn {
                why = "the log has no value column (a count rule, minCount, works without one)"
            }
            if let why {
                unavailable.append(UnavailableSignal(signal: name, rule: signal, why: why))
                spec.genuineActivity[name] = nil
            }
        }
        // A spec needs a group: when none matches, all stay (and their signals are unavailable all the same).
        let dropNames = dropped.count < spec.groups.count ? Set(dropped.map(\.name)) : []
        spec.groups.removeAll { dropNames.contains($0.name) }
        var counts = spec.eventCounts ?? []
        if spec.eventCounts == nil && store.hasEventColumn {
            counts = store.eventNames.indices.filter { freq[$0] > 0 }
                .sorted { freq[$0] != freq[$1] ? freq[$0] > freq[$1] : store.eventNames[$0] < store.eventNames[$1] }
                .prefix(spec.maxEventCounts).map { store.eventNames[$0] }.sorted()
        }
        // A group named like an event already yields count_<name>_<w>d; don't write the column twice.
        let groupNames = Set(spec.groups.map(\.name))
        counts = counts.filter { !groupNames.contains($0) }
        spec.eventCounts = counts
        return ResolvedFeatureSpec(spec: spec, eventCounts: counts, includeValue: store.hasValueColumn,
                                   unavailableSignals: unavailable.isEmpty ? nil : unavailable,
                                   droppedGroups: dropNames.isEmpty ? nil : dropped)
    }

    /// The warnings a run on this spec prints once: each unavailable signal, and the groups left out.
    public var warnings: [String] {
        var w = (unavailableSignals ?? []).map(\.warning)
        if let d = droppedGroups, !d.isEmpty {
            w.append("warning: event group(s) matching no event in the log left out of the features: "
                     + d.map { "\($0.name) (\($0.events.joined(separator: ", ")))" }.joined(separator: "; "))
        }
        if spec.genuineActivity.present.isEmpty && !(unavailableSignals ?? []).isEmpty {
            w.append("warning: no genuine-activity signal is available: genuine_activity is missing (NaN) and nobody is suspected fake-active; `tenure profile` proposes rules this log supports")
        }
        return w
    }
}

/// Feature names with their meaning, in output order.
public struct FeatureDescriptor: Sendable, Codable, Equatable {
    public var name: String
    public var meaning: String
}

/// Compiled plan: names plus per-event-id membership masks for one store.
public struct FeaturePlan: Sendable {
    public let resolved: ResolvedFeatureSpec
    public let descriptors: [FeatureDescriptor]
    public var names: [String] { descriptors.map(\.name) }
    /// windows sorted descending (days).
    let windows: [Int]
    /// groupMasks[g][eventID]
    let groupMasks: [[Bool]]
    /// eventCountIDs[k] = event id of resolved.eventCounts[k] in this store, or nil when absent.
    let eventCountIDs: [UInt32?]
    /// The spec's genuine-activity signals, in feature order, with their group's index and whether the plan
    /// writes their support column (value_<group>_<w>d or count_<group>_<w>d: no window column has that name).
    let signals: [(name: String, signal: GenuineSignal, group: Int, emitSupport: Bool)]

    public init(_ resolved: ResolvedFeatureSpec, store: EventStore) {
        self.resolved = resolved
        let spec = resolved.spec
        windows = spec.windows.sorted(by: >)
        let eventCount = store.eventNames.count
        groupMasks = spec.groups.map { g in
            var mask = [Bool](repeating: false, count: eventCount)
            for (id, name) in store.eventNames.enumerated() where g.events.contains("*") || g.events.contains(name) { mask[id] = true }
            return mask
        }
        eventCountIDs = resolved.eventCounts.map { store.eventID(named: $0) }
        let groupNames = spec.groups.map(\.name)
        var d: [FeatureDescriptor] = []
        func add(_ n: String, _ m: String) { d.append(FeatureDescriptor(name: n, meaning: m)) }
        for w in spec.windows {
            add("events_\(w)d", "events in the \(w) days before the cutoff")
            add("active_days_\(w)d", "distinct UTC days with an event in the \(w) days before the cutoff")
            add("sessions_\(w)d", "sessions started in the \(w) days before the cutoff (a gap over \(spec.sessionGapMinutes) min starts one)")
            if resolved.includeValue { add("value_\(w)d", "sum of event values in the \(w) days before the cutoff") }
            for g in spec.groups { add("count_\(g.name)_\(w)d", "\(g.name) events (\(g.events.joined(separator: ", "))) in the \(w) days before the cutoff") }
            for e in resolved.eventCounts { add("count_\(e)_\(w)d", "'\(e)' events in the \(w) days before the cutoff") }
        }
        add("recency_days", "days since the last event (NaN: never)")
        for g in spec.groups { add("recency_\(g.name)_days", "days since the last \(g.name) event (NaN: never)") }
        add("tenure_days", "days since the first event")
        add("gap_mean_days", "mean days between consecutive events (NaN: fewer than 2 events)")
        add("gap_std_days", "standard deviation of days between consecutive events (NaN: fewer than 3 events)")
        add("gap_max_days", "longest gap between consecutive events, in days (NaN: fewer than 2 events)")
        add("trend_7d", "events in the last 7 days over the 7 before (NaN: none in the 7 before)")
        add("trend_30d", "events in the last 30 days over the 30 before (NaN: none in the 30 before)")
        let longest = windows[0]
        add("weekday_concentration", "share of events in the last \(longest) days on the busiest weekday (NaN: none)")
        add("hour_concentration", "share of events in the last \(longest) days in the busiest UTC hour (NaN: none)")
        let has = Set(d.map(\.name))
        signals = spec.genuineActivity.present.map { name, signal in
            // validated by FeatureSpec.validate (and resolve leaves out signals whose group it drops)
            (name, signal, groupNames.firstIndex(of: signal.group)!, !has.contains(FeaturePlan.supportName(signal)))
        }
        for s in signals where s.emitSupport {
            let g = s.signal.group, w = s.signal.windowDays
            add(FeaturePlan.supportName(s.signal), s.signal.minValue != nil ? "sum of \(g) values in the \(w) days before the cutoff"
                : "\(g) events in the \(w) days before the cutoff")
        }
        for s in signals {
            let g = s.signal.group, w = s.signal.windowDays
            add("genuine_\(s.name)", s.signal.minValue.map { "1 when \(g) value in \(w) days > \($0)" }
                ?? "1 when \(g) events in \(w) days ≥ \(s.signal.minCount ?? 0)")
        }
        add("genuine_activity", "1 when any genuine-activity signal holds (0 = suspected fake-active)"
            + (signals.isEmpty ? "; NaN: the spec has no signal this log supports, so nobody is flagged" : ""))
        descriptors = d
    }

    public var count: Int { descriptors.count }

    /// The column a signal is judged on: the value sum or the event count of its group over its window.
    static func supportName(_ s: GenuineSignal) -> String {
        "\(s.minValue != nil ? "value" : "count")_\(s.group)_\(s.windowDays)d"
    }
}
