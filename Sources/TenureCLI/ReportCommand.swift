// `tenure report`: one self-contained HTML page about a model (metrics, curves, importance, backtest,
// retention, the latest scoring run).
import EventLog
import Features
import Manifest
import Foundation
import ModelFormat
import Report
import Retention
import TenureCore
import Training

enum ReportCommand {
    static let command = Command(
        name: "report", summary: "Write a self-contained HTML report of a model (curves, calibration, lift, importance, backtest, retention, campaign measurements).",
        usage: "--model MODEL [--events FILE [--cutoff DATES]] [--manifest RUN/manifest.json] [--measurement DIR/measurement.json] --out report.html",
        options: [
            Option("model", "FILE", "model file"),
            Option("cutoff", "DATES", "cutoffs to score the log at (date, list or range; default with --events: the model's validation cutoffs)"),
            Option("manifest", "FILE", "a scoring run's manifest.json (tenure score --out DIR/): tiers, segments and actions"),
            Option("measurement", "LIST", "campaign measurements (\(MeasureCommand.jsonName) written by tenure measure --out DIR/, or that DIR/), comma-separated: did the recall work?"),
            Option("out", "FILE", "the HTML file to write (whole or not at all)"),
            Option("cohort", "PERIOD", default: "week", "retention cohorts: day or week"),
            Option("signup-event", "LIST", "retention: signup = the first of these events (default: the first event of any kind)"),
            Option("alarm-day1", "SHARE", default: "0.18", "retention alarm line for day 1"),
            Option("alarm-day7", "SHARE", "retention alarm line for day 7 (none by default)"),
            Option("alarm-day30", "SHARE", "retention alarm line for day 30 (none by default)"),
        ] + EventOptions.users + EventOptions.readingForModel,
        run: run)

    static func run(_ a: Arguments) throws {
        let modelPath = try a.required("model")
        let outPath = try a.required("out")
        try a.checkOutputs(["out"], inputs: ["model", "events", "manifest", "measurement", "spec", "users"])
        let retentionOptions = try RetentionCommand.retentionOptions(a)
        let model = try ModelFile.read(modelPath)
        var input = ReportInput(model: model, modelFile: URL(fileURLWithPath: modelPath).lastPathComponent,
                                modelSHA256: try SHA256.file(modelPath).hex)
        if let manifestPath = a.string("manifest") { input.manifest = try RunManifest.read(manifestPath) }
        // The small files first: a bad measurement fails before the log is read.
        input.measurements = try (a.list("measurement") ?? []).map { path in
            try MeasurementFile.read(ScoreCommand.isDirectory(path) ? ScoreCommand.join(path, MeasureCommand.jsonName) : path)
        }
        if a.has("events") {
            let (store, _) = try EventOptions.readStore(a, layoutOf: model)
            input.eventsFile = try EventOptions.eventsName(a)
            if let first = store.firstTime, let last = store.lastTime {
                input.dataPeriod = (formatTimestamp(first, dateOnly: true), formatTimestamp(last, dateOnly: true))
            }
            input.scored = try scoreCutoffs(a, model: model, store: store)
            input.retention = try CohortRetention.compute(store, options: retentionOptions)
        } else if a.has("cutoff") {
            throw UsageError("--cutoff needs --events (the log to score at those cutoffs)")
        } else if let stored = model.validationScores {
            // No log: redraw the validation curves from the scores the model keeps (1000 bins per label).
            let rows = stored.expandedRows()
            input.scored = [ScoredCutoff(cutoff: model.training.validCutoffs.joined(separator: ","),
                                         probabilities: rows.probabilities, labels: rows.labels)]
        }
        input.footer = "Made by tenure \(TenureVersion.current) from \(input.modelFile)\(input.eventsFile.map { " and \($0)" } ?? ""). Self-contained: no script, font or network resource."
        let html = try ModelReportPage.html(input)
        let out = try AtomicOutput(path: outPath)
        out.write(html)
        try out.commit()
        var summary = "\(outPath): \(html.utf8.count / 1024) KiB"
        summary += input.scored.isEmpty ? ", metrics stored in the model"
            : !a.has("events") ? ", validation curves from the scores stored in the model (\(input.scored[0].labels.count) rows in 1000 bins)" : ", \(input.scored.count) cutoff(s) scored (\(input.scored.map { "\($0.cutoff): \($0.labels.count) rows" }.joined(separator: ", ")))"
        if let r = input.retention { summary += "; retention: \(r.cohorts.count) cohorts, \(r.flaggedCohorts.count) flagged" }
        if !input.measurements.isEmpty { summary += "; \(input.measurements.map(\.document.rows.count).reduce(0, +)) measurement rows" }
        if let m = input.manifest { summary += "; run manifest included, \(m.modelMatch(input.modelSHA256))" }
        Console.note(summary)
    }

    /// Features and labels at each cutoff, the model's probabilities, and the mean |contribution| per
    /// feature on the latest cutoff. Cutoffs whose horizon runs past the data (no labelled rows) are skipped.
    static func scoreCutoffs(_ a: Arguments, model: TenureModel, store: EventStore) throws -> [ScoredCutoff] {
        guard let resolved = model.features else { throw UsageError("the model was trained from a feature matrix, so it cannot score an event log; leave out --events") }
        let cutoffs: [Int64]
        if a.has("cutoff") {
            cutoffs = try EventOptions.cutoffs(a)
        } else {
            cutoffs = model.training.validCutoffs.compactMap { parseTimestamp($0) }
            guard !cutoffs.isEmpty else { throw UsageError("the model holds no validation cutoff; pass --cutoff") }
        }
        let users = try EventOptions.users(a, for: model)
        let backtest = try Backtest(model: model, features: resolved, store: store, cutoffs: cutoffs, threads: try EventOptions.threads(a),
                                    users: users)
        if let coverage = backtest.coverage { Console.note(coverage.summary) }
        Console.note(FeaturesCommand.summaryLine(backtest.summary, label: model.label, features: backtest.table.width))
        var result = backtest.cutoffs.map { ScoredCutoff(cutoff: formatTimestamp($0.cutoff, dateOnly: true), probabilities: $0.probabilities, labels: $0.labels) }
        // Mean |contribution| per feature on the latest cutoff only: TreeSHAP on every row of every cutoff costs.
        if let latest = backtest.cutoffs.last {
            result[result.count - 1].meanAbsContribution = try FeatureAttribution.meanAbsoluteContribution(
                model: model, x: backtest.featureRows(of: latest), rows: latest.rows.count)
        }
        for s in backtest.summary.perCutoff where s.rows == 0 {
            Console.note("cutoff \(formatTimestamp(s.cutoff, dateOnly: true)): no labelled rows (\(s.censored) censored), left out of the report")
        }
        return result
    }
}
