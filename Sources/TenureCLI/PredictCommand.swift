// `tenure predict`: a model's probabilities (and reasons) for every row of a feature matrix, identifiers passed
// through. Works for models trained either way: columns are matched to the model's features by name.
import Features
import Foundation
import ModelFormat
import Scoring
import Targeting
import TenureCore

enum PredictCommand {
    static let command = Command(
        name: "predict", summary: "Score every row of a feature matrix (e.g. from tenure features) with a model.",
        usage: "--model MODEL --features FILE.csv [--users FILE] --out PRED.csv [--reasons K]",
        options: [
            Option("model", "FILE", "model file (trained from events or from --features)"),
            Option("features", "FILE", "feature matrix CSV with a column for each of the model's features (any order); other columns are passed through"),
            Option("out", "FILE", default: "-", "predictions CSV (written whole or not at all); - for stdout"),
            Option("reasons", "K", default: "0", "top K reasons per row (in words, plus feature, value, contribution)"),
            EventOptions.badRows,
        ] + EventOptions.users,
        run: run)

    static func run(_ a: Arguments) throws {
        let reasonCount = try a.int("reasons") ?? 0
        guard reasonCount >= 0 else { throw UsageError("--reasons takes a count ≥ 0") }
        try a.checkOutputs(["out"], inputs: ["model", "features", "users"])
        let featuresPath = try a.required("features")
        let model = try ModelFile.read(try a.required("model"))
        // Opened before the matrix is read: an unwritable path fails before the work.
        let out = try AtomicOutput(path: a.string("out") ?? "-")
        let users = try EventOptions.users(a, for: model)
        let (m, coverage) = try AttributeJoin.apply(model.attributes, users, toMatrix: featuresPath, features: model.featureNames)
        if let coverage { Console.note(coverage.summary.replacingOccurrences(of: "event user", with: "matrix user")) }
        let p = model.probabilities(x: m.values, rows: m.rows)
        let reasons = ReasonFinder.topReasons(model: model, values: m.values, width: model.featureCount, rows: Array(0..<m.rows), count: reasonCount)
        try write(m, probabilities: p, reasons: reasons, reasonCount: reasonCount, model: model, to: out)
        try out.commit()
        Console.note("\(featuresPath): scored \(m.rows) rows with \(model.featureCount) features; passed through \(m.passthroughNames.joined(separator: ", "))")
    }

    /// Passed-through columns in file order, then `probability`, then four columns per reason (as `tenure score`).
    static func write(_ m: ScoringMatrix, probabilities p: [Double], reasons: [[Reason]], reasonCount: Int, model: TenureModel, to out: AtomicOutput) throws {
        var header = m.passthroughNames.map(FeatureTableCSV.csvField) + ["probability"]
        for k in stride(from: 1, through: reasonCount, by: 1) {
            header += ["reason_\(k)", "reason_\(k)_feature", "reason_\(k)_value", "reason_\(k)_contribution"]
        }
        out.write(header.joined(separator: ","))
        out.write(byte: 10)
        var column: [String: Int] = [:]
        for (j, n) in model.featureNames.enumerated() { column[n] = j }
        let width = model.featureCount
        for r in 0..<m.rows {
            for j in m.passthrough.indices { out.write(FeatureTableCSV.csvField(m.passthrough[j][r])); out.write(byte: 44) }
            out.write(number: p[r])
            for k in 0..<reasonCount {
                guard k < reasons[r].count else { out.write(",,,,"); continue }
                let reason = reasons[r][k]
                let text = ReasonText.phrase(feature: reason.feature, value: reason.value, attributes: model.attributes) { name in column[name].map { m.values[r * width + $0] } }
                out.write(byte: 44); out.write(FeatureTableCSV.csvField(text))
                out.write(byte: 44); out.write(reason.feature)
                out.write(byte: 44); out.write(number: reason.value)
                out.write(byte: 44); out.write(number: reason.contribution)
            }
            out.write(byte: 10)
            try out.flushIfLarge()
        }
    }
}
