// `tenure verify postgresql://… --table NAME`: does the list table hold, for every run tenure_runs records, the
// rows that run stored (count and SHA-256 of the rows as the server sends them), and no rows of a run it does
// not record? Read in one snapshot, so a run committing meanwhile is seen whole or not at all.
import Postgres
import TenureCore

/// A run the table and tenure_runs disagree on.
public struct TableRunMismatchError: CategorizedError, CustomStringConvertible, Sendable {
    public let table: String, problems: [String]
    public var category: ErrorCategory { .badInput }
    public var description: String { "table \(table) does not match \(ListTableLayout.runsTable): " + problems.joined(separator: "; ") }
}

public enum TableRunCheck {
    /// One line per run checked; throws naming every run that does not match.
    public static func check(uri: String, table given: TableName) throws -> [String] {
        let c = try PostgresConnection(uri: uri)
        let table = try ListTableSink.qualified(given, on: c)
        let runs = table.sibling(ListTableLayout.runsTable)
        guard try ListTableSink.catalogColumns(of: table, on: c) != nil else { throw TableRunMismatchError(table: table.description, problems: ["there is no such table"]) }
        guard try ListTableSink.catalogColumns(of: runs, on: c) != nil else {
            throw TableRunMismatchError(table: table.description, problems: ["there is no \(runs) beside it (not written by tenure score --out-table?)"])
        }
        try c.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        defer { try? c.execute("ROLLBACK") }
        let epochMillis = "(extract(epoch FROM as_of) * 1000)::bigint"
        let recorded = try c.query("""
            SELECT \(epochMillis), partition, campaign, rows, rows_sha256 FROM \(runs.sql) WHERE list_table = $1 ORDER BY as_of, partition, campaign
            """, [table.description])
        var lines: [String] = [], problems: [String] = []
        for r in recorded {
            let key = RunKey(asOf: Int64(r[0] ?? "") ?? 0, partition: r[1], campaign: r[2])
            let stored = try ListTableSink.rowsDigest(of: table, key: key, on: c)
            let rows = Int(r[3] ?? "") ?? -1
            if stored.rows != rows || stored.sha256 != r[4] {
                problems.append("\(key): the table holds \(stored.rows) rows with SHA-256 \(stored.sha256), the run recorded \(rows) rows with \(r[4] ?? "none")")
            } else {
                lines.append("\(key): \(rows) rows match")
            }
        }
        let orphans = try c.query("""
            SELECT DISTINCT \(epochMillis), partition, campaign FROM \(table.sql)
            EXCEPT SELECT \(epochMillis), partition, campaign FROM \(runs.sql) WHERE list_table = $1
            """, [table.description])
        for o in orphans {
            problems.append("\(RunKey(asOf: Int64(o[0] ?? "") ?? 0, partition: o[1], campaign: o[2])): rows that no run recorded")
        }
        guard problems.isEmpty else { throw TableRunMismatchError(table: table.description, problems: problems) }
        guard !lines.isEmpty else { throw TableRunMismatchError(table: table.description, problems: ["no run is recorded for it"]) }
        return lines
    }
}
