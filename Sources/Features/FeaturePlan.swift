// A feature spec resolved against one event store: feature names, and event-id lookups for groups.
import EventLog

/// The spec with every choice made (event counts listed, value features on or off), as stored in a model,
/// so the same features come out of any later log.
public struct ResolvedFeatureSpec: Sendable, Codable, Equatable {
    public var spec: FeatureSpec
    public var eventCounts: [String]
    public var includeValue: Bool

    public init(spec: FeatureSpec, eventCounts: [String], includeValue: Bool) {
        self.spec = spec
        self.eventCounts = eventCounts
        self.includeValue = includeValue
    }

    /// Resolves `spec` for a training log: fills the event-count list from the log's most frequent names.
    public static func resolve(_ spec: FeatureSpec, for store: EventStore) -> ResolvedFeatureSpec {
        var spec = spec
        if !store.hasEventColumn {
            // A plain purchase log: every row is a transaction, so the spending group is every event.
            spec.groups = spec.groups.map { g in
                g.name == spec.genuineActivity.spending.group ? EventGroup(name: g.name, events: ["*"]) : g
            }
        }
        var counts = spec.eventCounts ?? []
        if spec.eventCounts == nil && store.hasEventColumn {
            var freq = [Int](repeating: 0, count: store.eventNames.count)
            for e in store.events { freq[Int(e)] += 1 }
            counts = store.eventNames.indices.filter { freq[$0] > 0 }
                .sorted { freq[$0] != freq[$1] ? freq[$0] > freq[$1] : store.eventNames[$0] < store.eventNames[$1] }
                .prefix(spec.maxEventCounts).map { store.eventNames[$0] }.sorted()
        }
        // A group named like an event already yields count_<name>_<w>d; don't write the column twice.
        let groupNames = Set(spec.groups.map(\.name))
        counts = counts.filter { !groupNames.contains($0) }
        spec.eventCounts = counts
        return ResolvedFeatureSpec(spec: spec, eventCounts: counts, includeValue: store.hasValueColumn)
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
    let spendingGroup: Int, creationGroup: Int, interactionGroup: Int
    let emitSpendingValue: Bool, emitCreationCount: Bool, emitInteractionCount: Bool

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
        let rules = spec.genuineActivity
        spendingGroup = groupNames.firstIndex(of: rules.spending.group)!   // validated by FeatureSpec.validate
        creationGroup = groupNames.firstIndex(of: rules.creation.group)!
        interactionGroup = groupNames.firstIndex(of: rules.interaction.group)!

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
        emitSpendingValue = !has.contains("value_\(rules.spending.group)_\(rules.spending.windowDays)d")
        emitCreationCount = !has.contains("count_\(rules.creation.group)_\(rules.creation.windowDays)d")
        emitInteractionCount = !has.contains("count_\(rules.interaction.group)_\(rules.interaction.windowDays)d")
        if emitSpendingValue {
            add("value_\(rules.spending.group)_\(rules.spending.windowDays)d", "sum of \(rules.spending.group) values in the \(rules.spending.windowDays) days before the cutoff")
        }
        if emitCreationCount {
            add("count_\(rules.creation.group)_\(rules.creation.windowDays)d", "\(rules.creation.group) events in the \(rules.creation.windowDays) days before the cutoff")
        }
        if emitInteractionCount {
            add("count_\(rules.interaction.group)_\(rules.interaction.windowDays)d", "\(rules.interaction.group) events in the \(rules.interaction.windowDays) days before the cutoff")
        }
        add("genuine_spending", "1 when \(rules.spending.group) value in \(rules.spending.windowDays) days > \(rules.spending.minValue ?? 0)")
        add("genuine_creation", "1 when \(rules.creation.group) events in \(rules.creation.windowDays) days ≥ \(rules.creation.minCount ?? 0)")
        add("genuine_interaction", "1 when \(rules.interaction.group) events in \(rules.interaction.windowDays) days ≥ \(rules.interaction.minCount ?? 0)")
        add("genuine_activity", "1 when any genuine-activity signal holds (0 = suspected fake-active)")
        descriptors = d
    }

    public var count: Int { descriptors.count }
}
