// Options shared by every command that reads an event log or builds features (features, train, evaluate, score).
import EventLog
import Features
import Foundation
import GradientBoosting
import Manifest
import ModelFormat
import Postgres
import TenureCore

enum EventOptions {
    /// The library defaults the options below show in --help and fall back to.
    static let readDefaults = ReadOptions()
    static let labelDefaults = LabelSpec(task: .churn)

    static let reading: [Option] = [
        Option("events", "FILE", "event log: CSV, TSV, JSON Lines or whitespace-separated, optionally gzip; - for stdin; Parquet (a file or a directory of them); or a PostgreSQL URI (postgresql://…) with --table or --query"),
    ] + DatabaseInput.events.options + [
        Option("format", "FORMAT", "\(LogFormat.names) (default: from the file extension or content)"),
        Option("user-col", "NAME", default: readDefaults.columns.user, "column with the user id"),
        Option("time-col", "NAME", default: readDefaults.columns.time, "column with the event time"),
        Option("event-col", "NAME", "column with the event name (default: 'event' when present; absent: one event type)"),
        Option("value-col", "NAME", "column with the event value (default: 'value' when present)"),
        Option("time-format", "FMT", default: readDefaults.timeFormat.description, "auto, iso8601, epoch-s, epoch-ms, yyyymmdd or a pattern like \"%Y-%m-%d %H:%M:%S\""),
        Option("time-range", "FROM..TO", default: "\(TimeRange.defaultFrom)..now+\(TimeRange.defaultSlackDays)d",
               "timestamps outside (dates or ISO 8601 timestamps; a date as TO includes its day; an empty side keeps the default) are bad rows"),
        badRows,
    ] + Option.of(MemorySettings.parameters) + [
        Option("max-record-bytes", "N", default: String(readDefaults.maxRecordBytes),
               "a quoted field still open after N bytes is a bad row ending at its first line; reading resumes after it"),
        threads,
    ]

    /// --bad-rows, for the event log and the --users file (`predict` reads only the latter).
    static let badRows = Option("bad-rows", "POLICY", default: "fail", "fail (stop at the first bad row), skip, or quarantine=PATH")

    /// The reading options that say how the log is laid out: a model records them, and a command that reads a
    /// log for a model (score, evaluate, report) takes the model's unless the flag is given.
    static let layout: Set<String> = ["format", "user-col", "time-col", "event-col", "value-col", "time-format"]

    /// `reading` as a command that reads with a model's layout shows it: the layout flags default to the model's.
    static let readingForModel: [Option] = reading.map { o in
        guard layout.contains(o.name) else { return o }
        // The reading-time default some helps spell out ("(default: from the file extension)") gives way to the model's.
        let help = o.help.range(of: " (default: ").map { String(o.help[..<$0.lowerBound]) } ?? o.help
        return Option(o.name, o.value, default: "the model's", help)
    }

    /// Every command's --threads is the GBDT table's entry (the workers' range and default), checked at parse time.
    static let threads = Option(GBDTConfig.parameters["threads"]!, range: .within(WorkerThreads.range))

    static let featureSpec: [Option] = [
        Option("spec", "FILE", "feature spec JSON (windows, groups, genuine-activity rules); default: the built-in spec"),
        Option("task", "TASK", default: labelDefaults.task.rawValue, "churn, activation or none (features only)"),
        Option("lookback", "DUR", default: labelDefaults.lookback?.description ?? "all", "churn: active in this window before the cutoff; 'all' = any time before"),
        Option("horizon", "DUR", default: labelDefaults.horizon.description, "label window after the cutoff (> 0)"),
        Option("qualifying-events", "LIST", "churn: events or groups that count as staying (default: any event)"),
        Option("signup-window", "DUR", default: labelDefaults.signupWindow.description, "activation: first seen within this window before the cutoff"),
        Option("key-event", "LIST", default: labelDefaults.keyEvents.joined(separator: ","), "activation: events or groups that count as activation"),
        Option("cutoff", "DATES", "a date (2026-05-31), a list (d1,d2) or a range START..END/STEP (2026-03-01..2026-05-31/14d)"),
    ]

    /// `--users`: per-user attributes joined to the event features (features, train, score, evaluate, report).
    static let users = [Option("users", "FILE", "per-user attributes: CSV/TSV/JSON Lines/Parquet (a file or a directory of them) or a PostgreSQL URI (postgresql://…) with --users-table or --users-query; with user_id, any columns and an optional valid_from (joined as in force before each cutoff)")]
        + DatabaseInput.users.options
    /// How a training users file's columns are read (a model stores the result; scoring takes it from there).
    static let attributeKinds: [Option] = [
        Option("categorical", "LIST", "--users columns to treat as categories (default: any column with a non-number)"),
        Option("numeric", "LIST", "--users columns to treat as numbers (default: columns whose every value is a number)"),
    ] + Option.of(AttributeSettings.parameters)

    /// --users for training or `features`: read, kinds detected (or as --categorical/--numeric say), encoded;
    /// the file's summary goes to stderr. nil without --users.
    static func usersForTraining(_ a: Arguments) throws -> UserAttributes? {
        let relation = try DatabaseInput.users.relation(a)
        guard let path = a.string("users") else {
            if let given = (["categorical", "numeric"] + AttributeSettings.parameters.names).first(where: a.has) {
                throw UsageError("\(a.spelling(given)) describes the --users file: pass --users FILE")
            }
            return nil
        }
        let policy = try readOptions(a).badRows
        let table = try UserTable.read(path, badRows: policy, relation: relation)
        let users = try UserAttributes.fit(table, categorical: a.list("categorical") ?? [], numeric: a.list("numeric") ?? [],
                                           settings: try a.configuration(AttributeSettings.parameters), badRows: policy)
        Console.note(users.table.summary)
        Console.note("attributes: " + users.schema.columns.map { c in
            c.kind == .numeric ? "\(c.name) numeric" : "\(c.name) categorical (\(c.categories!.count) categories + other)"
        }.joined(separator: ", "))
        return users
    }

    /// --users for a trained model: encoded with the model's stored schema (nil without --users; a model with
    /// attributes then refuses to build features, naming the flag).
    static func users(_ a: Arguments, for model: TenureModel) throws -> UserAttributes? {
        let relation = try DatabaseInput.users.relation(a)
        guard let path = a.string("users") else { return nil }
        guard let schema = model.attributes else { throw UserTableError.modelWithoutAttributes }
        let policy = try readOptions(a).badRows
        let users = try UserAttributes(schema: schema, table: try UserTable.read(path, badRows: policy, relation: relation), badRows: policy)
        Console.note(users.table.summary)
        return users
    }

    /// --threads, in range, or the default.
    static func threads(_ a: Arguments) throws -> Int {
        try a.int("threads", .within(WorkerThreads.range)) ?? WorkerThreads.default
    }

    static func readOptions(_ a: Arguments) throws -> ReadOptions {
        var o = readDefaults
        if let f = a.string("format") {
            guard let format = LogFormat(rawValue: f) else { throw UsageError("\(a.spelling("format")) takes \(LogFormat.names), not '\(f)'") }
            o.format = format
        }
        o.columns = ColumnMapping(user: a.string("user-col") ?? o.columns.user, time: a.string("time-col") ?? o.columns.time,
                                  event: a.string("event-col"), value: a.string("value-col"))
        o.timeFormat = try a.parsed("time-format") { try TimeFormat(parsing: $0) } ?? o.timeFormat
        o.timeRange = try a.parsed("time-range") { try TimeRange(parsing: $0) } ?? o.timeRange
        o.badRows = try a.parsed("bad-rows") { try BadRowPolicy(parsing: $0) } ?? o.badRows
        if case .quarantine(let path) = o.badRows { try OutputPath.checkWritable(path) }
        o.threads = try threads(a)
        o.maxRecordBytes = try a.int("max-record-bytes", .within(ReadOptions.maxRecordBytesRange)) ?? o.maxRecordBytes
        o.relation = try relation(a)
        return o
    }

    /// --table or --query: exactly one with a database --events, neither with a file.
    static func relation(_ a: Arguments) throws -> DatabaseRelation? { try DatabaseInput.events.relation(a) }

    /// How --events is named in a model, a report or a message: a file by its name, a database by its URI
    /// without credentials and its table or query (never the password a URI may carry).
    static func eventsName(_ a: Arguments) throws -> String {
        let events = try a.required("events")
        guard PostgresURI.isURI(events) else { return (events as NSString).lastPathComponent }
        return DatabaseTable.sourceName(events, try relation(a)!)
    }

    /// The manifest's record of a database --events (nil for a file): URI without credentials, table or query, rows read.
    static func databaseFingerprint(_ a: Arguments, report: IngestReport) throws -> FileFingerprint? {
        try DatabaseInput.events.fingerprint(a, rows: report.records, bytes: report.bytes)
    }

    /// Refuses (exit 2, with the advice) a log whose store is estimated not to fit the memory available. A
    /// partition's store holds about 1/n of the events.
    static func checkMemory(_ a: Arguments, path: String, options: ReadOptions) throws {
        guard var e = ReadEstimate.of(path, options: options) else { return }
        if let p = options.partition { e.peakBytes /= UInt64(p.count) }
        try a.configuration(MemorySettings.parameters).check("reading \(path) (about \(e.events) events × \(ReadEstimate.storeBytesPerEvent) bytes)", estimate: e.peakBytes)
    }

    /// The ingest summary, and what the store holds in memory (bytes per event: the compact layout's figure).
    private static func noteRead(_ store: EventStore, _ report: IngestReport) {
        Console.note(report.summary)
        guard store.eventCount > 0 else { return }
        let perEvent = String(format: "%.1f", Double(store.byteSize) / Double(store.eventCount))
        Console.note("\(report.path): event store \(ByteSize.format(Double(store.byteSize))), \(perEvent) bytes per event")
    }

    /// Reads the log named by --events (or `path`, this rank's shard), printing the ingest summary to stderr.
    /// With `partition`, only that partition's users are read.
    static func readStore(_ a: Arguments, path: String? = nil,
                          partition: (index: Int, count: Int)? = nil) throws -> (EventStore, IngestReport) {
        let path = try path ?? a.required("events")
        var options = try readOptions(a)
        options.partition = partition
        try checkMemory(a, path: path, options: options)
        let (store, report) = try EventLogReader.read(path, options: options, note: { Console.note($0) })
        noteRead(store, report)
        return (store, report)
    }

    /// Reads --events laid out as the model's training log was (columns, format, time format); each flag given
    /// (on the command line or in --config) and the file name's extension still win, so a nightly export whose
    /// columns are named differently from the training file can be scored.
    /// With `partition`, only that partition's users are read (the others' rows are skipped as they are found).
    static func readStore(_ a: Arguments, layoutOf model: TenureModel,
                          partition: (index: Int, count: Int)? = nil) throws -> (EventStore, IngestReport) {
        var options = try readOptions(a)
        options.partition = partition
        if let recorded = model.columns {
            options.columns = ColumnMapping(user: a.string("user-col") ?? recorded.user, time: a.string("time-col") ?? recorded.time,
                                            event: a.string("event-col") ?? (recorded.eventExplicit ? recorded.event : nil),
                                            value: a.string("value-col") ?? (recorded.valueExplicit ? recorded.value : nil))
        }
        let path = try a.required("events")
        if a.string("format") == nil && LogFormat.fromExtension(path) == nil { options.format = model.inputFormat }
        if a.string("time-format") == nil, let t = model.timeFormat { options.timeFormat = t }
        try checkMemory(a, path: path, options: options)
        let (store, report) = try EventLogReader.read(path, options: options, note: { Console.note($0) })
        noteRead(store, report)
        return (store, report)
    }

    /// The labelled feature table of `features` and `train`: the spec resolved against events before the
    /// latest cutoff (later rows cannot change the columns), its warnings printed once, the rows built, the
    /// users file joined.
    static func labelledTable(_ a: Arguments, store: EventStore, spec: FeatureSpec, users: UserAttributes?, label: LabelSpec,
                              cutoffs: [Int64]) throws -> (ResolvedFeatureSpec, FeatureTable, BuildSummary, AttributeCoverage?) {
        let (resolved, plan) = try featurePlan(store: store, spec: spec, users: users, cutoffs: cutoffs)
        let (events, summary) = try TrainingSetBuilder.build(store: store, plan: plan, label: label, cutoffs: cutoffs,
                                                             threads: try threads(a))
        let (table, coverage) = try AttributeJoin.apply(users?.schema, users, to: events, userIDs: store.userIDs)
        return (resolved, table, summary, coverage)
    }

    /// `labelledTable`'s rows a chunk of `chunkUsers` store users at a time (`TrainingSetBuilder.forEachChunk`:
    /// first the empty table, then each chunk in the table's row order), attributes joined.
    static func forEachLabelledChunk(_ a: Arguments, store: EventStore, spec: FeatureSpec, users: UserAttributes?, label: LabelSpec,
                                     cutoffs: [Int64], chunkUsers: Int,
                                     _ body: (FeatureTable) throws -> Void) throws -> (BuildSummary, AttributeCoverage?) {
        let (_, plan) = try featurePlan(store: store, spec: spec, users: users, cutoffs: cutoffs)
        let joiner = try AttributeJoin.joiner(users?.schema, users, userIDs: store.userIDs)
        var rows = AttributeCoverage()
        let summary = try TrainingSetBuilder.forEachChunk(store: store, plan: plan, label: label, cutoffs: cutoffs,
                                                          threads: try threads(a), chunkUsers: chunkUsers) { events in
            guard let joiner else { return try body(events) }
            let (table, chunkRows) = joiner.join(events)
            rows.addRows(chunkRows)
            try body(table)
        }
        return (summary, joiner?.coverage(adding: rows))
    }

    /// The spec resolved against the store (its warnings noted) and its plan; a users file's attribute names must
    /// not clash with the plan's.
    private static func featurePlan(store: EventStore, spec: FeatureSpec, users: UserAttributes?,
                                    cutoffs: [Int64]) throws -> (ResolvedFeatureSpec, FeaturePlan) {
        let resolved = ResolvedFeatureSpec.resolve(spec, for: store, before: cutoffs.max() ?? .max)
        for w in resolved.warnings { Console.note(w) }
        let plan = FeaturePlan(resolved, store: store)
        try users?.schema.checkNames(against: plan.names)
        return (resolved, plan)
    }

    static func spec(_ a: Arguments) throws -> FeatureSpec {
        guard let path = a.string("spec") else { return .default }
        guard FileManager.default.isReadableFile(atPath: path) else { throw UsageError("cannot read --spec file \(path)") }
        return try FeatureSpec.load(path: path)
    }

    /// `task`, when given, replaces --task (an uplift model keeps a churn label: who is scored, what counts as staying).
    static func label(_ a: Arguments, task forced: PredictionTask? = nil) throws -> LabelSpec {
        let d = labelDefaults
        guard let task = forced ?? PredictionTask(rawValue: a.string("task") ?? d.task.rawValue) else {
            throw UsageError("\(a.spelling("task")) takes churn, activation or none")
        }
        let lookback: TimeSpan? = a.string("lookback") == "all" ? nil : try span(a, "lookback") ?? d.lookback
        let horizon = try span(a, "horizon") ?? d.horizon
        guard horizon.millis > 0 else { throw UsageError("\(a.spelling("horizon")) must be longer than 0, got \(horizon)") }
        return LabelSpec(task: task, lookback: lookback, horizon: horizon,
                         qualifyingEvents: a.list("qualifying-events") ?? d.qualifyingEvents,
                         signupWindow: try span(a, "signup-window") ?? d.signupWindow,
                         keyEvents: a.list("key-event") ?? d.keyEvents)
    }

    /// A span of time option (`14d`); a malformed or over-long one is a usage error naming the flag.
    static func span(_ a: Arguments, _ name: String) throws -> TimeSpan? {
        try a.parsed(name) { try TimeSpan(parsing: $0) }
    }

    static func cutoffs(_ a: Arguments) throws -> [Int64] {
        try a.parsed("cutoff") { try CutoffSchedule.parse($0) } ?? { throw UsageError("'tenure \(a.command.name)' needs --cutoff") }()
    }
}
