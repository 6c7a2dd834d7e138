// A small table in PostgreSQL (a users table, a contact export: `--users postgresql://… --users-table NAME`)
// read as the text cells a Parquet table gives (`ParquetTable`), so the file readers' own checks (UserTable,
// ContactFile) apply unchanged: rows streamed by binary COPY, every column in result order, NULL as nil,
// numbers as a CSV export writes them, timestamps (to the millisecond) and dates as ISO 8601 UTC, as ParquetTable
// writes them.
// Rows are numbered from 1 in result order; a message names the source without credentials and the row.
import Foundation
import Postgres
import TenureCore

public enum DatabaseTable {
    /// Does an input flag's value name a database rather than a file?
    public static func isDatabase(_ path: String) -> Bool { PostgresURI.isURI(path) }

    /// How the input is named in messages, summaries and manifests: the URI without credentials and the
    /// table or query (`postgresql://u@host/db table users`).
    public static func sourceName(_ uri: String, _ relation: DatabaseRelation) -> String {
        "\(PostgresURI.redacted(uri)) \(relation)"
    }

    /// The column types a table reads (those a CSV export of them would hold as plain text).
    static let readable: Set<UInt32> = PostgresType.supported

    /// Every column of `relation`'s rows as text cells. A column of a type Tenure cannot read is refused by
    /// name before any row is read (cast it in the query); an infinite timestamp or date is a bad value,
    /// refused with its row. `what` names the table in messages ("users", "contacts").
    public static func read(_ uri: String, _ relation: DatabaseRelation, what: String) throws -> ParquetTable {
        let source = sourceName(uri, relation)
        let connection = try PostgresConnection(uri: uri)
        try connection.execute("SET client_encoding TO 'UTF8'")
        let query = relation.select()
        let columns = try connection.describe(query)
        for c in columns where !readable.contains(c.oid) {
            throw EventLogError.columnType(source: source, column: c.name, role: "a \(what) column", type: PostgresType.name(c.oid))
        }
        var cells = [[String?]](repeating: [], count: columns.count)
        let scanner = CopyTupleScanner(fieldCount: columns.count)
        do {
            try connection.copyOut(query) { chunk in
                try scanner.feed(chunk) { t in
                    for (k, c) in columns.enumerated() {
                        cells[k].append(try t.field(k).map { try text($0, oid: c.oid, row: scanner.rows, column: c.name) })
                    }
                }
            }
        } catch let e as PostgresError {
            // A bad value or a broken stream names the table it came from.
            throw EventLogError.readFailed(path: source, reason: "\(e)")
        }
        guard scanner.finished else { throw EventLogError.readFailed(path: source, reason: "the COPY stream ended without its end-of-data marker") }
        return ParquetTable(columns: columns.map(\.name), cells: cells, files: [], fileStarts: [])
    }

    /// One non-NULL field as the CSV export of the table would hold it.
    static func text(_ field: UnsafeRawBufferPointer, oid: UInt32, row: Int, column: String) throws -> String {
        switch try CopyBinaryDecoder.decode(field, oid: oid, row: row, column: column) {
        case .null: return ""
        case .text(let bytes):
            guard let s = String(validating: bytes, as: UTF8.self) else {
                throw PostgresError.badValue(row: row, column: column, reason: "not UTF-8 text")
            }
            return s
        case .integer(let v): return String(v)
        case .double(let d):
            guard d.isFinite else { throw PostgresError.badValue(row: row, column: column, reason: "\(d) is not a finite number") }
            return ParquetTable.numberText(d)
        case .bool(let b): return b ? "true" : "false"
        case .timestampMicros(let us):
            // Floored to its millisecond, as the event reader keeps a timestamp.
            return ParquetTable.isoText(ParquetTable.floorDiv(us, 1000), dateOnly: false)
        case .date(let d): return ParquetTable.isoText(d * millisPerDay, dateOnly: true)
        }
    }
}
