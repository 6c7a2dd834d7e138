// Comparing two retention rates, as a campaign's treated and control arms: the difference with Newcombe's
// hybrid score interval (Newcombe 1998, method 10), the relative lift, and a two-sided p-value from Pearson's
// χ² test on the 2×2 table (the pooled two-proportion z-test; no continuity correction). Also the
// sample-ratio-mismatch test of the arms' sizes against the declared split.
import Foundation

/// Wilson's score interval for one proportion (the building block of Newcombe's interval).
public struct WilsonInterval: Codable, Sendable, Equatable {
    public var rate: Double
    public var lower: Double
    public var upper: Double

    /// `nil` when `trials` is 0 (no rate to bound).
    public init?(successes: Int, trials: Int, level: Double = 0.95) {
        guard trials > 0, successes >= 0, successes <= trials else { return nil }
        let n = Double(trials), x = Double(successes), z = StandardNormal.twoSidedQuantile(level: level)
        let z2 = z * z
        let centre = (x + z2 / 2) / (n + z2)
        let half = z / (n + z2) * (x * (n - x) / n + z2 / 4).squareRoot()
        rate = x / n
        // At x = 0 or x = n the bound is exactly the rate; clamp the rounding so it never crosses it.
        lower = min(rate, max(0, centre - half))
        upper = max(rate, min(1, centre + half))
    }
}

/// Treated against control: rates, absolute and relative lift, interval and p-value.
public struct RateComparison: Codable, Sendable, Equatable {
    /// Named in every output that shows the interval.
    public static let intervalMethod = "Newcombe hybrid score (method 10)"
    public static let testMethod = "Pearson chi-squared, 1 df, no continuity correction"

    public var treated: Int
    public var treatedSuccesses: Int
    public var control: Int
    public var controlSuccesses: Int
    public var level: Double
    public var treatedRate: Double
    public var controlRate: Double
    /// treatedRate − controlRate.
    public var difference: Double
    public var differenceLower: Double
    public var differenceUpper: Double
    /// difference / controlRate; `nil` when the control rate is 0.
    public var relativeLift: Double?
    public var pValue: Double

    /// `nil` when an arm is empty: there is no rate to compare.
    public init?(treated: Int, treatedSuccesses: Int, control: Int, controlSuccesses: Int, level: Double = 0.95) {
        guard let t = WilsonInterval(successes: treatedSuccesses, trials: treated, level: level),
              let c = WilsonInterval(successes: controlSuccesses, trials: control, level: level) else { return nil }
        self.treated = treated; self.treatedSuccesses = treatedSuccesses
        self.control = control; self.controlSuccesses = controlSuccesses
        self.level = level
        treatedRate = t.rate; controlRate = c.rate
        difference = t.rate - c.rate
        differenceLower = difference - ((t.rate - t.lower) * (t.rate - t.lower) + (c.upper - c.rate) * (c.upper - c.rate)).squareRoot()
        differenceUpper = difference + ((t.upper - t.rate) * (t.upper - t.rate) + (c.rate - c.lower) * (c.rate - c.lower)).squareRoot()
        relativeLift = c.rate > 0 ? difference / c.rate : nil
        pValue = Self.pearsonPValue(a: treatedSuccesses, n1: treated, b: controlSuccesses, n2: control)
    }

    /// Pearson's χ² on the 2×2 table equals the square of the pooled z statistic. With no successes or no
    /// failures in either arm the table carries no evidence of a difference: p = 1.
    static func pearsonPValue(a: Int, n1: Int, b: Int, n2: Int) -> Double {
        let n = Double(n1 + n2), pooled = Double(a + b) / n
        let variance = pooled * (1 - pooled) * (1 / Double(n1) + 1 / Double(n2))
        guard variance > 0 else { return 1 }
        let z = (Double(a) / Double(n1) - Double(b) / Double(n2)) / variance.squareRoot()
        return StandardNormal.twoSidedPValue(z)
    }
}

/// Are the arms' sizes what the declared control share predicts? A tiny p-value means the assignment or the
/// logging is broken, not that the campaign worked.
public struct SampleRatioCheck: Codable, Sendable, Equatable {
    /// Below this p-value the arms' sizes are called a mismatch (the field's usual threshold).
    public static let alarmPValue = 0.001

    public var treated: Int
    public var control: Int
    public var declaredControlShare: Double
    public var observedControlShare: Double
    public var chiSquared: Double
    public var pValue: Double
    public var mismatch: Bool { pValue < Self.alarmPValue }

    /// `nil` when there are no users or the share is not strictly between 0 and 1.
    public init?(treated: Int, control: Int, declaredControlShare share: Double) {
        let n = Double(treated + control)
        guard n > 0, share > 0, share < 1 else { return nil }
        self.treated = treated; self.control = control
        declaredControlShare = share
        observedControlShare = Double(control) / n
        let expectedControl = n * share, expectedTreated = n * (1 - share)
        let dc = Double(control) - expectedControl, dt = Double(treated) - expectedTreated
        chiSquared = dc * dc / expectedControl + dt * dt / expectedTreated
        pValue = StandardNormal.chiSquaredOneDegreeUpperTail(chiSquared)
    }
}
