// Turns labelled rows into a TenureModel: time split, class-floor check, fit, validation metrics.
import EventLog
import Evaluation
import Features
import Foundation
import GradientBoosting
import LinearModels
import ModelFormat
import TenureCore

/// Labelled rows with the cutoff each came from.
public struct LabelledRows: Sendable {
    public var names: [String]
    public var values: [Double]
    public var labels: [Double]
    /// A sortable key per row (ISO date text); rows of the latest keys are held out.
    public var cutoffKeys: [String]
    /// Optional sample weight per row (finite, ≥ 0; see `SampleWeights`), nil = every row weighs 1.
    public var weights: [Double]?

    public init(names: [String], values: [Double], labels: [Double], cutoffKeys: [String], weights: [Double]? = nil) {
        self.names = names; self.values = values; self.labels = labels; self.cutoffKeys = cutoffKeys
        self.weights = weights
    }

    public init(table: FeatureTable) {
        self.init(names: table.names, values: table.values, labels: table.labels ?? [],
                  cutoffKeys: table.cutoffs.map { formatTimestamp($0, dateOnly: $0 % millisPerDay == 0) })
    }

    public var rows: Int { labels.count }
}

/// Where the rows came from and what they mean, copied into the model.
public struct ModelProvenance: Sendable {
    public var label: LabelSpec
    public var features: ResolvedFeatureSpec?
    public var columns: ColumnMapping?
    public var inputFormat: LogFormat?
    public var timeFormat: TimeFormat?
    public var source: String
    public var inputFile: String
    public var censoredRows: Int
    /// The users-file columns appended to the event features (`--users`), stored in the model.
    public var attributes: AttributeSchema?

    public init(label: LabelSpec, features: ResolvedFeatureSpec?, columns: ColumnMapping?, inputFormat: LogFormat?,
                timeFormat: TimeFormat?, source: String, inputFile: String, censoredRows: Int) {
        self.label = label; self.features = features; self.columns = columns; self.inputFormat = inputFormat
        self.timeFormat = timeFormat; self.source = source; self.inputFile = inputFile; self.censoredRows = censoredRows
    }
}

public enum ModelTrainer {
    /// Splits `data` by time (the latest `settings.validCutoffs` cutoff keys are held out), checks the class
    /// floor (row counts, unweighted), fits the configured model on the training rows (with their sample
    /// weights, if any) and computes unweighted validation metrics. `progress` receives notes and steps.
    ///
    /// With a distributed `collective`, `data` is this rank's rows (its users): the split, the class floor and
    /// the counts are taken over all ranks, the model is trained data-parallel (`GBDTTrainer`, or
    /// `LogisticRegression` by exact allreduced losses, gradients and Hessians), and rank 0
    /// gathers the training rows' values and scores (the reference distribution) and the validation rows'
    /// scores (the metrics) to complete the model, which is then the single-process model byte for byte.
    /// The other ranks return the model without reference and metrics; they write nothing.
    public static func train(_ data: consuming LabelledRows, provenance: ModelProvenance, settings: TrainSettings,
                             collective: Collective = SingleProcess.shared,
                             progress: ((TrainingProgress) -> Void)? = nil) throws -> TenureModel {
        if let w = data.weights {
            guard w.count == data.rows else {
                throw TrainingError.trainerFailed("\(w.count) sample weights for \(data.rows) rows", category: .internalFailure)
            }
            precondition(w.allSatisfy { $0.isFinite && $0 >= 0 }, "sample weights are validated by SampleWeights")
        }
        if collective.isDistributed { try checkDistributed(settings) }
        let keys = Array(Set(collective.allGather(Array(Set(data.cutoffKeys))))).sorted()
        let valid = Set(keys.suffix(max(0, settings.validCutoffs)))
        guard keys.count > valid.count else { throw TrainingError.noTrainingCutoffs(cutoffs: keys.count, validCutoffs: valid.count) }
        let trainKeys = keys.filter { !valid.contains($0) }
        let width = data.names.count

        // The rows copied in runs of one side, into arrays of the exact size. A matrix from `tenure features` is
        // in cutoff order, so its validation rows are the last ones: then the training rows keep the input's
        // buffer (cut short, not copied) and only the validation rows are copied.
        let isValid = data.cutoffKeys.map { valid.contains($0) }
        let validCount = isValid.reduce(0) { $0 + ($1 ? 1 : 0) }
        let validIsSuffix = !isValid[..<(data.rows - validCount)].contains(true)
        var trainX: [Double] = [], trainY: [Double] = [], validX: [Double] = [], validY: [Double] = []
        var trainW: [Double] = []
        if validIsSuffix {
            let cut = data.rows - validCount
            validX = Array(data.values[(cut * width)...]); validY = Array(data.labels[cut...])
            trainX = data.values; data.values = []
            trainX.removeLast(validCount * width)
            trainY = Array(data.labels[..<cut])
            if let w = data.weights { trainW = Array(w[..<cut]) }
        } else {
            trainX.reserveCapacity((data.rows - validCount) * width); trainY.reserveCapacity(data.rows - validCount)
            validX.reserveCapacity(validCount * width); validY.reserveCapacity(validCount)
            data.values.withUnsafeBufferPointer { v in
                data.labels.withUnsafeBufferPointer { l in
                    var start = 0
                    while start < data.rows {
                        var end = start + 1
                        while end < data.rows && isValid[end] == isValid[start] { end += 1 }
                        let rows = UnsafeBufferPointer(rebasing: v[(start * width)..<(end * width)])
                        let labels = UnsafeBufferPointer(rebasing: l[start..<end])
                        if isValid[start] { validX.append(contentsOf: rows); validY.append(contentsOf: labels) } else {
                            trainX.append(contentsOf: rows); trainY.append(contentsOf: labels)
                            if let w = data.weights { trainW.append(contentsOf: w[start..<end]) }
                        }
                        start = end
                    }
                }
            }
        }
        let trainRows = collective.sum(trainY.count), validRows = collective.sum(validY.count)
        let positives = collective.sum(Int(trainY.reduce(0, +))), negatives = trainRows - positives
        guard positives >= settings.minClassRows, negatives >= settings.minClassRows else {
            throw TrainingError.tooFewRows(positives: positives, negatives: negatives, floor: settings.minClassRows, cutoffs: trainKeys)
        }
        let weights: [Double]? = data.weights == nil ? nil : trainW
        if let weights {
            var positive = 0.0, negative = 0.0
            for i in 0..<weights.count { if trainY[i] == 1 { positive += weights[i] } else { negative += weights[i] } }
            var sums = [positive, negative]
            collective.maximum(&sums)
            if sums[0] == 0 { throw TrainingError.zeroClassWeight(label: 1) }
            if sums[1] == 0 { throw TrainingError.zeroClassWeight(label: 0) }
        }
        progress?(.note("training \(settings.kind.rawValue) on \(trainRows) rows (\(positives) positives) from \(trainKeys.count) cutoff(s); validating on \(validRows) rows from \(valid.count)"
                       + (collective.isDistributed ? " (\(collective.size) ranks)" : "")
                       + (weights.map { "; sample weights \(SampleWeights.summary($0))" } ?? "")))

        // Categorical attributes (their values are codes 0..<codeCount): trees split by category, logistic
        // regression one-hot encodes them.
        var categoryCounts = [Int](repeating: 0, count: width)
        for c in provenance.attributes?.columns ?? [] where c.kind == .categorical {
            if let f = data.names.firstIndex(of: c.featureName) { categoryCounts[f] = c.codeCount }
        }
        let payload: ModelPayload
        // The booster's raw scores of the training rows (the reference distribution's scores, without scoring the
        // rows again).
        var gbdtTrainingScores: [Double]? = nil
        do {
            switch settings.kind {
            case .logistic:
                payload = .logistic(try LogisticRegression.fit(x: trainX, rows: trainY.count, cols: width, y: trainY,
                                                      sampleWeights: weights, config: settings.logistic,
                                                      categoryCounts: categoryCounts.contains { $0 > 0 } ? categoryCounts : [],
                                                      collective: collective, progress: progress.map { p in { p(.status($0)) } }))
            case .gbdt:
                let validation = validRows == 0 ? nil : (x: validX, rows: validY.count, y: validY)
                let total = settings.gbdt.trees
                payload = .gbdt(try GBDTTrainer.train(x: trainX, rows: trainY.count, cols: width, y: trainY, weights: weights,
                                             validation: validation, config: settings.gbdt,
                                             categoryCounts: categoryCounts.contains { $0 > 0 } ? categoryCounts : [],
                                             collective: collective, trainingScores: &gbdtTrainingScores) { it, trainLoss, validLoss in  // `it` is 1-based
                    progress?(.step(done: it, total: total, unit: "trees",
                                    detail: "train log loss \(fmt(trainLoss))" + (validLoss.map { ", valid \(fmt($0))" } ?? "")))
                })
            }
        } catch let e as TrainingError {
            throw e
        } catch {
            throw TrainingError.trainerFailed("\(error)", category: ErrorCategory.of(error))
        }

        let info = TrainingInfo(source: provenance.source, inputFile: provenance.inputFile, trainCutoffs: trainKeys,
                                validCutoffs: keys.filter { valid.contains($0) }, trainRows: trainRows,
                                trainPositives: positives, validRows: validRows,
                                validPositives: collective.sum(Int(validY.reduce(0, +))),
                                censoredRows: provenance.censoredRows, settings: recordedSettings(settings, weights: weights))
        var model = TenureModel(payload: payload, label: provenance.label, features: provenance.features,
                                featureNames: data.names, columns: provenance.columns, inputFormat: provenance.inputFormat,
                                timeFormat: provenance.timeFormat, training: info, validation: nil,
                                attributes: provenance.attributes)
        // Both are independent of the row order (sorted values, counts), so rank 0 can take them from the
        // rows gathered in rank order.
        // (Every rank takes part in every gather; only rank 0 receives.)
        let allX = collective.gather(trainX)
        let trainP = gbdtTrainingScores.map { GBDTModel.probabilities(fromRaw: $0) } ?? model.probabilities(x: trainX, rows: trainY.count)
        let allP = collective.gather(trainP)
        if let allX, let allP {
            model.reference = ReferenceDistribution(names: data.names, x: allX, rows: trainRows, probabilities: allP,
                                                     threads: max(1, settings.gbdt.threads))
        }
        let validP = validY.isEmpty ? [] : model.probabilities(x: validX, rows: validY.count)
        let gatheredP = validRows > 0 ? collective.gather(validP) : nil
        let gatheredY = validRows > 0 ? collective.gather(validY) : nil
        if let p = gatheredP, let y = gatheredY {
            // Metrics sum over rows: in one order (by score, then label), whichever rank held which row.
            let sorted = Metrics.canonicalOrder(probabilities: p, labels: y)
            model.validation = try Metrics.evaluate(probabilities: sorted.probabilities, labels: sorted.labels)
            model.validationScores = ScoreHistogram(probabilities: sorted.probabilities, labels: sorted.labels)
        }
        return model
    }

    /// Refuses the settings a distributed job cannot train exactly as one process would.
    public static func checkDistributed(_ settings: TrainSettings) throws {
        if settings.kind == .gbdt, settings.gbdt.baggingFreq > 0 && settings.gbdt.baggingFraction < 1 {
            throw TrainingError.trainerFailed("\(GradientBoostingError.baggingNotDistributed)", category: .usage)
        }
    }

    static func fmt(_ v: Double) -> String { String(format: "%.5f", v) }

    /// The options as recorded, plus `sample-weights` (a summary of the training rows' weights) when weighted.
    static func recordedSettings(_ settings: TrainSettings, weights: [Double]?) -> [String: String] {
        var recorded = settings.recorded
        if let weights { recorded["sample-weights"] = SampleWeights.summary(weights) }
        return recorded
    }
}
