// `tenure train`: raw events (or a feature matrix) → a validated, versioned model file.
import EventLog
import Features
import Foundation
import GradientBoosting
import LinearModels
import ModelFormat
import Training

enum TrainCommand {
    static let modelOptions: [Option] = [
        Option("model", "KIND", default: "logistic", "logistic or gbdt"),
        Option("out", "FILE", "model file to write (written whole or not at all)"),
        Option("config", "FILE", "JSON object of option names to values; command-line flags override it"),
        Option("features", "FILE", "train from a precomputed feature CSV instead of --events"),
        Option("label-col", "NAME", default: "label", "label column of --features"),
        Option("weight-col", "NAME", "sample-weight column of --features (finite, ≥ 0; not used as a feature)"),
        Option("valid-cutoffs", "K", default: "1", "hold out the latest K cutoffs for validation (time split)"),
        Option("min-class-rows", "N", default: "100", "refuse to train with fewer positives or negatives than this"),
        // Logistic regression. Objective: mean weighted log loss + l1·|w|₁ + l2/2·|w|² (see README).
        Option("l2", "λ", default: "0.0001", "logistic: L2 penalty strength"),
        Option("l1", "λ", "logistic: L1 penalty strength (replaces --l2)"),
        Option("alpha", "A", "logistic: elastic-net strength, with --l1-ratio"),
        Option("l1-ratio", "R", "logistic: elastic-net mix in [0, 1] (1 = pure L1)"),
        Option("class-weight", "W", default: "none", "none or balanced"),
        Option("solver", "S", default: "auto", "logistic: auto, newton, lbfgs or owlqn"),
        Option("tol", "T", default: "1e-7", "logistic: convergence tolerance on the gradient norm"),
        Option("max-iter", "N", default: "500", "logistic: iteration cap"),
        // Gradient boosting.
        Option("trees", "N", default: "100", "gbdt: boosting rounds"),
        Option("learning-rate", "η", default: "0.1", "gbdt: shrinkage"),
        Option("num-leaves", "N", default: "31", "gbdt: leaves per tree (leaf-wise growth)"),
        Option("max-depth", "N", default: "-1", "gbdt: depth limit, -1 = none"),
        Option("min-data-in-leaf", "N", default: "20", "gbdt: minimum rows per leaf"),
        Option("min-hessian-in-leaf", "H", default: "0.001", "gbdt: minimum hessian sum per leaf"),
        Option("lambda-l2", "λ", default: "0", "gbdt: L2 regularisation of leaf values"),
        Option("lambda-l1", "λ", default: "0", "gbdt: L1 regularisation of leaf values"),
        Option("min-gain", "G", default: "0", "gbdt: minimum gain to split"),
        Option("max-bin", "N", default: "255", "gbdt: histogram bins per feature (plus one for missing)"),
        Option("bagging-fraction", "F", default: "1", "gbdt: row subsample per bagging round"),
        Option("bagging-freq", "N", default: "0", "gbdt: resample rows every N trees (0 = off)"),
        Option("feature-fraction", "F", default: "1", "gbdt: column subsample per tree"),
        Option("seed", "S", default: "42", "gbdt: random seed (same seed, same model bytes)"),
        Option("early-stopping-rounds", "N", default: "0", "gbdt: stop after N rounds without validation improvement"),
        Option("scale-pos-weight", "W", default: "1", "gbdt: weight of positive rows"),
        Option("monotone", "LIST", "gbdt: monotone constraints, e.g. recency_days=+1,events_7d=-1"),
    ]

    static let command = Command(
        name: "train", summary: "Train a churn or activation model and save it with its validation metrics.",
        usage: "--events FILE --cutoff RANGE [--task churn|activation] [--model logistic|gbdt] --out MODEL",
        options: EventOptions.reading + EventOptions.featureSpec + modelOptions, run: run)

    static func run(_ a: Arguments) throws {
        let out = try a.required("out")
        var settings = try trainSettings(a)
        let label = try EventOptions.label(a)
        guard label.task != .none else { throw UsageError("tenure train needs --task churn or activation") }
        let data: LabelledRows
        let provenance: ModelProvenance
        if let featuresPath = a.string("features") {
            let labelColumn = a.string("label-col") ?? "label"
            var m = try FeatureMatrixReader.read(featuresPath, labelColumn: labelColumn)
            let weights = try a.string("weight-col").map {
                try SampleWeights.extract(from: &m, column: $0, path: featuresPath, labelColumn: labelColumn)
            }
            Console.note("\(featuresPath): \(m.rows) rows × \(m.names.count) features"
                         + (a.string("weight-col").map { ", weights from column '\($0)'" } ?? ""))
            let keys = m.cutoffs ?? (0..<m.rows).map { r in r * 5 < m.rows * 4 ? "rows-train" : "rows-valid" }
            if m.cutoffs == nil { Console.note("no cutoff column: holding out the last 20% of rows, in file order") }
            data = LabelledRows(names: m.names, values: m.values, labels: m.labels, cutoffKeys: keys, weights: weights)
            provenance = ModelProvenance(label: label, features: nil, columns: nil, inputFormat: nil, timeFormat: nil,
                                         source: "features", inputFile: (featuresPath as NSString).lastPathComponent, censoredRows: 0)
        } else {
            if a.string("weight-col") != nil {
                throw UsageError("--weight-col needs --features: write the matrix with `tenure features`, add a weight column, and train from it")
            }
            let cutoffs = try EventOptions.cutoffs(a)
            let spec = try EventOptions.spec(a)
            let (store, report) = try EventOptions.readStore(a)
            let resolved = ResolvedFeatureSpec.resolve(spec, for: store)
            let plan = FeaturePlan(resolved, store: store)
            let (table, summary) = try TrainingSetBuilder.build(store: store, plan: plan, label: label, cutoffs: cutoffs,
                                                                threads: try a.int("threads") ?? 2)
            Console.note(FeaturesCommand.summaryLine(summary, label: label, features: plan.count))
            data = LabelledRows(table: table)
            provenance = ModelProvenance(label: label, features: resolved, columns: (try EventOptions.readOptions(a)).columns,
                                         inputFormat: report.format, timeFormat: report.timeFormat, source: "events",
                                         inputFile: ((try a.required("events")) as NSString).lastPathComponent,
                                         censoredRows: summary.censored)
        }
        settings.gbdt.monotone = try monotone(a.string("monotone"), names: data.names)
        let started = Date()
        let bar = Progress()
        let model: TenureModel
        do {
            defer { bar.finish() }
            model = try ModelTrainer.train(data, provenance: provenance, settings: settings, progress: bar.report)
        }
        try ModelFile.write(model, to: out)
        Console.note("trained in \(String(format: "%.2f", Date().timeIntervalSince(started))) s; wrote \(out)")
        print(ModelReport.summary(model))
    }

    static func trainSettings(_ a: Arguments) throws -> TrainSettings {
        guard let kind = ModelKind(rawValue: a.string("model") ?? "logistic") else { throw UsageError("--model takes logistic or gbdt") }
        var s = TrainSettings(kind: kind)
        s.validCutoffs = try a.int("valid-cutoffs") ?? 1
        s.minClassRows = try a.int("min-class-rows") ?? 100
        let penalty: LogisticConfig.Penalty
        if let alpha = try a.double("alpha") {
            penalty = .elasticNet(alpha: alpha, l1Ratio: try a.double("l1-ratio") ?? 0.5)
        } else if let l1 = try a.double("l1") {
            penalty = .l1(lambda: l1)
        } else {
            penalty = .l2(lambda: try a.double("l2") ?? 1e-4)
        }
        let classWeight: LogisticConfig.ClassWeight
        switch a.string("class-weight") ?? "none" {
        case "none": classWeight = .none
        case "balanced": classWeight = .balanced
        case let w: throw UsageError("--class-weight takes none or balanced, not '\(w)'")
        }
        guard let solver = LogisticConfig.Solver(rawValue: a.string("solver") ?? "auto") else {
            throw UsageError("--solver takes auto, newton, lbfgs or owlqn")
        }
        s.logistic = LogisticConfig(penalty: penalty, classWeight: classWeight, solver: solver,
                                    tolerance: try a.double("tol") ?? 1e-7, maxIterations: try a.int("max-iter") ?? 500)
        do { try s.logistic.validate() } catch { throw UsageError("\(error)") }
        var g = GBDTConfig()
        g.trees = try a.int("trees") ?? g.trees
        g.learningRate = try a.double("learning-rate") ?? g.learningRate
        g.numLeaves = try a.int("num-leaves") ?? g.numLeaves
        g.maxDepth = try a.int("max-depth") ?? g.maxDepth
        g.minDataInLeaf = try a.int("min-data-in-leaf") ?? g.minDataInLeaf
        g.minHessianInLeaf = try a.double("min-hessian-in-leaf") ?? g.minHessianInLeaf
        g.lambdaL2 = try a.double("lambda-l2") ?? g.lambdaL2
        g.lambdaL1 = try a.double("lambda-l1") ?? g.lambdaL1
        g.minGain = try a.double("min-gain") ?? g.minGain
        g.maxBin = try a.int("max-bin") ?? g.maxBin
        g.baggingFraction = try a.double("bagging-fraction") ?? g.baggingFraction
        g.baggingFreq = try a.int("bagging-freq") ?? g.baggingFreq
        g.featureFraction = try a.double("feature-fraction") ?? g.featureFraction
        if let seed = a.string("seed") { guard let v = UInt64(seed) else { throw UsageError("--seed takes a whole number ≥ 0") }; g.seed = v }
        g.earlyStoppingRounds = try a.int("early-stopping-rounds") ?? g.earlyStoppingRounds
        g.scalePosWeight = try a.double("scale-pos-weight") ?? g.scalePosWeight
        g.threads = try a.int("threads") ?? 2
        if kind == .gbdt { do { try g.validate() } catch { throw UsageError("\(error)") } }
        s.gbdt = g
        var recorded: [String: String] = [:]
        for o in a.command.options where !["out", "config", "events", "features"].contains(o.name) {
            if a.flag(o.name) { recorded[o.name] = "true" } else if let v = a.string(o.name) { recorded[o.name] = v }
        }
        s.recorded = recorded
        return s
    }

    /// `name=+1,other=-1` → one entry per feature.
    static func monotone(_ text: String?, names: [String]) throws -> [Int] {
        guard let text else { return [] }
        var out = [Int](repeating: 0, count: names.count)
        for part in text.split(separator: ",") {
            let kv = part.split(separator: "=")
            guard kv.count == 2, let dir = Int(kv[1].replacingOccurrences(of: "+", with: "")), [-1, 0, 1].contains(dir) else {
                throw UsageError("--monotone takes name=+1 or name=-1 pairs, not '\(part)'")
            }
            guard let at = names.firstIndex(of: String(kv[0])) else { throw UsageError("--monotone: no feature named '\(kv[0])'") }
            out[at] = dir
        }
        return out
    }
}
