// Durations (`30d`, `12h`, `2w`) and cutoff schedules (`2026-05-31`, `2026-03-01..2026-05-31/14d`).
import EventLog
import Foundation

public let millisPerDay: Int64 = 86_400_000

/// The UTC day number of a time (floor division, so times before 1970 land on the right day).
@inline(__always)
public func utcDay(_ millis: Int64) -> Int64 {
    millis >= 0 ? millis / millisPerDay : (millis - millisPerDay + 1) / millisPerDay
}

/// A span of time in milliseconds, written `<n>d`, `<n>h`, `<n>w` or `<n>m` (minutes).
public struct Duration: Sendable, Codable, Equatable, CustomStringConvertible {
    public let millis: Int64
    private let text: String

    public init(parsing text: String) throws {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard let unit = t.last, let n = Int64(t.dropLast()), n >= 0 else { throw FeaturesError.invalidDuration(text) }
        let scale: Int64
        switch unit {
        case "d": scale = millisPerDay
        case "h": scale = 3_600_000
        case "w": scale = 7 * millisPerDay
        case "m": scale = 60_000
        default: throw FeaturesError.invalidDuration(text)
        }
        millis = n * scale
        self.text = t
    }

    public static func days(_ d: Int) -> Duration { Duration(millis: Int64(d) * millisPerDay, text: "\(d)d") }

    private init(millis: Int64, text: String) { self.millis = millis; self.text = text }

    public var days: Double { Double(millis) / Double(millisPerDay) }
    public var description: String { text }

    public init(from decoder: Decoder) throws { try self.init(parsing: try decoder.singleValueContainer().decode(String.self)) }
    public func encode(to encoder: Encoder) throws { var c = encoder.singleValueContainer(); try c.encode(text) }
}

/// The cutoffs at which rows are built: one date, or every STEP from START through END.
public enum CutoffSchedule {
    public static func parse(_ text: String) throws -> [Int64] {
        if let range = text.range(of: "..") {
            let start = String(text[..<range.lowerBound])
            let rest = text[range.upperBound...]
            guard let slash = rest.firstIndex(of: "/") else { throw FeaturesError.invalidCutoff(text) }
            let end = String(rest[..<slash]), step = String(rest[rest.index(after: slash)...])
            guard let s = parseTimestamp(start), let e = parseTimestamp(end), e >= s else { throw FeaturesError.invalidCutoff(text) }
            let d = try Duration(parsing: step)
            guard d.millis > 0 else { throw FeaturesError.invalidCutoff(text) }
            return Array(stride(from: s, through: e, by: Int(d.millis)))
        }
        let cutoffs = try text.split(separator: ",").map { part in
            guard let t = parseTimestamp(String(part).trimmingCharacters(in: .whitespaces)) else { throw FeaturesError.invalidCutoff(text) }
            return t
        }
        guard !cutoffs.isEmpty else { throw FeaturesError.invalidCutoff(text) }   // "" would build no rows at all
        return cutoffs
    }
}
