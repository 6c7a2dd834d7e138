// How well a ranking finds the users a contact changes, judged on a randomized campaign's outcomes: the Qini
// curve (Radcliffe 2007), the uplift curve, their normalised areas (the Qini coefficient and AUUC), and uplift
// at the top k. Definitions as scikit-uplift's `sklift.metrics` computes them, so figures compare directly:
// rows sorted by predicted uplift, highest first (ties: later rows first, as a reversed stable sort gives),
// curve points at the end of each group of tied scores, starting from (0, 0).
import Foundation

public struct UpliftCurve: Sendable, Equatable, Codable {
    /// Users ranked so far (0 first).
    public var x: [Double]
    public var y: [Double]

    public init(x: [Double], y: [Double]) { self.x = x; self.y = y }

    /// Trapezoidal area under the curve.
    public var area: Double {
        var a = 0.0
        for k in 1..<max(1, x.count) { a += (x[k] - x[k - 1]) * (y[k] + y[k - 1]) / 2 }
        return a
    }
}

/// The measures a validation or a bench reports for one uplift ranking.
public struct UpliftMetrics: Sendable, Equatable, Codable {
    public struct AtK: Sendable, Equatable, Codable {
        /// Share of all users at the top, e.g. 0.1.
        public var share: Double
        /// Treated minus control outcome rate among them; nil when an arm is absent there.
        public var uplift: Double?
    }
    public var rows: Int
    public var qiniCoefficient: Double?
    public var auuc: Double?
    public var upliftAtK: [AtK]

    public static let shares = [0.1, 0.2, 0.3]

    public init(outcomes: [Double], uplift: [Double], treated: [Bool], shares: [Double] = UpliftMetrics.shares) throws {
        rows = outcomes.count
        qiniCoefficient = try UpliftCurves.qiniCoefficient(outcomes: outcomes, uplift: uplift, treated: treated)
        auuc = try UpliftCurves.auuc(outcomes: outcomes, uplift: uplift, treated: treated)
        upliftAtK = try shares.map { AtK(share: $0, uplift: try UpliftCurves.upliftAtK(outcomes: outcomes, uplift: uplift, treated: treated, share: $0)) }
    }
}

public enum UpliftCurves {
    /// Q(k) = R_T(k) − R_C(k)·N_T(k)/N_C(k) over the top k users (0 while no control user is among them).
    public static func qini(outcomes: [Double], uplift: [Double], treated: [Bool]) throws -> UpliftCurve {
        try curve(outcomes, uplift, treated) { rt, nt, rc, nc, _ in rt - (nc > 0 ? rc * nt / nc : 0) }
    }

    /// U(k) = (R_T(k)/N_T(k) − R_C(k)/N_C(k))·k (an arm's rate 0 while it has no user among the top k).
    public static func uplift(outcomes: [Double], uplift: [Double], treated: [Bool]) throws -> UpliftCurve {
        try curve(outcomes, uplift, treated) { rt, nt, rc, nc, k in ((nt > 0 ? rt / nt : 0) - (nc > 0 ? rc / nc : 0)) * k }
    }

    /// Area between the Qini curve and the random line, over the same area for the perfect ranking (treated
    /// responders first, control responders last). nil when the perfect ranking gains nothing over random
    /// or an arm is empty.
    public static func qiniCoefficient(outcomes: [Double], uplift u: [Double], treated: [Bool]) throws -> Double? {
        guard hasBothArms(treated) else { return nil }
        let actual = try qini(outcomes: outcomes, uplift: u, treated: treated)
        let perfectScores = zip(outcomes, treated).map { y, t in t ? y : -y }
        let perfect = try qini(outcomes: outcomes, uplift: perfectScores, treated: treated)
        return normalised(actual, perfect)
    }

    /// The uplift curve's area, normalised the same way against its perfect ranking.
    public static func auuc(outcomes: [Double], uplift u: [Double], treated: [Bool]) throws -> Double? {
        guard hasBothArms(treated) else { return nil }
        let actual = try uplift(outcomes: outcomes, uplift: u, treated: treated)
        // The perfect order: responders in the arm where responding shows the effect first, as scikit-uplift.
        var controlResponders = 0, treatedNonResponders = 0
        for (y, t) in zip(outcomes, treated) {
            if y == 1 && !t { controlResponders += 1 }
            if y == 0 && t { treatedNonResponders += 1 }
        }
        let perfectScores = zip(outcomes, treated).map { y, t in
            2 * (y == (t ? 1 : 0) ? 1.0 : 0) + (controlResponders > treatedNonResponders ? y : (t ? 1 : 0))
        }
        let perfect = try uplift(outcomes: outcomes, uplift: perfectScores, treated: treated)
        return normalised(actual, perfect)
    }

    /// Treated minus control outcome rate among the top ⌊n·share⌋ users; nil when an arm is absent there.
    public static func upliftAtK(outcomes: [Double], uplift u: [Double], treated: [Bool], share: Double) throws -> Double? {
        guard share > 0 && share < 1 else { throw EvaluationError.invalidArgument(name: "share", reason: "must be in (0, 1), got \(share)") }
        let order = try ranked(outcomes, u, treated)
        let top = Int(Double(order.count) * share)
        var rt = 0.0, nt = 0.0, rc = 0.0, nc = 0.0
        for i in order.prefix(top) {
            if treated[i] { nt += 1; rt += outcomes[i] } else { nc += 1; rc += outcomes[i] }
        }
        guard nt > 0 && nc > 0 else { return nil }
        return rt / nt - rc / nc
    }

    static func hasBothArms(_ treated: [Bool]) -> Bool { treated.contains(true) && treated.contains(false) }

    static func normalised(_ actual: UpliftCurve, _ perfect: UpliftCurve) -> Double? {
        guard let xEnd = perfect.x.last, let yEnd = perfect.y.last else { return nil }
        let baseline = xEnd * yEnd / 2
        let best = perfect.area - baseline
        guard best != 0 && best.isFinite else { return nil }
        return (actual.area - baseline) / best
    }

    /// Row indices by descending score; ties later rows first (numpy's `argsort(kind="mergesort")[::-1]`).
    static func ranked(_ outcomes: [Double], _ uplift: [Double], _ treated: [Bool]) throws -> [Int] {
        guard !outcomes.isEmpty else { throw EvaluationError.empty }
        guard uplift.count == outcomes.count, treated.count == outcomes.count else {
            throw EvaluationError.sizeMismatch(scores: uplift.count, labels: outcomes.count, weights: treated.count)
        }
        for (i, y) in outcomes.enumerated() where y != 0 && y != 1 { throw EvaluationError.invalidLabel(index: i, value: y) }
        for (i, s) in uplift.enumerated() where !s.isFinite { throw EvaluationError.nonFiniteScore(index: i, value: s) }
        return outcomes.indices.sorted { uplift[$0] != uplift[$1] ? uplift[$0] > uplift[$1] : $0 > $1 }
    }

    /// Running sums down the ranking, one point at the end of each group of tied scores.
    static func curve(_ outcomes: [Double], _ uplift: [Double], _ treated: [Bool],
                      _ value: (_ rt: Double, _ nt: Double, _ rc: Double, _ nc: Double, _ k: Double) -> Double) throws -> UpliftCurve {
        let order = try ranked(outcomes, uplift, treated)
        var x = [0.0], y = [0.0]
        var rt = 0.0, nt = 0.0, rc = 0.0, nc = 0.0
        for (k, i) in order.enumerated() {
            if treated[i] { nt += 1; rt += outcomes[i] } else { nc += 1; rc += outcomes[i] }
            let last = k == order.count - 1
            if last || uplift[order[k + 1]] != uplift[i] {
                x.append(Double(k + 1)); y.append(value(rt, nt, rc, nc, Double(k + 1)))
            }
        }
        return UpliftCurve(x: x, y: y)
    }
}
