// The users file (`--users`): one row per user (or per user and `valid_from`, a slowly changing table) with
// any attribute columns, read from CSV/TSV through the one CSVScanner, from JSON Lines, or from Parquet (a file
// or a directory of them, as text cells through the same row checks). Cells stay text here;
// AttributeSchema decides which columns are numbers and which are categories.
import EventLog
import Foundation
import TenureCore

public enum UserTableError: CategorizedError, CustomStringConvertible, Sendable {
    case cannotRead(path: String)
    case noUserColumn(path: String, header: [String])
    case noAttributeColumns(path: String)
    case badRow(path: String, line: Int, reason: String)
    case duplicateUser(path: String, line: Int, firstLine: Int, user: String)
    case missingColumns(path: String, missing: [String])
    /// --categorical / --numeric name a column the file does not have, or both name one column.
    case badOverride(String)
    /// The model was trained with --users and needs the users file again to score.
    case modelNeedsUsers(columns: [String])
    /// --users given for a model trained without it.
    case modelWithoutAttributes

    public var category: ErrorCategory {
        switch self {
        case .badOverride, .modelNeedsUsers, .modelWithoutAttributes: return .usage
        default: return .badInput
        }
    }

    public var description: String {
        switch self {
        case let .cannotRead(path): return "\(path): cannot read the users file"
        case let .noUserColumn(path, header):
            return "\(path): the users file needs a 'user_id' column; its columns are: \(header.prefix(40).joined(separator: ", "))"
        case let .noAttributeColumns(path): return "\(path): the users file has no attribute column besides user_id and valid_from"
        case let .badRow(path, line, reason):
            return "\(path):\(line): \(reason) (use --bad-rows skip to continue past bad rows)"
        case let .duplicateUser(path, line, first, user):
            return "\(path):\(line): user '\(user)' already has a row at line \(first); a users file without a valid_from column holds one row per user (add valid_from to keep a history)"
        case let .missingColumns(path, missing):
            return "\(path): the model needs the users columns \(missing.joined(separator: ", ")), which this file lacks"
        case let .badOverride(why): return why
        case let .modelNeedsUsers(columns):
            return "this model was trained with --users (attributes \(columns.joined(separator: ", "))): pass --users FILE with those columns"
        case .modelWithoutAttributes:
            return "this model was trained without --users, so it takes no user attributes: drop --users (or retrain with it)"
        }
    }
}

/// The users file as read: attribute cells as text (nil = empty/null), one entry per row, rows of a user
/// contiguous and ordered by `valid_from`.
public struct UserTable: Sendable {
    public static let userColumn = "user_id"
    public static let validFromColumn = "valid_from"

    public var path: String
    /// Attribute columns in file order (user_id and valid_from are not attributes).
    public var columns: [String]
    public var hasValidFrom: Bool
    /// Distinct users; rows of user `u` are `rowStart[u] ..< rowStart[u + 1]`.
    public var users: [String]
    public var rowStart: [Int]
    /// Per row: when it starts to hold (Int64.min without valid_from), its 1-based file line, its cells.
    public var validFrom: [Int64]
    public var lines: [Int]
    public var cells: [String?]
    /// Rows left out under `--bad-rows skip|quarantine`, with the first few reasons (`file:line: reason`).
    public var badRows = 0
    public var badRowNotes: [String] = []
    /// A Parquet directory's files, so a line (row over all files) is named by its file and row.
    public var places = LinePlaces()

    public var rowCount: Int { validFrom.count }

    /// The file and line (row of a Parquet file) that `line` names, for messages.
    public func locate(_ line: Int) -> (path: String, line: Int) { places.locate(line, in: path) }

    /// A bad row's error at table row `r`.
    public func badRow(_ r: Int, _ reason: String) -> UserTableError {
        let (p, l) = locate(lines[r])
        return .badRow(path: p, line: l, reason: reason)
    }

    /// Reads `path` (CSV, TSV by extension, JSON Lines for .jsonl/.ndjson/.json, Parquet by extension, magic bytes
    /// or a directory of Parquet files; a null cell is an empty one). A row with the wrong number of
    /// fields, a broken quote or JSON, an empty user_id or an unreadable valid_from is a bad row: `policy` .fail
    /// stops there naming file and line, otherwise the row is left out and counted. Two rows of one user without
    /// a valid_from column (or with the same valid_from) are always an error.
    /// A PostgreSQL URI with `relation` (`--users-table`/`--users-query`) reads the rows of the database
    /// instead, as text cells through the same checks (`DatabaseTable`), named and numbered by row.
    public static func read(_ uri: String, badRows policy: BadRowPolicy, threads: Int = 1, relation: DatabaseRelation? = nil) throws -> UserTable {
        var path = uri
        var raw = RawRows()
        // Counted apart from `raw`, which the readers hold inout while they report.
        var badCount = 0, notes: [String] = []
        var parquet: ParquetTable?
        if DatabaseTable.isDatabase(uri), let relation {
            path = DatabaseTable.sourceName(uri, relation)
            parquet = try DatabaseTable.read(uri, relation, what: "users")
        } else if ParquetTable.isParquet(path) { parquet = try ParquetTable.read(path, threads: threads) }
        let places = parquet?.places ?? LinePlaces()
        func bad(_ line: Int, _ reason: String) throws {
            let (p, l) = places.locate(line, in: path)
            if policy == .fail { throw UserTableError.badRow(path: p, line: l, reason: reason) }
            badCount += 1
            if notes.count < 10 { notes.append("\(p):\(l): \(reason)") }
        }
        if let parquet {
            raw.places = places
            try readParquet(parquet, path: path, into: &raw, bad: bad)
            raw.bad = badCount; raw.notes = notes
            return try assemble(raw, path: path)
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw UserTableError.cannotRead(path: path) }
        let format = LogFormat.fromExtension(path) ?? .csv
        if format == .jsonl {
            try readJSONLines(data, path: path, into: &raw, bad: bad)
        } else {
            try readDelimited(data, delimiter: UInt8(ascii: format == .tsv ? "\t" : ","), path: path, into: &raw, bad: bad)
        }
        raw.bad = badCount; raw.notes = notes
        return try assemble(raw, path: path)
    }

    /// Rows before grouping: header-ordered cells, with the user, valid_from text and line of each row.
    struct RawRows {
        var header: [String] = []
        var userAt = 0, validAt: Int?
        var attributeAt: [Int] = []
        var users: [String] = []
        var validFrom: [Int64] = []
        var lines: [Int] = []
        var cells: [String?] = []
        var bad = 0
        var notes: [String] = []
        var places = LinePlaces()

        mutating func setHeader(_ h: [String], path: String) throws {
            header = h
            guard let u = h.firstIndex(of: UserTable.userColumn) else { throw UserTableError.noUserColumn(path: path, header: h) }
            userAt = u
            validAt = h.firstIndex(of: UserTable.validFromColumn)
            attributeAt = h.indices.filter { $0 != u && $0 != validAt && !h[$0].isEmpty }
            guard !attributeAt.isEmpty else { throw UserTableError.noAttributeColumns(path: path) }
        }

        /// Adds one row given its cells in header order; returns the reason it is bad, or nil.
        mutating func add(_ row: [String?], line: Int) -> String? {
            guard let user = row[userAt], !user.isEmpty else { return "empty \(UserTable.userColumn)" }
            var from = Int64.min
            if let v = validAt {
                guard let text = row[v], !text.isEmpty else { return "empty \(UserTable.validFromColumn)" }
                guard let t = parseTimestamp(text) else { return "\(UserTable.validFromColumn) '\(text)' is not a date or time (use ISO 8601, e.g. 2026-05-31)" }
                from = t
            }
            users.append(user); validFrom.append(from); lines.append(line)
            for k in attributeAt { cells.append(row[k].flatMap { $0.isEmpty ? nil : $0 }) }
            return nil
        }
    }

    static func readDelimited(_ data: Data, delimiter: UInt8, path: String, into raw: inout RawRows,
                              bad: (Int, String) throws -> Void) throws {
        try data.withUnsafeBytes { (p: UnsafeRawBufferPointer) in
            var scan = CSVScanner(p, delimiter: delimiter, fileStart: true)
            var fields: [CSVField] = []
            var status = scan.record(into: &fields)
            while status == .blankLine { status = scan.record(into: &fields) }
            guard status == .record else {
                if status == .endOfInput { throw UserTableError.cannotRead(path: path) }
                throw UserTableError.badRow(path: path, line: scan.newlines, reason: "the header has a broken quote")
            }
            try raw.setHeader(fields.map { scan.text($0) }, path: path)
            let width = raw.header.count
            while true {
                let line = scan.newlines + 1
                status = scan.record(into: &fields)
                if status == .endOfInput { break }
                if status == .blankLine { continue }
                if status == .badQuote { try bad(line, "a quoted field must end with a quote followed by the delimiter or the line end"); continue }
                guard fields.count == width else { try bad(line, "expected \(width) fields, found \(fields.count)"); continue }
                if let reason = raw.add(fields.map { scan.text($0) }, line: line) { try bad(line, reason) }
            }
        }
    }

    static func readJSONLines(_ data: Data, path: String, into raw: inout RawRows, bad: (Int, String) throws -> Void) throws {
        var objects: [(Int, [String: Any])] = []
        var keys: [String] = [], seen = Set<String>()
        var line = 0
        for chunk in data.split(separator: 10, omittingEmptySubsequences: false) {
            line += 1
            let trimmed = chunk.filter { $0 != 13 && $0 != 32 && $0 != 9 }
            if trimmed.isEmpty { continue }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(chunk))) as? [String: Any] else {
                try bad(line, "not a JSON object"); continue
            }
            // Columns in order of first appearance, so the schema is stable for a given file.
            for k in object.keys.sorted() where !seen.contains(k) { seen.insert(k); keys.append(k) }
            objects.append((line, object))
        }
        guard !objects.isEmpty else { throw UserTableError.cannotRead(path: path) }
        try raw.setHeader(keys, path: path)
        for (line, object) in objects {
            var row: [String?] = []
            var reason: String?
            for k in keys {
                switch object[k] {
                case nil, is NSNull: row.append(nil)
                case let s as String: row.append(s)
                // true/false stay words, so they read as categories (Foundation gives booleans as NSNumber "c").
                case let b as Bool where !(object[k] is NSNumber): row.append(b ? "true" : "false")
                case let n as NSNumber where String(cString: n.objCType) == "c": row.append(n.boolValue ? "true" : "false")
                case let n as NSNumber: row.append(jsonNumber(n))
                default: reason = "field '\(k)' is not a string, number, boolean or null"; row.append(nil)
                }
            }
            if let reason { try bad(line, reason); continue }
            if let r = raw.add(row, line: line) { try bad(line, r) }
        }
    }

    /// A JSON number as the CSV would hold it: integers without a fraction.
    static func jsonNumber(_ n: NSNumber) -> String { ParquetTable.numberText(n.doubleValue) }

    /// A Parquet table's rows as lines 1, 2, … over all files (`places` maps them back to file and row).
    static func readParquet(_ table: ParquetTable, path: String, into raw: inout RawRows, bad: (Int, String) throws -> Void) throws {
        try raw.setHeader(table.columns, path: path)
        for r in 0..<table.rowCount {
            if let reason = raw.add(table.cells.map { $0[r] }, line: r + 1) { try bad(r + 1, reason) }
        }
    }

    /// Groups rows by user (stable: users sorted, each user's rows by valid_from) and refuses repeats.
    static func assemble(_ raw: RawRows, path: String) throws -> UserTable {
        let width = raw.attributeAt.count
        let order = raw.users.indices.sorted {
            raw.users[$0] != raw.users[$1] ? raw.users[$0] < raw.users[$1]
                : raw.validFrom[$0] != raw.validFrom[$1] ? raw.validFrom[$0] < raw.validFrom[$1] : raw.lines[$0] < raw.lines[$1]
        }
        var t = UserTable(path: path, columns: raw.attributeAt.map { raw.header[$0] }, hasValidFrom: raw.validAt != nil,
                          users: [], rowStart: [], validFrom: [], lines: [], cells: [])
        t.cells.reserveCapacity(raw.cells.count)
        for (k, i) in order.enumerated() {
            if k > 0, raw.users[order[k - 1]] == raw.users[i] {
                let prev = order[k - 1]
                if raw.validFrom[prev] == raw.validFrom[i] {
                    let later = raw.places.locate(max(raw.lines[i], raw.lines[prev]), in: path)
                    let first = raw.places.locate(min(raw.lines[i], raw.lines[prev]), in: path)
                    throw UserTableError.duplicateUser(path: later.path, line: later.line, firstLine: first.line, user: raw.users[i])
                }
            } else {
                t.users.append(raw.users[i]); t.rowStart.append(t.validFrom.count)
            }
            t.validFrom.append(raw.validFrom[i]); t.lines.append(raw.lines[i])
            t.cells.append(contentsOf: raw.cells[(i * width)..<((i + 1) * width)])
        }
        t.rowStart.append(t.validFrom.count)
        t.badRows = raw.bad; t.badRowNotes = raw.notes
        t.places = raw.places
        return t
    }

    /// The row of user `u` in force at `cutoff`: the last one whose valid_from is strictly before it (as events
    /// must be), or nil when the first row starts later. Without valid_from the user's one row always holds.
    /// O(log rows of the user).
    public func row(ofUser u: Int, at cutoff: Int64) -> Int? {
        var lo = rowStart[u], hi = rowStart[u + 1]
        let first = lo
        while lo < hi {
            let m = (lo + hi) >> 1
            if validFrom[m] < cutoff { lo = m + 1 } else { hi = m }
        }
        return lo > first ? lo - 1 : nil
    }

    /// One line for stderr: rows, users, columns, history, skipped rows.
    public var summary: String {
        var s = "\(path): \(rowCount) rows for \(users.count) users, attributes \(columns.joined(separator: ", "))"
        if hasValidFrom { s += "; \(UserTable.validFromColumn): values joined as in force before each cutoff" }
        if badRows > 0 { s += "; \(badRows) bad rows skipped" + badRowNotes.map { "\n  " + $0 }.joined() }
        return s
    }
}
