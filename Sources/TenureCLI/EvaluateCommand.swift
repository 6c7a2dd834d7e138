// `tenure evaluate`: a saved model's metrics on any later cutoff of a log (a backtest).
import EventLog
import Evaluation
import Features
import Foundation
import ModelFormat
import Scoring
import Training

enum EvaluateCommand {
    static let command = Command(
        name: "evaluate", summary: "Compute a model's metrics (ROC/PR AUC, log loss, Brier, calibration, lift) on later cutoffs.",
        usage: "--model MODEL --events FILE --cutoff DATES [--json]",
        options: [
            Option("model", "FILE", "model file"),
            Option("cutoff", "DATES", "a date, a list or a range START..END/STEP"),
            Option.flag("json", "print the metrics as JSON"),
        ] + EventOptions.reading.filter { !["user-col", "time-col", "event-col", "value-col"].contains($0.name) },
        run: run)

    static func run(_ a: Arguments) throws {
        let model = try ModelFile.read(try a.required("model"))
        guard let resolved = model.features else { throw ScoringError.noEventSpec }
        let cutoffs = try EventOptions.cutoffs(a)
        let (store, _) = try EventOptions.readStore(a, layoutOf: model)
        let backtest = try Backtest(model: model, features: resolved, store: store, cutoffs: cutoffs, threads: try EventOptions.threads(a))
        Console.note(FeaturesCommand.summaryLine(backtest.summary, label: model.label, features: backtest.table.width))
        let metrics = try backtest.metrics()
        if a.flag("json") {
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys, .prettyPrinted]
            print(String(decoding: try e.encode(metrics), as: UTF8.self))
        } else {
            print(ModelReport.metrics(metrics))
        }
    }
}
