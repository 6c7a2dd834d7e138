// Signup-cohort retention: users grouped by the UTC day or week they were first seen, and the share of each
// cohort active on day 1, 7, 30 after signup, with alarm lines (domain.md: day-1 retention under 18%).
import EventLog

/// How users are grouped into cohorts.
public enum CohortPeriod: String, Codable, Sendable, CaseIterable {
    /// The UTC calendar day of signup.
    case day
    /// The ISO week (Monday 00:00 UTC to the next Monday) of signup.
    case week
}

/// Options of a retention table.
public struct RetentionOptions: Codable, Sendable, Equatable {
    public var period: CohortPeriod
    /// Days after signup to measure, each ≥ 1 (default 1, 7, 30).
    public var days: [Int]
    /// Alarm line per day: a cohort whose observed retention on that day is strictly under the line is
    /// flagged. Default: day 1 under 18% (domain.md).
    public var alarmLines: [Int: Double]
    /// When non-empty, a user's signup is their first event with one of these names and users without one
    /// are left out (counted in `RetentionTable.usersWithoutSignup`); when empty, signup is the first event.
    public var signupEvents: [String]

    public static let defaultAlarmLines: [Int: Double] = [1: 0.18]

    public init(period: CohortPeriod = .day, days: [Int] = [1, 7, 30],
                alarmLines: [Int: Double] = RetentionOptions.defaultAlarmLines, signupEvents: [String] = []) {
        self.period = period; self.days = days; self.alarmLines = alarmLines; self.signupEvents = signupEvents
    }

    func validate() throws {
        guard !days.isEmpty, days.allSatisfy({ $0 >= 1 }), Set(days).count == days.count else {
            throw RetentionError.invalidDays(days)
        }
        for (day, line) in alarmLines.sorted(by: { $0.key < $1.key })
        where !days.contains(day) || !(line >= 0 && line <= 1) {
            throw RetentionError.invalidAlarm(day: day, line: line)
        }
    }
}

/// Day-N retention of one cohort.
public struct RetentionCell: Codable, Sendable, Equatable {
    public var day: Int
    /// False when some member's day N ends after the data does: the cohort is too young and the cell holds
    /// no rate (it is never counted as 0).
    public var observable: Bool
    /// Members with at least one event on their day N (0 when not observable).
    public var retained: Int
    /// retained / cohort size; nil when not observable.
    public var rate: Double?
    /// True when observable and `rate` is strictly under the alarm line for this day.
    public var underAlarm: Bool
}

/// One signup cohort.
public struct Cohort: Codable, Sendable, Equatable {
    /// First UTC day of the cohort period (milliseconds since 1970, midnight).
    public var start: Int64
    /// `2026-03-02` (day) or `2026-03-02` as the Monday of the week.
    public var label: String
    public var size: Int
    /// The cohort's period contains the first day of the log, so it also holds users who were already
    /// active when the log began (their true signup is unknown). Only when signup is the first event.
    public var startsWithLog: Bool
    public var cells: [RetentionCell]

    /// True when any observable cell is under its alarm line.
    public var flagged: Bool { cells.contains { $0.underAlarm } }
}

/// Retention of every signup cohort of a log, oldest first.
public struct RetentionTable: Codable, Sendable, Equatable {
    public var options: RetentionOptions
    public var cohorts: [Cohort]
    /// Midnight after the log's last event: a day N is observed only when it ends at or before this.
    public var dataEnd: Int64
    /// Users left out because they have no signup event (always 0 when signup is the first event).
    public var usersWithoutSignup: Int

    public var flaggedCohorts: [Cohort] { cohorts.filter(\.flagged) }
}

public enum CohortRetention {
    public static let dayMillis: Int64 = 86_400_000

    /// Builds the cohort table.
    ///
    /// Definition (calendar days, UTC): a user's signup day s is the UTC day of their first event (or first
    /// signup event). The user is retained on day N when they have any event in [s + N days, s + N + 1 days),
    /// i.e. on the N-th calendar day after the signup day (day 1 = the next calendar day, as "next-day
    /// retention" is usually read). Day N of a cohort is observable when, for every member, that day ends at
    /// or before the data end (midnight after the last event); otherwise the cell is not-yet-observable.
    /// Day-N retention = retained members / cohort size.
    ///
    /// One scan over the store with a binary search per user and day: O(events + users · |days| · log).
    public static func compute(_ store: EventStore, options: RetentionOptions = RetentionOptions()) throws -> RetentionTable {
        try options.validate()
        guard let first = store.firstTime, let last = store.lastTime else { throw RetentionError.emptyLog }
        var signupIDs: Set<UInt32> = []
        for name in options.signupEvents {
            guard let id = store.eventID(named: name) else {
                throw RetentionError.unknownSignupEvent(name, known: store.eventNames)
            }
            signupIDs.insert(id)
        }
        let firstDay = floorDay(first)
        let dataEnd = (floorDay(last) + 1) * dayMillis
        let days = options.days

        struct Accumulator { var size = 0; var latestSignupDay = Int64.min; var retained: [Int] }
        var byPeriod: [Int64: Accumulator] = [:]
        var withoutSignup = 0
        store.withColumns { columns in
            let times = columns.times, events = columns.events
            for u in 0..<store.userCount {
                let r = store.range(ofUser: u)
                guard !r.isEmpty else { continue }
                var signupIndex = r.lowerBound
                if !signupIDs.isEmpty {
                    guard let k = r.first(where: { signupIDs.contains(events[$0]) }) else { withoutSignup += 1; continue }
                    signupIndex = k
                }
                let signupDay = floorDay(times[signupIndex])
                let key = periodStart(day: signupDay, period: options.period)
                var acc = byPeriod[key] ?? Accumulator(retained: [Int](repeating: 0, count: days.count))
                acc.size += 1
                acc.latestSignupDay = max(acc.latestSignupDay, signupDay)
                for (j, n) in days.enumerated() {
                    let lo = (signupDay + Int64(n)) * dayMillis
                    let k = columns.lowerBound(lo, signupIndex, r.upperBound)
                    if k < r.upperBound && times[k] < lo + dayMillis { acc.retained[j] += 1 }
                }
                byPeriod[key] = acc
            }
        }
        let dataEndDay = floorDay(dataEnd)
        let cohorts = byPeriod.keys.sorted().map { key -> Cohort in
            let acc = byPeriod[key]!
            let cells = days.enumerated().map { j, n -> RetentionCell in
                let observable = acc.latestSignupDay + Int64(n) + 1 <= dataEndDay
                let rate = observable ? Double(acc.retained[j]) / Double(acc.size) : nil
                let under = rate.map { r in options.alarmLines[n].map { r < $0 } ?? false } ?? false
                return RetentionCell(day: n, observable: observable, retained: observable ? acc.retained[j] : 0,
                                     rate: rate, underAlarm: under)
            }
            let periodDays: Int64 = options.period == .day ? 1 : 7
            return Cohort(start: key * dayMillis, label: formatTimestamp(key * dayMillis, dateOnly: true), size: acc.size,
                          startsWithLog: options.signupEvents.isEmpty && key <= firstDay && firstDay < key + periodDays,
                          cells: cells)
        }
        return RetentionTable(options: options, cohorts: cohorts, dataEnd: dataEnd, usersWithoutSignup: withoutSignup)
    }

    /// UTC day number (days since 1970-01-01) of a millisecond time, flooring for times before 1970.
    @inline(__always)
    static func floorDay(_ ms: Int64) -> Int64 { ms >= 0 ? ms / dayMillis : -((-ms + dayMillis - 1) / dayMillis) }

    /// First day of the period holding `day`: the day itself, or the Monday of its ISO week
    /// (1970-01-01 was a Thursday, so Monday-based weekday = (day + 3) mod 7).
    static func periodStart(day: Int64, period: CohortPeriod) -> Int64 {
        switch period {
        case .day: return day
        case .week:
            let weekday = ((day + 3) % 7 + 7) % 7
            return day - weekday
        }
    }
}
