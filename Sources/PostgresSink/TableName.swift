// `--out-table NAME`: `table` or `schema.table`, each part a plain lower-case SQL identifier. Lower case only,
// because PostgreSQL folds unquoted names to lower case: `Nightly` would otherwise name one table for Tenure
// (quoted) and another for someone typing it in psql. Every use quotes the parts anyway.
import Postgres
import TenureCore

public struct TableName: Sendable, Equatable, CustomStringConvertible {
    public let schema: String?
    public let table: String

    /// PostgreSQL's identifier limit (NAMEDATALEN − 1); longer names are silently truncated by the server.
    static let maxBytes = 63

    public init(_ text: String, flag: String = "--out-table") throws {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count) else {
            throw TableNameError(flag: flag, name: text, reason: "give a table or schema.table (at most one dot)")
        }
        for p in parts {
            guard let first = p.utf8.first else { throw TableNameError(flag: flag, name: text, reason: "a name part is empty") }
            let ok = p.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 } && !(first >= 48 && first <= 57)
            guard ok else {
                throw TableNameError(flag: flag, name: text, reason: "'\(p)' is not a plain identifier: use lower-case letters, digits and _, not starting with a digit")
            }
            guard p.utf8.count <= Self.maxBytes else {
                throw TableNameError(flag: flag, name: text, reason: "'\(p)' is longer than PostgreSQL's \(Self.maxBytes)-byte limit")
            }
        }
        schema = parts.count == 2 ? parts[0] : nil
        table = parts[parts.count - 1]
    }

    public init(schema: String?, table: String) { self.schema = schema; self.table = table }

    /// The quoted name for SQL.
    public var sql: String { (schema.map { PostgresConnection.quoteIdentifier($0) + "." } ?? "") + PostgresConnection.quoteIdentifier(table) }

    /// Another table in the same schema (tenure_runs beside the list).
    public func sibling(_ name: String) -> TableName { TableName(schema: schema, table: name) }

    public var description: String { (schema.map { $0 + "." } ?? "") + table }
}

/// A table name Tenure will not use: a command-line mistake.
public struct TableNameError: CategorizedError, CustomStringConvertible, Sendable {
    public let flag: String, name: String, reason: String
    public var category: ErrorCategory { .usage }
    public var description: String { "\(flag) '\(name)': \(reason)" }
}
