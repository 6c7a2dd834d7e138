// Codable curve types returned by Metrics: ROC, precision–recall and cumulative gains.
// Thresholds are Optional so the curve's artificial start point (above every score) needs no infinity.

/// One ROC operating point: predict positive when score ≥ threshold.
public struct ROCPoint: Codable, Sendable, Equatable {
    public var fpr: Double
    public var tpr: Double
    /// `nil` for the start point (0, 0), which predicts nothing positive.
    public var threshold: Double?
    public init(fpr: Double, tpr: Double, threshold: Double?) {
        self.fpr = fpr
        self.tpr = tpr
        self.threshold = threshold
    }
}

/// ROC curve: the (0, 0) start point followed by one point per distinct score, thresholds descending.
public struct ROCCurve: Codable, Sendable, Equatable {
    public var points: [ROCPoint]
    public init(points: [ROCPoint]) { self.points = points }
}

/// One precision–recall operating point: predict positive when score ≥ threshold.
public struct PRPoint: Codable, Sendable, Equatable {
    public var precision: Double
    public var recall: Double
    /// `nil` for the start point (recall 0, precision 1), as in scikit-learn's `precision_recall_curve`.
    public var threshold: Double?
    public init(precision: Double, recall: Double, threshold: Double?) {
        self.precision = precision
        self.recall = recall
        self.threshold = threshold
    }
}

/// Precision–recall curve: start point, then one point per distinct score, thresholds descending
/// (recall non-decreasing).
public struct PRCurve: Codable, Sendable, Equatable {
    public var points: [PRPoint]
    public init(points: [PRPoint]) { self.points = points }
}

/// One point of a cumulative gains chart.
public struct GainsPoint: Codable, Sendable, Equatable {
    /// Fraction of rows targeted (k / rows).
    public var fractionTargeted: Double
    /// Number of rows targeted, k = ceil(fraction · rows).
    public var k: Int
    /// Weighted share of all positives found in the top k (0 when there are no positives).
    public var fractionOfPositives: Double
    public init(fractionTargeted: Double, k: Int, fractionOfPositives: Double) {
        self.fractionTargeted = fractionTargeted
        self.k = k
        self.fractionOfPositives = fractionOfPositives
    }
}

/// Cumulative gains chart at evenly spaced targeting fractions, starting at (0, 0).
public struct GainsCurve: Codable, Sendable, Equatable {
    public var points: [GainsPoint]
    public init(points: [GainsPoint]) { self.points = points }
}
