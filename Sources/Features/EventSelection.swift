// Which of a log's event ids a list of event or group names selects: the one resolution every "these events
// count" option shares (a churn label's qualifying events, an activation's key events, a campaign's retention).
import EventLog

public enum EventSelection {
    /// One flag per event id of `store`. A name is a spec group (its events, `*` = all), an event name, or `*`;
    /// a log without an event column has one event type, which every name selects. An unknown name is an error.
    public static func mask(_ names: [String], spec: FeatureSpec, store: EventStore) throws -> [Bool] {
        var m = [Bool](repeating: false, count: store.eventNames.count)
        for name in names {
            if name == "*" || !store.hasEventColumn { return [Bool](repeating: true, count: m.count) }
            if let g = spec.groups.first(where: { $0.name == name }) {
                for (id, n) in store.eventNames.enumerated() where g.events.contains(n) || g.events.contains("*") { m[id] = true }
            } else if let id = store.eventID(named: name) {
                m[Int(id)] = true
            } else {
                throw FeaturesError.unknownEvent(name: name, known: store.eventNames)
            }
        }
        return m
    }
}
