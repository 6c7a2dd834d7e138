// Uplift ranking measures against scikit-uplift's own figures on seeded data with tied scores (the reference
// rows are printed by bench/measure/reference_uplift.py, which redraws the same data), plus hand-checked curves.
import Foundation
import Testing
import TestSupport
@testable import Evaluation

@Suite("Uplift curves, Qini coefficient, AUUC, uplift at k")
struct UpliftCurvesTests {
    /// (seed, rows, score levels, signal, qini_auc_score, uplift_auc_score, uplift_at_k overall at 10/20/30%).
    static let references: [(UInt64, Int, Double, Double, Double, Double, [Double])] = [
        (1, 400, 20, 0.4, 0.060217308390311065, 0.08885225982743046, [0.42966751918158574, 0.21118793211816467, 0.3408521303258146]),
        (2, 1000, 7, 0.0, 0.011807420484404332, 0.01050479179696174, [0.1797979797979798, 0.10569512561305172, 0.033333333333333326]),
        (3, 150, 1000, 0.6, 0.11549607086656438, 0.1849809125406062, [0.3333333333333333, 0.35746606334841635, 0.31]),
        (4, 60, 3, -0.3, -0.22915885204713535, -0.1494630832655316, [-0.6666666666666666, -0.2857142857142857, -0.4]),
    ]

    /// The draw bench/measure/reference_uplift.py reproduces.
    static func draw(seed: UInt64, rows: Int, levels: Double, signal: Double) -> (y: [Double], score: [Double], treated: [Bool]) {
        var g = SplitMix64(seed: seed)
        var y: [Double] = [], s: [Double] = [], t: [Bool] = []
        for _ in 0..<rows {
            let u1 = g.uniform(), u2 = g.uniform(), u3 = g.uniform()
            let treated = u1 < 0.5
            let score = (u2 * levels).rounded(.toNearestOrEven) / levels
            t.append(treated); s.append(score)
            y.append(u3 < 0.3 + signal * score * (treated ? 1 : 0) ? 1 : 0)
        }
        return (y, s, t)
    }

    @Test("the Qini coefficient, AUUC and uplift at 10/20/30% equal scikit-uplift's")
    func matchesScikitUplift() throws {
        for (seed, rows, levels, signal, qini, auuc, atK) in Self.references {
            let d = Self.draw(seed: seed, rows: rows, levels: levels, signal: signal)
            let m = try UpliftMetrics(outcomes: d.y, uplift: d.score, treated: d.treated)
            #expect(abs(try #require(m.qiniCoefficient) - qini) < 1e-12, "seed \(seed): Qini \(String(describing: m.qiniCoefficient))")
            #expect(abs(try #require(m.auuc) - auuc) < 1e-12, "seed \(seed): AUUC \(String(describing: m.auuc))")
            for (k, expected) in zip(m.upliftAtK, atK) {
                #expect(abs(try #require(k.uplift) - expected) < 1e-12, "seed \(seed): uplift at \(k.share)")
            }
        }
    }

    @Test("a hand-checked Qini curve: points at the end of tied groups, the control scaled to the treated count")
    func handCurve() throws {
        // Ranked: [0.9 T y1], [0.5 C y1, 0.5 T y0] (tied), [0.1 C y0].
        let c = try UpliftCurves.qini(outcomes: [1, 1, 0, 0], uplift: [0.9, 0.5, 0.5, 0.1], treated: [true, false, true, false])
        #expect(c.x == [0, 1, 3, 4])
        // k=1: R_T 1, no control → 1. k=3: R_T 1 − R_C 1 · N_T 2 / N_C 1 = −1. k=4: 1 − 1 · 2/2 = 0.
        #expect(c.y == [0, 1, -1, 0])
    }

    @Test("the perfect ranking scores 1, its reverse scores below 0; undefined without both arms")
    func bounds() throws {
        let d = Self.draw(seed: 9, rows: 300, levels: 50, signal: 0.5)
        let perfect = zip(d.y, d.treated).map { y, t in t ? y : -y }
        #expect(abs(try #require(try UpliftCurves.qiniCoefficient(outcomes: d.y, uplift: perfect, treated: d.treated)) - 1) < 1e-12)
        #expect(try #require(try UpliftCurves.qiniCoefficient(outcomes: d.y, uplift: perfect.map { -$0 }, treated: d.treated)) < 0)
        #expect(try UpliftCurves.qiniCoefficient(outcomes: [1, 0], uplift: [0.2, 0.1], treated: [true, true]) == nil)
        #expect(throws: EvaluationError.invalidLabel(index: 1, value: 2)) {
            try UpliftCurves.qini(outcomes: [1, 2], uplift: [0.2, 0.1], treated: [true, false])
        }
    }
}
