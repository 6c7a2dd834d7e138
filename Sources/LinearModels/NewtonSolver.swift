// Newton–Raphson (Cholesky via dposv) and proximal Newton (coordinate descent on the quadratic model).
import LinearAlgebra

/// What a solver run produced.
struct SolverOutcome {
    var theta: [Double]
    var iterations: Int
    var converged: Bool
    var gradNorm: Double
    var objective: Double
    var solver: LogisticConfig.Solver
    var note: String?
    /// Last Hessian the Newton solver used (empty for quasi-Newton), to seed a follow-up stage.
    var hessian: [Double] = []
}

/// Second-order solver for `LogisticObjective`.
///
/// - λ₁ = 0: damped Newton. Each step solves (∇²f)·d = −∇f by Cholesky (`dpotrf` + `dpotrs`; on failure the
///   diagonal is jittered by 1e-10…1e-2 × max diag; if that also fails the caller falls back to OWL-QN).
/// - λ₁ > 0: proximal Newton as in newGLMNET (Yuan, Ho & Lin 2012): d minimises the model
///   ∇fᵀd + ½dᵀHd + λ₁‖θ̄+d‖₁ by cyclic coordinate descent on the q×q Hessian (soft-thresholding update
///   θⱼ+dⱼ = S(Hⱼⱼθⱼ − bⱼ, λ₁)/Hⱼⱼ with bⱼ = ∇fⱼ + (Hd)ⱼ − Hⱼⱼdⱼ).
///
/// Pass economy: outside the quadratic phase the Hessian at the full-step trial point is computed in the same
/// data pass as its gradient (it is almost always accepted); once the gradient norm falls ≥ 10× per step the
/// previous Hessian (and its cached Cholesky factor) is reused, saving the O(n·q²) work, with convergence
/// still superlinear.
///
/// Both use backtracking (Armijo, σ = 1e-4) on the full objective, allowing a few ulps of slack so steps
/// near the optimum are not rejected for rounding. Converges quadratically near the optimum;
/// per iteration O(n·q²/2) (Hessian) + O(q³/3) (Cholesky) or O(sweeps·q²) (coordinate descent).
struct NewtonSolver {
    let objective: LogisticObjective
    let tolerance: Double
    let maxIterations: Int
    let progress: ((String) -> Void)?
    /// True when `start` is already close to the optimum (from the subsample stage): the first step uses the
    /// start's Hessian, and Hessians are computed only when progress slows, never speculatively with a trial.
    var warmStart = false

    enum Failure: Error { case singular(theta: [Double], iterations: Int, detail: String) }

    /// Minimises from `start`. With `initialHessian` (e.g. the subsample stage's), the first data pass computes
    /// only the gradient and that matrix serves as the (sub-sampled) Newton metric until progress slows.
    func run(start: [Double], initialHessian: [Double]? = nil) throws(Failure) -> SolverOutcome {
        let q = objective.q, l1 = objective.l1
        var theta = start
        var gradient = [Double](repeating: 0, count: q)
        var pseudo = [Double](repeating: 0, count: q)
        // `hessian` is the Hessian at some earlier iterate (fresh when `hessianIsCurrent`); `factor` caches its
        // Cholesky factor so stale Hessians are reused through `dpotrs` without refactorising.
        var hessian = [Double](repeating: 0, count: q * q)
        var trialHessian = hessian
        var factor: [Double]? = nil
        var hessianIsCurrent = true
        var big: Double
        if let initialHessian, initialHessian.count == q * q {
            hessian = initialHessian
            big = gradient.withUnsafeMutableBufferPointer { objective.evaluate(theta, gradient: $0) }
        } else {
            big = gradient.withUnsafeMutableBufferPointer { g in
                hessian.withUnsafeMutableBufferPointer { h in objective.evaluate(theta, gradient: g, hessian: h) }
            }
        }
        big += objective.l1Term(theta)
        var iterations = 0
        var converged = false
        var gradNorm = 0.0, previousNorm = Double.infinity
        while true {
            objective.pseudoGradient(theta: theta, gradient: gradient, into: &pseudo)
            gradNorm = maxAbs(pseudo)
            if gradNorm <= tolerance { converged = true; break }
            if iterations >= maxIterations { break }
            // Fast (≥ 10×) gradient decrease means we are in the quadratic phase: a one-step-old Hessian is
            // still an excellent metric, so skip the O(n·q²) Hessian pass.
            let fastPhase = gradNorm <= 0.1 * previousNorm
            if !hessianIsCurrent && !fastPhase {
                hessian.withUnsafeMutableBufferPointer { _ = objective.evaluate(theta, hessian: $0) }
                hessianIsCurrent = true
                factor = nil
            }
            let direction: [Double]
            let predicted: Double  // Directional decrease Δ used by the Armijo test.
            if l1 == 0 {
                if factor == nil { factor = factorize(hessian) }
                guard let factor,
                      let d = try? LAPACK.choleskySolve(n: q, factor: factor, b: gradient.map { -$0 }) else {
                    throw .singular(theta: theta, iterations: iterations,
                                    detail: "Cholesky of the \(q)×\(q) Hessian failed even with jitter")
                }
                direction = d
                predicted = BLAS.dot(gradient, d)
            } else {
                direction = proximalDirection(hessian: hessian, gradient: gradient, theta: theta, l1: l1)
                var newL1 = 0.0, oldL1 = 0.0
                for j in 0..<(q - 1) { newL1 += abs(theta[j] + direction[j]); oldL1 += abs(theta[j]) }
                predicted = BLAS.dot(gradient, direction) + l1 * (newL1 - oldL1)
            }
            if predicted >= 0 {
                // No descent possible at working precision: we are at the optimum up to rounding.
                progress?("newton: no further descent at gradient norm \(gradNorm)")
                break
            }
            // Outside the quadratic phase, compute the next Hessian in the same pass as the full-step trial. Not
            // after a warm start: its iterates are already close, so the step after a fresh Hessian is almost
            // always in the quadratic phase, where the speculative Hessian (most of a pass's cost) would go unused.
            let speculate = !fastPhase && !warmStart
            var t = 1.0
            var accepted = false
            var trial = theta
            var trialGradient = gradient
            for attempt in 0..<40 {
                for j in 0..<q { trial[j] = theta[j] + t * direction[j] }
                let withHessian = speculate && attempt == 0
                let ft = trialGradient.withUnsafeMutableBufferPointer { g in
                    withHessian
                        ? trialHessian.withUnsafeMutableBufferPointer { objective.evaluate(trial, gradient: g, hessian: $0) }
                        : objective.evaluate(trial, gradient: g)
                }
                let bigT = ft + objective.l1Term(trial)
                if bigT <= big + 1e-4 * t * predicted + 1e-14 * abs(big) {
                    theta = trial; gradient = trialGradient; big = bigT
                    if withHessian {
                        swap(&hessian, &trialHessian)
                        factor = nil
                    }
                    hessianIsCurrent = withHessian
                    accepted = true
                    break
                }
                t *= 0.5
            }
            iterations += 1
            previousNorm = gradNorm
            if !accepted {
                progress?("newton: line search stalled at gradient norm \(gradNorm)")
                break
            }
            progress?("newton iter \(iterations): objective \(big), step \(t) (gradient norm before it \(gradNorm))")
        }
        return SolverOutcome(theta: theta, iterations: iterations, converged: converged, gradNorm: gradNorm,
                             objective: big, solver: .newton, note: nil, hessian: hessian)
    }

    /// Cholesky factor of the Hessian via `dpotrf`, retrying with growing diagonal jitter
    /// (1e-10 … 1e-2 × max diagonal); nil if all attempts fail.
    private func factorize(_ hessian: [Double]) -> [Double]? {
        let q = objective.q
        var maxDiag = 0.0
        for j in 0..<q { maxDiag = max(maxDiag, abs(hessian[j * q + j])) }
        var jitter = 0.0
        for attempt in 0..<10 {
            var h = hessian
            if jitter > 0 { for j in 0..<q { h[j * q + j] += jitter } }
            if let factor = try? LAPACK.choleskyFactor(n: q, a: h) {
                if attempt > 0 { progress?("newton: Hessian singular, factorised with diagonal jitter \(jitter)") }
                return factor
            }
            jitter = jitter == 0 ? 1e-10 * max(1, maxDiag) : jitter * 10
        }
        return nil
    }

    /// Approximately minimises ∇fᵀd + ½dᵀHd + λ₁‖θ̄+d‖₁ by cyclic coordinate descent.
    private func proximalDirection(hessian h: [Double], gradient g: [Double], theta: [Double], l1: Double) -> [Double] {
        let q = objective.q
        var d = [Double](repeating: 0, count: q)
        var hd = [Double](repeating: 0, count: q)
        let maxSweeps = q <= 200 ? 1000 : 200
        for _ in 0..<maxSweeps {
            var maxChange = 0.0, maxValue = 0.0
            for j in 0..<q {
                let a = h[j * q + j]
                guard a > 0 else { continue }
                let b = g[j] + hd[j] - a * d[j]
                let u: Double
                if j == q - 1 {
                    u = theta[j] - b / a
                } else {
                    let c = a * theta[j] - b
                    u = c > l1 ? (c - l1) / a : (c < -l1 ? (c + l1) / a : 0)
                }
                let newD = u - theta[j]
                let delta = newD - d[j]
                if delta != 0 {
                    d[j] = newD
                    for k in 0..<q { hd[k] += h[k * q + j] * delta }
                    maxChange = max(maxChange, abs(delta))
                }
                maxValue = max(maxValue, abs(u))
            }
            if maxChange <= 1e-13 * max(1, maxValue) { break }
        }
        return d
    }
}
