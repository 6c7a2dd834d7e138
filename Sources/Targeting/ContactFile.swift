// A CRM contact export read as a table: a header naming the columns (any order), then one contact per line,
// RFC 4180 fields through the one `CSVScanner`; or a Parquet export (a file or a directory of them) as text
// cells, a null as an empty field, its rows numbered from 1 per file. Every reader of contacts (the cooldown's `ContactHistory`, a
// campaign's `CampaignContacts`) goes through here, so they agree on quoting, BOMs, CRLF and blank lines.
import EventLog
import Foundation

public struct ContactFile: Sendable {
    public let path: String
    /// Column names as written in the header (surrounding spaces trimmed).
    public let columns: [String]
    /// Data rows, each with as many fields as the header, and the 1-based line each starts on.
    public let rows: [[String]]
    public let lines: [Int]
    /// A Parquet directory's files, so a line (row over all files) is named by its file and row.
    public let places: LinePlaces

    /// `required` columns must be in the header; a row with the wrong field count, an unterminated quote or
    /// an empty line in the middle fails with its line number. Only a blank last line is allowed.
    /// A PostgreSQL URI with `relation` (`--contacts-table`/`--contacts-query`) reads the database's rows
    /// instead, as text cells (`DatabaseTable`; NULL as an empty field), named and numbered by row.
    public init(path: String, required: [String], relation: DatabaseRelation? = nil) throws {
        var table: ParquetTable?, path = path
        if DatabaseTable.isDatabase(path), let relation {
            table = try DatabaseTable.read(path, relation, what: "contacts")
            path = DatabaseTable.sourceName(path, relation)
        } else if ParquetTable.isParquet(path) { table = try ParquetTable.read(path) }
        if let table {
            try Self.check(header: table.columns, required: required, path: path)
            self.path = path; columns = table.columns; places = table.places
            rows = (0..<table.rowCount).map { r in table.cells.map { $0[r] ?? "" } }
            lines = Array(1..<(table.rowCount + 1))
            return
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TargetingError.unreadable(path: path, reason: "cannot read the contact file")
        }
        var rows: [[String]] = [], lines: [Int] = [], header: [String] = []
        try data.withUnsafeBytes { (p: UnsafeRawBufferPointer) in
            var scan = CSVScanner(p, fileStart: true)
            var fields: [CSVField] = []
            func next(_ line: Int) throws -> [String]? {
                switch scan.record(into: &fields) {
                case .endOfInput: return nil
                case .badQuote: throw TargetingError.badContactRow(path: path, line: line, reason: "a quoted field must end with a quote followed by a comma or the line end")
                case .blankLine: return scan.atEnd ? nil : []
                case .record: return fields.map { scan.text($0) }
                }
            }
            guard let first = try next(1), !first.isEmpty else {
                throw TargetingError.badContactRow(path: path, line: 1, reason: "no header: expected one naming \(required.joined(separator: ","))")
            }
            header = first.map { $0.trimmingCharacters(in: .whitespaces) }
            try Self.check(header: header, required: required, path: path)
            while true {
                let n = scan.newlines + 1
                guard let f = try next(n) else { break }
                if f.isEmpty { throw TargetingError.badContactRow(path: path, line: n, reason: "empty line") }
                guard f.count == header.count else {
                    throw TargetingError.badContactRow(path: path, line: n, reason: "\(f.count) fields, the header has \(header.count)")
                }
                rows.append(f); lines.append(n)
            }
        }
        self.path = path; columns = header; self.rows = rows; self.lines = lines; places = LinePlaces()
    }

    static func check(header: [String], required: [String], path: String) throws {
        let missing = required.filter { !header.contains($0) }
        guard missing.isEmpty else {
            // One field holding a ';' or a tab: the export used another separator.
            let separator = header.count == 1 ? [";", "\t", "|"].first { header[0].contains($0) } : nil
            let hint = separator.map { "; the file must be comma-separated, this one seems separated by '\($0 == "\t" ? "\\t" : $0)'" } ?? ""
            throw TargetingError.badContactRow(path: path, line: 1, reason: "the header needs \(required.joined(separator: ",")) (missing \(missing.joined(separator: ","))), found: \(header.joined(separator: ","))\(hint)")
        }
    }

    /// "file:line" of row `k` (a Parquet file's own row number), for messages.
    public func place(row k: Int) -> String {
        let (p, l) = places.locate(lines[k], in: path)
        return "\(p):\(l)"
    }

    /// The index of a column in every row, nil when the header does not name it.
    public func column(_ name: String) -> Int? { columns.firstIndex(of: name) }

    /// A `contacted_at`-style field as ms since the epoch (UTC), or the row's error.
    public func timestamp(row k: Int, column c: Int) throws -> Int64 {
        guard let t = parseTimestamp(rows[k][c]) else { throw fail(row: k, "\(columns[c]) '\(rows[k][c])' is not a date or timestamp") }
        return t
    }

    public func fail(row k: Int, _ reason: String) -> TargetingError {
        let (p, l) = places.locate(lines[k], in: path)
        return .badContactRow(path: p, line: l, reason: reason)
    }
}
