// Training configuration for logistic regression: penalty, class/sample weighting, solver and stopping rule.
// Each setting is declared once in `LogisticConfig.parameters` (flag name, default, range, meaning).
import TenureCore

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
/// **Defaults** (see `parameters`): L2 with λ = 1e-4 — a light ridge on standardised features that keeps the Newton system
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

    /// Per-class multipliers applied on top of sample weights. Text form: `none`, `balanced` or `N,P` (the
    /// weights of label 0 and label 1).
    public enum ClassWeight: Codable, Sendable, Equatable {
        /// All rows weigh their sample weight.
        case none
        /// sklearn's "balanced": class c weighs n/(2·n_c), with n_c the (unweighted) row count of class c.
        case balanced
        /// Explicit weights for label 0 and label 1.
        case custom(negative: Double, positive: Double)
    }

    /// Optimisation algorithm.
    public enum Solver: String, Codable, Sendable, Equatable, CaseIterable, ParameterChoice {
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
    /// the standardised scale. Since F is a weighted mean this is independent of the row count.
    public var tolerance: Double
    /// Upper bound on outer iterations (Newton steps or quasi-Newton updates).
    public var maxIterations: Int
    /// L-BFGS / OWL-QN memory (number of correction pairs).
    public var memory: Int

    /// Every argument left out takes its default from `parameters`.
    public init(penalty: Penalty = defaults.penalty, classWeight: ClassWeight = defaults.classWeight,
                solver: Solver = defaults.solver, tolerance: Double = defaults.tolerance,
                maxIterations: Int = defaults.maxIterations, memory: Int = defaults.memory) {
        self.init(exactly: penalty, classWeight, solver, tolerance, maxIterations, memory)
    }

    /// Every parameter at its declared default.
    public static var defaults: LogisticConfig { parameters.defaults }

    private init(exactly penalty: Penalty, _ classWeight: ClassWeight, _ solver: Solver, _ tolerance: Double,
                 _ maxIterations: Int, _ memory: Int) {
        self.penalty = penalty; self.classWeight = classWeight; self.solver = solver; self.tolerance = tolerance
        self.maxIterations = maxIterations; self.memory = memory
    }

    /// Every logistic setting, declared once. The penalty is four parameters: `l2` (the default), `l1`, or
    /// `alpha` with `l1-ratio`; each reads as nil unless it is the penalty in force, so only that one is stored.
    public static let parameters = ParameterTable<LogisticConfig>(
        blank: { LogisticConfig(exactly: .l2(lambda: 0), .none, .auto, 0, 0, 0) }, [
        Parameter<LogisticConfig>("l2", placeholder: "λ", default: 1e-4 as Double?, check: .ifSet(.nonNegative),
                  conflicts: ["l1", "alpha"], doc: "L2 penalty strength (λ/2·‖β‖²)",
                  get: { if case let .l2(v) = $0.penalty { v } else { nil } },
                  set: { c, v in if let v { c.penalty = .l2(lambda: v) } }),
        Parameter<LogisticConfig>("l1", placeholder: "λ", default: nil as Double?, check: .ifSet(.nonNegative),
                  conflicts: ["alpha"], doc: "L1 penalty strength (λ·‖β‖₁), instead of --l2",
                  get: { if case let .l1(v) = $0.penalty { v } else { nil } },
                  set: { c, v in if let v { c.penalty = .l1(lambda: v) } }),
        Parameter<LogisticConfig>("alpha", placeholder: "A", default: nil as Double?, check: .ifSet(.nonNegative),
                  doc: "elastic-net strength: l1 = A·R, l2 = A·(1−R)",
                  get: { if case let .elasticNet(a, _) = $0.penalty { a } else { nil } },
                  set: { c, v in if let v { c.penalty = .elasticNet(alpha: v, l1Ratio: 0.5) } }),
        Parameter<LogisticConfig>("l1-ratio", placeholder: "R", default: 0.5 as Double?, check: .ifSet(.unitInterval),
                  requires: ["alpha"], doc: "elastic-net mix R (1 = pure L1), with --alpha",
                  get: { if case let .elasticNet(_, r) = $0.penalty { r } else { nil } },
                  set: { c, v in if let v, case let .elasticNet(a, _) = c.penalty { c.penalty = .elasticNet(alpha: a, l1Ratio: v) } }),
        Parameter("class-weight", \.classWeight, placeholder: "W", default: .none,
                  check: Check("finite and > 0 when N,P") { w in
                      guard case let .custom(n, p) = w else { return true }
                      return n.isFinite && p.isFinite && n > 0 && p > 0
                  }, doc: "none, balanced (n/(2·n_class)) or N,P (weights of label 0 and 1)"),
        Parameter("solver", \.solver, placeholder: "S", default: .auto, doc: "auto, newton, lbfgs or owlqn"),
        // 1e-7: 1000× tighter than scikit-learn's default tol=1e-4 on the same (mean-loss) gradient.
        Parameter("tol", \.tolerance, placeholder: "T", default: 1e-7, check: .positive,
                  doc: "convergence tolerance on the gradient's ∞-norm"),
        Parameter("max-iter", \.maxIterations, placeholder: "N", default: 500,
                  check: .atLeast(1), doc: "iteration cap"),
        Parameter("lbfgs-memory", \.memory, placeholder: "M", default: 10, check: .atLeast(1),
                  doc: "L-BFGS / OWL-QN correction pairs"),
    ])

    /// Model files keep format 1's coding (a `penalty` object, camelCase keys); absent keys take the defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self.defaults
        self.init(exactly: try c.decodeIfPresent(Penalty.self, forKey: .penalty) ?? d.penalty,
                  try c.decodeIfPresent(ClassWeight.self, forKey: .classWeight) ?? d.classWeight,
                  try c.decodeIfPresent(Solver.self, forKey: .solver) ?? d.solver,
                  try c.decodeIfPresent(Double.self, forKey: .tolerance) ?? d.tolerance,
                  try c.decodeIfPresent(Int.self, forKey: .maxIterations) ?? d.maxIterations,
                  try c.decodeIfPresent(Int.self, forKey: .memory) ?? d.memory)
    }

    /// Throws `ParameterError` for the first setting out of range or combination that cannot work, named
    /// with `spelling` (the CLI passes `--name`).
    public func check(spelling: Spelling = { $0 }) throws(ParameterError) {
        do { try Self.parameters.validate(self, spelling: spelling) } catch let e as ParameterError { throw e } catch {
            throw ParameterError("\(error)")
        }
        if solver == .lbfgs, penalty.l1Strength > 0 {
            throw ParameterError("\(spelling("solver")) lbfgs cannot handle an L1 penalty; use owlqn, newton or auto")
        }
    }

    /// Throws `LinearModelsError.invalidConfig` on out-of-range settings.
    public func validate() throws(LinearModelsError) {
        do { try check() } catch { throw .invalidConfig(reason: error.message) }
    }
}

extension LogisticConfig.ClassWeight: ParameterValue {
    public init?(parameterText: String) {
        switch parameterText {
        case "none": self = .none
        case "balanced": self = .balanced
        default:
            let parts = parameterText.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, let n = parts[0], let p = parts[1] else { return nil }
            self = .custom(negative: n, positive: p)
        }
    }

    public var parameterText: String {
        switch self {
        case .none: return "none"
        case .balanced: return "balanced"
        case let .custom(n, p): return "\(n),\(p)"
        }
    }

    public static var expectation: String { "none, balanced or two weights N,P" }
}
