// Entry point for training: validates input, learns preprocessing, picks a solver and builds the model.
import Foundation
import LinearAlgebra
import TenureCore

/// Penalised, weighted binary logistic regression (objective documented on `LogisticConfig`).
public enum LogisticRegression {
    /// Trains on a row-major `rows` × `cols` matrix (NaN = missing) with 0/1 labels. `categoryCounts[j] > 0`
    /// makes input j categorical with that many codes (see `Preprocessing`: one-hot encoded, the last code the
    /// rare bucket); empty means every input is numeric.
    ///
    /// Steps: validate → learn `Preprocessing` (medians, indicators, mean/scale) → minimise F over the
    /// design Z = [standardised | indicators | 1] (built block by block, never stored) with the configured
    /// solver, starting from θ = 0 and b = logit(weighted positive rate). OpenBLAS is left at one thread (the objective
    /// parallelises across row blocks itself).
    ///
    /// With a distributed `collective`, `x` is this rank's rows: statistics, weights and every loss, gradient and
    /// Hessian are exact sums over all ranks (see `Preprocessing.learn`, `LogisticObjective`), so every rank fits
    /// the model that one process fits on all the rows, bit for bit, whatever the row order or rank count.
    public static func fit(
        x: [Double], rows: Int, cols: Int, y: [Double], sampleWeights: [Double]? = nil,
        config: LogisticConfig = LogisticConfig(), categoryCounts: [Int] = [],
        collective: Collective = SingleProcess.shared, progress: ((String) -> Void)? = nil
    ) throws(LinearModelsError) -> LogisticModel {
        try config.validate()
        let globalRows = collective.sum(rows)
        guard globalRows > 0 else { throw .emptyData }
        guard cols >= 0, x.count == rows * cols else {
            throw .sizeMismatch(what: "feature matrix", expected: rows * max(cols, 0), actual: x.count)
        }
        guard y.count == rows else { throw .sizeMismatch(what: "labels", expected: rows, actual: y.count) }
        for i in 0..<rows where y[i] != 0 && y[i] != 1 { throw .invalidLabel(row: i, value: y[i]) }
        if let sampleWeights {
            guard sampleWeights.count == rows else {
                throw .sizeMismatch(what: "sample weights", expected: rows, actual: sampleWeights.count)
            }
            for i in 0..<rows where !(sampleWeights[i].isFinite && sampleWeights[i] >= 0) {
                throw .invalidSampleWeight(row: i, value: sampleWeights[i])
            }
        }
        let weights = try rowWeights(y: y, sampleWeights: sampleWeights, classWeight: config.classWeight,
                                     collective: collective)

        guard categoryCounts.isEmpty || (categoryCounts.count == cols && categoryCounts.allSatisfy({ $0 >= 0 })) else {
            throw .sizeMismatch(what: "category counts", expected: cols, actual: categoryCounts.count)
        }
        let prep = try Preprocessing.learn(x: x, rows: rows, cols: cols, categoryCounts: categoryCounts,
                                           collective: collective)
        let q = prep.designWidth
        progress?("logistic: \(globalRows) rows, \(cols) inputs, \(prep.indicatorCount) missing indicators"
                  + (prep.oneHot.isEmpty ? "" : ", \(prep.oneHot.count) one-hot encoded (\(prep.oneHotExtraCount + prep.oneHot.count) columns)"))
        let objective = LogisticObjective(x: x, rows: rows, preprocessing: prep, y: y, v: weights.normalised,
                                          l2: config.penalty.l2Strength, l1: config.penalty.l1Strength,
                                          collective: collective)
        var start = [Double](repeating: 0, count: q)
        start[q - 1] = log(weights.positiveShare / (1 - weights.positiveShare))

        var solver = config.solver
        if solver == .auto {
            solver = q <= LogisticConfig.newtonMaxColumns ? .newton : (objective.l1 > 0 ? .owlqn : .lbfgs)
        }
        var outcome: SolverOutcome
        switch solver {
        case .newton:
            do throws(NewtonSolver.Failure) {
                var warmIterations = 0
                var warmHessian: [Double]? = nil
                if let sample = objective.subsample(targetRows: subsampleRows) {
                    // Stage 1: solve on a ~64k-row subsample (picked by row content); its optimum is within O(1/√64k) of
                    // the full one. Stage 2 takes full-data Newton steps using the subsample's Hessian as the
                    // metric (sub-sampled Newton, Byrd et al. 2011): exact gradient, so the same optimum, and
                    // no O(n·q²) pass unless progress stalls.
                    let warm = try NewtonSolver(objective: sample, tolerance: max(config.tolerance, 1e-4),
                                                maxIterations: config.maxIterations, progress: progress).run(start: start)
                    progress?("logistic: warm start from \(sample.globalRows) sampled rows "
                              + "after \(warm.iterations) iterations")
                    start = warm.theta
                    warmIterations = warm.iterations
                    warmHessian = warm.hessian
                }
                var full = NewtonSolver(objective: objective, tolerance: config.tolerance,
                                        maxIterations: max(1, config.maxIterations - warmIterations), progress: progress)
                full.warmStart = warmIterations > 0
                outcome = try full.run(start: start, initialHessian: warmHessian)
                outcome.iterations += warmIterations
            } catch {
                guard case let .singular(theta, iterations, detail) = error else { preconditionFailure() }
                progress?("logistic: \(detail); falling back to L-BFGS/OWL-QN")
                outcome = quasiNewton(objective, config, progress, start: theta, iterationsSoFar: iterations)
                outcome.note = "newton: \(detail)"
            }
        case .lbfgs, .owlqn, .auto:
            outcome = quasiNewton(objective, config, progress, start: start, iterationsSoFar: 0)
        }
        guard outcome.theta.allSatisfy(\.isFinite) else {
            throw .singularSystem(detail: "coefficients became non-finite after \(outcome.iterations) iterations")
        }
        progress?("logistic: \(outcome.solver.rawValue) \(outcome.converged ? "converged" : "stopped") after "
                  + "\(outcome.iterations) iterations, gradient norm \(outcome.gradNorm)")

        var indicatorCoefficients = [Double](repeating: 0, count: cols)
        var slot = cols
        for j in 0..<cols where prep.hasIndicator[j] { indicatorCoefficients[j] = outcome.theta[slot]; slot += 1 }
        // Per one-hot input: code 0's coefficient sits in the input's own slot, the others after the indicators.
        var coefficients = Array(outcome.theta[0..<cols])
        var oneHot: [LogisticModel.OneHot] = []
        for c in prep.oneHot {
            let codes = [outcome.theta[c.column]] + outcome.theta[slot..<(slot + c.codeCount - 1)]
            oneHot.append(LogisticModel.OneHot(column: c.column, shares: c.shares, coefficients: codes))
            coefficients[c.column] = 0
            slot += c.codeCount - 1
        }
        let report = LogisticFitReport(
            iterations: outcome.iterations, converged: outcome.converged, gradNorm: outcome.gradNorm,
            objective: outcome.objective, tolerance: config.tolerance, maxIterations: config.maxIterations,
            solver: outcome.solver, dataPasses: objective.dataPasses, fallback: outcome.note)
        return LogisticModel(
            medians: prep.medians, hasIndicator: prep.hasIndicator, means: prep.means, scales: prep.scales,
            coefficients: coefficients, indicatorCoefficients: indicatorCoefficients,
            intercept: outcome.theta[q - 1], config: config, report: report, oneHot: oneHot.isEmpty ? nil : oneHot)
    }

    /// Rows in the Newton warm-start subsample; data with fewer than twice this many rows skips stage 1.
    static let subsampleRows = 65_536

    private static func quasiNewton(
        _ objective: LogisticObjective, _ config: LogisticConfig, _ progress: ((String) -> Void)?,
        start: [Double], iterationsSoFar: Int
    ) -> SolverOutcome {
        OWLQNSolver(objective: objective, tolerance: config.tolerance, maxIterations: config.maxIterations,
                    memory: config.memory, progress: progress).run(start: start, iterationsSoFar: iterationsSoFar)
    }

    /// Row weights vᵢ = sampleWeightᵢ·classWeight(yᵢ), normalised to sum 1 over every rank's rows, and the
    /// weighted share of positives. The totals are exact sums (`ExactSum`), so they do not depend on row order.
    static func rowWeights(
        y: [Double], sampleWeights: [Double]?, classWeight: LogisticConfig.ClassWeight,
        collective: Collective = SingleProcess.shared
    ) throws(LinearModelsError) -> (normalised: [Double], positiveShare: Double) {
        var positives = 0
        for label in y where label == 1 { positives += 1 }
        var counts: [Int64] = [Int64(y.count), Int64(positives)]
        collective.sum(&counts)
        let n = Int(counts[0]), globalPositives = Int(counts[1])
        let (w0, w1): (Double, Double)
        switch classWeight {
        case .none: (w0, w1) = (1, 1)
        case .balanced:
            // n/(2·n_c); a missing class gets weight 0 (and is rejected below).
            w0 = globalPositives < n ? Double(n) / (2 * Double(n - globalPositives)) : 0
            w1 = globalPositives > 0 ? Double(n) / (2 * Double(globalPositives)) : 0
        case let .custom(negative, positive): (w0, w1) = (negative, positive)
        }
        var v = [Double](repeating: 0, count: y.count)
        var largest = 0.0
        for i in 0..<y.count {
            v[i] = (sampleWeights?[i] ?? 1) * (y[i] == 1 ? w1 : w0)
            largest = max(largest, v[i])
        }
        let scale = ExactSum.scale(bound: collective.maximum(largest), bits: 62)
        var sums: [Int128] = [0, 0]  // all | positives
        for i in 0..<y.count {
            let term = Int128(ExactSum.integer(v[i] * scale))
            sums[0] &+= term
            if y[i] == 1 { sums[1] &+= term }
        }
        sums = ExactSum.overRanks(sums, collective)
        guard sums[0] > 0 else { throw .zeroTotalWeight }
        if sums[1] == 0 { throw .singleClass(label: 0) }
        if sums[1] == sums[0] { throw .singleClass(label: 1) }
        let total = Double(sums[0]) / scale
        for i in 0..<y.count { v[i] /= total }
        return (v, Double(sums[1]) / Double(sums[0]))
    }
}
