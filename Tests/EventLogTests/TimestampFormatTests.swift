// Every timestamp format the reader accepts (ISO 8601 with offsets, epoch seconds / millis, YYYYMMDD,
// strftime-like patterns), auto-detection through the real reader, and rejection of impossible dates.
import Foundation
import Testing
import TestSupport
@testable import EventLog

/// Parses `text` with a resolved format (nil = rejected).
private func parse(_ text: String, _ format: TimeFormat) -> Int64? {
    Array(text.utf8).withUnsafeBytes { TimestampReader(format).parse($0) }
}

/// 2026-05-31T13:45:30Z, the reference instant of these tests.
private let t0 = utcMillis(2026, 5, 31, 13, 45, 30)

@Suite("ISO 8601 timestamps")
struct ISO8601Tests {
    @Test("date only, T or space separator, fractions, Z and every offset form")
    func forms() {
        #expect(t0 == 1_780_235_130_000) // date -u -d 2026-05-31T13:45:30Z +%s
        let cases: [(String, Int64)] = [
            ("2026-05-31", utcMillis(2026, 5, 31)),
            ("2026-05-31T13:45:30", t0),
            ("2026-05-31 13:45:30", t0),
            ("2026-05-31t13:45:30", t0),
            ("2026-05-31T13:45", t0 - 30_000),
            ("2026-05-31T13:45:30Z", t0),
            ("2026-05-31T13:45:30.123Z", t0 + 123),
            ("2026-05-31T13:45:30.5", t0 + 500),
            ("2026-05-31T13:45:30,25", t0 + 250),
            ("2026-05-31T13:45:30.123456789Z", t0 + 123),   // digits past milliseconds truncate
            ("2026-05-31T13:45:30+02:00", t0 - 2 * 3_600_000),
            ("2026-05-31T13:45:30-05:30", t0 + 5 * 3_600_000 + 30 * 60_000),
            ("2026-05-31T13:45:30+0200", t0 - 2 * 3_600_000),
            ("2026-05-31T13:45:30-0530", t0 + 5 * 3_600_000 + 30 * 60_000),
            ("2026-05-31T13:45:30+02", t0 - 2 * 3_600_000),
            ("2026-05-31T13:45:30.250+01:00", t0 + 250 - 3_600_000),
            ("2026-05-31T00:30:00+01:00", utcMillis(2026, 5, 30, 23, 30)),   // offset crosses midnight
        ]
        for (text, expected) in cases {
            #expect(parse(text, .iso8601) == expected, "\(text)")
        }
    }

    @Test("impossible dates and malformed text are rejected")
    func invalid() {
        for text in ["2026-02-30", "2026-13-01", "2026-00-10", "2026-04-31", "2023-02-29", "1900-02-29",
                     "2026-05-31T24:00:00Z", "2026-05-31T13:60:00Z", "2026-05-31T13:45:30+2", "2026-05-31T13:45:30+24:00",
                     "2026-05-31T13:45:30Zjunk", "2026-5-31", "2026/05/31", "2026-05-31T", "2026-05-31T13:45:30.",
                     "", "yesterday"] {
            #expect(parse(text, .iso8601) == nil, "\(text)")
        }
        #expect(parse("2024-02-29", .iso8601) == utcMillis(2024, 2, 29))
        #expect(parse("2000-02-29", .iso8601) == utcMillis(2000, 2, 29))
    }

    @Test("parseTimestamp (command-line dates) takes ISO 8601 and YYYYMMDD")
    func commandLine() {
        #expect(parseTimestamp("2026-05-31") == utcMillis(2026, 5, 31))
        #expect(parseTimestamp("20260531") == utcMillis(2026, 5, 31))
        #expect(parseTimestamp("2026-05-31T13:45:30Z") == t0)
        #expect(parseTimestamp("2026-02-30") == nil)
        #expect(parseTimestamp("31/05/2026") == nil)
    }

    @Test("formatTimestamp writes UTC, also before 1970, and round-trips")
    func formatting() {
        #expect(formatTimestamp(t0) == "2026-05-31T13:45:30Z")
        #expect(formatTimestamp(t0, dateOnly: true) == "2026-05-31")
        #expect(formatTimestamp(0) == "1970-01-01T00:00:00Z")
        #expect(formatTimestamp(-1) == "1969-12-31T23:59:59Z")
        #expect(formatTimestamp(-86_400_000) == "1969-12-31T00:00:00Z")
        var rng = SplitMix64(seed: 11)
        for _ in 0..<500 {
            let secs = Int64.random(in: -2_000_000_000...4_000_000_000, using: &rng)
            #expect(parseTimestamp(formatTimestamp(secs * 1000)) == secs * 1000)
        }
    }
}

@Suite("Epoch, YYYYMMDD and pattern timestamps")
struct OtherTimeFormatTests {
    @Test("epoch seconds with and without a fraction, epoch milliseconds")
    func epochs() {
        #expect(parse("1780235130", .epochSeconds) == t0)
        #expect(parse("1780235130.25", .epochSeconds) == t0 + 250)
        #expect(parse("-86400", .epochSeconds) == -86_400_000)
        #expect(parse("1780235130123", .epochMillis) == t0 + 123)
        #expect(parse("0", .epochMillis) == 0)
        for bad in ["", "-", "12a", "1780235130.", "1.2.3", " 1780235130"] { #expect(parse(bad, .epochSeconds) == nil, "\(bad)") }
        for bad in ["", "1780235130.5", "abc"] { #expect(parse(bad, .epochMillis) == nil, "\(bad)") }
    }

    @Test("yyyymmdd accepts real dates only")
    func compactDates() {
        #expect(parse("20260531", .yyyymmdd) == utcMillis(2026, 5, 31))
        #expect(parse("19970101", .yyyymmdd) == utcMillis(1997, 1, 1))
        for bad in ["20260230", "20261301", "2026053", "202605311", "2026-05-31"] { #expect(parse(bad, .yyyymmdd) == nil, "\(bad)") }
    }

    @Test("patterns, with %z offsets and %f fractions")
    func patterns() throws {
        let plain = try TimeFormat(parsing: "%Y-%m-%d %H:%M:%S")
        #expect(plain == .pattern("%Y-%m-%d %H:%M:%S"))
        #expect(parse("2026-05-31 13:45:30", plain) == t0)
        #expect(parse("2026-05-31T13:45:30", plain) == nil)
        #expect(parse("2026-02-30 13:45:30", plain) == nil)
        let zoned = try TimeFormat(parsing: "%d/%m/%Y %H:%M %z")
        #expect(parse("31/05/2026 13:45 +0200", zoned) == t0 - 30_000 - 2 * 3_600_000)
        #expect(parse("31/05/2026 13:45 -03:00", zoned) == t0 - 30_000 + 3 * 3_600_000)
        #expect(parse("31/05/2026 13:45 Z", zoned) == t0 - 30_000)
        #expect(parse("31/13/2026 13:45 +0200", zoned) == nil)
        let fraction = try TimeFormat(parsing: "%Y%m%d-%H%M%S.%f")
        #expect(parse("20260531-134530.75", fraction) == t0 + 750)
    }

    @Test("format names parse and print back; unknown ones throw")
    func names() throws {
        let names = ["auto", "iso8601", "epoch-s", "epoch-ms", "yyyymmdd", "%Y-%m-%d"]
        for name in names { #expect(try TimeFormat(parsing: name).description == name) }
        for bad in ["", "iso", "epoch", "%Q", "%Y-%", "YYYY-MM-DD"] {
            #expect(throws: EventLogError.self, "\(bad)") { try TimeFormat(parsing: bad) }
        }
    }
}

@Suite("Time format auto-detection through the reader")
struct TimeFormatDetectionTests {
    @Test("each format is detected from the time column and parsed", arguments: [
        ("2026-05-31\n2026-06-01", TimeFormat.iso8601, [utcMillis(2026, 5, 31), utcMillis(2026, 6, 1)]),
        ("2026-05-31T13:45:30+02:00\n2026-05-31 13:45:30.5Z", .iso8601, [t0 - 7_200_000, t0 + 500]),
        ("1780235130\n1780235130.25", .epochSeconds, [t0, t0 + 250]),
        ("1780235130123\n1780235131000", .epochMillis, [t0 + 123, t0 + 1000]),
        ("20260531\n19970101", .yyyymmdd, [utcMillis(2026, 5, 31), utcMillis(1997, 1, 1)]),
    ])
    func detect(column: String, expected: TimeFormat, times: [Int64]) throws {
        let rows = column.split(separator: "\n").enumerated().map { "u\($0.offset),\($0.element),e,\n" }.joined()
        let (store, report) = try readLog("user_id,timestamp,event,value\n" + rows)
        #expect(report.timeFormat == expected)
        #expect(report.timeFormatDetected)
        #expect(store.times == times)
    }

    @Test("an explicit format is used as given, not detected")
    func explicit() throws {
        var options = ReadOptions()
        options.timeFormat = try TimeFormat(parsing: "%Y-%m-%d %H:%M:%S")
        let (store, report) = try readLog("user_id,timestamp\nu1,2026-05-31 13:45:30\n", options: options)
        #expect(!report.timeFormatDetected)
        #expect(store.times == [t0])
    }

    @Test("a minority of unparsable timestamps does not stop detection; they become bad rows")
    func majority() throws {
        var options = ReadOptions()
        options.badRows = .skip
        let (store, report) = try readLog("user_id,timestamp\nu1,20260531\nu2,31/05/2026\nu3,19970101\n", options: options)
        #expect(report.timeFormat == .yyyymmdd)
        #expect(store.userIDs == ["u1", "u3"] && report.badRows == [.badTimestamp: 1])
        // No format fits more than half: detection fails.
        #expect(throws: EventLogError.self) {
            _ = try readLog("user_id,timestamp\nu1,20260531\nu2,31/05/2026\n", options: options)
        }
    }

    @Test("undetectable timestamps name a sample")
    func undetectable() throws {
        #expect {
            _ = try readLog("user_id,timestamp\nu1,31/05/2026\n")
        } throws: { error in
            guard case let EventLogError.timeFormatUndetectable(_, sample) = error else { return false }
            return sample == "31/05/2026"
        }
    }
}
