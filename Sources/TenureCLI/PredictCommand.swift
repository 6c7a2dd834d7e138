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
            Option("features", "FILE", "feature matrix (CSV, or Parquet: a file or a directory) with a column for each of the model's features (any order); other columns are passed through"),
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
        let schema = listSchema(model)
        let reasons = ReasonFinder.topReasons(model: model, values: m.values, width: model.featureCount, rows: Array(0..<m.rows),
                                              count: reasonCount, signs: schema.reasonSigns)
        try write(m, probabilities: p, uplift: model.uplift?.predictions(x: m.values, rows: m.rows), reasons: reasons,
                  reasonCount: reasonCount, model: model, schema: schema, to: out)
        try out.commit()
        Console.note("\(featuresPath): scored \(m.rows) rows with \(model.featureCount) features; passed through \(m.passthroughNames.joined(separator: ", "))")
    }

    /// The list `tenure score` writes for this model: its reasons' signs and wording (an uplift model's explain the
    /// uplift, either way; an activation model's raise or lower the chance) are predict's too.
    static func listSchema(_ model: TenureModel) -> ListSchema {
        let s = ListSchema.of(model.label.task)
        return model.uplift == nil ? s : s.withUplift()
    }

    /// An uplift model's columns before `probability`: score's uplift columns but `incremental_value`, which
    /// needs the value window and playbook costs of an event log (a feature matrix has neither).
    static let upliftColumns = ListSchema.upliftColumns.filter { $0 != .incrementalValue }

    /// Passed-through columns in file order, for an uplift model `upliftColumns`, then `probability` (an uplift
    /// model's: the churn risk if not contacted, as on score's list), then four columns per reason (as `tenure score`).
    static func write(_ m: ScoringMatrix, probabilities p: [Double], uplift: [UpliftModel.Prediction]?, reasons: [[Reason]],
                      reasonCount: Int, model: TenureModel, schema: ListSchema, to out: AtomicOutput) throws {
        var header = m.passthroughNames.map(FeatureTableCSV.csvField) + (uplift == nil ? [] : upliftColumns.map(\.rawValue)) + ["probability"]
        for k in stride(from: 1, through: reasonCount, by: 1) { header += ListSchema.reasonColumns(k) }
        out.write(header.joined(separator: ","))
        out.write(byte: 10)
        var column: [String: Int] = [:]
        for (j, n) in model.featureNames.enumerated() { column[n] = j }
        let width = model.featureCount
        for r in 0..<m.rows {
            for j in m.passthrough.indices { out.write(FeatureTableCSV.csvField(m.passthrough[j][r])); out.write(byte: 44) }
            if let u = uplift?[r] {
                for c in upliftColumns {
                    out.write(number: c == .uplift ? u.uplift : c == .pRetainedTreated ? u.treated : u.control)
                    out.write(byte: 44)
                }
            }
            out.write(number: p[r])
            for k in 0..<reasonCount {
                guard k < reasons[r].count else { out.write(",,,,"); continue }
                let reason = reasons[r][k]
                let text = ReasonText.phrase(feature: reason.feature, value: reason.value, attributes: model.attributes) { name in column[name].map { m.values[r * width + $0] } }
                out.write(byte: 44); out.write(FeatureTableCSV.csvField(schema.reasonText(text, contribution: reason.contribution)))
                out.write(byte: 44); out.write(reason.feature)
                out.write(byte: 44); out.write(number: reason.value)
                out.write(byte: 44); out.write(number: reason.contribution)
            }
            out.write(byte: 10)
            try out.flushIfLarge()
        }
    }
}
