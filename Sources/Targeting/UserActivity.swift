// Per-user facts the ranked list needs beyond the model's features, read straight from the event store so
// they do not depend on which windows a model's feature spec happens to have.
import EventLog
import Features

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
        let range = store.range(ofUser: u)
        var end = range.lowerBound
        while end < range.upperBound && store.times[end] < asOf { end += 1 }
        guard end > range.lowerBound else { return nil }
        let first = store.times[range.lowerBound], last = store.times[end - 1]
        let recentStart = asOf - 7 * millisPerDay, usualStart = asOf - 35 * millisPerDay
        let valueStart = asOf - Int64(valueWindowDays) * millisPerDay
        var value = 0.0
        var lastDayCounted = Int64.min
        var recentDays = 0, usualDays = 0
        var i = end - 1
        // Walk back from the newest event through the value window and the 35 days of active-day counts.
        // (A UTC day straddling the 7-day boundary counts once, on the recent side.)
        while i >= range.lowerBound {
            let t = store.times[i]
            if t >= valueStart, store.values[i].isFinite, valueEvents?.contains(store.events[i]) ?? true { value += store.values[i] }
            let day = utcDay(t)
            if day != lastDayCounted && t >= usualStart {
                if t >= recentStart { recentDays += 1 } else { usualDays += 1 }
                lastDayCounted = day
            }
            if t < valueStart && t < usualStart { break }
            i -= 1
        }
        return UserActivity(daysInactive: Int((asOf - last) / millisPerDay), tenureDays: Int((asOf - first) / millisPerDay),
                            value: value, activeDaysLast7: recentDays, usualWeeklyActiveDays: Double(usualDays) * 7 / 28)
    }
}
