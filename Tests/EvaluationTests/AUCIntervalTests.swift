// DeLong's interval on ROC AUC: hand-computed small examples (with ties), the O(m·n) definition on random
// tied data, and the properties a reader relies on (contains the estimate, narrows with more rows).
import Foundation
import Testing
@testable import Evaluation

@Suite("DeLong AUC interval")
struct AUCIntervalTests {
    static let z95 = 1.959963984540054

    @Test("matches a hand-computed example with a tie")
    func handExample() throws {
        // Positives {.9, .8, .7, .55, .4}, negatives {.6, .5, .4, .3, .2, .1} (m = 5, n = 6); the .4 pair ties.
        // AUC = 53/60. V₁₀ (share of negatives each positive beats) = 1, 1, 1, 5/6, 7/12;
        // V₀₁ (share of positives above each negative) = 3/5, 4/5, 9/10, 1, 1, 1.
        // S₁₀ = Σ(V₁₀ − AUC)²/(m−1) = (3·7² + 3² + 18²)/60²/4 = 1/30; S₀₁ = (17² + 5² + 1 + 3·7²)/60²/5 = 462/18000.
        // Var = S₁₀/m + S₀₁/n = 197/18000.
        let scores = [0.9, 0.8, 0.7, 0.55, 0.4, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]
        let labels: [Double] = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
        let ci = try #require(try AUCInterval.delong(scores: scores, labels: labels))
        #expect(abs(ci.auc - 53.0 / 60) < 1e-12)
        #expect(abs(ci.standardError - (197.0 / 18000).squareRoot()) < 1e-12)
        #expect(abs(ci.lower - (53.0 / 60 - Self.z95 * (197.0 / 18000).squareRoot())) < 1e-9)
        #expect(ci.upper == 1, "the upper end is clipped to 1")
        #expect(ci.level == 0.95 && AUCInterval.method == "DeLong")
    }

    @Test("matches a second hand-computed example with tied groups in both classes")
    func handExampleTiedGroups() throws {
        // Positives {.8, .6, .6, .3}, negatives {.7, .6, .4, .2, .2}: AUC 7/10;
        // V₁₀ = 1, .7, .7, .4 → S₁₀ = .18/3; V₀₁ = .25, .5, .75, 1, 1 → S₀₁ = .425/4; Var = .015 + .02125 = 29/800.
        let scores = [0.8, 0.6, 0.6, 0.3, 0.7, 0.6, 0.4, 0.2, 0.2]
        let labels: [Double] = [1, 1, 1, 1, 0, 0, 0, 0, 0]
        let ci = try #require(try AUCInterval.delong(scores: scores, labels: labels))
        #expect(abs(ci.auc - 0.7) < 1e-12)
        #expect(abs(ci.standardError * ci.standardError - 29.0 / 800) < 1e-12)
        #expect(abs(ci.lower - 0.32683397495194977) < 1e-9)
    }

    /// DeLong's variance straight from its definition: every positive/negative pair, O(m·n).
    static func pairwiseVariance(_ s: [Double], _ y: [Double]) -> (auc: Double, variance: Double) {
        let pos = s.indices.filter { y[$0] == 1 }.map { s[$0] }, neg = s.indices.filter { y[$0] == 0 }.map { s[$0] }
        func psi(_ a: Double, _ b: Double) -> Double { a > b ? 1 : a == b ? 0.5 : 0 }
        let m = Double(pos.count), n = Double(neg.count)
        let v10 = pos.map { x in neg.reduce(0) { $0 + psi(x, $1) } / n }
        let v01 = neg.map { b in pos.reduce(0) { $0 + psi($1, b) } / m }
        let auc = v10.reduce(0, +) / m
        let s10 = v10.reduce(0) { $0 + ($1 - auc) * ($1 - auc) } / (m - 1)
        let s01 = v01.reduce(0) { $0 + ($1 - auc) * ($1 - auc) } / (n - 1)
        return (auc, s10 / m + s01 / n)
    }

    @Test("equals the pairwise definition on random data with many ties")
    func matchesDefinition() throws {
        var rng = LCG(seed: 12)
        for _ in 0..<20 {
            let rows = 30 + Int(rng.uniform() * 200)
            let labels = (0..<rows).map { _ in rng.uniform() < 0.3 ? 1.0 : 0.0 }
            // Scores on a coarse grid so ties are common, shifted up for positives.
            let scores = labels.map { y in (Double(Int(rng.uniform() * 10 + y * 3)) / 13).rounded(toPlaces: 3) }
            guard let ci = try AUCInterval.delong(scores: scores, labels: labels) else { continue }
            let reference = Self.pairwiseVariance(scores, labels)
            #expect(abs(ci.auc - reference.auc) < 1e-12)
            #expect(abs(ci.standardError * ci.standardError - reference.variance) < 1e-12)
            #expect(ci.auc == (try Metrics.rocAUC(scores: scores, labels: labels)))
        }
    }

    static func sample(rows: Int, seed: UInt64) -> (scores: [Double], labels: [Double]) {
        var rng = LCG(seed: seed)
        let labels = (0..<rows).map { _ in rng.uniform() < 0.25 ? 1.0 : 0.0 }
        let scores = labels.map { 1 / (1 + exp(-(rng.normal() + $0))) }
        return (scores, labels)
    }

    @Test("contains the point estimate and narrows as the rows grow")
    func containsAndShrinks() throws {
        var widths: [Double] = []
        for rows in [100, 400, 1600, 6400] {
            let (s, y) = Self.sample(rows: rows, seed: 5)
            let ci = try #require(try AUCInterval.delong(scores: s, labels: y))
            #expect(ci.lower <= ci.auc && ci.auc <= ci.upper)
            widths.append(ci.upper - ci.lower)
        }
        #expect(zip(widths, widths.dropFirst()).allSatisfy { $0 > $1 }, "widths \(widths)")
        // Four times the rows, about half the width (SE ∝ 1/√n).
        #expect(widths[3] / widths[1] > 0.15 && widths[3] / widths[1] < 0.35, "widths \(widths)")
    }

    @Test("a wider level gives a wider interval; undefined with fewer than two of a class")
    func levelsAndUndefined() throws {
        let (s, y) = Self.sample(rows: 300, seed: 9)
        let ci90 = try #require(try AUCInterval.delong(scores: s, labels: y, level: 0.90))
        let ci99 = try #require(try AUCInterval.delong(scores: s, labels: y, level: 0.99))
        #expect(ci99.upper - ci99.lower > ci90.upper - ci90.lower)
        #expect(abs(StandardNormal.quantile(0.975) - Self.z95) < 1e-12)
        #expect(try AUCInterval.delong(scores: [0.1, 0.4, 0.3], labels: [1, 0, 0]) == nil)
        #expect(try AUCInterval.delong(scores: [0.1, 0.4], labels: [1, 1]) == nil)
        #expect(throws: EvaluationError.self) { try AUCInterval.delong(scores: [0.1, 0.4], labels: [1, 0], level: 1) }
    }
}

/// Knuth's MMIX linear congruential generator: deterministic draws without a test-support dependency.
private struct LCG {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func uniform() -> Double {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) * 0x1p-53
    }
    /// Standard normal (Box–Muller).
    mutating func normal() -> Double { (-2 * log(1 - uniform())).squareRoot() * cos(2 * .pi * uniform()) }
}

private extension Double {
    func rounded(toPlaces k: Int) -> Double { let f = pow(10, Double(k)); return (self * f).rounded() / f }
}
