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

@Suite("The exact sums' rounding matches Double.rounded(.toNearestOrEven)")
struct NearestIntegerTests {
    /// Ties (±0.5, ±2.5), values next to them, zeros, and magnitudes up to just under 2^51.
    static func values() -> [Double] {
        var values: [Double] = [0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, -0.49999999999999994,
                                1_125_899_906_842_623.5, -1_125_899_906_842_623.5, 0x1p51 - 0.5, -(0x1p51 - 0.5), 0x1p50]
        var g = SplitMix64(seed: 7)
        for _ in 0..<10_000 { values.append((Double(g.next() % 2_000_001) - 1_000_000) / 4 + Double(g.next() % 1000) * 1e-9) }
        for _ in 0..<10_000 { values.append(Double(bitPattern: g.next() >> 12 | 0x4320_0000_0000_0000) - 0x1p51 * 1.5) }
        return values
    }

    @Test func nearestMatchesRounded() {
        for v in Self.values() {
            let expected = v.rounded(.toNearestOrEven)
            #expect(ExactSum.nearest(v) == expected, "\(v)")
            #expect(ExactSum.nearestInteger(v) == Int64(expected), "\(v)")
            #expect(ExactSum.term(v) == Int64(expected), "\(v)")
        }
    }

    /// Past 2^51 a term is clamped to ±2^62 and NaN counts 0, so a sum that met one stays defined.
    @Test func termClampsWhatNearestCannotRound() {
        #expect(ExactSum.term(0x1p51) == 1 << 62)
        #expect(ExactSum.term(-.infinity) == -(1 << 62))
        #expect(ExactSum.term(.nan) == 0)
    }
}

@Suite("Gradient block sums: the 64-bit block path and the term-by-term path agree")
struct GradientBlockTests {
    /// Residuals within the bound take the block path; a bound below every residual forces the term-by-term path
    /// a block with a NaN takes. Both must give the same integers, or the sums would depend on how rows fall
    /// into blocks.
    @Test func pathsAgree() {
        let rows = 512, q = 7
        var g = SplitMix64(seed: 11)
        func uniform() -> Double { Double(g.next() >> 11) * 0x1p-53 }
        let bound = 1.0 / Double(rows)
        var residual = (0..<rows).map { _ in (uniform() * 2 - 1) * bound }
        var z = (0..<(rows * q)).map { _ in (uniform() * 2 - 1) * 3 }
        let scales = (0..<q).map { _ in ExactSum.scale(bound: 1.01 * 3 * bound, bits: ExactSum.nearestBits) }
        var block = [Int64](repeating: 0, count: q)
        func sums(_ limit: Double) -> [Int128] {
            var out = [Int128](repeating: 0, count: q)
            residual.withUnsafeMutableBufferPointer { r in
                z.withUnsafeMutableBufferPointer { zb in
                    scales.withUnsafeBufferPointer { s in
                        block.withUnsafeMutableBufferPointer { b in
                            out.withUnsafeMutableBufferPointer { o in
                                LogisticObjective.addGradient(rows: rows, q: q, residual: r, residualBound: limit, z: zb,
                                                              scales: s, block: b, into: o)
                            }
                        }
                    }
                }
            }
            return out
        }
        let fast = sums(bound), slow = sums(-1)
        #expect(fast == slow)
        #expect(fast.contains { $0 != 0 })
        // A NaN residual sends its block term by term: its terms count 0, the other rows' are unchanged.
        residual[5] = .nan
        let withNaN = sums(bound)
        residual[5] = 0
        #expect(withNaN == sums(bound))
    }
}
