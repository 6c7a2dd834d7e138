// The timestamps a log can plausibly hold (`--time-range`). A row outside is a bad row of its own kind, so one
// row dated 9999-12-31, or epoch seconds read as milliseconds, cannot move the data end or land in 1970.
import Foundation
import TenureCore

public struct TimeRange: Sendable, Equatable, CustomStringConvertible {
    /// Earliest accepted time, inclusive (UTC ms).
    public var from: Int64
    /// Latest accepted time, inclusive (UTC ms).
    public var to: Int64

    /// The default's lower end: before any product whose log Tenure reads.
    public static let defaultFrom = "1990-01-01"
    /// The default's upper end is this long after now: clocks and time zones run a little ahead.
    public static let defaultSlackDays = 2

    public init(from: Int64, to: Int64) { self.from = from; self.to = to }

    /// The default: 1990-01-01 to two days after `now`.
    public static func plausible(now: Int64 = Int64(Date().timeIntervalSince1970 * 1000)) -> TimeRange {
        TimeRange(from: parseTimestamp(defaultFrom)!, to: now + Int64(defaultSlackDays) * millisPerDay)
    }

    /// `FROM..TO`: dates or ISO 8601 timestamps; a date as TO includes that whole day; an empty side keeps the
    /// default's.
    public init(parsing text: String, now: Int64 = Int64(Date().timeIntervalSince1970 * 1000)) throws {
        let parts = text.components(separatedBy: "..")
        guard parts.count == 2 else { throw EventLogError.invalidTimeRange(text, reason: "expected FROM..TO") }
        let d = TimeRange.plausible(now: now)
        func bound(_ s: String, upper: Bool) throws -> Int64 {
            let s = s.trimmingCharacters(in: .whitespaces)
            if s.isEmpty { return upper ? d.to : d.from }
            guard let t = parseTimestamp(s) else {
                throw EventLogError.invalidTimeRange(text, reason: "'\(s)' is not a date (2026-05-31) or ISO 8601 timestamp")
            }
            // A date-only TO means through the end of that day.
            let dateOnly = s.count == 10 || s.count == 8
            return upper && dateOnly ? t + millisPerDay - 1 : t
        }
        from = try bound(parts[0], upper: false)
        to = try bound(parts[1], upper: true)
        guard from <= to else { throw EventLogError.invalidTimeRange(text, reason: "FROM is after TO") }
    }

    @inline(__always) public func contains(_ t: Int64) -> Bool { t >= from && t <= to }

    public var description: String { "\(formatTimestamp(from))..\(formatTimestamp(to))" }

    /// Why `t` is outside, for the bad row's message.
    func explain(_ t: Int64) -> String {
        t < from ? "before \(formatTimestamp(from))" : "after \(formatTimestamp(to))"
    }
}
