// An uplift model (`tenure train --task uplift`): τ(x) = P(retained | x, contacted) − P(retained | x, not
// contacted), learned from randomized campaigns. The payload of an uplift model file (format 3); see
// TenureModel for how it sits beside the churn payloads and what a churn-reading caller sees.
import Evaluation
import GradientBoosting
import TenureCore

/// How τ is estimated from the two arms (declared once as `--learner` in `UpliftSettings.parameters`).
public enum UpliftLearner: String, Codable, Sendable, CaseIterable, ParameterChoice {
    /// T-learner: one retention model per arm, τ = μ₁(x) − μ₀(x).
    case t
    /// X-learner (Künzel et al. 2019): the T-learner's arm models impute each user's effect (treated:
    /// Y − μ₀(X), control: μ₁(X) − Y), one effect model per arm regresses it on X, and the two are blended
    /// with the propensity g: τ = g·τ₀(x) + (1 − g)·τ₁(x).
    case x
}

/// The time-held-out check of an uplift model: its ranking of the latest campaign's randomized users.
public struct UpliftValidation: Codable, Sendable, Equatable {
    /// The campaign held out (the one contacted last).
    public var campaign: String
    public var treated: Int
    public var treatedRetained: Int
    public var control: Int
    public var controlRetained: Int
    /// Qini coefficient, AUUC and uplift at the top 10/20/30% (Evaluation.UpliftCurves, scikit-uplift's).
    public var metrics: UpliftMetrics
    /// The Qini curve, thinned to at most `curvePoints` points (x: users from the top, y: incremental retained).
    public var qini: UpliftCurve
    /// The same held-out users ranked by churn risk if not contacted (1 − p_retained_control): what a churn
    /// list would have chosen, for comparison.
    public var churnRiskQiniCoefficient: Double?

    public static let curvePoints = 101

    public init(campaign: String, treated: Int, treatedRetained: Int, control: Int, controlRetained: Int,
                metrics: UpliftMetrics, qini: UpliftCurve, churnRiskQiniCoefficient: Double?) {
        self.campaign = campaign; self.treated = treated; self.treatedRetained = treatedRetained
        self.control = control; self.controlRetained = controlRetained; self.metrics = metrics
        self.qini = UpliftValidation.thinned(qini); self.churnRiskQiniCoefficient = churnRiskQiniCoefficient
    }

    /// Evenly spaced points of the curve, first and last kept.
    static func thinned(_ c: UpliftCurve) -> UpliftCurve {
        guard c.x.count > curvePoints else { return c }
        let idx = (0..<curvePoints).map { $0 * (c.x.count - 1) / (curvePoints - 1) }
        return UpliftCurve(x: idx.map { c.x[$0] }, y: idx.map { c.y[$0] })
    }
}

public struct UpliftModel: Codable, Sendable, Equatable {
    public var learner: UpliftLearner
    /// μ₁: retention of contacted users (log-odds trees).
    public var treated: GBDTModel
    /// μ₀: retention of held-out users.
    public var control: GBDTModel
    /// X-learner only: the effect regressions on each arm, τ = 2σ(margin) − 1 (fitted on (D + 1)/2 ∈ [0, 1]).
    public var effectTreated: GBDTModel?
    public var effectControl: GBDTModel?
    /// X-learner only: the share of training rows contacted (a randomized assignment's propensity).
    public var propensity: Double?
    public var validation: UpliftValidation?

    public init(learner: UpliftLearner, treated: GBDTModel, control: GBDTModel, effectTreated: GBDTModel? = nil,
                effectControl: GBDTModel? = nil, propensity: Double? = nil, validation: UpliftValidation? = nil) {
        self.learner = learner; self.treated = treated; self.control = control; self.effectTreated = effectTreated
        self.effectControl = effectControl; self.propensity = propensity; self.validation = validation
    }

    public var featureCount: Int { treated.featureCount }

    /// One user's retention if contacted, if not, and the uplift (for the T-learner their difference; for
    /// the X-learner the blended effect models, which need not equal it).
    public struct Prediction: Sendable, Equatable {
        public var treated: Double
        public var control: Double
        public var uplift: Double
    }

    @inline(__always)
    public func predict(_ row: UnsafeBufferPointer<Double>) -> Prediction {
        let p1 = treated.probability(row), p0 = control.probability(row)
        switch learner {
        case .t: return Prediction(treated: p1, control: p0, uplift: p1 - p0)
        case .x:
            let g = propensity!
            let t0 = 2 * effectControl!.probability(row) - 1, t1 = 2 * effectTreated!.probability(row) - 1
            return Prediction(treated: p1, control: p0, uplift: g * t0 + (1 - g) * t1)
        }
    }

    public func predictions(x: [Double], rows: Int) -> [Prediction] {
        let w = featureCount
        var out: [Prediction] = []
        out.reserveCapacity(rows)
        x.withUnsafeBufferPointer { v in
            for r in 0..<rows { out.append(predict(UnsafeBufferPointer(rebasing: v[(r * w)..<((r + 1) * w)]))) }
        }
        return out
    }

    /// Per-feature contributions to the uplift on the margin (log-odds) scale, bias last. T-learner: the treated
    /// model's TreeSHAP contributions minus the control model's, so they sum to margin₁(x) − margin₀(x).
    /// X-learner: g·(effect-control model's) + (1 − g)·(effect-treated model's), summing to the blended margin.
    public func upliftContributions(_ row: UnsafeBufferPointer<Double>) -> [Double] {
        switch learner {
        case .t:
            let a = treated.contributions(row), b = control.contributions(row)
            return zip(a, b).map { $0 - $1 }
        case .x:
            let g = propensity!
            let a = effectControl!.contributions(row), b = effectTreated!.contributions(row)
            return zip(a, b).map { g * $0 + (1 - g) * $1 }
        }
    }

    /// The margin `upliftContributions` adds up to.
    public func upliftMargin(_ row: UnsafeBufferPointer<Double>) -> Double {
        switch learner {
        case .t: return treated.rawScore(row) - control.rawScore(row)
        case .x:
            let g = propensity!
            return g * effectControl!.rawScore(row) + (1 - g) * effectTreated!.rawScore(row)
        }
    }

    /// The sub-models agree on their width, a learner has exactly its models, every number is finite.
    func validate() throws {
        func bad(_ s: String) -> ModelInconsistency { ModelInconsistency("uplift: " + s) }
        let parts = [treated, control] + [effectTreated, effectControl].compactMap { $0 }
        guard parts.allSatisfy({ $0.featureCount == featureCount }) else { throw bad("its models take different numbers of features") }
        switch learner {
        case .t:
            guard effectTreated == nil, effectControl == nil, propensity == nil else {
                throw bad("a T-learner holds no effect models or propensity")
            }
        case .x:
            guard effectTreated != nil, effectControl != nil, let g = propensity else {
                throw bad("an X-learner needs effectTreated, effectControl and propensity")
            }
            guard g > 0, g < 1 else { throw bad("propensity \(g) must be in (0, 1)") }
        }
        if let v = validation {
            let m = v.metrics
            let values = [m.qiniCoefficient, m.auuc, v.churnRiskQiniCoefficient].compactMap { $0 } + m.upliftAtK.compactMap(\.uplift)
                + v.qini.x + v.qini.y
            guard values.allSatisfy(\.isFinite) else { throw bad("validation holds a non-finite number") }
            guard v.qini.x.count == v.qini.y.count, v.qini.x.count <= UpliftValidation.curvePoints else {
                throw bad("validation.qini needs as many y as x values, at most \(UpliftValidation.curvePoints)")
            }
            guard [v.treated, v.treatedRetained, v.control, v.controlRetained, m.rows].allSatisfy({ $0 >= 0 }),
                  v.treatedRetained <= v.treated, v.controlRetained <= v.control, m.rows == v.treated + v.control else {
                throw bad("validation row counts are inconsistent")
            }
        }
    }
}
