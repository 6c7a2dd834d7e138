// Tests of PopulationStability.psi: zero for identical samples, a hand-computed shifted case, NaN bin.
import Foundation
import Testing
@testable import Evaluation

@Suite("Population stability index")
struct PopulationStabilityTests {
    @Test func identicalSamplesGiveZero() throws {
        let x = (0..<100).map { Double($0 % 37) * 0.5 }
        #expect(try PopulationStability.psi(expected: x, actual: x, bins: 10) == 0)
    }

    @Test func handComputedShift() throws {
        // expected 0…9, 5 bins → cuts x(2)=2, x(4)=4, x(6)=6, x(8)=8: five bins of 0.2 each.
        // actual: five 0s and five 9s → fractions 0.5, 0, 0, 0, 0.5 (empty bins raised to ε = 1e-4).
        // PSI = 2·(0.5−0.2)·ln(0.5/0.2) + 3·(1e-4−0.2)·ln(1e-4/0.2) = 5.108035644111881
        // (value evaluated with Python's math module).
        let expected = (0..<10).map(Double.init)
        let actual: [Double] = [0, 0, 0, 0, 0, 9, 9, 9, 9, 9]
        let psi = try PopulationStability.psi(expected: expected, actual: actual, bins: 5)
        #expect(abs(psi - 5.108035644111881) < 1e-9)
    }

    @Test func missingValuesHaveTheirOwnBin() throws {
        // Same non-missing distribution; actual has 50% NaN vs 0% expected.
        let expected = (0..<10).map(Double.init)
        let actual = expected + [Double](repeating: .nan, count: 10)
        let psi = try PopulationStability.psi(expected: expected, actual: actual, bins: 5)
        // Each of 5 bins: e=0.2, a=0.1 → (−0.1)·ln(0.5); NaN bin: e=ε, a=0.5 → (0.5−1e-4)·ln(0.5/1e-4)
        let want = 5 * (-0.1) * log(0.5) + (0.5 - 1e-4) * log(0.5 / 1e-4)
        #expect(abs(psi - want) < 1e-12)
    }

    @Test func smallShiftIsSmall() throws {
        let expected = (0..<1000).map { Double($0) / 1000 }
        let actual = expected.map { $0 + 0.01 }
        let psi = try PopulationStability.psi(expected: expected, actual: actual)
        #expect(psi > 0 && psi < 0.05)
    }

    @Test func badInputThrows() {
        #expect(throws: EvaluationError.empty) { try PopulationStability.psi(expected: [], actual: [1]) }
        #expect(throws: EvaluationError.self) { try PopulationStability.psi(expected: [1], actual: [1], bins: 0) }
    }
}

@Suite("Reference PSI over a whole table")
struct ReferenceTablePSITests {
    /// Deterministic pseudo-random values with ties, NaNs and a constant column.
    static func table(rows: Int, width: Int, shift: Double, seed: UInt64) -> [Double] {
        var state = seed
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) * 0x1p-53
        }
        var x = [Double](repeating: 0, count: rows * width)
        for r in 0..<rows {
            for c in 0..<width {
                let u = next()
                x[r * width + c] = c == 1 ? 3 : (u < 0.1 ? .nan : (c == 2 ? (u * 5).rounded(.down) : u + shift * Double(c)))
            }
        }
        return x
    }

    @Test("one pass equals each column's PSI exactly; absent columns give NaN", arguments: [1, 9_999, 50_001])
    func matchesPerColumn(rows: Int) throws {
        let width = 5
        let names = (0..<width).map { "f\($0)" }
        let train = Self.table(rows: 4000, width: width, shift: 0, seed: 1)
        let ref = ReferenceDistribution(names: names, x: train, rows: 4000, probabilities: [Double](repeating: 0.5, count: 4000))
        let tonight = Self.table(rows: rows, width: width, shift: 0.3, seed: UInt64(rows))
        // Tonight's table has the columns in another order and lacks f4.
        let order = [3, 0, 2, 1]
        var x = [Double](repeating: 0, count: rows * order.count)
        for r in 0..<rows { for (k, c) in order.enumerated() { x[r * order.count + k] = tonight[r * width + c] } }
        let columns: [Int?] = names.indices.map { j in order.firstIndex(of: j) }
        for threads in [1, 2, 3] {
            let psi = ref.psi(x: x, rows: rows, width: order.count, columns: columns, threads: threads)
            for j in 0..<width {
                guard let c = columns[j] else { #expect(psi[j].isNaN); continue }
                let column = (0..<rows).map { x[$0 * order.count + c] }
                #expect(psi[j] == (try ref.features[j].psi(actual: column)), "feature \(j), \(threads) threads")
            }
        }
        // The shifted columns did move, so the comparison is not between zeros.
        #expect(ref.psi(x: x, rows: rows, width: order.count, columns: columns, threads: 2)[3] > 0.1 || rows == 1)
    }
}
