// Plain-Swift reference implementations of the BLAS/LAPACK wrappers, used by tests as ground truth.

/// Straightforward loops mirroring `BLAS` and `LAPACK` semantics (row-major). Slow; for verification only.
public enum NaiveLinearAlgebra {
    public static func dot(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count)
        var s = 0.0
        for i in 0..<x.count { s += x[i] * y[i] }
        return s
    }

    public static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
        precondition(x.count == y.count)
        for i in 0..<x.count { y[i] += alpha * x[i] }
    }

    /// y ← α·op(A)·x + β·y.
    public static func gemv(
        transpose: Bool, rows: Int, cols: Int, alpha: Double = 1, a: [Double], x: [Double],
        beta: Double = 0, y: inout [Double]
    ) {
        let outCount = transpose ? cols : rows
        var out = [Double](repeating: 0, count: outCount)
        for i in 0..<rows {
            for j in 0..<cols {
                if transpose { out[j] += a[i * cols + j] * x[i] } else { out[i] += a[i * cols + j] * x[j] }
            }
        }
        for k in 0..<outCount { y[k] = alpha * out[k] + (beta == 0 ? 0 : beta * y[k]) }
    }

    /// αAᵀA, both triangles.
    public static func gram(rows: Int, cols: Int, alpha: Double = 1, a: [Double]) -> [Double] {
        var c = [Double](repeating: 0, count: cols * cols)
        for i in 0..<rows {
            for j in 0..<cols {
                for k in 0..<cols { c[j * cols + k] += alpha * a[i * cols + j] * a[i * cols + k] }
            }
        }
        return c
    }

    /// Cholesky–Banachiewicz: returns the upper factor U (A = UᵀU) with zeros below the diagonal, or
    /// `nil` when A is not positive definite.
    public static func choleskyUpper(n: Int, a: [Double]) -> [Double]? {
        var u = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in i..<n {
                var s = a[i * n + j]
                for k in 0..<i { s -= u[k * n + i] * u[k * n + j] }
                if i == j {
                    guard s > 0 else { return nil }
                    u[i * n + i] = s.squareRoot()
                } else {
                    u[i * n + j] = s / u[i * n + i]
                }
            }
        }
        return u
    }

    /// Solves A·x = b for SPD A via `choleskyUpper` and two triangular solves.
    public static func solveSPD(n: Int, a: [Double], b: [Double]) -> [Double]? {
        guard let u = choleskyUpper(n: n, a: a) else { return nil }
        var z = [Double](repeating: 0, count: n)  // Uᵀz = b
        for i in 0..<n {
            var s = b[i]
            for k in 0..<i { s -= u[k * n + i] * z[k] }
            z[i] = s / u[i * n + i]
        }
        var x = [Double](repeating: 0, count: n)  // Ux = z
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = z[i]
            for k in (i + 1)..<n { s -= u[i * n + k] * x[k] }
            x[i] = s / u[i * n + i]
        }
        return x
    }
}
