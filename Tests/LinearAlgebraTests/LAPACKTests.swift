// Checks the LAPACK Cholesky wrappers against a naive Cholesky solve, and their error reporting.
import Testing
import LinearAlgebra

/// An SPD matrix AᵀA + nI built from deterministic values.
func spdMatrix(_ n: Int) -> [Double] {
    var g = NaiveLinearAlgebra.gram(rows: n + 3, cols: n, a: wave((n + 3) * n, seed: 0.33))
    for i in 0..<n { g[i * n + i] += Double(n) }
    return g
}

@Suite("LAPACK Cholesky solves match naive Cholesky")
struct LAPACKSolveTests {
    @Test(arguments: [1, 3, 31, 120])
    func posvMatchesNaive(n: Int) throws {
        let a = spdMatrix(n), b = wave(n, seed: 0.11)
        let fast = try LAPACK.solveSPD(n: n, a: a, b: b)
        let slow = try #require(NaiveLinearAlgebra.solveSPD(n: n, a: a, b: b))
        // Well-conditioned (diagonally shifted) system: 1e-10 relative is generous.
        #expect(close(fast, slow, tolerance: 1e-10))
        // Residual check A·x ≈ b.
        var ax = [Double](repeating: 0, count: n)
        NaiveLinearAlgebra.gemv(transpose: false, rows: n, cols: n, a: a, x: fast, y: &ax)
        #expect(close(ax, b, tolerance: 1e-10))
    }

    @Test func potrfThenPotrsEqualsPosv() throws {
        let n = 17, a = spdMatrix(n), b = wave(n, seed: 0.21)
        let factor = try LAPACK.choleskyFactor(n: n, a: a)
        let naive = try #require(NaiveLinearAlgebra.choleskyUpper(n: n, a: a))
        for i in 0..<n { for j in i..<n { #expect(abs(factor[i * n + j] - naive[i * n + j]) <= 1e-12 * Double(n)) } }
        let x = try LAPACK.choleskySolve(n: n, factor: factor, b: b)
        #expect(close(x, try LAPACK.solveSPD(n: n, a: a, b: b), tolerance: 1e-12))
    }
}

@Suite("LAPACK reports non-positive-definite systems")
struct LAPACKErrorTests {
    @Test func singularMatrixThrows() {
        // Rank-1 matrix [[1,1],[1,1]] fails at the second leading minor.
        #expect(throws: LinearAlgebraError.notPositiveDefinite(routine: "dposv", order: 2)) {
            _ = try LAPACK.solveSPD(n: 2, a: [1, 1, 1, 1], b: [1, 2])
        }
        #expect(NaiveLinearAlgebra.choleskyUpper(n: 2, a: [1, 1, 1, 1]) == nil)
        #expect(throws: LinearAlgebraError.self) { _ = try LAPACK.choleskyFactor(n: 2, a: [-1, 0, 0, 1]) }
    }

    @Test func descriptionIsActionable() {
        let text = LinearAlgebraError.notPositiveDefinite(routine: "dposv", order: 3).description
        #expect(text.contains("not positive definite") && text.contains("regularisation"))
    }
}
