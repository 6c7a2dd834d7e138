// Tests of Metrics: hand-computed values on tiny examples (with ties), scikit-learn cross-checks,
// weighting semantics, curves and error handling.
import Foundation
import Testing
@testable import Evaluation

/// scores [0.9, 0.8, 0.8, 0.3], labels [1, 0, 1, 0] — a 4-row example with one tied pair.
private let tieScores = [0.9, 0.8, 0.8, 0.3]
private let tieLabels: [Double] = [1, 0, 1, 0]

@Suite("ROC AUC by hand")
struct ROCAUCHandTests {
    @Test func tiedPairCountsHalf() throws {
        // Positives {0.9, 0.8}, negatives {0.8, 0.3}. Pairs (pos, neg):
        // (0.9,0.8)=1, (0.9,0.3)=1, (0.8,0.8)=½ (tie), (0.8,0.3)=1  →  3.5 / 4 = 0.875
        let auc = try #require(try Metrics.rocAUC(scores: tieScores, labels: tieLabels))
        #expect(abs(auc - 0.875) < 1e-12)
    }

    @Test func perfectAndInvertedRanking() throws {
        #expect(try Metrics.rocAUC(scores: [0.1, 0.2, 0.7, 0.9], labels: [0, 0, 1, 1]) == 1.0)
        #expect(try Metrics.rocAUC(scores: [0.9, 0.7, 0.2, 0.1], labels: [0, 0, 1, 1]) == 0.0)
    }

    @Test func allTiedIsOneHalf() throws {
        #expect(try Metrics.rocAUC(scores: [0.4, 0.4, 0.4, 0.4, 0.4], labels: [1, 0, 0, 1, 0]) == 0.5)
    }

    @Test func singleClassIsNil() throws {
        #expect(try Metrics.rocAUC(scores: [0.1, 0.5], labels: [1, 1]) == nil)
        #expect(try Metrics.rocAUC(scores: [0.1, 0.5], labels: [0, 0]) == nil)
        // A class present only with zero weight is absent.
        #expect(try Metrics.rocAUC(scores: [0.1, 0.5], labels: [0, 1], weights: [1, 0]) == nil)
    }
}

@Suite("Average precision by hand")
struct AveragePrecisionHandTests {
    @Test func tiedExample() throws {
        // Thresholds descending: 0.9 → TP=1 FP=0: P=1,   R=½
        //                        0.8 → TP=2 FP=1: P=2/3, R=1
        //                        0.3 → TP=2 FP=2: P=½,   R=1 (ΔR = 0, no contribution)
        // AP = ½·1 + ½·⅔ = 5/6
        let ap = try #require(try Metrics.prAUC(scores: tieScores, labels: tieLabels))
        #expect(abs(ap - 5.0 / 6.0) < 1e-12)
    }

    @Test func noPositivesIsNilAllPositivesIsOne() throws {
        #expect(try Metrics.prAUC(scores: [0.2, 0.3], labels: [0, 0]) == nil)
        #expect(try Metrics.prAUC(scores: [0.2, 0.3], labels: [1, 1]) == 1.0)
    }
}

@Suite("Evaluate: log loss, Brier, calibration by hand")
struct EvaluateHandTests {
    @Test func lossesOnTiedExample() throws {
        let m = try Metrics.evaluate(probabilities: tieScores, labels: tieLabels)
        // log loss = −(ln 0.9 + ln 0.2 + ln 0.8 + ln 0.7) / 4
        //          = (0.1053605 + 1.6094379 + 0.2231436 + 0.3566749) / 4 = 0.5736542
        #expect(abs(m.logLoss - 0.5736542) < 1e-6)
        // Brier = (0.1² + 0.8² + 0.2² + 0.3²) / 4 = (0.01 + 0.64 + 0.04 + 0.09) / 4 = 0.195
        #expect(abs(m.brier - 0.195) < 1e-12)
        #expect(m.rows == 4 && m.positives == 2 && m.baseRate == 0.5)
        #expect(m.rocAUC == 0.875)
    }

    @Test func logLossClipsCertainMistakes() throws {
        // p = 0 for a positive: clipped to 1e-15 → −ln(1e-15) = 34.538776…
        let m = try Metrics.evaluate(probabilities: [0.0], labels: [1])
        #expect(abs(m.logLoss - 34.538776394910684) < 1e-9)
        #expect(m.logLoss.isFinite)
    }

    @Test func calibrationBins() throws {
        let m = try Metrics.evaluate(probabilities: tieScores, labels: tieLabels)
        #expect(m.calibration.count == 10)
        for (b, bin) in m.calibration.enumerated() {
            #expect(abs(bin.lower - Double(b) / 10) < 1e-12 && abs(bin.upper - Double(b + 1) / 10) < 1e-12)
        }
        // 0.3 → bin 3; 0.8, 0.8 → bin 8 (one positive of two); 0.9 → bin 9.
        #expect(m.calibration[3].count == 1 && m.calibration[3].observedRate == 0)
        #expect(m.calibration[8].count == 2 && m.calibration[8].observedRate == 0.5)
        #expect(m.calibration[8].meanPredicted == 0.8)
        #expect(m.calibration[9].count == 1 && m.calibration[9].observedRate == 1)
        let empty = m.calibration.enumerated().filter { ![3, 8, 9].contains($0.offset) }.map(\.element)
        #expect(empty.allSatisfy { $0.count == 0 && $0.meanPredicted == nil && $0.observedRate == nil })
        // p = 1.0 belongs to the last bin.
        let one = try Metrics.evaluate(probabilities: [1.0, 0.0], labels: [1, 0])
        #expect(one.calibration[9].count == 1 && one.calibration[0].count == 1)
    }

    @Test func encodesToJSONWithoutNaN() throws {
        let m = try Metrics.evaluate(probabilities: [0.2, 0.3], labels: [0, 0])
        #expect(m.rocAUC == nil && m.prAUC == nil)
        let data = try JSONEncoder().encode(m)
        let back = try JSONDecoder().decode(BinaryMetrics.self, from: data)
        #expect(back == m)
    }
}

@Suite("Top-k lift by hand")
struct TopKHandTests {
    @Test func twentyRowExample() throws {
        // Ranked labels (score 0.99, 0.98, …, 0.80): 1 0 1 1 0 0 1 0 0 0 0 0 0 0 0 1 0 0 0 0
        // 5 positives / 20 rows → base rate 0.25. Rows are fed in a scrambled order.
        let ranked: [Double] = [1, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]
        let perm = [7, 13, 0, 19, 4, 11, 2, 16, 9, 5, 18, 1, 14, 8, 3, 12, 17, 6, 10, 15]
        let scores = perm.map { 0.99 - Double($0) * 0.01 }
        let labels = perm.map { ranked[$0] }
        let m = try Metrics.evaluate(probabilities: scores, labels: labels)
        #expect(m.baseRate == 0.25)
        // 1%: k = ceil(0.2) = 1 → 1 positive: precision 1, lift 4, recall 1/5
        // 5%: k = ceil(1.0) = 1 → same
        // 10%: k = 2 → 1 positive: precision ½, lift 2, recall 1/5
        // 20%: k = 4 → 3 positives: precision ¾, lift 3, recall 3/5
        let expected: [(k: Int, pos: Int, precision: Double, lift: Double, recall: Double)] = [
            (1, 1, 1, 4, 0.2), (1, 1, 1, 4, 0.2), (2, 1, 0.5, 2, 0.2), (4, 3, 0.75, 3, 0.6),
        ]
        #expect(m.topK.map(\.fraction) == [0.01, 0.05, 0.10, 0.20])
        for (got, want) in zip(m.topK, expected) {
            #expect(got.k == want.k && got.positives == want.pos)
            #expect(abs(try #require(got.precision) - want.precision) < 1e-12)
            #expect(abs(try #require(got.lift) - want.lift) < 1e-12)
            #expect(abs(try #require(got.recall) - want.recall) < 1e-12)
        }
    }

    @Test func tiesResolvedByRowIndex() throws {
        // All scores tie; k = ceil(0.2·4) = 1 takes row 0 (label 0) by the ascending-index tie rule.
        let r = try Metrics.topK(scores: [0.5, 0.5, 0.5, 0.5], labels: [0, 1, 1, 1], fraction: 0.2)
        #expect(r.k == 1 && r.positives == 0 && r.precision == 0)
        // k = ceil(0.1·30) must be 3 despite 0.1·30 = 3.0000000000000004 in floating point.
        let s = (0..<30).map { Double($0) / 30 }
        let r2 = try Metrics.topK(scores: s, labels: s.map { $0 > 0.5 ? 1 : 0 }, fraction: 0.1)
        #expect(r2.k == 3)
    }
}

@Suite("Cross-check against scikit-learn")
struct SklearnCrossCheckTests {
    // Produced once by /tmp/skl_eval.py with numpy/scikit-learn:
    //   rng = np.random.default_rng(seed); p = np.round(rng.random(15), 1); y = (rng.random(15) < p)
    //   w = np.round(rng.random(15) * 3 + 0.1, 2)
    //   roc_auc_score(y, p[, sample_weight=w]), average_precision_score(...),
    //   log_loss(y, np.clip(p, 1e-15, 1 - 1e-15)[, sample_weight=w]), brier_score_loss(...)
    struct Case {
        var p: [Double], y: [Double], w: [Double]
        var auc, ap, ll, brier, wauc, wap, wll, wbrier: Double
    }

    static let cases: [Case] = [
        Case(p: [0.5, 1.0, 0.1, 0.9, 0.3, 0.4, 0.8, 0.4, 0.5, 0.0, 0.8, 0.5, 0.3, 0.8, 0.3],
             y: [1, 1, 0, 1, 1, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0],
             w: [1.65, 0.45, 1.97, 2.43, 1.94, 2.85, 0.22, 1.69, 1.48, 0.29, 2.02, 2.66, 1.88, 0.88, 2.62],
             auc: 0.8214285714285715, ap: 0.8725961538461539, ll: 0.4497243351373804, brier: 0.152,
             wauc: 0.7326789392875606, wap: 0.7842084287915793, wll: 0.5204126696755497,
             wbrier: 0.17779864163004394),
        Case(p: [0.3, 0.3, 0.8, 0.1, 0.6, 0.7, 0.2, 0.1, 0.3, 0.7, 0.6, 0.2, 0.4, 0.7, 0.4],
             y: [0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1],
             w: [0.71, 2.75, 2.14, 2.65, 2.03, 1.32, 1.65, 1.88, 2.69, 1.41, 2.78, 1.94, 2.59, 1.59, 2.18],
             auc: 0.9629629629629629, ap: 0.9305555555555556, ll: 0.3916289373447312, brier: 0.11466666666666668,
             wauc: 0.9441436007459482, wap: 0.884668861588396, wll: 0.40894420191004915,
             wbrier: 0.12344440778620916),
        Case(p: [0.1, 0.2, 0.8, 0.6, 0.1, 0.4, 0.5, 0.2, 0.7, 0.1, 0.4, 0.5, 0.4, 0.6, 0.7],
             y: [0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0],
             w: [1.22, 0.37, 2.08, 2.89, 0.72, 1.99, 0.99, 2.33, 2.27, 0.76, 2.59, 2.07, 2.15, 2.56, 1.39],
             auc: 0.8300000000000001, ap: 0.6676190476190476, ll: 0.4865008430231299, brier: 0.162,
             wauc: 0.7993282369414076, wap: 0.7042961199815992, wll: 0.5366122094716856,
             wbrier: 0.18170583775587565),
    ]

    @Test(arguments: 0..<3)
    func unweightedAndWeighted(index: Int) throws {
        let c = Self.cases[index]
        let tol = 1e-12
        let m = try Metrics.evaluate(probabilities: c.p, labels: c.y)
        #expect(abs(try #require(m.rocAUC) - c.auc) < tol)
        #expect(abs(try #require(m.prAUC) - c.ap) < tol)
        #expect(abs(m.logLoss - c.ll) < tol)
        #expect(abs(m.brier - c.brier) < tol)
        let w = try Metrics.evaluate(probabilities: c.p, labels: c.y, weights: c.w)
        #expect(abs(try #require(w.rocAUC) - c.wauc) < tol)
        #expect(abs(try #require(w.prAUC) - c.wap) < tol)
        #expect(abs(w.logLoss - c.wll) < tol)
        #expect(abs(w.brier - c.wbrier) < tol)
    }
}

@Suite("Weights behave like repeated rows")
struct WeightSemanticsTests {
    @Test func integerWeightsEqualDuplication() throws {
        let p = [0.9, 0.8, 0.8, 0.3, 0.6, 0.1]
        let y: [Double] = [1, 0, 1, 0, 1, 0]
        let w: [Double] = [2, 1, 3, 1, 2, 4]
        var dp: [Double] = [], dy: [Double] = []
        for i in 0..<p.count {
            for _ in 0..<Int(w[i]) {
                dp.append(p[i])
                dy.append(y[i])
            }
        }
        let a = try Metrics.evaluate(probabilities: p, labels: y, weights: w)
        let b = try Metrics.evaluate(probabilities: dp, labels: dy)
        #expect(abs(try #require(a.rocAUC) - (try #require(b.rocAUC))) < 1e-12)
        #expect(abs(try #require(a.prAUC) - (try #require(b.prAUC))) < 1e-12)
        #expect(abs(a.logLoss - b.logLoss) < 1e-12)
        #expect(abs(a.brier - b.brier) < 1e-12)
        #expect(abs(a.baseRate - b.baseRate) < 1e-12)
        #expect(abs((a.calibration[8].observedRate ?? -1) - (b.calibration[8].observedRate ?? -2)) < 1e-12)
    }
}

@Suite("Curves")
struct CurveTests {
    @Test func rocCurveOnTiedExample() throws {
        let c = try Metrics.rocCurve(scores: tieScores, labels: tieLabels)
        #expect(c.points.map(\.fpr) == [0, 0, 0.5, 1])
        #expect(c.points.map(\.tpr) == [0, 0.5, 1, 1])
        #expect(c.points.map(\.threshold) == [nil, 0.9, 0.8, 0.3])
        // Trapezoid area under the curve equals the rank AUC.
        var area = 0.0
        for i in 1..<c.points.count {
            let (a, b) = (c.points[i - 1], c.points[i])
            area += (b.fpr - a.fpr) * (a.tpr + b.tpr) / 2
        }
        #expect(abs(area - 0.875) < 1e-12)
    }

    @Test func prCurveOnTiedExample() throws {
        let c = try Metrics.prCurve(scores: tieScores, labels: tieLabels)
        #expect(c.points.map(\.recall) == [0, 0.5, 1, 1])
        #expect(c.points.map(\.precision) == [1, 1, 2.0 / 3.0, 0.5])
        #expect(c.points.map(\.threshold) == [nil, 0.9, 0.8, 0.3])
    }

    @Test func cumulativeGains() throws {
        // Ranked: 0.9(1) 0.8(0, row 1) 0.8(1, row 2) 0.3(0); steps 4 → k = 0, 1, 2, 3, 4.
        let g = try Metrics.cumulativeGains(scores: tieScores, labels: tieLabels, steps: 4)
        #expect(g.points.map(\.k) == [0, 1, 2, 3, 4])
        #expect(g.points.map(\.fractionOfPositives) == [0, 0.5, 0.5, 1, 1])
        #expect(g.points.last?.fractionTargeted == 1)
    }
}

@Suite("Input errors")
struct EvaluationErrorTests {
    @Test func malformedInputsThrow() throws {
        #expect(throws: EvaluationError.empty) { try Metrics.evaluate(probabilities: [], labels: []) }
        #expect(throws: EvaluationError.sizeMismatch(scores: 2, labels: 1, weights: nil)) {
            try Metrics.evaluate(probabilities: [0.1, 0.2], labels: [1])
        }
        #expect(throws: EvaluationError.sizeMismatch(scores: 2, labels: 2, weights: 3)) {
            try Metrics.rocAUC(scores: [0.1, 0.2], labels: [1, 0], weights: [1, 1, 1])
        }
        #expect(throws: EvaluationError.nonFiniteScore(index: 1, value: .infinity)) {
            try Metrics.rocAUC(scores: [0.1, .infinity], labels: [1, 0])
        }
        #expect(throws: EvaluationError.self) { try Metrics.prAUC(scores: [.nan], labels: [1]) }
        #expect(throws: EvaluationError.probabilityOutOfRange(index: 0, value: 1.5)) {
            try Metrics.evaluate(probabilities: [1.5], labels: [1])
        }
        #expect(throws: EvaluationError.invalidLabel(index: 1, value: 2)) {
            try Metrics.evaluate(probabilities: [0.1, 0.2], labels: [1, 2])
        }
        #expect(throws: EvaluationError.invalidWeight(index: 0, value: -1)) {
            try Metrics.evaluate(probabilities: [0.1], labels: [1], weights: [-1])
        }
        #expect(throws: EvaluationError.zeroTotalWeight) {
            try Metrics.evaluate(probabilities: [0.1, 0.4], labels: [1, 0], weights: [0, 0])
        }
        #expect(throws: EvaluationError.self) {
            try Metrics.cumulativeGains(scores: [0.1], labels: [1], steps: 0)
        }
        #expect(throws: EvaluationError.self) { try Metrics.topK(scores: [0.1], labels: [1], fraction: 0) }
    }

    @Test func descriptionsNameTheProblem() {
        #expect(EvaluationError.invalidLabel(index: 7, value: 3).description.contains("row 7"))
        #expect(EvaluationError.sizeMismatch(scores: 2, labels: 1, weights: nil).description.contains("2 scores"))
    }
}
