// UTC time arithmetic and spans of time (`30d`, `12h`, `2w`, `90m`), shared by every module that reasons about
// days. Named `TimeSpan`, not `TimeSpan`, so it never hides `Swift.TimeSpan` for code that imports Tenure.

public let millisPerDay: Int64 = 86_400_000

/// The UTC day number of a time (floor division, so times before 1970 land on the right day).
@inline(__always)
public func utcDay(_ millis: Int64) -> Int64 {
    millis >= 0 ? millis / millisPerDay : (millis - millisPerDay + 1) / millisPerDay
}

/// Why a span of time could not be read.
public struct TimeSpanError: CategorizedError, CustomStringConvertible, Sendable, Equatable {
    public let text: String
    public let reason: String
    public var category: ErrorCategory { .badInput }
    public var description: String { "'\(text)' is not a span of time: \(reason)" }
}

/// A span of time in milliseconds, written `<n>d`, `<n>h`, `<n>w` or `<n>m` (minutes). Spans are bounded by
/// `TimeSpan.maxDays` so that adding one to any timestamp Tenure reads can never overflow.
public struct TimeSpan: Sendable, Codable, Equatable, CustomStringConvertible {
    public let millis: Int64
    private let text: String

    /// 100 years: longer than any lookback, horizon or cooldown means a typo, and keeps `time + span` in range.
    public static let maxDays: Int64 = 36_525

    public init(parsing text: String) throws(TimeSpanError) {
        let t = String(text.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
        let usage = "use a whole number and a unit, like 30d, 12h, 2w or 90m"
        guard let unit = t.last, let n = Int64(t.dropLast()) else { throw TimeSpanError(text: text, reason: usage) }
        guard n >= 0 else { throw TimeSpanError(text: text, reason: "a span cannot be negative") }
        let scale: Int64
        switch unit {
        case "d": scale = millisPerDay
        case "h": scale = 3_600_000
        case "w": scale = 7 * millisPerDay
        case "m": scale = 60_000
        default: throw TimeSpanError(text: text, reason: usage)
        }
        let (product, overflow) = n.multipliedReportingOverflow(by: scale)
        guard !overflow, product <= TimeSpan.maxDays * millisPerDay else {
            throw TimeSpanError(text: text, reason: "longer than \(TimeSpan.maxDays) days (100 years)")
        }
        millis = product
        self.text = t
    }

    public static func days(_ d: Int) -> TimeSpan { TimeSpan(millis: Int64(d) * millisPerDay, text: "\(d)d") }

    private init(millis: Int64, text: String) { self.millis = millis; self.text = text }

    public var days: Double { Double(millis) / Double(millisPerDay) }
    public var description: String { text }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(parsing: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }
    public func encode(to encoder: Encoder) throws { var c = encoder.singleValueContainer(); try c.encode(text) }
}
