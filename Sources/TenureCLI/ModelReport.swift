// Human-readable views of a model and its metrics (train summary, `tenure inspect`, `tenure evaluate`).
import Evaluation
import Foundation
import ModelFormat

enum ModelReport {
    static func f(_ v: Double?, _ digits: Int = 4) -> String { v.map { String(format: "%.\(digits)f", $0) } ?? "n/a" }

    static func metrics(_ m: BinaryMetrics) -> String {
        var lines = [
            "rows \(m.rows), positives \(m.positives) (base rate \(f(m.baseRate, 3)))",
            "ROC AUC \(f(m.rocAUC))   PR AUC \(f(m.prAUC))   log loss \(f(m.logLoss))   Brier \(f(m.brier))",
            "top k%   rows   precision   lift   recall",
        ]
        for t in m.topK {
            lines.append(String(format: "%5.0f%%  %6d   ", t.fraction * 100, t.k) + [f(t.precision, 3).leftPad(9), f(t.lift, 2).leftPad(5), f(t.recall, 3).leftPad(6)].joined(separator: "  "))
        }
        lines.append("calibration (predicted → observed, rows):")
        for b in m.calibration where b.count > 0 {
            lines.append(String(format: "  [%.1f, %.1f)  ", b.lower, b.upper) + "\(f(b.meanPredicted, 3)) → \(f(b.observedRate, 3))  (\(b.count))")
        }
        return lines.joined(separator: "\n")
    }

    static func summary(_ m: TenureModel) -> String {
        var lines = ["model: \(m.kind.rawValue), \(m.featureCount) features, format \(m.formatVersion), Tenure \(m.tenureVersion)",
                     "label: \(m.label.summary)",
                     "trained on \(m.training.trainRows) rows (\(m.training.trainPositives) positives), cutoffs \(m.training.trainCutoffs.joined(separator: ", "))"]
        if let lr = m.logistic {
            lines.append("solver \(lr.report.solver.rawValue): \(lr.report.iterations) iterations, converged \(lr.report.converged), gradient norm \(String(format: "%.2e", lr.report.gradNorm)) (tol \(lr.report.tolerance), cap \(lr.report.maxIterations))")
        }
        if let g = m.gbdt { lines.append("trees: \(g.trees.count) kept (best iteration \(g.bestIteration))") }
        if let v = m.validation {
            lines.append("validation on cutoff(s) \(m.training.validCutoffs.joined(separator: ", ")):")
            lines.append(metrics(v))
        } else {
            lines.append("no validation cutoff held out")
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
