// The block splitter reads quotes exactly as the parser does: results, counts and quarantine bytes are the same
// for any thread count and block size, on logs with stray quotes inside unquoted fields and quoted fields that
// span lines; and one runaway quote costs one row, not the rest of the file.
import Foundation
import Testing
import TestSupport
@testable import EventLog

/// Everything a read yields, for comparing two reads of one file.
private struct ReadResult {
    let store: EventStore
    let report: IngestReport
    let quarantine: [UInt8]
}

private func read(_ path: String, in dir: TempDir, threads: Int, blockBytes: Int,
                  maxRecordBytes: Int = ReadOptions().maxRecordBytes) throws -> ReadResult {
    let quarantine = dir.path + "/bad-\(threads)-\(blockBytes).csv"
    let options = ReadOptions(timeFormat: .epochSeconds, badRows: .quarantine(path: quarantine), threads: threads,
                              blockBytes: blockBytes, maxRecordBytes: maxRecordBytes)
    let (store, report) = try EventLogReader.read(path, options: options)
    return ReadResult(store: store, report: report, quarantine: Array(try Data(contentsOf: URL(fileURLWithPath: quarantine))))
}

/// Reads `path` serially, then with 2 and 4 threads at several block sizes, and expects the same everything.
private func expectAgreement(_ path: String, in dir: TempDir, maxRecordBytes: Int = ReadOptions().maxRecordBytes,
                             sourceLocation: SourceLocation = #_sourceLocation) throws -> ReadResult {
    let serial = try read(path, in: dir, threads: 1, blockBytes: 8 << 20, maxRecordBytes: maxRecordBytes)
    for threads in [1, 2, 4] {
        for blockBytes in [1 << 10, 3_000, 1 << 14] {
            let other = try read(path, in: dir, threads: threads, blockBytes: blockBytes, maxRecordBytes: maxRecordBytes)
            expectSameStore(serial.store, other.store, sourceLocation: sourceLocation)
            #expect(serial.report == other.report, "threads \(threads), blocks \(blockBytes)", sourceLocation: sourceLocation)
            #expect(serial.quarantine == other.quarantine, "threads \(threads), blocks \(blockBytes)", sourceLocation: sourceLocation)
        }
    }
    #expect(serial.report.records == serial.report.events + serial.report.badRowTotal, sourceLocation: sourceLocation)
    return serial
}

/// A hostile delimited log: quoted fields with delimiters, line breaks and doubled quotes, stray quotes inside
/// unquoted fields, CRLF, empty fields, blank lines and bad rows of every quoting kind.
private func hostileLog(seed: UInt64, rows: Int, delimiter: Character) -> String {
    var rng = SplitMix64(seed: seed)
    let d = String(delimiter)
    func pick(_ n: Int) -> Int { Int.random(in: 0..<n, using: &rng) }
    var text = "user_id\(d)timestamp\(d)event\(d)value\n"
    for k in 0..<rows {
        let user = pick(4) == 0 ? "\"u\(d)\(pick(50))\"" : "u\(pick(50))"
        let time = pick(10) == 0 ? "\"\(1_780_000_000 + pick(1_000_000))\"" : "\(1_780_000_000 + pick(1_000_000))"
        let event: String
        switch pick(12) {
        case 0: event = "e\"v"                                  // a literal quote inside an unquoted field
        case 1: event = "\"two\nlines\(d) \"\"quoted\"\"\""
        case 2: event = "\"crlf\r\ninside\""
        case 3: event = "\"\""
        case 4: event = "ab\"\"c\""
        case 5: event = "\"closed\"junk"                         // bad: text after the closing quote
        case 6: event = "\"never closed\n\(k)"                   // runs until some later quote, or is a runaway
        default: event = "e\(pick(6))"
        }
        let value = [String]([ "", "\(pick(100))", "x\"y", "\"1.5\"" ])[pick(4)]
        var row = [user, time, event, value]
        if pick(40) == 0 { row.removeLast() }                  // wrong field count
        text += row.joined(separator: d) + (pick(5) == 0 ? "\r\n" : "\n")
        if pick(60) == 0 { text += pick(2) == 0 ? "\n" : "\r\n" }
    }
    return text
}

@Suite("The block splitter agrees with the parser")
struct SplitterAgreementTests {
    /// The issue's case: `e"v` in row 2 and a quoted two-line field in every third row.
    private func strayQuoteLog(_ d: String) -> String {
        var text = "user_id\(d)timestamp\(d)event\(d)value\n"
        for k in 0..<20 {
            let event = k == 1 ? "e\"v" : k % 3 == 0 ? "\"two\nlines\"" : "e\(k % 4)"
            text += "u\(k % 7)\(d)\(1_780_000_000 + k * 3_600)\(d)\(event)\(d)\(k)\n"
        }
        return text
    }

    @Test("a stray quote in an unquoted field does not shift block boundaries (CSV and TSV)", arguments: [",", "\t"])
    func strayQuote(delimiter: String) throws {
        let dir = try TempDir()
        let path = try dir.write(delimiter == "," ? "s.csv" : "s.tsv", strayQuoteLog(delimiter))
        let serial = try expectAgreement(path, in: dir)
        #expect(serial.report.events == 20 && serial.report.badRowTotal == 0)
        #expect(serial.store.eventNames.contains("e\"v") && serial.store.eventNames.contains("two\nlines"))
    }

    @Test("generated hostile logs read the same at 1, 2 and 4 threads and any block size",
          arguments: [(UInt64(1), ","), (2, ","), (3, "\t"), (4, "\t")])
    func hostile(seed: UInt64, delimiter: String) throws {
        let dir = try TempDir()
        let path = try dir.write(delimiter == "," ? "h.csv" : "h.tsv", hostileLog(seed: seed, rows: 3_000, delimiter: Character(delimiter)))
        let serial = try expectAgreement(path, in: dir)
        #expect(serial.report.events > 0 && serial.report.badRowTotal > 0)
        // A small runaway bound turns open quotes into one-line bad rows; the reads still agree.
        let bounded = try expectAgreement(path, in: dir, maxRecordBytes: 40)
        #expect(bounded.report.badRows[.badQuoting, default: 0] > 0)
    }
}

@Suite("One runaway quote costs one row")
struct RunawayQuoteTests {
    /// 9,001 rows after the header; row `badLine` (a line number) opens a quote that never closes.
    private func log(badLine: Int) -> String {
        var text = "user_id,timestamp,event,value\n"
        for line in 2...9_002 {
            let event = line == badLine ? "\"never closed" : "e\(line % 5)"
            text += "u\(line % 97),\(1_780_000_000 + line * 60),\(event),\n"
        }
        return text
    }

    @Test("an unterminated quote at line 5001 of 9002 is one bad row at that line; the rest is read")
    func unterminatedAtEnd() throws {
        let dir = try TempDir()
        let path = try dir.write("u.csv", log(badLine: 5_001))
        let serial = try expectAgreement(path, in: dir)
        #expect(serial.report.records == 9_001)
        #expect(serial.report.events == 9_000)
        #expect(serial.report.badRows == [.badQuoting: 1])
        #expect(serial.report.lines == 9_002)
        let quarantined = String(decoding: serial.quarantine, as: UTF8.self).split(separator: "\n")
        #expect(quarantined.count == 2 && quarantined[1].hasSuffix("\"never closed,"))
        var failing = ReadOptions(timeFormat: .epochSeconds)
        failing.threads = 2
        #expect { _ = try EventLogReader.read(path, options: failing) } throws: { error in
            guard case let EventLogError.badRow(_, line, reason, _, _)? = error as? EventLogError else { return false }
            return line == 5_001 && reason == .badQuoting
        }
    }

    @Test("a quoted field still open after --max-record-bytes is a bad row at its first line")
    func boundedField() throws {
        // Line 3 opens a quote that a stray quote 60 lines later would close (a literal quote in `e"`).
        var text = "user_id,timestamp,event,value\nu1,1780000000,e,\nu2,1780000060,\"opens,\n"
        for k in 0..<60 { text += "u\(k),\(1_780_000_120 + k),\(k == 59 ? "e\"" : "e"),\n" }
        let dir = try TempDir()
        let path = try dir.write("b.csv", text)
        let bounded = try expectAgreement(path, in: dir, maxRecordBytes: 256)
        #expect(bounded.report.records == 62 && bounded.report.events == 61 && bounded.report.badRows == [.badQuoting: 1])
        #expect(bounded.store.eventNames.contains("e\""))
        // Unbounded, the quote swallows the 60 lines up to the stray quote: the bound is what saves them.
        let unbounded = try expectAgreement(path, in: dir, maxRecordBytes: 1 << 20)
        #expect(unbounded.report.records < 10)
    }
}
