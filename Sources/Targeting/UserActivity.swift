// Per-user facts the ranked list needs beyond the model's features, read straight from the event store so
// they do not depend on which windows a model's feature spec happens to have.
import EventLog
import Features
import TenureCore

public struct UserActivity: Sendable, Equatable {
    /// Whole days since the last event before the as-of time.
    public var daysInactive: Int
    /// Whole days since the first event.
    public var tenureDays: Int
    /// The value definition's sum (0 when the log has no value column or the user has no valued event).
    public var value: Double
    /// Distinct UTC days with an event in the 7 days before the as-of time.
    public var activeDaysLast7: Int
    /// Distinct active days in the 28 days before those 7, scaled to a week (× 7/28).
    public var usualWeeklyActiveDays: Double

    /// Falling: away for 3 days or more (the golden 72 hours), or this week's active days under `ratio` of usual.
    public func isFalling(ratio: Double) -> Bool {
        daysInactive >= 3 || (usualWeeklyActiveDays > 0 && Double(activeDaysLast7) < ratio * usualWeeklyActiveDays)
    }

    /// Facts of store user `u` from events strictly before `asOf` (nil: no such event).
    /// O(events of the user); `valueEvents` nil counts every event's value.
    public static func of(user u: Int, store: EventStore, asOf: Int64, valueWindowDays: Int, valueEvents: Set<UInt32>?) -> UserActivity? {
        store.withColumns { columns in
            let value = Self.value(ofUser: u, columns: columns, asOf: asOf, windowDays: valueWindowDays, valueEvents: valueEvents)
            return of(user: u, columns: columns, asOf: asOf, value: value ?? 0)
        }
    }

    /// The value definition's sum over user `u`'s events in the `windowDays` before `asOf` (nil: no event in
    /// that window; 0: events there, none valued). Oldest first, the one order every caller shares, so the
    /// high-value cut and a user's value compare exactly. O(log events + events in the window).
    static func value(ofUser u: Int, columns: StoreColumns, asOf: Int64, windowDays: Int, valueEvents: Set<UInt32>?) -> Double? {
        let lo = columns.offsets[u], hi = columns.offsets[u + 1]
        let end = columns.lowerBound(asOf, lo, hi)
        var i = columns.lowerBound(asOf - Int64(windowDays) * millisPerDay, lo, end)
        guard i < end else { return nil }
        var total = 0.0
        while i < end {
            let v = columns.values[i]
            if v.isFinite, valueEvents?.contains(columns.events[i]) ?? true { total += v }
            i += 1
        }
        return total
    }

    /// Facts of store user `u` with its `value` already summed. O(log events + events in the last 35 days).
    static func of(user u: Int, columns: StoreColumns, asOf: Int64, value: Double) -> UserActivity? {
        let lo = columns.offsets[u]
        let end = columns.lowerBound(asOf, lo, columns.offsets[u + 1])
        guard end > lo else { return nil }
        let first = columns.times[lo], last = columns.times[end - 1]
        let recentStart = asOf - 7 * millisPerDay, usualStart = asOf - 35 * millisPerDay
        var lastDayCounted = Int64.min
        var recentDays = 0, usualDays = 0
        // Walk back from the newest event through the 35 days of active-day counts.
        // (A UTC day straddling the 7-day boundary counts once, on the recent side.)
        var i = end - 1
        while i >= lo, columns.times[i] >= usualStart {
            let t = columns.times[i]
            let day = utcDay(t)
            if day != lastDayCounted {
                if t >= recentStart { recentDays += 1 } else { usualDays += 1 }
                lastDayCounted = day
            }
            i -= 1
        }
        return UserActivity(daysInactive: Int((asOf - last) / millisPerDay), tenureDays: Int((asOf - first) / millisPerDay),
                            value: value, activeDaysLast7: recentDays, usualWeeklyActiveDays: Double(usualDays) * 7 / 28)
    }
}
