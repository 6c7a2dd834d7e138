// Bad rows: each kind is reported with its physical line number (fail), counted (skip), or written out
// verbatim after the header (quarantine).
import Foundation
import Testing
@testable import EventLog

/// Two good records, the second with a quoted event spanning two physical lines, so the next record is on line 5.
private let csvPrefix = "user_id,timestamp,event,value\nu1,2026-01-01T00:00:00Z,login,\nu2,2026-01-01T01:00:00Z,\"multi\nline\",2\n"

/// One bad CSV record of each kind (all on one physical line).
private let badCSVRows: [(BadRowReason, [UInt8])] = [
    (.wrongFieldCount, Array("u3,2026-01-02T00:00:00Z,login".utf8)),
    (.badTimestamp, Array("u3,2026-02-30T00:00:00Z,login,".utf8)),
    (.badValue, Array("u3,2026-01-02T00:00:00Z,buy,12abc".utf8)),
    (.emptyUserID, Array(",2026-01-02T00:00:00Z,login,".utf8)),
    (.invalidUTF8, Array("u".utf8) + [0xFF, 0xFE] + Array(",2026-01-02T00:00:00Z,login,".utf8)),
    (.badQuoting, Array("u3,2026-01-02T00:00:00Z,\"log\"in,".utf8)),
    (.emptyEventName, Array("u3,2026-01-02T00:00:00Z,,1".utf8)),
]

/// JSON Lines: two good records, then the bad one on line 3.
private let jsonPrefix = "{\"user_id\":\"u1\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"event\":\"a\"}\n\n"
private let badJSONRows: [(BadRowReason, String)] = [
    (.malformedJSON, "{\"user_id\":\"u3\",\"timestamp\":"),
    (.malformedJSON, "[\"u3\",\"2026-01-01\"]"),
    (.malformedJSON, "{\"user_id\":\"u3\",\"timestamp\":\"2026-01-01\"} trailing"),
    (.missingField, "{\"user_id\":\"u3\",\"event\":\"a\"}"),
    (.missingField, "{\"timestamp\":\"2026-01-01T00:00:00Z\",\"event\":\"a\"}"),
    (.missingField, "{\"user_id\":\"u3\",\"timestamp\":\"2026-01-01T00:00:00Z\"}"),
    (.badTimestamp, "{\"user_id\":\"u3\",\"timestamp\":\"soon\",\"event\":\"a\"}"),
]

private func failsAt(_ error: any Error, line expected: Int, reason expectedReason: BadRowReason) -> Bool {
    guard case let EventLogError.badRow(_, line, reason, _, _) = error else { return false }
    return line == expected && reason == expectedReason && "\(error)".contains(":\(expected): \(reason.rawValue)")
}

@Suite("Bad rows: fail policy reports FILE:LINE")
struct BadRowFailTests {
    @Test("each CSV kind stops reading at the right physical line", arguments: badCSVRows.indices)
    func csvKind(index: Int) throws {
        let (reason, row) = badCSVRows[index]
        let bytes = Array(csvPrefix.utf8) + row + Array("\nu4,2026-01-03T00:00:00Z,login,\n".utf8)
        for timeFormat in [TimeFormat.iso8601, .auto] {
            var options = ReadOptions()
            options.timeFormat = timeFormat
            #expect { _ = try readLog(bytes: bytes, options: options) } throws: { failsAt($0, line: 5, reason: reason) }
        }
    }

    @Test("each JSON Lines kind stops reading at the right line (a blank line counts)", arguments: badJSONRows.indices)
    func jsonKind(index: Int) throws {
        let (reason, row) = badJSONRows[index]
        var options = ReadOptions()
        options.columns = ColumnMapping(event: "event")
        options.timeFormat = .iso8601
        #expect {
            _ = try readLog(jsonPrefix + row + "\n", name: "log.jsonl", options: options)
        } throws: { failsAt($0, line: 3, reason: reason) }
    }

    @Test("an unterminated quote is malformed quoting at the line where the record starts")
    func unterminatedQuote() throws {
        #expect {
            _ = try readLog(csvPrefix + "u3,2026-01-02T00:00:00Z,\"never closed,\nu4,2026-01-03T00:00:00Z,x,\n")
        } throws: { failsAt($0, line: 5, reason: .badQuoting) }
    }

    @Test("a bad row deep in a file with many blocks reports its true line")
    func deepLine() throws {
        var text = "user_id,timestamp,event,value\n"
        for k in 0..<20_000 { text += k % 97 == 0 ? "u\(k),2026-01-01,\"a\nb\",\n" : "u\(k),2026-01-01,e,\(k)\n" }
        // 20,000 records, 207 of them (k % 97 == 0) two lines long: the next record is on line 1 + 20,000 + 207 + 1 = 20,209.
        text += "u,2026-01-01,e,notanumber\n"
        var options = ReadOptions()
        options.blockBytes = 4096
        for threads in [1, 2] {
            options.threads = threads
            #expect { _ = try readLog(text, options: options) } throws: { failsAt($0, line: 20_209, reason: .badValue) }
        }
    }
}

@Suite("Bad rows: skip and quarantine policies")
struct BadRowSkipTests {
    /// The prefix, every bad CSV kind, then one more good row.
    private var mixedCSV: [UInt8] {
        var bytes = Array(csvPrefix.utf8)
        for (_, row) in badCSVRows { bytes += row + [10] }
        return bytes + Array("u4,2026-01-03T00:00:00Z,login,\n".utf8)
    }

    @Test("skip counts each reason; records = events + bad rows")
    func skip() throws {
        var options = ReadOptions()
        options.badRows = .skip
        options.timeFormat = .iso8601
        let (store, report) = try readLog(bytes: mixedCSV, options: options)
        #expect(store.userIDs == ["u1", "u2", "u4"])
        #expect(report.events == 3)
        #expect(report.records == report.events + report.badRowTotal)
        var expected: [BadRowReason: Int] = [:]
        for (reason, _) in badCSVRows { expected[reason, default: 0] += 1 }
        #expect(report.badRows == expected)
        #expect(report.summary.contains("7 bad rows"))
    }

    @Test("skip in JSON Lines")
    func skipJSON() throws {
        var options = ReadOptions()
        options.badRows = .skip
        options.timeFormat = .iso8601
        options.columns = ColumnMapping(event: "event")
        let text = jsonPrefix + badJSONRows.map { $0.1 + "\n" }.joined()
        let (store, report) = try readLog(text, name: "log.jsonl", options: options)
        #expect(store.userIDs == ["u1"])
        #expect(report.records == 1 + badJSONRows.count && report.blankLines == 1)
        #expect(report.badRows == [.malformedJSON: 3, .missingField: 3, .badTimestamp: 1])
    }

    @Test("quarantine writes the header and every bad row verbatim")
    func quarantine() throws {
        let dir = try TempDir()
        let out = dir.path + "/bad.csv"
        var options = ReadOptions()
        options.badRows = .quarantine(path: out)
        options.timeFormat = .iso8601
        let input = try dir.write("in.csv", bytes: mixedCSV)
        let (_, report) = try EventLogReader.read(input, options: options)
        #expect(report.badRowTotal == badCSVRows.count)
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: out)))
        var expected = Array("user_id,timestamp,event,value\n".utf8)
        for (_, row) in badCSVRows { expected += row + [10] }
        #expect(written == expected)
    }

    @Test("quarantine keeps a multi-line bad record whole, its CRLF line ends included")
    func quarantineMultiline() throws {
        let dir = try TempDir()
        let out = dir.path + "/bad.csv"
        var options = ReadOptions()
        options.badRows = .quarantine(path: out)
        let text = "user_id,timestamp,event\r\nu1,2026-01-01,\"a\r\nb\",extra\r\nu2,2026-01-01,ok\r\n"
        let (store, _) = try EventLogReader.read(try dir.write("in.csv", text), options: options)
        #expect(store.userIDs == ["u2"])
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "user_id,timestamp,event\r\nu1,2026-01-01,\"a\r\nb\",extra\r\n")
    }

    @Test("policy names parse")
    func policyNames() throws {
        #expect(try BadRowPolicy(parsing: "fail") == .fail)
        #expect(try BadRowPolicy(parsing: "skip") == .skip)
        #expect(try BadRowPolicy(parsing: "quarantine=/tmp/x.csv") == .quarantine(path: "/tmp/x.csv"))
        #expect(throws: EventLogError.self) { try BadRowPolicy(parsing: "quarantine=") }
        #expect(throws: EventLogError.self) { try BadRowPolicy(parsing: "ignore") }
    }
}
