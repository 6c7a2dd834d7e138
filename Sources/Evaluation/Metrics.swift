// Binary-classification metrics: ROC AUC (exact under ties), average precision, log loss, Brier,
// calibration table, top-k lift, and ROC / PR / cumulative-gains curves. All optionally weighted.
import Foundation

/// Namespace of metric functions. Every function validates its input and throws `EvaluationError`
/// on malformed rows; metrics that are undefined for valid data come back as `nil`.
///
/// Ranking convention (top-k, gains): rows sorted by score descending, ties broken by ascending row index.
public enum Metrics {
    /// Targeting fractions reported in `BinaryMetrics.topK`.
    public static let topKFractions: [Double] = [0.01, 0.05, 0.10, 0.20]
    /// Number of equal-width calibration bins in `BinaryMetrics.calibration`.
    public static let calibrationBins = 10
    /// Probabilities are clipped to [ε, 1 − ε] inside log loss (scikit-learn's historical default).
    public static let logLossEpsilon = 1e-15

    /// Computes every metric in one pass over a sort of the rows. O(n log n).
    ///
    /// - Parameters:
    ///   - probabilities: predicted P(label = 1), each in [0, 1].
    ///   - labels: 0 or 1.
    ///   - weights: optional non-negative sample weights (not all zero).
    public static func evaluate(
        probabilities: [Double], labels: [Double], weights: [Double]? = nil
    ) throws -> BinaryMetrics {
        try validateInputs(scores: probabilities, labels: labels, weights: weights, requireProbabilities: true)
        let n = probabilities.count
        let order = descendingOrder(probabilities)
        let groups = ThresholdGroups(scores: probabilities, labels: labels, weights: weights, order: order)
        let totalWeight = groups.totalPositive + groups.totalNegative
        let baseRate = groups.totalPositive / totalWeight

        var positives = 0
        var lossSum = 0.0
        var brierSum = 0.0
        let eps = logLossEpsilon
        for i in 0..<n {
            let p = probabilities[i], y = labels[i], w = weights?[i] ?? 1
            if y == 1 { positives += 1 }
            let pc = min(max(p, eps), 1 - eps)
            lossSum -= w * (y == 1 ? log(pc) : log(1 - pc))
            brierSum += w * (p - y) * (p - y)
        }

        return BinaryMetrics(
            rows: n,
            positives: positives,
            baseRate: baseRate,
            rocAUC: groups.rocAUC,
            prAUC: groups.averagePrecision,
            logLoss: lossSum / totalWeight,
            brier: brierSum / totalWeight,
            calibration: calibration(probabilities: probabilities, labels: labels, weights: weights),
            topK: topKFractions.map {
                topK(fraction: $0, order: order, labels: labels, weights: weights,
                     totalPositive: groups.totalPositive, baseRate: baseRate)
            }
        )
    }

    /// ROC AUC with ties counted ½: (Σ over positive/negative pairs of wᵢwⱼ·[sᵢ > sⱼ] + ½[sᵢ = sⱼ]) / (W⁺ W⁻).
    /// This is the Mann–Whitney U statistic normalised, evaluated on sorted scores in O(n log n).
    /// Returns `nil` when one class is absent (or has zero weight).
    public static func rocAUC(scores: [Double], labels: [Double], weights: [Double]? = nil) throws -> Double? {
        try groups(scores: scores, labels: labels, weights: weights).rocAUC
    }

    /// Average precision as in scikit-learn: AP = Σₙ (Rₙ − Rₙ₋₁) Pₙ over distinct thresholds taken in
    /// descending order (step-wise, no interpolation). Returns `nil` when there are no positives.
    /// O(n log n).
    public static func prAUC(scores: [Double], labels: [Double], weights: [Double]? = nil) throws -> Double? {
        try groups(scores: scores, labels: labels, weights: weights).averagePrecision
    }

    /// ROC curve: (0, 0) with a `nil` threshold, then one point per distinct score (descending).
    /// When a class is absent its rate is reported as 0 (the AUC is undefined, but the points stay finite).
    public static func rocCurve(scores: [Double], labels: [Double], weights: [Double]? = nil) throws -> ROCCurve {
        let g = try groups(scores: scores, labels: labels, weights: weights)
        var points = [ROCPoint(fpr: 0, tpr: 0, threshold: nil)]
        points.reserveCapacity(g.thresholds.count + 1)
        var tp = 0.0, fp = 0.0
        for i in 0..<g.thresholds.count {
            tp += g.positives[i]
            fp += g.negatives[i]
            points.append(ROCPoint(
                fpr: g.totalNegative > 0 ? fp / g.totalNegative : 0,
                tpr: g.totalPositive > 0 ? tp / g.totalPositive : 0,
                threshold: g.thresholds[i]))
        }
        return ROCCurve(points: points)
    }

    /// Precision–recall curve: start point (precision 1, recall 0, `nil` threshold), then one point per
    /// distinct score (descending). Recall is 0 throughout when there are no positives.
    public static func prCurve(scores: [Double], labels: [Double], weights: [Double]? = nil) throws -> PRCurve {
        let g = try groups(scores: scores, labels: labels, weights: weights)
        var points = [PRPoint(precision: 1, recall: 0, threshold: nil)]
        points.reserveCapacity(g.thresholds.count + 1)
        var tp = 0.0, fp = 0.0
        for i in 0..<g.thresholds.count {
            tp += g.positives[i]
            fp += g.negatives[i]
            // tp + fp can be 0 only when all rows so far have zero weight; precision is then taken as 1.
            points.append(PRPoint(
                precision: tp + fp > 0 ? tp / (tp + fp) : 1,
                recall: g.totalPositive > 0 ? tp / g.totalPositive : 0,
                threshold: g.thresholds[i]))
        }
        return PRCurve(points: points)
    }

    /// Cumulative gains at fractions i / steps (i = 0…steps), k = ceil(i · rows / steps) computed exactly
    /// in integers. Rows ranked by score descending, ties by ascending row index. O(n log n).
    public static func cumulativeGains(
        scores: [Double], labels: [Double], weights: [Double]? = nil, steps: Int = 100
    ) throws -> GainsCurve {
        guard steps >= 1 else {
            throw EvaluationError.invalidArgument(name: "steps", reason: "must be >= 1, got \(steps)")
        }
        try validateInputs(scores: scores, labels: labels, weights: weights, requireProbabilities: false)
        let n = scores.count
        let order = descendingOrder(scores)
        var totalPositive = 0.0
        for i in 0..<n where labels[i] == 1 { totalPositive += weights?[i] ?? 1 }
        var points: [GainsPoint] = []
        points.reserveCapacity(steps + 1)
        var taken = 0
        var captured = 0.0
        for step in 0...steps {
            let k = (step * n + steps - 1) / steps
            while taken < k {
                let r = order[taken]
                if labels[r] == 1 { captured += weights?[r] ?? 1 }
                taken += 1
            }
            points.append(GainsPoint(
                fractionTargeted: Double(k) / Double(n), k: k,
                fractionOfPositives: totalPositive > 0 ? captured / totalPositive : 0))
        }
        return GainsCurve(points: points)
    }

    /// Top-k summary for one fraction: k = ceil(fraction · rows) (a 1e-9 slack absorbs floating error such
    /// as 0.1 · 30 = 3.0000000000000004), clamped to [1, rows].
    public static func topK(
        scores: [Double], labels: [Double], weights: [Double]? = nil, fraction: Double
    ) throws -> TopKResult {
        guard fraction > 0 && fraction <= 1 else {
            throw EvaluationError.invalidArgument(name: "fraction", reason: "must be in (0, 1], got \(fraction)")
        }
        let g = try groups(scores: scores, labels: labels, weights: weights)
        let baseRate = g.totalPositive / (g.totalPositive + g.totalNegative)
        return topK(fraction: fraction, order: descendingOrder(scores), labels: labels, weights: weights,
                    totalPositive: g.totalPositive, baseRate: baseRate)
    }

    // MARK: - Internals

    private static func groups(scores: [Double], labels: [Double], weights: [Double]?) throws -> ThresholdGroups {
        try validateInputs(scores: scores, labels: labels, weights: weights, requireProbabilities: false)
        return ThresholdGroups(scores: scores, labels: labels, weights: weights, order: descendingOrder(scores))
    }

    static func topK(
        fraction: Double, order: [Int], labels: [Double], weights: [Double]?,
        totalPositive: Double, baseRate: Double
    ) -> TopKResult {
        let n = order.count
        let k = min(n, max(1, Int((fraction * Double(n) - 1e-9).rounded(.up))))
        var count = 0
        var posWeight = 0.0
        var weight = 0.0
        for r in order.prefix(k) {
            let w = weights?[r] ?? 1
            weight += w
            if labels[r] == 1 {
                count += 1
                posWeight += w
            }
        }
        let precision: Double? = weight > 0 ? posWeight / weight : nil
        let lift: Double? = precision.flatMap { baseRate > 0 ? $0 / baseRate : nil }
        return TopKResult(fraction: fraction, k: k, positives: count, precision: precision, lift: lift,
                          recall: totalPositive > 0 ? posWeight / totalPositive : nil)
    }

    /// Reliability table: bin b = min(⌊10p⌋, 9) covers [b/10, (b+1)/10), the last bin including 1.
    static func calibration(probabilities: [Double], labels: [Double], weights: [Double]?) -> [CalibrationBin] {
        let bins = calibrationBins
        var count = [Int](repeating: 0, count: bins)
        var weight = [Double](repeating: 0, count: bins)
        var predicted = [Double](repeating: 0, count: bins)
        var observed = [Double](repeating: 0, count: bins)
        for i in 0..<probabilities.count {
            let p = probabilities[i], w = weights?[i] ?? 1
            let b = min(Int(p * Double(bins)), bins - 1)
            count[b] += 1
            weight[b] += w
            predicted[b] += w * p
            observed[b] += w * labels[i]
        }
        return (0..<bins).map { b in
            CalibrationBin(
                lower: Double(b) / Double(bins), upper: Double(b + 1) / Double(bins),
                count: count[b], weight: weight[b],
                meanPredicted: weight[b] > 0 ? predicted[b] / weight[b] : nil,
                observedRate: weight[b] > 0 ? observed[b] / weight[b] : nil)
        }
    }
}
