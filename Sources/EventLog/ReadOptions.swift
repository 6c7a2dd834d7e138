// What a reader needs to know about an event log: its format, which columns mean what, and bad-row policy.

/// The text layout of an event log.
public enum LogFormat: String, Sendable, Codable, CaseIterable {
    case csv, tsv, jsonl
    /// Runs of spaces or tabs separate fields; no quoting (the CDNOW file).
    case whitespace
    /// Apache Parquet (a file or a directory of them), read by the Parquet module.
    case parquet
    /// A PostgreSQL table or query (`--events postgresql://…`): told by the URI, never by --format.
    case postgresql

    /// The formats of files, which `--format` names.
    public static let fileFormats = allCases.filter { $0 != .postgresql }

    /// The names `--format` takes, in one place for the help and the errors.
    public static var names: String { fileFormats.map(\.rawValue).dropLast().joined(separator: ", ") + " or " + fileFormats.last!.rawValue }

    /// The format implied by a file name (a `.gz` suffix is looked through), or nil.
    public static func fromExtension(_ path: String) -> LogFormat? {
        var name = path.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        if name.hasSuffix(".csv") { return .csv }
        if name.hasSuffix(".tsv") || name.hasSuffix(".tab") { return .tsv }
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") || name.hasSuffix(".json") { return .jsonl }
        if name.hasSuffix(".parquet") || name.hasSuffix(".parq") { return .parquet }
        return nil
    }
}

/// What to do with a row that cannot be read.
public enum BadRowPolicy: Sendable, Equatable, Codable {
    /// Stop at the first bad row with `FILE:LINE: reason` (the default).
    case fail
    /// Skip bad rows, counting them per reason.
    case skip
    /// Skip bad rows and also write each verbatim to a file.
    case quarantine(path: String)

    public init(parsing text: String) throws {
        if text == "fail" { self = .fail } else if text == "skip" { self = .skip } else if text.hasPrefix("quarantine=") {
            let path = String(text.dropFirst("quarantine=".count))
            guard !path.isEmpty else { throw EventLogError.quarantineFailed(path: "", reason: "no path after quarantine=") }
            self = .quarantine(path: path)
        } else {
            throw EventLogError.quarantineFailed(path: text, reason: "--bad-rows takes fail, skip or quarantine=PATH")
        }
    }
}

/// Which input column holds what. Event and value columns are optional: a default name that is absent means
/// the log has no such column; a name given explicitly must exist.
public struct ColumnMapping: Sendable, Equatable, Codable {
    public var user: String
    public var time: String
    public var event: String
    public var value: String
    public var eventExplicit: Bool
    public var valueExplicit: Bool

    public init(user: String = "user_id", time: String = "timestamp", event: String? = nil, value: String? = nil) {
        self.user = user
        self.time = time
        self.event = event ?? "event"
        self.value = value ?? "value"
        self.eventExplicit = event != nil
        self.valueExplicit = value != nil
    }
}

public struct ReadOptions: Sendable {
    public var format: LogFormat?
    public var columns: ColumnMapping
    public var timeFormat: TimeFormat
    public var badRows: BadRowPolicy
    /// Parallel parse width; 2 matches the machines this runs on.
    public var threads: Int
    /// Bytes handed to one parser at a time.
    public var blockBytes: Int
    /// A quoted field still open this many bytes after its opening quote is a bad row (malformed quoting) that
    /// ends at the first line end after the quote; reading resumes on the next line. Bounds what one stray
    /// quote can swallow.
    public var maxRecordBytes: Int
    /// Timestamps outside are bad rows (`outsideTimeRange`); the default is `TimeRange.plausible()`.
    public var timeRange: TimeRange
    /// The table or query of a database `--events` (nil for files).
    public var relation: DatabaseRelation?
    /// Keep only the users of partition `index` of `count` (`PartitionHash`); other rows are skipped as soon as
    /// their user id is found, unparsed and unchecked, and counted in `IngestReport.otherPartitionRows`.
    public var partition: (index: Int, count: Int)?
    /// The range `maxRecordBytes` accepts (up to the read buffer's limit).
    public static let maxRecordBytesRange = 1...EventLogReader.maxRecordBytes

    public init(format: LogFormat? = nil, columns: ColumnMapping = ColumnMapping(), timeFormat: TimeFormat = .auto,
                badRows: BadRowPolicy = .fail, threads: Int = 2, blockBytes: Int = 8 << 20, maxRecordBytes: Int = 1 << 20,
                timeRange: TimeRange = .plausible()) {
        self.timeRange = timeRange
        self.format = format
        self.columns = columns
        self.timeFormat = timeFormat
        self.badRows = badRows
        self.threads = max(1, threads)
        self.blockBytes = max(1 << 10, blockBytes)
        self.maxRecordBytes = min(max(maxRecordBytes, Self.maxRecordBytesRange.lowerBound), Self.maxRecordBytesRange.upperBound)
    }
}
