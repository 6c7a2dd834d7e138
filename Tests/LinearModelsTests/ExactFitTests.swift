// The logistic fit depends only on the multiset of rows: every sum is exact (fixed point) and the warm-start
// subsample is chosen by row content, so `train --distributed` with any rank count fits the single-process model
// bit for bit (the mpirun runs are in CLITests/DistributedTrainTests). On the old floating-point sums and the
// positional subsample, a permutation of the rows moved the last bits.
import Foundation
import Testing
import TestSupport
@testable import LinearModels

@Suite("Logistic fit is exact: row order does not matter")
struct ExactFitTests {
    /// The rows of `x` (`cols` wide) and `y` in the order `order`.
    static func permuted(_ data: (x: [Double], y: [Double]), cols: Int, order: [Int]) -> (x: [Double], y: [Double]) {
        (order.flatMap { data.x[($0 * cols)..<(($0 + 1) * cols)] }, order.map { data.y[$0] })
    }

    static func fingerprint(_ m: LogisticModel) -> [UInt64] {
        (m.medians + m.means + m.scales + m.coefficients + m.indicatorCoefficients
         + [m.intercept, m.report.objective, m.report.gradNorm, m.report.dataPasses, Double(m.report.iterations)]).map(\.bitPattern)
    }

    /// Row counts that are not multiples of 4 put rows in BLAS kernels' remainder paths (a test that caught `dgemv`).
    @Test(arguments: [(3001, LogisticConfig.Solver.newton), (3001, .owlqn), (140_003, .newton)])
    func permutationGivesTheSameModel(rows: Int, solver: LogisticConfig.Solver) throws {
        let cols = 5
        var data = plantedData(rows: rows, weights: [1.5, -1, 0.4, 0, 0.2], nanRate: 0.08, seed: 5)
        for i in stride(from: 0, to: rows, by: 97) { data.x[i * cols + 3] *= 1e4 }  // a heavy tail
        let config = LogisticConfig(penalty: solver == .owlqn ? .elasticNet(alpha: 0.01, l1Ratio: 0.5) : .l2(lambda: 1e-3),
                                    solver: solver)
        let reversed = Self.permuted((data.x, data.y), cols: cols, order: Array((0..<rows).reversed()))
        var g = SystemRandomNumberGenerator()
        let shuffled = Self.permuted((data.x, data.y), cols: cols, order: Array(0..<rows).shuffled(using: &g))
        let a = try LogisticRegression.fit(x: data.x, rows: rows, cols: cols, y: data.y, config: config)
        let b = try LogisticRegression.fit(x: reversed.x, rows: rows, cols: cols, y: reversed.y, config: config)
        let c = try LogisticRegression.fit(x: shuffled.x, rows: rows, cols: cols, y: shuffled.y, config: config)
        #expect(a.report.converged)
        if rows >= 2 * LogisticRegression.subsampleRows { #expect(a.report.dataPasses < 10, "the warm start ran") }
        #expect(Self.fingerprint(a) == Self.fingerprint(b), "reversed rows changed the model")
        #expect(Self.fingerprint(a) == Self.fingerprint(c), "shuffled rows changed the model")
    }

    /// Balanced class weights and sample weights go through the same exact totals.
    @Test func weightedPermutationGivesTheSameModel() throws {
        let rows = 2501, cols = 4
        let data = plantedData(rows: rows, weights: [1, -1, 0.5, 0], nanRate: 0.05, seed: 9)
        let weights = (0..<rows).map { 0.1 + Double(($0 * 7919) % 13) / 3 }
        let order = Array((0..<rows).reversed())
        let p = Self.permuted((data.x, data.y), cols: cols, order: order)
        let config = LogisticConfig(classWeight: .balanced)
        let a = try LogisticRegression.fit(x: data.x, rows: rows, cols: cols, y: data.y, sampleWeights: weights, config: config)
        let b = try LogisticRegression.fit(x: p.x, rows: rows, cols: cols, y: p.y, sampleWeights: order.map { weights[$0] },
                                           config: config)
        #expect(Self.fingerprint(a) == Self.fingerprint(b))
    }
}

@Suite("The exact Hessian's split rounds as Double.rounded()")
struct RoundHalfAwayTests {
    /// Ties (±0.5, ±2.5), values next to them, zeros, and magnitudes past 2^52 where every double is an integer.
    @Test func matchesRounded() {
        var values: [Double] = [0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994,
                                4_503_599_627_370_495.5, -4_503_599_627_370_495.5, 0x1p52, 0x1p53 + 2, -0x1p60, 1e300]
        var g = SplitMix64(seed: 7)
        for _ in 0..<10_000 { values.append((Double(g.next() % 2_000_001) - 1_000_000) / 4 + Double(g.next() % 1000) * 1e-9) }
        for v in values {
            #expect(LogisticObjective.roundHalfAway(v).bitPattern == v.rounded().bitPattern, "\(v)")
        }
    }
}
