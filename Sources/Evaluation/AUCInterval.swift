// A confidence interval on ROC AUC by DeLong's method (DeLong, DeLong & Clarke-Pearson 1988), so a backtest
// on 70 rows does not read like one on 70,000. The variance comes from the structural components of the
// Mann–Whitney statistic; with scores sorted once it costs O(n log n) (Sun & Xu 2014), ties counted ½.
import Foundation

public struct AUCInterval: Codable, Sendable, Equatable {
    /// Named in every output that shows the interval.
    public static let method = "DeLong"

    public var auc: Double
    /// √(S₁₀/m + S₀₁/n): m positives, n negatives, S the sample variances of the structural components.
    public var standardError: Double
    public var level: Double
    /// auc ∓ z·SE, clipped to [0, 1] (as pROC's `ci.auc(method = "delong")`).
    public var lower: Double
    public var upper: Double

    /// Unweighted, like the DeLong variance itself. `nil` when a class is absent or has a single row (the
    /// sample variances need two of each).
    public static func delong(scores: [Double], labels: [Double], level: Double = 0.95) throws -> AUCInterval? {
        guard level > 0 && level < 1 else {
            throw EvaluationError.invalidArgument(name: "level", reason: "must be in (0, 1), got \(level)")
        }
        try validateInputs(scores: scores, labels: labels, weights: nil, requireProbabilities: false)
        let g = ThresholdGroups(scores: scores, labels: labels, weights: nil, order: descendingOrder(scores))
        let m = g.totalPositive, n = g.totalNegative
        guard m >= 2, n >= 2, let auc = g.rocAUC else { return nil }
        // Every row of one score group shares its component: a positive's V₁₀ is the share of negatives it
        // outranks, a negative's V₀₁ the share of positives that outrank it (ties ½ each way).
        var positivesAbove = 0.0, negativesAbove = 0.0
        var s10 = 0.0, s01 = 0.0
        for k in 0..<g.thresholds.count {
            let p = g.positives[k], q = g.negatives[k]
            let negativesBelow = n - negativesAbove - q
            let v10 = (negativesBelow + 0.5 * q) / n
            let v01 = (positivesAbove + 0.5 * p) / m
            s10 += p * (v10 - auc) * (v10 - auc)
            s01 += q * (v01 - auc) * (v01 - auc)
            positivesAbove += p; negativesAbove += q
        }
        let variance = s10 / (m - 1) / m + s01 / (n - 1) / n
        let se = variance.squareRoot()
        let z = StandardNormal.twoSidedQuantile(level: level)
        return AUCInterval(auc: auc, standardError: se, level: level, lower: max(0, auc - z * se), upper: min(1, auc + z * se))
    }
}
