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
        let z = normalQuantile(0.5 + level / 2)
        return AUCInterval(auc: auc, standardError: se, level: level, lower: max(0, auc - z * se), upper: min(1, auc + z * se))
    }

    /// Φ⁻¹(p) by Acklam's rational approximation refined by one Halley step (error < 1e-15 over (0, 1)).
    static func normalQuantile(_ p: Double) -> Double {
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        var x: Double
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - low {
            let q = p - 0.5, r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log(1 - p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        // Halley refinement against Φ(x) = erfc(−x/√2)/2.
        let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }
}
