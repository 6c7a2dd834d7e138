// The list table's and tenure_runs' columns, declared once: the run key (as-of, partition, campaign) that says
// which night's list a row belongs to, the rank, then the list's own columns as ListSchema declares them with
// the SQL type each one maps to, then the reason columns. The table is created from this and an existing
// table is checked against it.
import Targeting

/// A column type as `format_type` spells it (so an existing table's catalog entry compares as text).
public enum SQLType: String, Sendable {
    case text
    case double = "double precision"
    case integer
    case bigint
    case timestamptz = "timestamp with time zone"
    case jsonb
}

public struct TableColumn: Sendable, Equatable, CustomStringConvertible {
    public let name: String
    public let type: SQLType
    /// Part of what identifies a row (never NULL); list values may be NULL (a user with fewer reasons).
    public let notNull: Bool

    public init(_ name: String, _ type: SQLType, notNull: Bool = false) { self.name = name; self.type = type; self.notNull = notNull }

    public var description: String { "\(name) \(type.rawValue)" }
}

extension ListColumn {
    /// The SQL type of the column's CSV cell. Exhaustive on purpose: a new list column does not compile until it
    /// says what it is in a table.
    public var sqlType: SQLType {
        switch self {
        case .userID, .tier, .segment, .action, .group, .plannedAction: return .text
        case .probability, .score, .percentile, .value, .expectedLoss,
             .uplift, .pRetainedTreated, .pRetainedControl, .incrementalValue: return .double
        case .daysInactive, .daysSinceSignup: return .integer
        }
    }
}

public enum ListTableLayout {
    /// What identifies one night's list: a rerun with the same key replaces those rows, another key adds.
    /// `partition` is `I/N` and `campaign` the `--campaign` name; both are '' when not given (a key column is
    /// never NULL, so equality and the primary key of tenure_runs work).
    public static let key = [TableColumn("as_of", .timestamptz, notNull: true), TableColumn("partition", .text, notNull: true),
                             TableColumn("campaign", .text, notNull: true)]
    /// The user's place in the list (1 = first), so `ORDER BY rank` gives the list's order back.
    public static let rank = TableColumn("rank", .integer, notNull: true)

    /// The list's columns as its CSV has them: ListSchema's, then four per reason.
    public static func listColumns(schema: ListSchema, reasons: Int) -> [TableColumn] {
        var columns = schema.columns.map { TableColumn($0.rawValue, $0.sqlType, notNull: $0 == .userID) }
        for k in stride(from: 1, through: reasons, by: 1) {
            let names = ListSchema.reasonColumns(k)
            columns += [TableColumn(names[0], .text), TableColumn(names[1], .text), TableColumn(names[2], .double), TableColumn(names[3], .double)]
        }
        return columns
    }

    /// Every column of the list table.
    public static func columns(schema: ListSchema, reasons: Int) -> [TableColumn] { key + [rank] + listColumns(schema: schema, reasons: reasons) }

    /// The runs table beside the list table: one row per list table and run key, the run manifest as jsonb with
    /// the list's SHA-256 and row count as the file manifest records them (`outputs[0]`), and `rows_sha256`, the
    /// SHA-256 of the stored rows as the server sends them back (what `tenure verify` recomputes).
    public static let runsTable = "tenure_runs"
    public static let runsColumns = [TableColumn("list_table", .text, notNull: true)] + key
        + [TableColumn("rows", .bigint, notNull: true), TableColumn("list_sha256", .text, notNull: true),
           TableColumn("rows_sha256", .text, notNull: true), TableColumn("manifest", .jsonb, notNull: true),
           TableColumn("written_at", .timestamptz, notNull: true)]
}
