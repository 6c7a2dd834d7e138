// Every way reading an event log can fail, each with the context a user needs to fix the input.
import TenureCore

/// Why one row of an event log was rejected.
public enum BadRowReason: String, Sendable, CaseIterable, Codable, Comparable {
    case wrongFieldCount = "wrong field count"
    case badTimestamp = "unparsable timestamp"
    case badValue = "non-numeric value"
    case emptyUserID = "empty user id"
    case invalidUTF8 = "invalid UTF-8"
    case malformedJSON = "malformed JSON"
    case missingField = "missing field"
    case badQuoting = "malformed quoting"
    case emptyEventName = "empty event name"
    case outsideTimeRange = "timestamp outside --time-range"
    case nulByte = "NUL byte in a field"

    public static func < (a: BadRowReason, b: BadRowReason) -> Bool { a.rawValue < b.rawValue }
}

public enum EventLogError: CategorizedError, CustomStringConvertible, Sendable {
    case cannotOpen(path: String, reason: String)
    case readFailed(path: String, reason: String)
    case emptyInput(path: String)
    case missingColumn(path: String, column: String, header: [String])
    case duplicateColumn(path: String, column: String)
    case badRow(path: String, line: Int, reason: BadRowReason, detail: String, text: String)
    /// A bad row of a Parquet file, located by its row number in that file.
    case badParquetRow(path: String, row: Int, reason: BadRowReason, detail: String)
    /// A bad row of a database result, located by its row number in the result.
    case badDatabaseRow(source: String, row: Int, reason: BadRowReason, detail: String)
    /// A column the flags name that the table or query does not return.
    case missingResultColumn(source: String, column: String, columns: [String])
    /// A result column of a type its role cannot read (e.g. a jsonb user id).
    case columnType(source: String, column: String, role: String, type: String)
    /// An option this input cannot honour (e.g. quarantine for Parquet rows).
    case unsupportedOption(String, reason: String)
    case unknownFormat(path: String)
    case timeFormatUndetectable(path: String, sample: String)
    case invalidTimeFormat(String)
    case invalidTimeRange(String, reason: String)
    case mixedEpochUnits(path: String, column: String, seconds: String, millis: String)
    case noDataRows(path: String, what: String)
    case tooManyEventNames(path: String, limit: Int)
    case quarantineFailed(path: String, reason: String)

    /// A log that cannot be read or parsed is bad input; a malformed --time-format is a usage error; failing
    /// to write the quarantine file is the machine's (like any output).
    public var category: ErrorCategory {
        switch self {
        case .invalidTimeFormat, .invalidTimeRange, .unsupportedOption: return .usage
        case .quarantineFailed: return .internalFailure
        case .cannotOpen, .readFailed, .emptyInput, .missingColumn, .duplicateColumn, .badRow, .badParquetRow, .unknownFormat,
             .badDatabaseRow, .missingResultColumn, .columnType,
             .timeFormatUndetectable, .tooManyEventNames, .mixedEpochUnits, .noDataRows: return .badInput
        }
    }

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): return "\(path): cannot open: \(reason)"
        case let .readFailed(path, reason): return "\(path): read failed: \(reason)"
        case let .emptyInput(path): return "\(path): the file has no data rows (it is empty: not even a header)"
        case let .missingColumn(path, column, header):
            return "\(path): no column '\(column)' in the header; the header has: \(header.joined(separator: ", "))"
        case let .duplicateColumn(path, column): return "\(path): column '\(column)' appears twice in the header"
        case let .badRow(path, line, reason, detail, text):
            let shown = text.count > 200 ? String(text.prefix(200)) + "…" : text
            let why = detail.isEmpty ? reason.rawValue : "\(reason.rawValue): \(detail)"
            return "\(path):\(line): \(why)\n  \(shown)\n  (use --bad-rows skip or --bad-rows quarantine=PATH to continue past bad rows)"
        case let .badParquetRow(path, row, reason, detail):
            return "\(path): row \(row): \(reason.rawValue): \(detail)\n  (use --bad-rows skip to continue past bad rows)"
        case let .badDatabaseRow(source, row, reason, detail):
            let why = detail.isEmpty ? reason.rawValue : "\(reason.rawValue): \(detail)"
            return "row \(row) of \(source): \(why)\n  (use --bad-rows skip or --bad-rows quarantine=PATH to continue past bad rows)"
        case let .missingResultColumn(source, column, columns):
            return "\(source): no column '\(column)' in the result; its columns are: \(columns.joined(separator: ", "))"
        case let .columnType(source, column, role, type):
            return "\(source): column '\(column)' is of type \(type), which Tenure cannot read as the \(role) (cast it in a --query: ::text, ::bigint, ::float8, ::timestamptz)"
        case let .unsupportedOption(option, reason): return "\(option): \(reason)"
        case let .unknownFormat(path):
            return "\(path): cannot tell the format from the extension; pass --format \(LogFormat.fileFormats.map(\.rawValue).joined(separator: "|"))"
        case let .timeFormatUndetectable(path, sample):
            return "\(path): cannot detect the timestamp format from '\(sample)'; pass --time-format"
        case let .invalidTimeFormat(f):
            return "unknown --time-format '\(f)': use auto, iso8601, epoch-s, epoch-ms, yyyymmdd or a pattern like \"%Y-%m-%d %H:%M:%S\""
        case let .invalidTimeRange(text, reason):
            return "'\(text)': \(reason) (a time range is FROM..TO with dates or ISO 8601 timestamps, e.g. 2015-01-01..2026-12-31)"
        case let .mixedEpochUnits(path, column, seconds, millis):
            return "\(path): column '\(column)' mixes epoch seconds ('\(seconds)') and epoch milliseconds ('\(millis)'); "
                + "fix the export, or pass --time-format epoch-s or epoch-ms (the other kind then falls outside --time-range)"
        case let .noDataRows(path, what): return "\(path): the file has no data rows (\(what))"
        case let .tooManyEventNames(path, limit): return "\(path): more than \(limit) distinct event names"
        case let .quarantineFailed(path, reason): return "cannot write quarantine file \(path): \(reason)"
        }
    }
}
