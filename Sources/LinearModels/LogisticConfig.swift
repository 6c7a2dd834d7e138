// Training configuration for logistic regression: penalty, class/sample weighting, solver and stopping rule.

/// How a logistic regression is trained.
///
/// **Objective** (minimised over coefficients β on the standardised design and an unpenalised intercept b):
///
///     F(β, b) = (1/Σᵢvᵢ) · Σᵢ vᵢ·ℓᵢ  +  α·( r·‖β‖₁ + (1−r)/2·‖β‖₂² )
///
/// where ℓᵢ = log(1+e^{ηᵢ}) − yᵢηᵢ is the log-loss of row i, ηᵢ = zᵢᵀβ + b, and vᵢ = sampleWeightᵢ ×
/// classWeight(yᵢ). Because the loss is a weighted *mean*, the penalty strength does not depend on the row
/// count. This is the glmnet convention; the flags map as
/// `--l2 λ` → `.l2(λ)` (α=λ, r=0), `--l1 λ` → `.l1(λ)` (α=λ, r=1), `--alpha a --l1-ratio r` → `.elasticNet`.
///
/// **scikit-learn equivalence**: sklearn minimises C·Σ vᵢℓᵢ + r‖β‖₁ + (1−r)/2‖β‖² (its `l1_ratio`;
/// L2 is r=0 and L1 is r=1). Dividing by C·Σvᵢ shows the two are the same problem when
/// `C = 1/(α·Σvᵢ)`, i.e. `C = 1/(λ·n)` for unit weights (also with `class_weight="balanced"`, whose
/// weights sum to n). sklearn's default C=1 is therefore λ = 1/n.
///
/// **Default**: L2 with λ = 1e-4 — a light ridge on standardised features that keeps the Newton system
/// well conditioned (and separable data bounded) while barely moving coefficients on churn-sized data.
public struct LogisticConfig: Codable, Sendable, Equatable {
    /// Penalty on the non-intercept coefficients (the intercept is never penalised).
    public enum Penalty: Codable, Sendable, Equatable {
        /// λ/2·‖β‖₂².
        case l2(lambda: Double)
        /// λ·‖β‖₁.
        case l1(lambda: Double)
        /// α·(r·‖β‖₁ + (1−r)/2·‖β‖₂²), glmnet / sklearn `l1_ratio` convention.
        case elasticNet(alpha: Double, l1Ratio: Double)

        /// Coefficient of ‖β‖₁ in the objective.
        public var l1Strength: Double {
            switch self {
            case .l2: return 0
            case let .l1(lambda): return lambda
            case let .elasticNet(alpha, r): return alpha * r
            }
        }

        /// Coefficient κ of κ/2·‖β‖₂² in the objective.
        public var l2Strength: Double {
            switch self {
            case let .l2(lambda): return lambda
            case .l1: return 0
            case let .elasticNet(alpha, r): return alpha * (1 - r)
            }
        }
    }

    /// Per-class multipliers applied on top of sample weights.
    public enum ClassWeight: Codable, Sendable, Equatable {
        /// All rows weigh their sample weight.
        case none
        /// sklearn's "balanced": class c weighs n/(2·n_c), with n_c the (unweighted) row count of class c.
        case balanced
        /// Explicit weights for label 0 and label 1.
        case custom(negative: Double, positive: Double)
    }

    /// Optimisation algorithm.
    public enum Solver: String, Codable, Sendable, Equatable, CaseIterable {
        /// `newton` when the design has at most `LogisticConfig.newtonMaxColumns` columns, else `lbfgs`
        /// (or `owlqn` when the penalty has an L1 part).
        case auto
        /// Newton–Raphson with the Hessian ZᵀWZ built by `dsyrk` and solved by Cholesky (`dposv`).
        /// With an L1 part this is proximal Newton (newGLMNET): each quadratic model is minimised by cyclic
        /// coordinate descent, then a backtracking line search on the full objective. Above 131,072 rows it
        /// first solves a systematic 64k-row subsample, then finishes on all rows with the subsample's
        /// Hessian (sub-sampled Newton; the gradient, and hence the optimum, is exact).
        case newton
        /// Limited-memory BFGS (smooth penalties only).
        case lbfgs
        /// Orthant-wise limited-memory quasi-Newton (Andrew & Gao 2007); handles L1 and reduces to L-BFGS
        /// without one.
        case owlqn
    }

    /// Widest design (inputs + missing indicators + intercept) for which `auto` picks Newton.
    public static let newtonMaxColumns = 2000

    public var penalty: Penalty
    public var classWeight: ClassWeight
    public var solver: Solver
    /// Stop when ‖∇F‖∞ ≤ tolerance (the minimum-norm subgradient when an L1 part is present), measured on
    /// the standardised scale. Since F is a weighted mean this is independent of the row count. The default
    /// 1e-6 is 100× tighter than scikit-learn's default `tol=1e-4` on the same (mean-loss) gradient.
    public var tolerance: Double
    /// Upper bound on outer iterations (Newton steps or quasi-Newton updates).
    public var maxIterations: Int
    /// L-BFGS / OWL-QN memory (number of correction pairs).
    public var memory: Int

    public init(
        penalty: Penalty = .l2(lambda: 1e-4), classWeight: ClassWeight = .none, solver: Solver = .auto,
        tolerance: Double = 1e-6, maxIterations: Int = 500, memory: Int = 10
    ) {
        self.penalty = penalty
        self.classWeight = classWeight
        self.solver = solver
        self.tolerance = tolerance
        self.maxIterations = maxIterations
        self.memory = memory
    }

    /// Throws `LinearModelsError.invalidConfig` on out-of-range settings.
    public func validate() throws(LinearModelsError) {
        func bad(_ s: String) -> LinearModelsError { .invalidConfig(reason: s) }
        switch penalty {
        case let .l2(lambda), let .l1(lambda):
            guard lambda.isFinite, lambda >= 0 else { throw bad("penalty λ must be finite and ≥ 0, got \(lambda)") }
        case let .elasticNet(alpha, r):
            guard alpha.isFinite, alpha >= 0 else { throw bad("--alpha must be finite and ≥ 0, got \(alpha)") }
            guard r >= 0, r <= 1 else { throw bad("--l1-ratio must be in [0, 1], got \(r)") }
        }
        if case let .custom(negative, positive) = classWeight {
            guard negative.isFinite, positive.isFinite, negative > 0, positive > 0 else {
                throw bad("class weights must be finite and > 0, got \(negative), \(positive)")
            }
        }
        guard tolerance.isFinite, tolerance > 0 else { throw bad("tolerance must be > 0, got \(tolerance)") }
        guard maxIterations >= 1 else { throw bad("max iterations must be ≥ 1, got \(maxIterations)") }
        guard memory >= 1 else { throw bad("L-BFGS memory must be ≥ 1, got \(memory)") }
        if solver == .lbfgs, penalty.l1Strength > 0 {
            throw bad("solver lbfgs cannot handle an L1 penalty; use owlqn, newton or auto")
        }
    }
}
