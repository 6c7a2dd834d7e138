// Options shared by every command that reads an event log or builds features (features, train, evaluate, score).
import EventLog
import Features
import Foundation
import ModelFormat
import TenureCore

enum EventOptions {
    static let reading: [Option] = [
        Option("events", "FILE", "event log: CSV, TSV, JSON Lines or whitespace-separated, optionally gzip; - for stdin"),
        Option("format", "FORMAT", "csv, tsv, jsonl or whitespace (default: from the file extension)"),
        Option("user-col", "NAME", default: "user_id", "column with the user id"),
        Option("time-col", "NAME", default: "timestamp", "column with the event time"),
        Option("event-col", "NAME", "column with the event name (default: 'event' when present; absent: one event type)"),
        Option("value-col", "NAME", "column with the event value (default: 'value' when present)"),
        Option("time-format", "FMT", default: "auto", "auto, iso8601, epoch-s, epoch-ms, yyyymmdd or a pattern like \"%Y-%m-%d %H:%M:%S\""),
        Option("bad-rows", "POLICY", default: "fail", "fail (stop at the first bad row), skip, or quarantine=PATH"),
        Option("threads", "N", default: "2", "parallel workers"),
    ]

    static let featureSpec: [Option] = [
        Option("spec", "FILE", "feature spec JSON (windows, groups, genuine-activity rules); default: the built-in spec"),
        Option("task", "TASK", default: "churn", "churn, activation or none (features only)"),
        Option("lookback", "DUR", default: "30d", "churn: active in this window before the cutoff; 'all' = any time before"),
        Option("horizon", "DUR", default: "14d", "label window after the cutoff"),
        Option("qualifying-events", "LIST", "churn: events or groups that count as staying (default: any event)"),
        Option("signup-window", "DUR", default: "14d", "activation: first seen within this window before the cutoff"),
        Option("key-event", "LIST", default: "purchase", "activation: events or groups that count as activation"),
        Option("cutoff", "DATES", "a date (2026-05-31), a list (d1,d2) or a range START..END/STEP (2026-03-01..2026-05-31/14d)"),
    ]

    static func readOptions(_ a: Arguments) throws -> ReadOptions {
        var o = ReadOptions()
        if let f = a.string("format") {
            guard let format = LogFormat(rawValue: f) else { throw UsageError("--format takes csv, tsv, jsonl or whitespace, not '\(f)'") }
            o.format = format
        }
        o.columns = ColumnMapping(user: a.string("user-col") ?? "user_id", time: a.string("time-col") ?? "timestamp",
                                  event: a.values["event-col"], value: a.values["value-col"])
        o.timeFormat = try a.parsed("time-format") { try TimeFormat(parsing: $0) } ?? .auto
        o.badRows = try a.parsed("bad-rows") { try BadRowPolicy(parsing: $0) } ?? .fail
        o.threads = max(1, try a.int("threads") ?? 2)
        return o
    }

    /// Reads the log named by --events, printing the ingest summary to stderr.
    static func readStore(_ a: Arguments) throws -> (EventStore, IngestReport) {
        let path = try a.required("events")
        let (store, report) = try EventLogReader.read(path, options: try readOptions(a), note: { Console.note($0) })
        Console.note(report.summary)
        return (store, report)
    }

    /// Reads --events laid out as the model's training log was (columns, format, time format); flags on the
    /// command line and the file name's extension still win.
    static func readStore(_ a: Arguments, layoutOf model: TenureModel) throws -> (EventStore, IngestReport) {
        var options = try readOptions(a)
        options.columns = model.columns ?? options.columns
        let path = try a.required("events")
        if a.string("format") == nil && LogFormat.fromExtension(path) == nil { options.format = model.inputFormat }
        if a.string("time-format") == nil, let t = model.timeFormat { options.timeFormat = t }
        let (store, report) = try EventLogReader.read(path, options: options, note: { Console.note($0) })
        Console.note(report.summary)
        return (store, report)
    }

    static func spec(_ a: Arguments) throws -> FeatureSpec {
        guard let path = a.string("spec") else { return .default }
        guard FileManager.default.isReadableFile(atPath: path) else { throw UsageError("cannot read --spec file \(path)") }
        return try FeatureSpec.load(path: path)
    }

    static func label(_ a: Arguments) throws -> LabelSpec {
        guard let task = PredictionTask(rawValue: a.string("task") ?? "churn") else {
            throw UsageError("--task takes churn, activation or none")
        }
        let lookback: TimeSpan? = a.string("lookback") == "all" ? nil : try a.parsed("lookback") { try TimeSpan(parsing: $0) }
        return LabelSpec(task: task, lookback: lookback,
                         horizon: try a.parsed("horizon") { try TimeSpan(parsing: $0) } ?? .days(14),
                         qualifyingEvents: a.list("qualifying-events") ?? [],
                         signupWindow: try a.parsed("signup-window") { try TimeSpan(parsing: $0) } ?? .days(14),
                         keyEvents: a.list("key-event") ?? ["purchase"])
    }

    static func cutoffs(_ a: Arguments) throws -> [Int64] {
        try a.parsed("cutoff") { try CutoffSchedule.parse($0) } ?? { throw UsageError("'tenure \(a.command.name)' needs --cutoff") }()
    }
}
