// Treated-vs-control rate comparison: Newcombe's interval against the paper's own worked examples and an
// independent implementation (statsmodels), the p-value against scipy's χ² test, and the sample-ratio check.
// The reference rows are printed by bench/measure/reference_rates.py.
import Foundation
import Testing
@testable import Evaluation

@Suite("Treated vs control retention rates")
struct RateComparisonTests {
    /// (treated retained, treated, control retained, control, interval lower, upper, Pearson p).
    static let references: [(Int, Int, Int, Int, Double, Double, Double)] = [
        (56, 70, 48, 80, 0.052431472402, 0.333872654037, 0.0080450813682),
        (9, 10, 3, 10, 0.170522723935, 0.809017973535, 0.00616989932054),
        (6, 7, 2, 7, 0.058227927482, 0.806249637524, 0.0307535612593),
        (5, 56, 0, 29, -0.038137147904, 0.192560013855, 0.0971865681706),
        (10, 10, 0, 20, 0.679086037142, 1.000000000000, 4.32046305783e-08),
        (412, 3600, 35, 400, -0.006350619507, 0.053188542076, 0.104660844499),
    ]

    @Test("Newcombe's interval and the p-value match statsmodels and scipy")
    func matchesReferences() throws {
        for (a, n1, b, n2, lower, upper, p) in Self.references {
            let r = try #require(RateComparison(treated: n1, treatedSuccesses: a, control: n2, controlSuccesses: b))
            #expect(abs(r.differenceLower - lower) < 1e-9, "\(a)/\(n1) vs \(b)/\(n2): lower \(r.differenceLower)")
            #expect(abs(r.differenceUpper - upper) < 1e-9, "\(a)/\(n1) vs \(b)/\(n2): upper \(r.differenceUpper)")
            #expect(abs(r.pValue - p) <= 1e-9 * max(1, p) + 1e-15, "\(a)/\(n1) vs \(b)/\(n2): p \(r.pValue)")
            #expect(abs(r.difference - (Double(a) / Double(n1) - Double(b) / Double(n2))) < 1e-15)
        }
    }

    @Test("reproduces Newcombe (1998) Table II, method 10, examples (a) and (b) to the printed digits")
    func paperExamples() throws {
        let a = try #require(RateComparison(treated: 70, treatedSuccesses: 56, control: 80, controlSuccesses: 48))
        #expect((a.differenceLower * 1e4).rounded() == 524 && (a.differenceUpper * 1e4).rounded() == 3339)
        let b = try #require(RateComparison(treated: 10, treatedSuccesses: 9, control: 10, controlSuccesses: 3))
        #expect((b.differenceLower * 1e4).rounded() == 1705 && (b.differenceUpper * 1e4).rounded() == 8090)
    }

    @Test("edge cases: empty arms give nil, degenerate tables p = 1, relative lift needs a control rate")
    func edges() throws {
        #expect(RateComparison(treated: 0, treatedSuccesses: 0, control: 5, controlSuccesses: 1) == nil)
        #expect(RateComparison(treated: 5, treatedSuccesses: 1, control: 0, controlSuccesses: 0) == nil)
        let none = try #require(RateComparison(treated: 10, treatedSuccesses: 0, control: 20, controlSuccesses: 0))
        #expect(none.pValue == 1 && none.relativeLift == nil && none.differenceLower < 0 && none.differenceUpper > 0)
        let some = try #require(RateComparison(treated: 100, treatedSuccesses: 30, control: 100, controlSuccesses: 20))
        #expect(abs(try #require(some.relativeLift) - 0.5) < 1e-12)
    }

    @Test("Wilson's interval matches statsmodels' proportion_confint(method='wilson') and contains the rate")
    func wilson() throws {
        let w = try #require(WilsonInterval(successes: 3, trials: 10))
        #expect(abs(w.lower - 0.10779126740630104) < 1e-12 && abs(w.upper - 0.6032218525388546) < 1e-12)
        for n in [1, 2, 7, 50] {
            for x in 0...n {
                let i = try #require(WilsonInterval(successes: x, trials: n))
                #expect(i.lower <= i.rate && i.rate <= i.upper && i.lower >= 0 && i.upper <= 1)
            }
        }
        #expect(WilsonInterval(successes: 0, trials: 0) == nil)
    }

    /// (treated, control, declared control share, χ², p) from scipy.stats.chisquare.
    static let sampleRatio: [(Int, Int, Double, Double, Double)] = [
        (4950, 500, 0.1, 4.12844036697, 0.0421681970972),
        (9000, 1200, 0.1, 35.2941176471, 2.83486993049e-09),
        (450, 50, 0.1, 0, 1),
    ]

    @Test("the sample-ratio check matches scipy's goodness-of-fit test and alarms below p = 0.001")
    func sampleRatioCheck() throws {
        for (t, c, share, chi, p) in Self.sampleRatio {
            let s = try #require(SampleRatioCheck(treated: t, control: c, declaredControlShare: share))
            #expect(abs(s.chiSquared - chi) < 1e-9 * max(1, chi), "χ² \(s.chiSquared)")
            #expect(abs(s.pValue - p) <= 1e-9 * p + 1e-15, "p \(s.pValue)")
            #expect(s.mismatch == (p < 0.001))
        }
        #expect(SampleRatioCheck(treated: 5, control: 5, declaredControlShare: 0) == nil)
        #expect(SampleRatioCheck(treated: 0, control: 0, declaredControlShare: 0.1) == nil)
    }
}
