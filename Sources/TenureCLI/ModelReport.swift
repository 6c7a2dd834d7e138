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
        if let u = m.uplift { return upliftSummary(m, u) }
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

extension ModelReport {
    /// An uplift model: its learner, the contacted users it learned from, and its held-out campaign's ranking.
    static func upliftSummary(_ m: TenureModel, _ u: UpliftModel) -> String {
        let learner = u.learner == .t ? "T-learner (a retention model per arm; uplift = treated − control)"
            : "X-learner (imputed effects per arm, blended with propensity \(f(u.propensity, 3)))"
        var lines = ["model: uplift, \(learner), gbdt, \(m.featureCount) features, format \(m.formatVersion), Tenure \(m.tenureVersion)",
                     "outcome: retained = a \(m.label.qualifyingEvents.isEmpty ? "qualifying" : m.label.qualifyingEvents.joined(separator: "/")) event within \(m.label.horizon) of the contact; scores users active in the \(m.label.lookback?.description ?? "whole history") before the as-of",
                     "trained on \(m.training.trainRows) contacted users (\(m.training.trainPositives) retained), contact nights \(m.training.trainCutoffs.joined(separator: ", "))",
                     "trees: treated \(u.treated.trees.count), control \(u.control.trees.count)"
                        + (u.effectTreated.map { ", effect-treated \($0.trees.count)" } ?? "") + (u.effectControl.map { ", effect-control \($0.trees.count)" } ?? "")]
        guard let v = u.validation else {
            lines.append("no campaign held out: no validation (train on two or more campaigns to judge the model on the latest)")
            return lines.joined(separator: "\n")
        }
        let rate = { (r: Int, n: Int) in n > 0 ? f(Double(r) / Double(n), 3) : "n/a" }
        lines.append("validation on campaign \(v.campaign): \(v.treated) treated (retained \(rate(v.treatedRetained, v.treated))), \(v.control) control (retained \(rate(v.controlRetained, v.control)))")
        lines.append("Qini coefficient \(f(v.metrics.qiniCoefficient))   AUUC \(f(v.metrics.auuc))   (ranking by churn risk instead: Qini \(f(v.churnRiskQiniCoefficient)))")
        lines.append("uplift at top " + v.metrics.upliftAtK.map { String(format: "%.0f%%", $0.share * 100) + " " + f($0.uplift) }.joined(separator: ", "))
        let k = v.qini.x.count
        if k > 1 {
            let picks = [k / 4, k / 2, 3 * k / 4, k - 1]
            lines.append("Qini curve (users from the top → incremental retained): " + picks.map { String(format: "%.0f → %.1f", v.qini.x[$0], v.qini.y[$0]) }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
