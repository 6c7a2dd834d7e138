// GBDTModel: a trained, immutable gradient-boosted tree ensemble for binary classification, and its
// scoring paths (single row, batch). Safe to share across threads.
import Foundation

/// Loss per boosting iteration recorded during training.
public struct GBDTTrainingLog: Codable, Sendable, Equatable {
    /// Mean (weighted) training log loss after each iteration.
    public var trainLoss: [Double]
    /// Mean validation log loss after each iteration (empty without validation data).
    public var validLoss: [Double]
}

/// The model. Raw score = `initScore + Σ_t leafValue_t(x)`; probability = 1/(1+e^{−raw}).
public struct GBDTModel: Codable, Sendable, Equatable {
    public let featureCount: Int
    /// Per feature, the finite upper bounds of its value bins (last bin unbounded; NaN has its own bin).
    public let binUpperBounds: [[Double]]
    /// Per feature, smallest and largest finite training value (0 and 0 when the feature was all NaN).
    public let featureMin: [Double]
    public let featureMax: [Double]
    /// Per feature, whether training saw any non-NaN value.
    public let featureHasValues: [Bool]
    public let initScore: Double
    public let trees: [GBDTTree]
    /// Number of trees kept (the best iteration when early stopping was on, 1-based).
    public let bestIteration: Int
    public let importance: FeatureImportance
    public let trainingLog: GBDTTrainingLog
    /// The settings the model was trained with.
    public let config: GBDTConfig
    /// The packed threshold walk; nil when a tree splits by category (then each tree's `goesLeft` walk scores).
    let forest: PackedForest?

    enum CodingKeys: String, CodingKey {
        case featureCount, binUpperBounds, featureMin, featureMax, featureHasValues, initScore, trees
        case bestIteration, importance, trainingLog, config
    }

    init(featureCount: Int, binUpperBounds: [[Double]], featureMin: [Double], featureMax: [Double],
         featureHasValues: [Bool], initScore: Double, trees: [GBDTTree], bestIteration: Int,
         trainingLog: GBDTTrainingLog, config: GBDTConfig) {
        self.featureCount = featureCount
        self.binUpperBounds = binUpperBounds
        self.featureMin = featureMin
        self.featureMax = featureMax
        self.featureHasValues = featureHasValues
        self.initScore = initScore
        self.trees = trees
        self.bestIteration = bestIteration
        self.importance = FeatureImportance(trees: trees, featureCount: featureCount)
        self.trainingLog = trainingLog
        self.config = config
        self.forest = GBDTModel.packed(trees, cols: featureCount)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        featureCount = try c.decode(Int.self, forKey: .featureCount)
        binUpperBounds = try c.decode([[Double]].self, forKey: .binUpperBounds)
        featureMin = try c.decode([Double].self, forKey: .featureMin)
        featureMax = try c.decode([Double].self, forKey: .featureMax)
        featureHasValues = try c.decode([Bool].self, forKey: .featureHasValues)
        initScore = try c.decode(Double.self, forKey: .initScore)
        trees = try c.decode([GBDTTree].self, forKey: .trees)
        bestIteration = try c.decode(Int.self, forKey: .bestIteration)
        importance = try c.decode(FeatureImportance.self, forKey: .importance)
        trainingLog = try c.decode(GBDTTrainingLog.self, forKey: .trainingLog)
        config = try c.decode(GBDTConfig.self, forKey: .config)
        // Validated before the forest is packed: everything the scoring, TreeSHAP and report code relies on
        // (see `GBDTTree.validate`), plus one entry per feature in every per-feature array, finite bounds, init
        // score and losses, the importance equal to the one the trees give, and settings in range.
        func bad(_ s: String) -> GradientBoostingError { .invalidModel(reason: s) }
        guard featureCount >= 1, binUpperBounds.count == featureCount, featureMin.count == featureCount,
              featureMax.count == featureCount, featureHasValues.count == featureCount,
              importance.splitCount.count == featureCount, importance.gain.count == featureCount else {
            throw bad("per-feature arrays disagree with featureCount \(featureCount)")
        }
        guard initScore.isFinite else { throw bad("initScore is \(initScore)") }
        guard (featureMin + featureMax + binUpperBounds.joined() + trainingLog.trainLoss + trainingLog.validLoss)
            .allSatisfy(\.isFinite) else {
            throw bad("a feature bound, bin bound or training loss is not finite")
        }
        guard (0...trees.count).contains(bestIteration) else { throw bad("bestIteration \(bestIteration) with \(trees.count) trees") }
        for (i, t) in trees.enumerated() { try t.validate(featureCount: featureCount, index: i) }
        guard importance == FeatureImportance(trees: trees, featureCount: featureCount) else {
            throw bad("the stored feature importance is not the one the trees give")
        }
        try config.validate(featureCount: featureCount)
        forest = GBDTModel.packed(trees, cols: featureCount)
    }

    static func packed(_ trees: [GBDTTree], cols: Int) -> PackedForest? {
        trees.contains(where: \.hasCategoricalSplit) ? nil : PackedForest(trees: trees, cols: cols)
    }

    /// Whether a tree splits a feature by category (LightGBM export writes those as categorical features).
    public var hasCategoricalSplits: Bool { forest == nil }

    /// Initial score plus every tree's leaf, walking each tree (the path for models with categorical splits).
    @inline(__always)
    func walkSum(_ row: UnsafeBufferPointer<Double>) -> Double {
        var s = initScore
        for t in trees { s += t.leafValue[t.leafIndex(row)] }
        return s
    }

    public static func == (a: GBDTModel, b: GBDTModel) -> Bool {
        a.featureCount == b.featureCount && a.binUpperBounds == b.binUpperBounds && a.featureMin == b.featureMin
            && a.featureMax == b.featureMax && a.featureHasValues == b.featureHasValues
            && a.initScore == b.initScore && a.trees == b.trees && a.bestIteration == b.bestIteration
            && a.importance == b.importance && a.trainingLog == b.trainingLog && a.config == b.config
    }

    /// Raw score (log-odds) of one row of `featureCount` values; NaN = missing. No allocation,
    /// thread-safe. O(trees · depth).
    @inline(__always)
    public func rawScore(_ row: UnsafeBufferPointer<Double>) -> Double {
        precondition(row.count >= featureCount, "row has \(row.count) values, model needs \(featureCount)")
        guard let forest else { return walkSum(row) }
        return forest.sum(row: row.baseAddress!, bias: initScore)
    }

    /// Probability of the positive class for one row.
    public func probability(_ row: UnsafeBufferPointer<Double>) -> Double {
        LogLoss.sigmoid(rawScore(row))
    }

    /// Raw scores of a row-major matrix, parallel over row blocks on all cores.
    public func rawScoreBatch(x: [Double], rows: Int) -> [Double] {
        precondition(x.count == rows * featureCount, "x has \(x.count) values, expected rows·featureCount")
        var out = [Double](repeating: 0, count: rows)
        guard rows > 0 else { return out }
        let workers = rows < 2048 ? 1 : ProcessInfo.processInfo.activeProcessorCount
        x.withUnsafeBufferPointer { xb in
            out.withUnsafeMutableBufferPointer { ob in
                if let forest {
                    forest.sumBatch(x: xb.baseAddress!, rows: rows, bias: initScore, out: ob.baseAddress!, workers: workers)
                } else {
                    for r in 0..<rows { ob[r] = walkSum(UnsafeBufferPointer(rebasing: xb[(r * featureCount)..<((r + 1) * featureCount)])) }
                }
            }
        }
        return out
    }

    /// Probabilities 1/(1+e^{−raw}) of a row-major matrix (`rows × featureCount`).
    public func scoreBatch(x: [Double], rows: Int) -> [Double] {
        Self.probabilities(fromRaw: rawScoreBatch(x: x, rows: rows))
    }

    /// 1/(1+e^{−raw}) of each raw score, as `scoreBatch` turns them into probabilities.
    public static func probabilities(fromRaw raw: [Double]) -> [Double] {
        var out = raw
        out.withUnsafeMutableBufferPointer { o in for i in o.indices { o[i] = 1 / (1 + exp(-o[i])) } }
        return out
    }
}
