// Timestamp formats and their hand-written parsers: all times become UTC milliseconds since 1970.
// (ISO8601DateFormatter costs ~90 µs a timestamp; these cost tens of nanoseconds.)

/// How the time column is written. `auto` picks one of the others from the first rows.
public enum TimeFormat: Sendable, Equatable, Codable, CustomStringConvertible {
    case auto
    /// `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.fff]]` (or a space for `T`), with `Z`, `±hh:mm`, `±hhmm` or `±hh`.
    case iso8601
    case epochSeconds
    case epochMillis
    case yyyymmdd
    /// strftime-like: `%Y %m %d %H %M %S %f %z %%` and literal characters.
    case pattern(String)

    public init(parsing text: String) throws {
        switch text {
        case "auto": self = .auto
        case "iso8601": self = .iso8601
        case "epoch-s": self = .epochSeconds
        case "epoch-ms": self = .epochMillis
        case "yyyymmdd": self = .yyyymmdd
        default:
            guard text.contains("%"), TimePattern(text) != nil else { throw EventLogError.invalidTimeFormat(text) }
            self = .pattern(text)
        }
    }

    public var description: String {
        switch self {
        case .auto: return "auto"
        case .iso8601: return "iso8601"
        case .epochSeconds: return "epoch-s"
        case .epochMillis: return "epoch-ms"
        case .yyyymmdd: return "yyyymmdd"
        case let .pattern(p): return p
        }
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(parsing: text)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// A compiled `.pattern` format.
struct TimePattern: Sendable {
    enum Token: Sendable, Equatable { case year, month, day, hour, minute, second, fraction, offset, literal(UInt8) }
    let tokens: [Token]

    init?(_ text: String) {
        var out: [Token] = []
        var bytes = Array(text.utf8)[...]
        while let b = bytes.popFirst() {
            if b != UInt8(ascii: "%") { out.append(.literal(b)); continue }
            guard let c = bytes.popFirst() else { return nil }
            switch c {
            case UInt8(ascii: "Y"): out.append(.year)
            case UInt8(ascii: "m"): out.append(.month)
            case UInt8(ascii: "d"): out.append(.day)
            case UInt8(ascii: "H"): out.append(.hour)
            case UInt8(ascii: "M"): out.append(.minute)
            case UInt8(ascii: "S"): out.append(.second)
            case UInt8(ascii: "f"): out.append(.fraction)
            case UInt8(ascii: "z"): out.append(.offset)
            case UInt8(ascii: "%"): out.append(.literal(c))
            default: return nil
            }
        }
        tokens = out
    }
}

/// Days from 1970-01-01 to the civil date (Howard Hinnant's `days_from_civil`, proleptic Gregorian).
@inline(__always)
public func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
    let y = m <= 2 ? y0 - 1 : y0
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (m + 9) % 12
    let doy = (153 * mp + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
}

/// The civil date of a day number (Hinnant's `civil_from_days`).
@inline(__always)
public func civilFromDays(_ z0: Int) -> (year: Int, month: Int, day: Int) {
    let z = z0 + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let doe = z - era * 146097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
    let y = yoe + era * 400
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (m <= 2 ? y + 1 : y, m, d)
}

@inline(__always)
func daysInMonth(_ y: Int, _ m: Int) -> Int {
    switch m {
    case 2: return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
}

/// Parses timestamps from raw bytes. Every function returns nil for text that is not exactly the format.
enum TimestampParser {
    @inline(__always)
    static func digit(_ p: UnsafeRawBufferPointer, _ i: Int) -> Int? {
        let v = Int(p[i]) &- 48
        return (v >= 0 && v <= 9) ? v : nil
    }

    @inline(__always)
    static func number(_ p: UnsafeRawBufferPointer, _ i: Int, _ n: Int) -> Int? {
        guard i + n <= p.count else { return nil }
        var v = 0
        for k in i..<(i + n) {
            guard let d = digit(p, k) else { return nil }
            v = v * 10 + d
        }
        return v
    }

    @inline(__always)
    static func millis(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int, _ ms: Int, offsetMinutes: Int) -> Int64? {
        guard mo >= 1, mo <= 12, d >= 1, d <= daysInMonth(y, mo), h <= 23, mi <= 59, s <= 60 else { return nil }
        let days = daysFromCivil(y, mo, d)
        let secs = Int64(days) * 86400 + Int64(h * 3600 + mi * 60 + s) - Int64(offsetMinutes * 60)
        return secs * 1000 + Int64(ms)
    }

    /// Fractional seconds after a '.' at `i`: returns (milliseconds, index after the digits).
    @inline(__always)
    static func fraction(_ p: UnsafeRawBufferPointer, _ i0: Int) -> (Int, Int)? {
        var i = i0, ms = 0, n = 0
        while i < p.count, let dg = digit(p, i) {
            if n < 3 { ms = ms * 10 + dg }
            n += 1; i += 1
        }
        guard n > 0 else { return nil }
        while n < 3 { ms *= 10; n += 1 }
        return (ms, i)
    }

    /// `Z`, `±hh:mm`, `±hhmm`, `±hh` at `i`, which must end the text: offset in minutes east of UTC.
    @inline(__always)
    static func offset(_ p: UnsafeRawBufferPointer, _ i: Int) -> Int? {
        let n = p.count
        if i == n { return 0 }
        if p[i] == UInt8(ascii: "Z") || p[i] == UInt8(ascii: "z") { return i + 1 == n ? 0 : nil }
        let sign: Int
        switch p[i] {
        case UInt8(ascii: "+"): sign = 1
        case UInt8(ascii: "-"): sign = -1
        default: return nil
        }
        guard let hh = number(p, i + 1, 2), hh <= 23 else { return nil }
        var j = i + 3
        var mm = 0
        if j < n {
            if p[j] == UInt8(ascii: ":") { j += 1 }
            guard let m = number(p, j, 2), m <= 59 else { return nil }
            mm = m; j += 2
        }
        return j == n ? sign * (hh * 60 + mm) : nil
    }

    static func iso8601(_ p: UnsafeRawBufferPointer) -> Int64? {
        let n = p.count
        guard n >= 10, let y = number(p, 0, 4), p[4] == UInt8(ascii: "-"), let mo = number(p, 5, 2),
              p[7] == UInt8(ascii: "-"), let d = number(p, 8, 2) else { return nil }
        if n == 10 { return millis(y, mo, d, 0, 0, 0, 0, offsetMinutes: 0) }
        guard p[10] == UInt8(ascii: "T") || p[10] == UInt8(ascii: " ") || p[10] == UInt8(ascii: "t"),
              let h = number(p, 11, 2), n > 13, p[13] == UInt8(ascii: ":"), let mi = number(p, 14, 2) else { return nil }
        var i = 16, s = 0, ms = 0
        if i < n, p[i] == UInt8(ascii: ":") {
            guard let sec = number(p, i + 1, 2) else { return nil }
            s = sec; i += 3
            if i < n, p[i] == UInt8(ascii: ".") || p[i] == UInt8(ascii: ",") {
                guard let (f, j) = fraction(p, i + 1) else { return nil }
                ms = f; i = j
            }
        }
        guard let off = offset(p, i) else { return nil }
        return millis(y, mo, d, h, mi, s, ms, offsetMinutes: off)
    }

    static func yyyymmdd(_ p: UnsafeRawBufferPointer) -> Int64? {
        guard p.count == 8, let y = number(p, 0, 4), let mo = number(p, 4, 2), let d = number(p, 6, 2) else { return nil }
        return millis(y, mo, d, 0, 0, 0, 0, offsetMinutes: 0)
    }

    /// Unix seconds, optionally negative and with a fraction.
    static func epochSeconds(_ p: UnsafeRawBufferPointer) -> Int64? {
        let n = p.count
        guard let (neg, v, end) = signedInteger(p, maxDigits: 12) else { return nil }
        var i = end, ms = 0
        if i < n, p[i] == UInt8(ascii: ".") {
            guard let (f, j) = fraction(p, i + 1) else { return nil }
            ms = f; i = j
        }
        guard i == n else { return nil }
        let total = v * 1000 + Int64(ms)
        return neg ? -total : total
    }

    static func epochMillis(_ p: UnsafeRawBufferPointer) -> Int64? {
        guard let (neg, v, i) = signedInteger(p, maxDigits: 15), i == p.count else { return nil }
        return neg ? -v : v
    }

    /// A leading optional "-" and 1…`maxDigits` digits: (negative, magnitude, index after the digits).
    @inline(__always)
    static func signedInteger(_ p: UnsafeRawBufferPointer, maxDigits: Int) -> (Bool, Int64, Int)? {
        let n = p.count
        var i = 0, neg = false
        if n > 0, p[0] == UInt8(ascii: "-") { neg = true; i = 1 }
        var v: Int64 = 0, digits = 0
        while i < n, let dg = digit(p, i) {
            v = v * 10 + Int64(dg); digits += 1; i += 1
            if digits > maxDigits { return nil }
        }
        return digits > 0 ? (neg, v, i) : nil
    }

    static func pattern(_ p: UnsafeRawBufferPointer, _ pattern: TimePattern) -> Int64? {
        var y = 1970, mo = 1, d = 1, h = 0, mi = 0, s = 0, ms = 0, off = 0
        var i = 0
        for t in pattern.tokens {
            switch t {
            case .year: guard let v = number(p, i, 4) else { return nil }; y = v; i += 4
            case .month: guard let v = number(p, i, 2) else { return nil }; mo = v; i += 2
            case .day: guard let v = number(p, i, 2) else { return nil }; d = v; i += 2
            case .hour: guard let v = number(p, i, 2) else { return nil }; h = v; i += 2
            case .minute: guard let v = number(p, i, 2) else { return nil }; mi = v; i += 2
            case .second: guard let v = number(p, i, 2) else { return nil }; s = v; i += 2
            case .fraction: guard let (f, j) = fraction(p, i) else { return nil }; ms = f; i = j
            case .offset:
                // The offset must end the text; find its extent.
                guard let o = offset(p, i) else { return nil }
                off = o; i = p.count
            case let .literal(c): guard i < p.count, p[i] == c else { return nil }; i += 1
            }
        }
        guard i == p.count else { return nil }
        return millis(y, mo, d, h, mi, s, ms, offsetMinutes: off)
    }
}

/// A resolved (never `.auto`) timestamp parser.
struct TimestampReader: Sendable {
    let format: TimeFormat
    private let compiled: TimePattern?

    init(_ format: TimeFormat) {
        precondition(format != .auto, "resolve .auto before building a reader")
        self.format = format
        if case let .pattern(p) = format { compiled = TimePattern(p) } else { compiled = nil }
    }

    @inline(__always)
    func parse(_ p: UnsafeRawBufferPointer) -> Int64? {
        switch format {
        case .iso8601: return TimestampParser.iso8601(p)
        case .yyyymmdd: return TimestampParser.yyyymmdd(p)
        case .epochSeconds: return TimestampParser.epochSeconds(p)
        case .epochMillis: return TimestampParser.epochMillis(p)
        case .pattern: return TimestampParser.pattern(p, compiled!)
        case .auto: return nil
        }
    }

    /// The first sample that reads as epoch seconds (9…11 digits) and the first that reads as epoch
    /// milliseconds (12…13 digits), when the samples hold both: no one format fits such a column.
    static func mixedEpochUnits(_ samples: [[UInt8]]) -> (seconds: String, millis: String)? {
        var seconds: [UInt8]?, millis: [UInt8]?
        for s in samples where s.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            if (9...11).contains(s.count) { seconds = seconds ?? s } else if (12...13).contains(s.count) { millis = millis ?? s }
        }
        guard let seconds, let millis else { return nil }
        return (String(decoding: seconds, as: UTF8.self), String(decoding: millis, as: UTF8.self))
    }

    /// Picks the most specific format all `samples` parse under; failing that, the one more than half of them
    /// parse under (a few bad timestamps among the first rows then become bad rows, reported with their lines,
    /// instead of making detection fail). nil when no format fits a majority.
    static func detect(_ samples: [[UInt8]]) -> TimeFormat? {
        guard !samples.isEmpty else { return nil }
        func count(_ f: (UnsafeRawBufferPointer) -> Int64?, digits: ClosedRange<Int>? = nil) -> Int {
            samples.reduce(0) { n, s in
                if let r = digits, !r.contains(s.count) || !s.allSatisfy({ $0 >= 48 && $0 <= 57 }) { return n }
                return s.withUnsafeBytes { f($0) != nil } ? n + 1 : n
            }
        }
        // Most specific first.
        let fits: [(TimeFormat, Int)] = [
            (.yyyymmdd, count(TimestampParser.yyyymmdd, digits: 8...8)),
            (.epochMillis, count(TimestampParser.epochMillis, digits: 12...13)),
            (.iso8601, count(TimestampParser.iso8601)),
            (.epochSeconds, count(TimestampParser.epochSeconds)),
        ]
        if let all = fits.first(where: { $0.1 == samples.count }) { return all.0 }
        var best = fits[0]
        for f in fits.dropFirst() where f.1 > best.1 { best = f }
        return best.1 * 2 > samples.count ? best.0 : nil
    }
}

/// Formats UTC milliseconds as ISO 8601 (`2026-05-31T00:00:00Z`, or just the date when `dateOnly`).
public func formatTimestamp(_ ms: Int64, dateOnly: Bool = false) -> String {
    let secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
    let days = Int(secs >= 0 ? secs / 86400 : (secs - 86399) / 86400)
    let rem = Int(secs - Int64(days) * 86400)
    let (y, m, d) = civilFromDays(days)
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    // Four-digit years (0000…9999); others in ISO 8601's expanded form (+33658, -0001), never `0-01-01`.
    let digits = String(abs(y)), padded = String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    let year = y < 0 ? "-" + padded : y > 9999 ? "+" + padded : padded
    let date = "\(year)-\(two(m))-\(two(d))"
    if dateOnly { return date }
    return "\(date)T\(two(rem / 3600)):\(two(rem / 60 % 60)):\(two(rem % 60))Z"
}

/// Parses a date or time given on the command line (any ISO 8601 form or YYYYMMDD) to UTC milliseconds.
public func parseTimestamp(_ text: String) -> Int64? {
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBytes { p in TimestampParser.iso8601(p) ?? TimestampParser.yyyymmdd(p) }
}

/// The data end as every command that censors prints it: labels (and retention cells) needing time past it
/// are censored.
public func describeDataEnd(_ ms: Int64) -> String { "data end \(formatTimestamp(ms, dateOnly: true)) (midnight after the last event)" }
