// The small leaks an attack on the reader found (issue 14): implausible times, mixed epoch units, NUL bytes,
// lax JSON, gzip trailing garbage, zlib messages, quarantine bytes, files without data rows. Each test fails on
// the reader before the fix.
import Foundation
import Testing
import TestSupport
@testable import EventLog

private func expectError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation,
                         _ check: (EventLogError) -> Bool) {
    do {
        try body()
        Issue.record("no error", sourceLocation: sourceLocation)
    } catch let e as EventLogError {
        #expect(check(e), "\(e)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
    }
}

@Suite("Plausible time")
struct PlausibleTimeTests {
    /// 2026-06-01, a fixed "now" for the range.
    static let now = utcMillis(2026, 6, 1)
    static let range = TimeRange.plausible(now: now)

    @Test("one row dated 9999-12-31 is a bad row of its own kind and does not move the latest time")
    func farFuture() throws {
        let text = "user_id,timestamp\nu1,2026-05-01\nu2,9999-12-31\nu3,2026-05-02\n"
        let (store, report) = try readLog(text, options: ReadOptions(badRows: .skip, timeRange: Self.range))
        #expect(report.badRows == [.outsideTimeRange: 1])
        #expect(report.events == 2 && report.records == 3)
        #expect(store.times.max() == utcMillis(2026, 5, 2))
        // The default policy stops with the row's line and both times in words.
        expectError({ _ = try readLog(text, options: ReadOptions(timeRange: Self.range)) }) { e in
            guard case let .badRow(_, line, reason, detail, _) = e else { return false }
            return line == 3 && reason == .outsideTimeRange && detail.contains("9999-12-31T00:00:00Z")
                && detail.contains("after 2026-06-03T00:00:00Z")
        }
    }

    @Test("the default range is 1990-01-01 to two days after now")
    func defaultRange() {
        #expect(Self.range.from == utcMillis(1990, 1, 1))
        #expect(Self.range.to == utcMillis(2026, 6, 3))
        #expect(ReadOptions().timeRange.to > Int64(Date().timeIntervalSince1970 * 1000))
    }

    @Test("epoch second 999999999999 (year 33658) is refused; 1970 from seconds read as milliseconds too")
    func epochOutliers() throws {
        let (_, s) = try readLog("user_id,timestamp\nu1,1780000000\nu2,999999999999\n",
                                 options: ReadOptions(timeFormat: .epochSeconds, badRows: .skip, timeRange: Self.range))
        #expect(s.badRows == [.outsideTimeRange: 1] && s.events == 1)
        let (_, ms) = try readLog("user_id,timestamp\nu1,1780000000000\nu2,1780000000\n",
                                  options: ReadOptions(timeFormat: .epochMillis, badRows: .skip, timeRange: Self.range))
        #expect(ms.badRows == [.outsideTimeRange: 1] && ms.events == 1)
    }

    @Test("auto-detection refuses a column mixing epoch seconds and milliseconds, naming it and both kinds")
    func mixedUnits() {
        let text = "user_id,when\nu1,1780000000000\nu2,1780000000000\nu3,1780000000\n"
        expectError({ _ = try readLog(text, options: ReadOptions(columns: ColumnMapping(time: "when"))) }) { e in
            guard case let .mixedEpochUnits(_, column, seconds, millis) = e else { return false }
            return column == "when" && seconds == "1780000000" && millis == "1780000000000" && e.category == .badInput
        }
    }

    @Test("--time-range parses dates and timestamps; a date as TO includes its day; an empty side is the default")
    func parsing() throws {
        let r = try TimeRange(parsing: "2015-01-01..2026-12-31", now: Self.now)
        #expect(r.from == utcMillis(2015, 1, 1) && r.to == utcMillis(2027, 1, 1) - 1)
        let t = try TimeRange(parsing: "2015-01-01T06:00:00Z..", now: Self.now)
        #expect(t.from == utcMillis(2015, 1, 1, 6) && t.to == Self.range.to)
        #expect(try TimeRange(parsing: "..2020-01-01T00:00:00Z", now: Self.now).from == Self.range.from)
        for bad in ["2015-01-01", "2026..2015-01-01", "yesterday..", "2026-12-31..2015-01-01"] {
            expectError({ _ = try TimeRange(parsing: bad, now: Self.now) }) { e in
                guard case .invalidTimeRange = e else { return false }
                return e.category == .usage
            }
        }
    }

    @Test("years outside 0000…9999 print in ISO 8601's expanded form, year 0 as 0000")
    func yearFormatting() {
        #expect(formatTimestamp(Int64(daysFromCivil(0, 1, 1)) * 86_400_000, dateOnly: true) == "0000-01-01")
        #expect(formatTimestamp(Int64(daysFromCivil(33658, 9, 27)) * 86_400_000, dateOnly: true) == "+33658-09-27")
        #expect(formatTimestamp(Int64(daysFromCivil(-1, 12, 31)) * 86_400_000, dateOnly: true) == "-0001-12-31")
        #expect(formatTimestamp(Int64(daysFromCivil(987, 3, 4)) * 86_400_000, dateOnly: true) == "0987-03-04")
    }
}

@Suite("Hostile rows")
struct HostileRowTests {
    @Test("a NUL byte in a user id or an event name is a bad row that says NUL", arguments: ["csv", "tsv", "jsonl"])
    func nulBytes(format: String) throws {
        let d = format == "tsv" ? "\t" : ","
        let rows = [("u\u{0}1", "view"), ("u2", "vi\u{0}ew"), ("u3", "view")]
        let text: String
        if format == "jsonl" {
            text = rows.map { "{\"user_id\":\"\($0.0.replacingOccurrences(of: "\u{0}", with: "\\u0000"))\",\"timestamp\":\"2026-01-01\",\"event\":\"\($0.1.replacingOccurrences(of: "\u{0}", with: "\\u0000"))\"}\n" }.joined()
        } else {
            text = "user_id\(d)timestamp\(d)event\n" + rows.map { "\($0.0)\(d)2026-01-01\(d)\($0.1)\n" }.joined()
        }
        let (store, report) = try readLog(text, name: "log.\(format)", options: ReadOptions(badRows: .skip))
        #expect(report.badRows == [.nulByte: 2])
        #expect(store.userIDs == ["u3"] && store.eventNames == ["view"])
        #expect(BadRowReason.nulByte.rawValue.contains("NUL"))
    }

    @Test("JSON Lines: bare words and duplicate keys are malformed rows", arguments: [
        "{\"user_id\":nope,\"timestamp\":\"2026-01-01\"}",
        "{\"user_id\":\"a\",\"timestamp\":\"2026-01-01\",\"value\":1x}",
        "{\"user_id\":\"a\",\"timestamp\":\"2026-01-01\",\"value\":01}",
        "{\"user_id\":\"a\",\"timestamp\":\"2026-01-01\",\"value\":-}",
        "{\"user_id\":\"a\",\"user_id\":\"b\",\"timestamp\":\"2026-01-01\"}",
        "{\"user_id\":\"a\",\"timestamp\":\"2026-01-01\",\"timestamp\":\"2026-01-02\"}",
    ])
    func laxJSON(line: String) throws {
        let text = "{\"user_id\":\"ok\",\"timestamp\":\"2026-01-01\",\"value\":-1.5e3}\n" + line + "\n"
        let (store, report) = try readLog(text, name: "log.jsonl", options: ReadOptions(badRows: .skip))
        #expect(report.badRows == [.malformedJSON: 1], "\(line)")
        #expect(store.userIDs == ["ok"] && store.values == [-1500])
    }

    @Test("true, false and numbers in JSON's grammar are still values")
    func jsonLiterals() {
        for good in ["0", "-0", "12", "1.5", "-2.5e-3", "3E+2", "true", "false"] {
            #expect(Array(good.utf8).withUnsafeBytes { JSONObjectScanner.isNumberOrBoolean($0) }, "\(good)")
        }
        for bad in ["nope", "01", "1.", ".5", "1e", "+1", "-", "truex", "NaN", "Infinity", ""] {
            #expect(!Array(bad.utf8).withUnsafeBytes { JSONObjectScanner.isNumberOrBoolean($0) }, "\(bad)")
        }
    }

    @Test("a byte order mark on the first JSON line is skipped")
    func jsonBOM() throws {
        let (store, report) = try readLog("\u{FEFF}{\"user_id\":\"a\",\"timestamp\":\"2026-01-01\"}\n", name: "log.jsonl")
        #expect(report.badRowTotal == 0 && store.userIDs == ["a"])
    }

    @Test("quarantine keeps each bad row byte for byte, CRLF included", arguments: ["csv", "jsonl"])
    func quarantineBytes(format: String) throws {
        let dir = try TempDir()
        let lines: [String] = format == "csv"
            ? ["user_id,timestamp\r\n", "u1,2026-01-01\r\n", "u2,nope\r\n", "u3,2026-01-01\n", "u4,2026-01-01,x\n", "\"u\r\n5\",bad\r\n", "u6,last"]
            : ["{\"user_id\":\"u1\",\"timestamp\":\"2026-01-01\"}\r\n", "{\"user_id\":\"u2\",\"timestamp\":\"nope\"}\r\n",
               "{\"user_id\":\"u3\",\"timestamp\":\"2026-01-01\"}\n", "{bad\n", "{\"user_id\":\"u6\"}"]
        let bad: Set<Int> = format == "csv" ? [2, 4, 5, 6] : [1, 3, 4]
        let path = try dir.write("log.\(format)", lines.joined())
        let q = dir.path + "/bad.\(format)"
        _ = try EventLogReader.read(path, options: ReadOptions(timeFormat: .iso8601, badRows: .quarantine(path: q)))
        var expected = (format == "csv" ? lines[0] : "") + lines.indices.filter { bad.contains($0) }.map { lines[$0] }.joined()
        expected += "\n"   // the file's last line had no line end: the quarantine file gets one
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: q)), as: UTF8.self) == expected)
    }
}

@Suite("Files without data rows")
struct NoDataRowsTests {
    @Test("header-only, CR-only and blank files say the file has no data rows, naming it", arguments: [
        ("log.csv", "user_id,timestamp,event\n", "only a header"),
        ("log.csv", "\u{FEFF}user_id,timestamp\r\n", "only a header"),
        ("log.csv", "\r\r\r", "only blank lines"),
        ("log.csv", "\r\n\r\n", "only blank lines"),
        ("log.tsv", "\n \n", "only blank lines"),
        ("log.jsonl", "\n\n", "only blank lines"),
        ("log.jsonl", "\u{FEFF}", "it is empty"),
    ])
    func noDataRows(name: String, text: String, what: String) throws {
        let dir = try TempDir()
        let path = try dir.write(name, text)
        expectError({ _ = try EventLogReader.read(path) }) { e in
            guard case let .noDataRows(p, w) = e else { return false }
            return p == path && w == what && "\(e)".contains("no data rows") && !"\(e)".contains("cannot detect")
        }
    }
}

@Suite("Gzip input, hostile")
struct HostileGzipTests {
    static let log = "user_id,timestamp\n" + (0..<2000).map { "u\($0),2026-01-0\($0 % 9 + 1)\n" }.joined()

    @Test("bytes after the last gzip member are an error naming the file; more members are more data")
    func trailingGarbage() throws {
        let dir = try TempDir()
        let member = try gzip(Self.log, in: dir)
        let two = try dir.write("two.csv.gz", bytes: member + (try gzip("u9,2026-02-01\n", in: dir)))
        #expect(try EventLogReader.read(two).1.events == 2001)
        for (name, tail) in [("garbage.csv.gz", Array("garbage".utf8)), ("stray.csv.gz", [0x1f]), ("zeros.csv.gz", [0, 0, 0, 0])] {
            let path = try dir.write(name, bytes: member + tail)
            expectError({ _ = try EventLogReader.read(path) }) { e in
                guard case let .readFailed(p, reason) = e else { return false }
                return p == path && reason.contains("after the last member") && e.category == .badInput
            }
        }
    }

    @Test("zlib errors name the file, never <fd:N>")
    func corruptStream() throws {
        let dir = try TempDir()
        var bytes = try gzip(Self.log, in: dir)
        for k in 30..<60 { bytes[k] ^= 0x55 }
        let path = try dir.write("bad.csv.gz", bytes: bytes)
        expectError({ _ = try EventLogReader.read(path) }) { e in
            guard case let .readFailed(p, reason) = e else { return false }
            return p == path && reason.hasPrefix("gzip: ") && !"\(e)".contains("<fd:")
        }
    }

    /// `text` compressed by the system's gzip (an independent encoder).
    private func gzip(_ text: String, in dir: TempDir) throws -> [UInt8] {
        let plain = try dir.write("plain-\(UUID().uuidString)", text)
        let out = try Subprocess.run("/bin/gzip", ["-k", "-n", "-f", plain])
        try #require(out.status == 0, "\(out.stderr)")
        return Array(try Data(contentsOf: URL(fileURLWithPath: plain + ".gz")))
    }
}
