// `tenure evaluate`: a saved model's metrics on cutoffs of a log (a backtest), a row per cutoff marked against
// the model's own cutoffs (in-sample ones flagged), plus the pooled row; a DeLong interval on each ROC AUC.
import EventLog
import Evaluation
import Features
import Foundation
import ModelFormat
import Scoring
import TenureCore
import Training

enum EvaluateCommand {
    static let command = Command(
        name: "evaluate", summary: "Compute a model's metrics (ROC/PR AUC with a 95% interval, log loss, Brier, calibration, lift) per cutoff.",
        usage: "--model MODEL --events FILE --cutoff DATES [--output-format table|json] [--predictions FILE]",
        options: [
            Option("model", "FILE", "model file"),
            Option("cutoff", "DATES", "a date, a list or a range START..END/STEP"),
            Option("output-format", "FMT", default: "table", "table or json"),
            Option.flag("json", "same as --output-format json"),
            Option("predictions", "FILE", "write user_id,cutoff,probability,label for every row (written whole or not at all)"),
        ] + EventOptions.users + EventOptions.readingForModel,
        run: run)

    static func run(_ a: Arguments) throws {
        let format = a.flag("json") ? "json" : a.string("output-format") ?? "table"
        guard ["table", "json"].contains(format) else { throw UsageError("--output-format takes table or json, not '\(format)'") }
        try a.checkOutputs(["predictions"], inputs: ["model", "events", "users"])
        let cutoffs = try EventOptions.cutoffs(a)
        let model = try ModelFile.read(try a.required("model"))
        // Labels per cutoff judge a probability; an uplift model's claim (what a contact changes) can only be
        // judged on a randomized campaign's two arms, which a backtest's rows do not have.
        guard model.uplift == nil else {
            throw UsageError("\(a.spelling("model")) is an uplift model: evaluate judges churn or activation probabilities against labels; an uplift model is judged by the Qini coefficient on a held-out randomized campaign (train --task uplift holds out the latest; tenure inspect shows it)")
        }
        guard let resolved = model.features else { throw ScoringError.noEventSpec }
        // Opened before the log is read: an unwritable path fails before the work, and nothing is left if it fails.
        let predictions = try a.string("predictions").map { try AtomicOutput(path: $0) }
        let (store, _) = try EventOptions.readStore(a, layoutOf: model)
        let users = try EventOptions.users(a, for: model)
        let backtest = try Backtest(model: model, features: resolved, store: store, cutoffs: cutoffs, threads: try EventOptions.threads(a),
                                    users: users)
        if let coverage = backtest.coverage { Console.note(coverage.summary) }
        Console.note(FeaturesCommand.summaryLine(backtest.summary, label: model.label, features: backtest.table.width))
        let evaluation = try backtest.evaluation(training: model.training)
        if let predictions {
            writePredictions(backtest, userIDs: store.userIDs, to: predictions)
            try predictions.commit()
        }
        for w in evaluation.warnings { Console.note("warning: \(w)") }
        if format == "json" {
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys, .prettyPrinted]
            print(String(decoding: try e.encode(evaluation), as: UTF8.self))
        } else {
            print(table(evaluation))
        }
    }

    /// One line per labelled row, in the backtest's row order.
    static func writePredictions(_ b: Backtest, userIDs: [String], to out: AtomicOutput) {
        out.write("user_id,cutoff,probability,label\n")
        for c in b.cutoffs {
            let cutoff = formatTimestamp(c.cutoff, dateOnly: c.cutoff % millisPerDay == 0)
            for (k, r) in c.rows.enumerated() {
                out.write(FeatureTableCSV.csvField(userIDs[Int(b.table.users[r])]))
                out.write(byte: 44); out.write(cutoff)
                out.write(byte: 44); out.write(number: c.probabilities[k])
                out.write(byte: 44); out.write(number: c.labels[k])
                out.write(byte: 10)
            }
        }
    }

    /// The per-cutoff table, the pooled row last, then the pooled row's lift and calibration.
    static func table(_ e: BacktestEvaluation) -> String {
        func f(_ v: Double?, _ digits: Int = 4) -> String { ModelReport.f(v, digits) }
        let pct = Int(BacktestEvaluation.intervalLevel * 100)
        let header = ["cutoff", "role", "rows", "positives", "base rate", "ROC AUC", "\(pct)% interval", "PR AUC", "log loss", "Brier", "note"]
        let rows = (e.cutoffs.count > 1 ? e.cutoffs + [e.pooled] : e.cutoffs).map { r -> [String] in
            let m = r.metrics
            var notes: [String] = []
            if r.role?.flatters == true { notes.append("IN-SAMPLE: flatters the model") }
            if r.smallSample { notes.append("few rows: noisy") }
            if r.role == nil { notes.append("users repeat across cutoffs: interval too narrow") }
            return [r.role == nil ? "all \(e.cutoffs.count)" : r.cutoff, r.role?.rawValue ?? "pooled", "\(m.rows)", "\(m.positives)",
                    f(m.baseRate, 3), f(m.rocAUC),
                    r.rocAUCInterval.map { "\(f($0.lower)) – \(f($0.upper))" } ?? "n/a",
                    f(m.prAUC), f(m.logLoss), f(m.brier), notes.joined(separator: "; ")]
        }
        let widths = header.indices.map { j in ([header[j]] + rows.map { $0[j] }).map(\.count).max()! }
        func line(_ cells: [String]) -> String {
            cells.indices.map { j in j < 2 || j == cells.count - 1 ? cells[j].padding(toLength: widths[j], withPad: " ", startingAt: 0) : cells[j].leftPad(widths[j]) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        var out = [line(header)] + rows.map(line)
        out.append("ROC AUC interval: \(pct)%, \(e.intervalMethod)'s method. Roles: held-out = a validation cutoff of the model; "
                   + "in-sample = one it was trained on; overlaps-training = inside its training period; after-training = later than every cutoff it saw.")
        out.append("")
        out.append(e.cutoffs.count > 1 ? "all \(e.cutoffs.count) cutoffs pooled:" : "cutoff \(e.cutoffs[0].cutoff):")
        out.append(ModelReport.metrics(e.pooled.metrics))
        return out.joined(separator: "\n")
    }
}
