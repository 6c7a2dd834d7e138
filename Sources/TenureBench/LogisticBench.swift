// tenure-bench logistic: times logistic-regression training (standardisation and imputation included) on an
// in-memory float64 matrix and scores a holdout matrix, the Swift side of bench/stages/03_logistic.py.
import Evaluation
import Foundation
import LinearModels

/// `tenure-bench logistic --x X.f64 --y Y.f64 --cols N [--holdout-x HX.f64 --holdout-y HY.f64]
///  [--C c | --l2 λ] [--tol t] [--max-iter n] [--solver auto|newton|lbfgs|owlqn] [--coef-out FILE]
///  [--result FILE]`
///
/// Timed: `LogisticRegression.fit`, which learns the preprocessing `tenure train` uses (median imputation,
/// missing indicators, standardisation) and then solves — exactly the call `ModelTrainer` makes.
/// Not timed: reading the files, scoring the holdout, AUC.
///
/// Penalty mapping: Tenure minimises (1/n)·Σℓᵢ + λ/2·‖β‖² (see `LogisticConfig`); scikit-learn minimises
/// C·Σℓᵢ + ½‖β‖². Dividing sklearn's objective by C·n gives Tenure's with λ = 1/(C·n), n = training rows.
/// `--C` applies that mapping; `--l2` sets λ directly. Both solvers stop on the ∞-norm of the gradient of
/// the mean-loss objective (scipy's `gtol`, which sklearn sets to `tol`), so `--tol` means the same on both.
///
/// Prints one JSON line (and writes it to `--result` when given): wall and CPU seconds of the fit,
/// iterations, solver, convergence, final gradient norm and objective, data passes, and the holdout AUC.
/// `--coef-out` writes intercept then coefficients (standardised scale, then missing indicators) as float64.
enum LogisticBench {
    static func run(_ args: [String]) throws {
        let o = try BenchOptions(args)
        let cols = try o.int("cols", default: 0)
        guard cols > 0 else { throw BenchError("--cols N (> 0) is required") }
        let (x, rows) = try MatrixFile.read(try o.string("x"), cols: cols)
        let (y, yRows) = try MatrixFile.read(try o.string("y"), cols: 1)
        guard yRows == rows else { throw BenchError("--y has \(yRows) rows, --x has \(rows)") }

        let lambda: Double
        if let c = o.optional("C") {
            guard let cv = Double(c), cv > 0 else { throw BenchError("--C takes a positive number, not '\(c)'") }
            lambda = 1 / (cv * Double(rows))
        } else {
            lambda = try o.double("l2", default: LogisticConfig.defaults.penalty.l2Strength)
        }
        guard let solver = LogisticConfig.Solver(rawValue: o.optional("solver") ?? LogisticConfig.defaults.solver.rawValue) else {
            throw BenchError("--solver takes auto, newton, lbfgs or owlqn")
        }
        let config = LogisticConfig(penalty: .l2(lambda: lambda), solver: solver,
                                    tolerance: try o.double("tol", default: LogisticConfig.defaults.tolerance),
                                    maxIterations: try o.int("max-iter", default: LogisticConfig.defaults.maxIterations))

        let cpu0 = cpuSeconds()
        let (model, seconds) = try timed { try LogisticRegression.fit(x: x, rows: rows, cols: cols, y: y, config: config) }
        let cpu = cpuSeconds() - cpu0

        var result: [String: Any] = [
            "tool": "tenure", "rows": rows, "cols": cols, "lambda": lambda, "tol": config.tolerance,
            "seconds": seconds, "cpu_seconds": cpu, "iterations": model.report.iterations,
            "solver": model.report.solver.rawValue, "converged": model.report.converged,
            "grad_norm": model.report.gradNorm, "objective": model.report.objective,
            "data_passes": model.report.dataPasses, "cores": ProcessInfo.processInfo.activeProcessorCount,
        ]
        if let hx = o.optional("holdout-x") {
            let (holdX, holdRows) = try MatrixFile.read(hx, cols: cols)
            let (holdY, holdYRows) = try MatrixFile.read(try o.string("holdout-y"), cols: 1)
            guard holdYRows == holdRows else { throw BenchError("--holdout-y has \(holdYRows) rows, --holdout-x has \(holdRows)") }
            let p = model.scoreBatch(x: holdX, rows: holdRows)
            result["holdout_rows"] = holdRows
            if let auc = try Metrics.rocAUC(scores: p, labels: holdY) { result["auc"] = auc }
        }
        if let path = o.optional("coef-out") {
            var coef = [model.intercept] + model.coefficients
            for j in 0..<cols where model.hasIndicator[j] { coef.append(model.indicatorCoefficients[j]) }
            let data = coef.withUnsafeBytes { Data($0) }
            try data.write(to: URL(fileURLWithPath: path))
        }
        printJSON(result)
        if let path = o.optional("result") {
            let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
            try data.write(to: URL(fileURLWithPath: path))
        }
    }

    /// User + system CPU seconds of this process so far (all threads).
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }
}
