// `tenure score --out postgresql://… --out-table NAME`: the night's list into a table, in one transaction that
// replaces the rows of the same run key (as-of, partition, campaign) and records the run in tenure_runs beside
// it, so readers see last night's list or tonight's, never a mix, and a rerun replaces instead of adding.
//
// The rows travel as the list's own CSV bytes (`COPY … FROM STDIN (FORMAT csv, HEADER MATCH)`), not binary
// COPY: the CSV is the list's one rendering (probability to six decimals, money to the cent, the same quoting),
// so the table holds exactly the values a file run writes, its SHA-256 is the one the file manifest records,
// and the server checks the header against the columns. The CSV goes into a temporary table whose identity
// column numbers the rows in order (the rank), then into the list table with the run key.
import EventLog
import Foundation
import Postgres
import Targeting
import TenureCore

/// Which night's list a row belongs to.
public struct RunKey: Sendable, Equatable, CustomStringConvertible {
    public let asOf: Int64
    public let partition: String
    public let campaign: String

    public init(asOf: Int64, partition: String?, campaign: String?) { self.asOf = asOf; self.partition = partition ?? ""; self.campaign = campaign ?? "" }

    /// The as-of as the manifest writes it (a date when it is midnight UTC); timestamptz reads both forms.
    public var asOfText: String { formatTimestamp(asOf, dateOnly: asOf % millisPerDay == 0) }

    public var description: String {
        "as of \(asOfText)" + (partition.isEmpty ? "" : ", partition \(partition)") + (campaign.isEmpty ? "" : ", campaign \(campaign)")
    }
}

public enum ListTableError: CategorizedError, CustomStringConvertible, Sendable {
    case columnsDiffer(table: String, differences: [String], expected: [TableColumn])
    case notATable(String)
    case noSchema
    case rowCount(table: String, expected: Int, stored: Int)

    /// The database does not hold what the run needs: bad input (exit 2), found before anything is written.
    public var category: ErrorCategory {
        if case .rowCount = self { return .internalFailure }
        return .badInput
    }

    public var description: String {
        switch self {
        case let .columnsDiffer(table, differences, expected):
            return "table \(table) exists with other columns than this run writes (\(differences.joined(separator: "; "))); nothing was written. "
                + "Name another --out-table, or rename that table (this run's columns: \(expected.map(\.description).joined(separator: ", ")))"
        case let .notATable(name): return "\(name) exists but is not a table (a view or another kind of relation); name a table"
        case .noSchema: return "the connection's search_path names no existing schema to create the table in; give --out-table schema.table"
        case let .rowCount(table, expected, stored): return "table \(table): stored \(stored) rows of a \(expected)-row list; rolled back"
        }
    }
}

public final class ListTableSink {
    public let connection: PostgresConnection
    /// The list table, schema-qualified (its schema found, or the one CREATE TABLE would use).
    public let table: TableName
    public var runs: TableName { table.sibling(ListTableLayout.runsTable) }
    let columns: [TableColumn]
    let listColumns: [TableColumn]

    /// Connects and refuses, before any write, an existing list table or tenure_runs whose columns are not the
    /// ones this run writes.
    public init(uri: String, table given: TableName, schema: ListSchema, reasons: Int) throws {
        connection = try PostgresConnection(uri: uri)
        listColumns = ListTableLayout.listColumns(schema: schema, reasons: reasons)
        columns = ListTableLayout.key + [ListTableLayout.rank] + listColumns
        table = try Self.qualified(given, on: connection)
        try checkColumns()
    }

    /// The name with its schema: where the table is found, else where the search path creates it.
    static func qualified(_ name: TableName, on c: PostgresConnection) throws -> TableName {
        if name.schema != nil { return name }
        let found = try c.query("""
            SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1::text)
            """, [name.sql])
        let current = found.isEmpty ? try c.query("SELECT current_schema()") : found
        guard let schema = current.first?[0] else { throw ListTableError.noSchema }
        return TableName(schema: schema, table: name.table)
    }

    /// An existing table's columns as (name, format_type) in their order; nil when there is no such relation.
    static func catalogColumns(of name: TableName, on c: PostgresConnection) throws -> [(name: String, type: String)]? {
        guard let kind = try c.query("SELECT relkind::text FROM pg_class WHERE oid = to_regclass($1::text)", [name.sql]).first?[0] else { return nil }
        guard kind == "r" || kind == "p" else { throw ListTableError.notATable(name.description) }
        return try c.query("""
            SELECT attname::text, format_type(atttypid, atttypmod) FROM pg_attribute
            WHERE attrelid = to_regclass($1::text) AND attnum > 0 AND NOT attisdropped ORDER BY attnum
            """, [name.sql]).map { ($0[0] ?? "", $0[1] ?? "") }
    }

    /// What differs between an existing table's columns and the declared ones (order aside); empty when they agree.
    static func differences(found: [(name: String, type: String)], expected: [TableColumn]) -> [String] {
        let have = Dictionary(found.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        let want = Set(expected.map(\.name))
        var out: [String] = []
        let missing = expected.filter { have[$0.name] == nil }
        if !missing.isEmpty { out.append("missing: " + missing.map(\.description).joined(separator: ", ")) }
        let extra = found.filter { !want.contains($0.name) }
        if !extra.isEmpty { out.append("not written by this run: " + extra.map { "\($0.name) \($0.type)" }.joined(separator: ", ")) }
        for c in expected { if let t = have[c.name], t != c.type.rawValue { out.append("\(c.name) is \(t), this run writes \(c.type.rawValue)") } }
        return out
    }

    func checkColumns() throws {
        for (name, expected) in [(table, columns), (runs, ListTableLayout.runsColumns)] {
            guard let found = try Self.catalogColumns(of: name, on: connection) else { continue }
            let d = Self.differences(found: found, expected: expected)
            if !d.isEmpty { throw ListTableError.columnsDiffer(table: name.description, differences: d, expected: expected) }
        }
    }

    static func createSQL(_ name: TableName, _ columns: [TableColumn], primaryKey: [String]? = nil) -> String {
        var parts = columns.map { PostgresConnection.quoteIdentifier($0.name) + " " + $0.type.rawValue + ($0.notNull ? " NOT NULL" : "") }
        if let k = primaryKey { parts.append("PRIMARY KEY (" + k.map(PostgresConnection.quoteIdentifier).joined(separator: ", ") + ")") }
        return "CREATE TABLE IF NOT EXISTS \(name.sql) (\(parts.joined(separator: ", ")))"
    }

    static func names(_ columns: [TableColumn]) -> String { columns.map { PostgresConnection.quoteIdentifier($0.name) }.joined(separator: ", ") }

    /// What a write stored.
    public struct Written: Sendable { public let rows: Int; public let rowsSHA256: String }

    /// Replaces the rows of `key` with the list in the CSV file `listCSV` (`rows` data rows, SHA-256 `listSHA256`)
    /// and records `manifest` in tenure_runs, in one transaction. `beforeCommit` runs last, inside it (a file
    /// output staged there is put in place only if the commit is reached). Any failure rolls everything back.
    public func write(listCSV: String, rows: Int, listSHA256: String, key: RunKey, manifest: [UInt8],
                      beforeCommit: () throws -> Void = {}) throws -> Written {
        let c = connection
        let keyNames = ListTableLayout.key.map(\.name)
        let keyMatch = keyNames.enumerated().map { "\(PostgresConnection.quoteIdentifier($1)) = $\($0 + 1)" }.joined(separator: " AND ")
        let keyValues: [String?] = [key.asOfText, key.partition, key.campaign]
        try c.execute("BEGIN")
        do {
            // CREATE … IF NOT EXISTS of an existing table is a NOTICE, which libpq would print on stderr every night.
            try c.execute("SET LOCAL client_min_messages = warning")
            try c.execute(Self.createSQL(table, columns))
            let index = PostgresConnection.quoteIdentifier(String("\(table.table)_run_key".prefix(TableName.maxBytes)))
            try c.execute("CREATE INDEX IF NOT EXISTS \(index) ON \(table.sql) (\(keyNames.map(PostgresConnection.quoteIdentifier).joined(separator: ", ")))")
            try c.execute(Self.createSQL(runs, ListTableLayout.runsColumns, primaryKey: ["list_table"] + keyNames))
            // One writer per table at a time (readers go on reading): two runs of one key must not both delete
            // the old rows and then both add theirs.
            try c.execute("LOCK TABLE \(table.sql) IN SHARE ROW EXCLUSIVE MODE")
            try checkColumns()   // again, under the lock: the table may have changed since the run started
            try c.query("DELETE FROM \(table.sql) WHERE \(keyMatch)", keyValues)
            let incoming = "pg_temp.tenure_incoming"
            try c.execute("CREATE TEMP TABLE tenure_incoming (\"rank\" integer GENERATED ALWAYS AS IDENTITY, "
                          + listColumns.map { PostgresConnection.quoteIdentifier($0.name) + " " + $0.type.rawValue }.joined(separator: ", ")
                          + ") ON COMMIT DROP")
            let copied = try c.copyIn("COPY \(incoming) (\(Self.names(listColumns))) FROM STDIN (FORMAT csv, HEADER MATCH)") { send in
                try Self.stream(file: listCSV, to: send)
            }
            guard copied == rows else { throw ListTableError.rowCount(table: table.description, expected: rows, stored: copied) }
            let insert = "INSERT INTO \(table.sql) (\(Self.names(columns))) SELECT $1::timestamptz, $2, $3, \(Self.names([ListTableLayout.rank] + listColumns)) FROM \(incoming) ORDER BY \"rank\""
            try c.query(insert, keyValues)
            let digest = try Self.rowsDigest(of: table, key: key, on: c)
            guard digest.rows == rows else { throw ListTableError.rowCount(table: table.description, expected: rows, stored: digest.rows) }
            let runColumns = ListTableLayout.runsColumns.map(\.name)
            let updates = runColumns.filter { !(["list_table"] + keyNames).contains($0) }
                .map { "\(PostgresConnection.quoteIdentifier($0)) = EXCLUDED.\(PostgresConnection.quoteIdentifier($0))" }.joined(separator: ", ")
            try c.query("""
                INSERT INTO \(runs.sql) (\(Self.names(ListTableLayout.runsColumns)))
                VALUES ($1, $2::timestamptz, $3, $4, $5::bigint, $6, $7, $8::jsonb, now())
                ON CONFLICT (\((["list_table"] + keyNames).map(PostgresConnection.quoteIdentifier).joined(separator: ", "))) DO UPDATE SET \(updates)
                """, [table.description] + keyValues + ["\(rows)", listSHA256, digest.sha256, String(decoding: manifest, as: UTF8.self)])
            try beforeCommit()
            try c.execute("COMMIT")
            return Written(rows: rows, rowsSHA256: digest.sha256)
        } catch {
            // A dead connection has rolled back already (the server drops an unfinished transaction).
            try? c.execute("ROLLBACK")
            throw error
        }
    }

    /// The stored rows of `key` (rank and the list's columns, in rank order) as the server sends them in binary
    /// COPY, counted and hashed: what tenure_runs.rows_sha256 records and `tenure verify` recomputes. Binary, so
    /// no client or server setting (float digits, date style) changes the bytes.
    public static func rowsDigest(of table: TableName, key: RunKey, on c: PostgresConnection) throws -> (rows: Int, sha256: String) {
        let stored = try catalogColumns(of: table, on: c) ?? []
        let keyNames = Set(ListTableLayout.key.map(\.name))
        let selected = stored.map(\.name).filter { !keyNames.contains($0) }.map(PostgresConnection.quoteIdentifier).joined(separator: ", ")
        let match = try zip(ListTableLayout.key.map(\.name), [key.asOfText, key.partition, key.campaign])
            .map { "\(PostgresConnection.quoteIdentifier($0)) = \(try c.literal($1))" }.joined(separator: " AND ")
        let query = "SELECT \(selected) FROM \(table.sql) WHERE \(match) ORDER BY \"rank\""
        var sha = SHA256()
        var decoder = CopyBinaryDecoder(columns: try c.describe(query))
        try c.copyOut(query) { chunk in
            sha.update(chunk.bindMemory(to: UInt8.self))
            try decoder.feed(chunk) { _ in }
        }
        return (decoder.rows, SHA256.hexString(sha.finalize()))
    }

    /// Sends a file in 1 MiB pieces.
    static func stream(file path: String, to send: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let f = fopen(path, "rb") else { throw FileReadError(path: path, reason: String(cString: strerror(errno))) }
        defer { fclose(f) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n > 0 { try buffer.withUnsafeBytes { try send(UnsafeRawBufferPointer(rebasing: $0[..<n])) } }
            if n < buffer.count {
                guard ferror(f) == 0 else { throw FileReadError(path: path, reason: String(cString: strerror(errno))) }
                return
            }
        }
    }
}
