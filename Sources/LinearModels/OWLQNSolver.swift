// Limited-memory quasi-Newton solver: L-BFGS, and OWL-QN when the penalty has an L1 part.
import LinearAlgebra

/// OWL-QN (Andrew & Gao, "Scalable training of L1-regularized log-linear models", ICML 2007).
///
/// The search direction is the L-BFGS two-loop product (Nocedal & Wright, Alg. 7.4) applied to the
/// minimum-norm subgradient ("pseudo-gradient"), with components that disagree in sign with it zeroed;
/// trial points are projected onto the orthant of the current iterate and accepted by a backtracking
/// Armijo test. With λ₁ = 0 every orthant step is a no-op and the method is plain L-BFGS.
/// Per iteration O(n·q) for the gradient pass plus O(m·q) for the two-loop recursion.
struct OWLQNSolver {
    let objective: LogisticObjective
    let tolerance: Double
    let maxIterations: Int
    let memory: Int
    let progress: ((String) -> Void)?

    func run(start: [Double], iterationsSoFar: Int = 0) -> SolverOutcome {
        let q = objective.q, l1 = objective.l1
        let penalised = q - 1
        var theta = start
        var gradient = [Double](repeating: 0, count: q)
        var pseudo = [Double](repeating: 0, count: q)
        var big = gradient.withUnsafeMutableBufferPointer { objective.evaluate(theta, gradient: $0) }
            + objective.l1Term(theta)
        var sList = [[Double]](), yList = [[Double]](), rhoList = [Double]()
        var iterations = iterationsSoFar
        var converged = false
        var gradNorm = 0.0
        var trial = theta
        var trialGradient = gradient
        var direction = [Double](repeating: 0, count: q)
        var alphas = [Double](repeating: 0, count: memory)
        while true {
            objective.pseudoGradient(theta: theta, gradient: gradient, into: &pseudo)
            gradNorm = maxAbs(pseudo)
            if gradNorm <= tolerance { converged = true; break }
            if iterations >= maxIterations { break }
            // Two-loop recursion: direction = −H·pseudo.
            for j in 0..<q { direction[j] = -pseudo[j] }
            let m = sList.count
            for k in stride(from: m - 1, through: 0, by: -1) {
                alphas[k] = rhoList[k] * BLAS.dot(sList[k], direction)
                BLAS.axpy(-alphas[k], yList[k], &direction)
            }
            if m > 0 {
                let gamma = BLAS.dot(sList[m - 1], yList[m - 1]) / BLAS.dot(yList[m - 1], yList[m - 1])
                for j in 0..<q { direction[j] *= gamma }
            }
            for k in 0..<m {
                let beta = rhoList[k] * BLAS.dot(yList[k], direction)
                BLAS.axpy(alphas[k] - beta, sList[k], &direction)
            }
            if l1 > 0 {
                for j in 0..<penalised where direction[j] * pseudo[j] >= 0 { direction[j] = 0 }
            }
            if BLAS.dot(direction, pseudo) >= 0 {
                // Curvature memory went bad: restart from steepest descent.
                sList.removeAll(); yList.removeAll(); rhoList.removeAll()
                for j in 0..<q { direction[j] = -pseudo[j] }
            }
            var t = sList.isEmpty ? min(1, 1 / max(gradNorm, 1e-300)) : 1
            var accepted = false
            for _ in 0..<60 {
                for j in 0..<q {
                    var value = theta[j] + t * direction[j]
                    if l1 > 0, j < penalised {
                        // Orthant of θ, or of −pseudo-gradient where θⱼ = 0.
                        let orthant = theta[j] != 0 ? theta[j] : -pseudo[j]
                        if value * orthant <= 0 { value = 0 }
                    }
                    trial[j] = value
                }
                let bigT = trialGradient.withUnsafeMutableBufferPointer { objective.evaluate(trial, gradient: $0) }
                    + objective.l1Term(trial)
                var decrease = 0.0
                for j in 0..<q { decrease += pseudo[j] * (trial[j] - theta[j]) }
                if bigT <= big + 1e-4 * decrease + 1e-14 * abs(big) {
                    big = bigT
                    accepted = true
                    break
                }
                t *= 0.5
            }
            iterations += 1
            guard accepted else {
                progress?("\(l1 > 0 ? "owlqn" : "lbfgs"): line search stalled at gradient norm \(gradNorm)")
                break
            }
            var s = [Double](repeating: 0, count: q), yv = [Double](repeating: 0, count: q)
            for j in 0..<q { s[j] = trial[j] - theta[j]; yv[j] = trialGradient[j] - gradient[j] }
            let sy = BLAS.dot(s, yv)
            if sy > 1e-16 * BLAS.dot(yv, yv) && sy > 0 {
                if sList.count == memory { sList.removeFirst(); yList.removeFirst(); rhoList.removeFirst() }
                sList.append(s); yList.append(yv); rhoList.append(1 / sy)
            }
            swap(&theta, &trial)
            swap(&gradient, &trialGradient)
            if iterations % 10 == 0 {
                progress?("\(l1 > 0 ? "owlqn" : "lbfgs") iter \(iterations): objective \(big), gradient \(gradNorm)")
            }
        }
        return SolverOutcome(theta: theta, iterations: iterations, converged: converged, gradNorm: gradNorm,
                             objective: big, solver: l1 > 0 ? .owlqn : .lbfgs, note: nil)
    }
}
