// An input flag that takes a file or a PostgreSQL URI (--events, --users, --contacts, --contacted): with a
// URI, exactly one of its table flag or its query flag says which rows are read. Each input is declared once
// here; its options, its checks and how it is named (never with a password) all come from that declaration.
import EventLog
import Manifest
import Postgres

struct DatabaseInput: Sendable {
    /// The input flag (`users`), its table and query flags (`users-table`, `users-query`), and what its rows are.
    let flag: String
    let tableFlag: String
    let queryFlag: String
    let rows: String

    init(_ flag: String, rows: String, tableFlag: String? = nil, queryFlag: String? = nil) {
        self.flag = flag; self.rows = rows
        self.tableFlag = tableFlag ?? "\(flag)-table"
        self.queryFlag = queryFlag ?? "\(flag)-query"
    }

    static let events = DatabaseInput("events", rows: "events", tableFlag: "table", queryFlag: "query")
    static let users = DatabaseInput("users", rows: "users")
    static let contacts = DatabaseInput("contacts", rows: "contacts")
    static let contacted = DatabaseInput("contacted", rows: "contacts")

    /// The table and query flags, for a command's option list.
    var options: [Option] {
        [Option(tableFlag, "NAME", "with a postgresql:// --\(flag): the table (or view) of \(rows), schema.table allowed; taken literally (case and all)"),
         Option(queryFlag, "SQL", "with a postgresql:// --\(flag): a SELECT whose rows are the \(rows) (instead of --\(tableFlag))")]
    }

    /// The database URI the flag names: its value, or the first URI of a list that mixes files and URIs
    /// (--contacts); nil for files only.
    func uri(_ a: Arguments) -> String? {
        guard let value = a.string(flag) else { return nil }
        return PostgresURI.isURI(value) ? value : a.list(flag)?.first(where: PostgresURI.isURI)
    }

    /// The table or query: exactly one with a database value, neither with files only.
    func relation(_ a: Arguments) throws -> DatabaseRelation? {
        let table = a.string(tableFlag), query = a.string(queryFlag)
        guard let uri = uri(a) else {
            if let given = [tableFlag, queryFlag].first(where: a.has) {
                throw UsageError("\(a.spelling(given)) says which rows of a database are the \(rows): pass --\(flag) postgresql://… with it, or drop it")
            }
            return nil
        }
        switch (table, query) {
        case let (t?, nil) where !t.isEmpty: return .table(t)
        case let (nil, q?) where !q.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty: return .query(q)
        case (nil, nil): throw UsageError("--\(flag) \(PostgresURI.redacted(uri)) needs --\(tableFlag) NAME or --\(queryFlag) 'SELECT …' to say which rows are the \(rows)")
        case (.some, .some): throw UsageError("\(a.spelling(tableFlag)) and \(a.spelling(queryFlag)) both say which rows are the \(rows): pass one")
        default: throw UsageError("\(a.spelling(table != nil ? tableFlag : queryFlag)) is empty")
        }
    }

    /// The manifest's record of a database value (nil for a file): URI without credentials, table or query, rows read.
    func fingerprint(_ a: Arguments, rows count: Int, bytes: Int = 0) throws -> FileFingerprint? {
        guard let uri = uri(a), let relation = try relation(a) else { return nil }
        switch relation {
        case .table(let t): return FileFingerprint(database: PostgresURI.redacted(uri), table: t, query: nil, rows: count, bytes: bytes)
        case .query(let q): return FileFingerprint(database: PostgresURI.redacted(uri), table: nil, query: q, rows: count, bytes: bytes)
        }
    }
}
