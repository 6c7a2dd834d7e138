// `tenure score`: tonight's ranked list. Every eligible user as of a date, with value, expected loss, segment,
// recall step and reasons in words; exclusions, a top-N or budget cut, and with `--out DIR/` a run manifest.
import EventLog
import Features
import Foundation
import Manifest
import Postgres
import ModelFormat
import Scoring
import Targeting
import TenureCore

enum ScoreCommand {
    /// The library defaults the options show in --help and fall back to.
    static let defaults = RecallSettings()
    /// More reasons than this is a typo (each costs four columns per row).
    static let reasonsRange = 0...64
    /// The field's usual holdout (domain.md: every intervention A/B-tested against a held-out control).
    static let defaultControlShare = 0.1

    static let command = Command(
        name: "score", summary: "Score every eligible user as of a date and write the ranked recall list (and a run manifest).",
        usage: "--model MODEL --events FILE --as-of DATE --out FILE|DIR/|postgresql://… [--out-table NAME] [--top N | --budget B] [--exclude-fake]",
        options: [
            Option("model", "FILE", "model file"),
            Option("as-of", "DATE", "score as of this time (features see only earlier events); 'yesterday' = today's UTC midnight"),
            Option("out", "FILE|DIR/", default: "-", "ranked list (written whole or not at all; - for stdout); a directory (trailing / or existing) gets scores.csv and manifest.json; a postgresql:// URI with --out-table, a table"),
            Option("output-format", "FMT", default: "csv", "csv or jsonl"),
            Option("rank-by", "KEY", default: "\(defaults.rankBy.rawValue); uplift models: \(RankBy.incrementalValue.rawValue)", "expected-loss (probability × value) or risk (probability); an uplift model also uplift or incremental-value (uplift × value − step cost); an activation list always ranks by probability of activating"),
            Option("top", "N", "keep only the first N users of the ranking"),
            Option("budget", "B", "keep users in rank order while their recall steps' costs (playbook) fit B; users with no step are left out"),
            Option.flag("exclude-fake", "leave out suspected fake-active users (no genuine-activity signal)"),
            Option("contacted", "FILE", "CSV, Parquet or a PostgreSQL URI (with --contacted-table or --contacted-query) with user_id,contacted_at: users contacted within --cooldown are left out"),
        ] + DatabaseInput.contacted.options + [
            Option("cooldown", "DUR", default: TimeSpan.days(Int(defaults.cooldownMillis / millisPerDay)).description, "how long a contacted user is left alone"),
            Option("campaign", "NAME", "hold out a control group for this campaign: a share of the users the list would contact get action none, kept in the list with group=control (same users every night: a hash of campaign and user id)"),
            Option("control-share", "S", default: "\(ScoreCommand.defaultControlShare)", "with --campaign: the share held out, in [0, 1)"),
            Option("partition", "I/N", "score only partition I of N (0-based; FNV-1a-64 of the user id mod N)"),
            Option("playbook", "FILE", "recall playbook JSON (value definition, segments, actions, rules; an activation section for activation models); default: tenure playbook --print-default"),
            Option("reasons", "N", default: "\(defaults.reasons); in \(reasonsRange)", "top reasons per user with a recall step (in words, plus feature, value, contribution)"),
            Option.flag("reasons-for-all", "give reasons to every listed user, not only those with a recall step (slower on big nights)"),
            Option("tier-medium", "S", default: "\(defaults.tiers.medium)", "score (0...100) at which the medium tier starts (churn; an activation model's likely/possible/unlikely tiers are the playbook's activation.tiers)"),
            Option("tier-high", "S", default: "\(defaults.tiers.high)", "score (0...100, ≥ --tier-medium) at which the high tier starts (churn)"),
            Option("drift-threshold", "PSI", default: "\(defaults.driftThreshold)", "warn when a feature's population stability index against the training data exceeds this"),
            Option("fail-on-drift", "PSI", "refuse (exit 2, no list) when any feature's PSI exceeds this"),
            Option("max-staleness", "DUR", default: defaults.maxStaleness.description, "refuse (exit 2, no list) when --as-of is more than this after the log's last event"),
            Option.flag("allow-mismatch", "score a log that does not fit the model (most of its event names absent, or most features past --drift-threshold) with a warning instead of refusing it"),
        ] + TableOutput.options + EventOptions.users + EventOptions.readingForModel,
        run: run)

    static func run(_ a: Arguments) throws {
        let clock = Stopwatch()
        // Every usage check before any work: a typo must not cost a night's read.
        guard let asOfText = a.string("as-of") else { throw UsageError("'tenure score' needs --as-of") }
        let asOf = try parseAsOf(asOfText)
        let outputFormat = a.stringOrDefault("output-format") ?? ""
        guard ["csv", "jsonl"].contains(outputFormat) else { throw UsageError("--output-format takes csv or jsonl, not '\(outputFormat)'") }
        var s = RecallSettings()
        s.tiers = TierThresholds(medium: try a.double("tier-medium", .within(0...100)) ?? s.tiers.medium,
                                 high: try a.double("tier-high", .within(0...100)) ?? s.tiers.high)
        guard s.tiers.medium <= s.tiers.high else {
            throw UsageError("--tier-medium (\(s.tiers.medium)) must not be above --tier-high (\(s.tiers.high))")
        }
        guard let rankBy = RankBy(rawValue: a.string("rank-by") ?? s.rankBy.rawValue) else {
            throw UsageError("--rank-by takes \(RankBy.allCases.map(\.rawValue).joined(separator: ", ")), not '\(a.string("rank-by") ?? "")'")
        }
        s.rankBy = rankBy
        if a.has("top") && a.has("budget") { throw UsageError("give --top or --budget, not both") }
        if let top = try a.int("top", .atLeast(0)) { s.limit = .top(top) }
        if let budget = try a.double("budget", .nonNegative) { s.limit = .budget(budget) }
        s.reasons = try a.int("reasons", .within(reasonsRange)) ?? s.reasons
        s.reasonsForAll = a.flag("reasons-for-all")
        s.excludeFake = a.flag("exclude-fake")
        s.cooldownMillis = try EventOptions.span(a, "cooldown")?.millis ?? s.cooldownMillis
        // Partition's own error names the flag and is a usage error (64): no second wrapping.
        s.partition = try a.string("partition").map { try Partition($0) }
        if let campaign = a.string("campaign") {
            s.control = try ControlGroup(campaign: campaign, share: try a.double("control-share", orDefault: true) ?? defaultControlShare)
        } else if a.has("control-share") {
            throw UsageError("\(a.spelling("control-share")) needs --campaign NAME (the control group is drawn per campaign)")
        }
        s.driftThreshold = try a.double("drift-threshold", .nonNegative) ?? s.driftThreshold
        s.failOnDrift = try a.double("fail-on-drift", .nonNegative)
        s.maxStaleness = try EventOptions.span(a, "max-staleness") ?? s.maxStaleness
        s.allowMismatch = a.flag("allow-mismatch")
        s.threads = try EventOptions.threads(a)
        let out = a.stringOrDefault("out") ?? "-"
        let tableOut = try TableOutput.parse(a, out: out, outputFormat: outputFormat)
        let directory = tableOut == nil && out != "-" && (out.hasSuffix("/") || isDirectory(out))
        // Checked now, created only when the list is about to be written: a failed run leaves no empty directory.
        if tableOut == nil { try OutputPath.checkWritable(out, isDirectory: directory) }
        let listPath = tableOut != nil ? TableOutput.scratchList : directory ? join(out, "scores.\(outputFormat)") : out
        let manifestPath = join(out, "manifest.json")
        let outputs: [(flag: String, path: String)] = tableOut.map { t in t.manifestOut.map { [(a.spelling("manifest-out"), $0)] } ?? [] }
            ?? (directory ? [("--out", listPath), ("--out", manifestPath)] : [("--out", out)])
        try a.checkOutputsDistinct(outputs, inputs: ["model", "events", "playbook", "contacted", "users"])
        // Small inputs are read before the big one, so their errors come first too.
        if let p = a.string("playbook") { s.playbook = try Playbook.load(path: p) }
        let contactedRelation = try DatabaseInput.contacted.relation(a)
        if let c = a.string("contacted") { s.contacts = try ContactHistory(path: c, relation: contactedRelation) }
        let modelPath = try a.required("model")
        let scorer = try Scorer(path: modelPath)
        let model = scorer.model
        try refuseChurnOnlyOptions(a, task: model.label.task)
        if model.uplift != nil && a.string("rank-by") == nil { s.rankBy = .incrementalValue }
        if model.uplift == nil && s.rankBy.needsUplift { throw TargetingError.rankNeedsUplift(s.rankBy.rawValue) }
        s.users = try EventOptions.users(a, for: model)
        let sink = try tableOut?.open(schema: RecallList.schema(task: model.label.task, uplift: model.uplift != nil, settings: s), reasons: s.reasons)
        var timings: [String: Double] = ["load_model": clock.lap()]

        // The manifest's hash of the event log is taken while the log is read.
        let eventsPath = try a.required("events")
        let fromDatabase = PostgresURI.isURI(eventsPath)
        let eventsFingerprint = (directory || sink != nil) && eventsPath != "-" && !fromDatabase ? PendingFingerprint(path: eventsPath) : nil
        defer { eventsFingerprint?.join() }
        let (store, report) = try EventOptions.readStore(a, layoutOf: model, partition: s.partition.map { ($0.index, $0.count) })
        timings["read_events"] = clock.lap()
        if !store.hasValueColumn {
            // Without values every user is worth 0, so expected loss cannot rank anyone.
            if a.string("rank-by") == nil {
                s.rankBy = model.uplift == nil ? .risk : .uplift
                s.rankNote = model.uplift == nil ? "the log has no value column: ranked by risk (probability), not expected loss"
                    : "the log has no value column: ranked by uplift, not incremental value"
            } else if s.rankBy == .incrementalValue {
                throw UsageError("\(a.spelling("rank-by")) incremental-value needs event values and \(eventsPath) has no value column: rank by uplift, or name the value column with --value-col")
            } else if s.rankBy == .expectedLoss {
                throw UsageError("\(a.spelling("rank-by")) expected-loss needs event values and \(try EventOptions.eventsName(a)) has no value column: rank by risk, or name the value column with --value-col")
            }
        }
        // The list is the other large allocation (per-user entries, and a chunk of users' feature rows at a time):
        // refused before it is made.
        try a.configuration(MemorySettings.parameters).check(
            "the list (\(store.userCount) users; features \(RecallSettings.defaultChunkUsers) users at a time)",
            estimate: RecallList.peakBytes(users: store.userCount, features: model.featureNames.count))
        let run = try RecallList.build(scorer: scorer, store: store, asOf: asOf, settings: s)
        timings["features_score_rank"] = clock.lap()

        let created = directory && !isDirectory(out)
        if created { try createDirectory(out) }
        do {
            let list = try AtomicOutput(path: listPath)
            if outputFormat == "jsonl" { try RecallListWriter.writeJSONL(run.entries, schema: run.schema, to: list) } else { try RecallListWriter.writeCSV(run.entries, schema: run.schema, reasonCount: s.reasons, to: list) }
            // Every byte of both files is on disk before either is renamed, so a full disk replaces nothing; the
            // old manifest is removed, then the list and the new manifest (which holds the list's SHA-256) are
            // renamed, so every crash state is a matching pair or a list without a manifest.
            let stagedList = try list.stage()
            timings["write_list"] = clock.lap()

            if !directory && sink == nil { try list.commit() } else {
                var inputs: [FileFingerprint] = []
                inputs.append(try EventOptions.databaseFingerprint(a, report: report) ?? eventsFingerprint?.get() ?? FileFingerprint(unhashed: "-", bytes: report.bytes))
                if let p = a.string("playbook") { inputs.append(try FileFingerprint(path: p)) }
                if let c = a.string("contacted") {
                    inputs.append(try DatabaseInput.contacted.fingerprint(a, rows: s.contacts?.rows ?? 0) ?? FileFingerprint(path: c))
                }
                if let u = a.string("users") {
                    inputs.append(try DatabaseInput.users.fingerprint(a, rows: s.users?.table.rowCount ?? 0) ?? FileFingerprint(path: u))
                }
                let modelFile = try FileFingerprint(path: modelPath)
                timings["hash_inputs"] = clock.lap()
                timings["total"] = clock.total
                var settings = s.recorded(cooldown: a.stringOrDefault("cooldown"), playbook: a.string("playbook"), schema: run.schema)
                if let sink, let tableOut { settings.merge(tableOut.recorded(sink)) { $1 } }
                let listFile = try FileFingerprint(path: stagedList ?? listPath, named: sink.map(\.table.description) ?? "scores.\(outputFormat)",
                                                   rows: run.entries.count)
                let manifest = RunManifest(
                    asOf: asOf, model: model, modelFile: modelFile, inputs: inputs, settings: settings,
                    run: run, ingest: report, badRowPolicy: a.stringOrDefault("bad-rows") ?? "fail", driftThreshold: s.driftThreshold,
                    outputs: [listFile], timingsSeconds: timings)
                if let sink, let tableOut, let stagedList {
                    // The list file was only the COPY's source: it is never committed, so it goes when `list` does.
                    try tableOut.write(sink, stagedList: stagedList, list: listFile,
                                       asOf: asOf, settings: s, manifest: manifest)
                } else {
                    let m = try AtomicOutput(path: manifestPath)
                    m.write(bytes: try manifest.json())
                    try m.stage()
                    // Last night's manifest goes first: a kill before tonight's is in place leaves a list with no
                    // manifest, which `verify` (and `report --manifest`) refuse, never last night's beside tonight's.
                    try m.withdrawPrevious()
                    try list.commit()
                    try m.commit()
                }
            }
        } catch {
            // A directory this run made is left behind only with both files in it.
            if created { try? FileManager.default.removeItem(atPath: out) }
            throw error
        }
        summarize(run, asOf: asOf, model: model, settings: s)
    }

    /// The churn list's tier, expected-loss and fake-active options mean nothing to an activation list:
    /// refused, naming where its own settings are, rather than silently ignored.
    static func refuseChurnOnlyOptions(_ a: Arguments, task: PredictionTask) throws {
        guard task == .activation else { return }
        for flag in ["tier-medium", "tier-high"] where a.has(flag) {
            throw UsageError("\(a.spelling(flag)) sets a churn list's risk tiers; this activation model's tiers (likely, possible, unlikely) are the playbook's activation.tiers (see tenure playbook --print-default)")
        }
        if a.string("rank-by") == RankBy.expectedLoss.rawValue {
            throw UsageError("\(a.spelling("rank-by")) expected-loss: an activation list has no expected loss; it ranks new users by their probability of activating")
        }
        if a.flag("exclude-fake") {
            throw UsageError("\(a.spelling("exclude-fake")): an activation list calls no new user fake-active (the genuine-activity thresholds measure established users, which a user days old who has not done the key event rarely meets); leave it out")
        }
    }

    static func summarize(_ run: RecallRun, asOf: Int64, model: TenureModel, settings s: RecallSettings) {
        let t = run.counts.tier, names = run.schema.tiers.names
        var line = "scored \(run.scored) eligible users as of \(formatTimestamp(asOf)) (\(model.label.summary)); "
            + names.topFirst.map { "\($0) \(t[$0] ?? 0)" }.joined(separator: ", ")
        if let p = s.partition { line += "; partition \(p)" }
        if run.excludedFake > 0 || s.excludeFake { line += "; excluded \(run.excludedFake) suspected fake-active" }
        if s.contacts != nil { line += "; \(run.excludedCooldown) in contact cooldown" }
        line += "; wrote \(run.entries.count)"
        if case .budget(let b)? = s.limit { line += " (budget \(String(format: "%g", run.budgetSpent)) of \(String(format: "%g", b)))" }
        if let note = s.rankNote { line += "; \(note)" }
        if let c = s.control {
            let treated = run.entries.filter { $0.group == .treatment }.count, held = run.entries.filter { $0.group == .control }.count
            line += "; campaign \(c.campaign): \(treated) treatment, \(held) control (held out: \(String(format: "%g", 100 * c.share))%)"
        }
        Console.note(line)
        for w in model.features?.warnings ?? [] { Console.note(w) }
        if let coverage = run.coverage { Console.note(coverage.summary) }
        for m in run.mismatches { Console.note("warning: --allow-mismatch: scored although the log does not fit the model: \(m)") }
        let actions = run.listed.action.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        if !actions.isEmpty { Console.note("\(run.schema.task == .activation ? "nudges" : "recall steps") in the list: \(actions)") }
        if model.reference == nil {
            Console.note("note: this model file has no training reference distribution: no drift check, percentiles are within this run")
        } else if !run.driftedFeatures.isEmpty {
            let moved = run.drift.filter { run.driftedFeatures.contains($0.feature) }.sorted { $0.psi > $1.psi }
            Console.note("warning: \(moved.count) feature(s) moved against the training data (PSI > \(s.driftThreshold)): "
                         + moved.prefix(10).map { "\($0.feature) \(String(format: "%.2f", $0.psi))" }.joined(separator: ", "))
        }
    }

    static func parseAsOf(_ text: String) throws -> Int64 {
        if text == "yesterday" || text == "today" {
            // The nightly job scores the day that just ended: as of today's midnight UTC.
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            return now / millisPerDay * millisPerDay
        }
        guard let t = parseTimestamp(text) else { throw UsageError("--as-of takes a date like 2026-05-31, or 'yesterday'") }
        return t
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    static func createDirectory(_ path: String) throws {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw OutputError.cannotWrite(path: path, reason: "cannot create the output directory")
        }
    }

    static func join(_ dir: String, _ file: String) -> String { dir.hasSuffix("/") ? dir + file : dir + "/" + file }
}

/// Wall-clock laps for the manifest's timings.
final class Stopwatch {
    private let start = DispatchTime.now().uptimeNanoseconds
    private var last = DispatchTime.now().uptimeNanoseconds
    func lap() -> Double {
        let now = DispatchTime.now().uptimeNanoseconds
        defer { last = now }
        return Double(now - last) / 1e9
    }
    var total: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}
