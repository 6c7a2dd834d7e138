// The three CSV readers (event log, feature matrix, contacts) read the same tricky file the same way: they
// share one field reader. Before it, the event reader took a quoted last field before CRLF for two fields,
// and the matrix and contacts readers kept a byte order mark in the first column name, doubled quotes
// (matrix) and could not read a quoted line break.
import EventLog
import Features
import Foundation
import Testing
import Targeting

@Suite("CSV readers agree")
struct CSVReaderAgreementTests {
    /// The user ids the file holds, in row order: a comma, doubled quotes, a line break, a plain id.
    static let ids = ["smith, j", "say \"hi\"", "two\nlines", "plain"]
    /// The same ids as quoted CSV fields (RFC 4180).
    static let quoted = ["\"smith, j\"", "\"say \"\"hi\"\"\"", "\"two\nlines\"", "plain"]

    struct Variant: CustomTestStringConvertible, Sendable {
        var bom: Bool, crlf: Bool, finalNewline: Bool
        var testDescription: String { "BOM \(bom), CRLF \(crlf), final newline \(finalNewline)" }
    }

    static let variants = [false, true].flatMap { bom in [false, true].flatMap { crlf in
        [false, true].map { Variant(bom: bom, crlf: crlf, finalNewline: $0) } } }

    /// `user_id,contacted_at,cutoff,note,label`: `note` is always empty, the label is quoted (last field).
    static func file(_ v: Variant) -> [UInt8] {
        let eol = v.crlf ? "\r\n" : "\n"
        var lines = ["user_id,contacted_at,cutoff,note,label"]
        for (k, q) in quoted.enumerated() { lines.append("\(q),2026010\(k + 1),\(q),,\"\(k % 2)\"") }
        let text = lines.joined(separator: eol) + (v.finalNewline ? eol : "")
        return (v.bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8)
    }

    @Test("event log, feature matrix and contacts readers read the same fields", arguments: variants)
    func agree(_ v: Variant) throws {
        let path = NSTemporaryDirectory() + "tenure-csv-agree-\(UUID().uuidString).csv"
        try Data(Self.file(v)).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }

        var options = ReadOptions()
        options.columns = ColumnMapping(user: "user_id", time: "contacted_at")
        options.timeFormat = .yyyymmdd
        let (store, report) = try EventLogReader.read(path, options: options)
        #expect(report.badRowTotal == 0 && report.events == Self.ids.count)
        #expect(store.userIDs.sorted() == Self.ids.sorted())

        let matrix = try FeatureMatrixReader.read(path, labelColumn: "label")
        #expect(matrix.names == ["contacted_at", "note"])
        #expect(matrix.cutoffs == Self.ids)
        #expect(matrix.labels == [0, 1, 0, 1])
        #expect(matrix.values.enumerated().allSatisfy { k, x in k % 2 == 1 ? x.isNaN : x == Double(20260101 + k / 2) })

        let contacts = try ContactHistory(path: path)
        #expect(contacts.rows == Self.ids.count)
        #expect(Set(contacts.lastContact.keys) == Set(Self.ids))
        #expect(contacts.lastContact["plain"] == parseTimestamp("2026-01-04"))
    }

    @Test("a broken quote is refused by all three, naming the line")
    func badQuote() throws {
        let path = NSTemporaryDirectory() + "tenure-csv-bad-\(UUID().uuidString).csv"
        try Data("user_id,contacted_at,label\nu1,20260101,0\n\"u2\"x,20260102,1\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = ReadOptions()
        options.columns = ColumnMapping(user: "user_id", time: "contacted_at")
        options.timeFormat = .yyyymmdd
        #expect { try EventLogReader.read(path, options: options) } throws: { error in
            guard case let EventLogError.badRow(_, line, reason, _, _) = error else { return false }
            return line == 3 && reason == .badQuoting
        }
        #expect { try FeatureMatrixReader.read(path, labelColumn: "label") } throws: { error in
            guard case let FeatureMatrixError.badQuoting(_, line) = error else { return false }
            return line == 3
        }
        #expect { try ContactHistory(path: path) } throws: { error in
            guard case let TargetingError.badContactRow(_, line, _) = error else { return false }
            return line == 3
        }
    }
}
