// The full evaluation report of a binary classifier: discrimination (ROC/PR AUC), proper scoring rules
// (log loss, Brier), a reliability table and top-k lift. Codable so it can be stored next to a model.

/// One equal-width bin of predicted probability in a reliability (calibration) table.
public struct CalibrationBin: Codable, Sendable, Equatable {
    /// Bin covers [lower, upper); the last bin also includes 1.0.
    public var lower: Double
    public var upper: Double
    /// Number of rows whose probability falls in the bin (unweighted).
    public var count: Int
    /// Sum of sample weights in the bin (equals `count` when unweighted).
    public var weight: Double
    /// Weighted mean predicted probability; `nil` when the bin has no weight (JSON cannot hold NaN).
    public var meanPredicted: Double?
    /// Weighted fraction of positives; `nil` when the bin has no weight.
    public var observedRate: Double?

    public init(lower: Double, upper: Double, count: Int, weight: Double,
                meanPredicted: Double?, observedRate: Double?) {
        self.lower = lower
        self.upper = upper
        self.count = count
        self.weight = weight
        self.meanPredicted = meanPredicted
        self.observedRate = observedRate
    }
}

/// Quality of the k highest-scored rows, k = ceil(fraction · rows).
///
/// Rows are ranked by score descending; equal scores are ordered by ascending row index (earlier row first).
public struct TopKResult: Codable, Sendable, Equatable {
    public var fraction: Double
    public var k: Int
    /// Number of label-1 rows among the top k (unweighted).
    public var positives: Int
    /// Weighted share of positives among the top k; `nil` if the top k carry zero weight.
    public var precision: Double?
    /// precision / baseRate; `nil` if precision is `nil` or the base rate is 0.
    public var lift: Double?
    /// Weighted share of all positives captured in the top k; `nil` if there are no positives.
    public var recall: Double?

    public init(fraction: Double, k: Int, positives: Int, precision: Double?, lift: Double?, recall: Double?) {
        self.fraction = fraction
        self.k = k
        self.positives = positives
        self.precision = precision
        self.lift = lift
        self.recall = recall
    }
}

/// Summary metrics of probabilities against 0/1 labels (optionally weighted).
///
/// Metrics that are undefined for the data are `nil` rather than NaN so the struct always encodes to JSON:
/// `rocAUC` is `nil` when only one class is present; `prAUC` is `nil` when there are no positives.
public struct BinaryMetrics: Codable, Sendable, Equatable {
    /// Number of rows evaluated.
    public var rows: Int
    /// Number of rows with label 1 (unweighted).
    public var positives: Int
    /// Weighted fraction of positives: Σ wᵢyᵢ / Σ wᵢ.
    public var baseRate: Double
    public var rocAUC: Double?
    /// Average precision, scikit-learn definition (see `Metrics.prAUC`).
    public var prAUC: Double?
    /// Weighted mean of −[y log p + (1−y) log(1−p)], p clipped to [1e-15, 1 − 1e-15].
    public var logLoss: Double
    /// Weighted mean of (p − y)².
    public var brier: Double
    /// 10 equal-width bins over [0, 1], empty bins included.
    public var calibration: [CalibrationBin]
    /// Results for fractions 0.01, 0.05, 0.10, 0.20.
    public var topK: [TopKResult]

    public init(rows: Int, positives: Int, baseRate: Double, rocAUC: Double?, prAUC: Double?,
                logLoss: Double, brier: Double, calibration: [CalibrationBin], topK: [TopKResult]) {
        self.rows = rows
        self.positives = positives
        self.baseRate = baseRate
        self.rocAUC = rocAUC
        self.prAUC = prAUC
        self.logLoss = logLoss
        self.brier = brier
        self.calibration = calibration
        self.topK = topK
    }
}
