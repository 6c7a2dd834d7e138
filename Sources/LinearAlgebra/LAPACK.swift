// Thin Swift wrappers over the LAPACKE Cholesky routines (dposv, dpotrf, dpotrs), row-major.
import CTenureBLAS

/// Cholesky-based solvers for symmetric positive-definite systems. Only the upper triangle of `a` is read.
public enum LAPACK {
    private static let upper = CChar(UInt8(ascii: "U"))

    /// Solves A·X = B in place (A n×n SPD, B n×nrhs row-major): on return `b` holds X and the upper
    /// triangle of `a` holds the Cholesky factor U (A = UᵀU). O(n³/3 + n²·nrhs).
    public static func posv(
        n: Int, nrhs: Int = 1, a: UnsafeMutableBufferPointer<Double>, b: UnsafeMutableBufferPointer<Double>
    ) throws(LinearAlgebraError) {
        precondition(a.count >= n * n && b.count >= n * nrhs, "posv: buffer too small")
        guard n > 0, let ab = a.baseAddress, let bb = b.baseAddress else { return }
        let info = LAPACKE_dposv(LAPACK_ROW_MAJOR, upper, Int32(n), Int32(nrhs), ab, Int32(n), bb, Int32(nrhs))
        if let error = LinearAlgebraError.from(info: info, routine: "dposv") { throw error }
    }

    /// Factorises A = UᵀU in place (upper triangle). O(n³/3).
    public static func potrf(n: Int, a: UnsafeMutableBufferPointer<Double>) throws(LinearAlgebraError) {
        precondition(a.count >= n * n, "potrf: buffer too small")
        guard n > 0, let ab = a.baseAddress else { return }
        let info = LAPACKE_dpotrf(LAPACK_ROW_MAJOR, upper, Int32(n), ab, Int32(n))
        if let error = LinearAlgebraError.from(info: info, routine: "dpotrf") { throw error }
    }

    /// Solves A·X = B given the factor from `potrf`. O(n²·nrhs).
    public static func potrs(
        n: Int, nrhs: Int = 1, factor: UnsafeBufferPointer<Double>, b: UnsafeMutableBufferPointer<Double>
    ) throws(LinearAlgebraError) {
        precondition(factor.count >= n * n && b.count >= n * nrhs, "potrs: buffer too small")
        guard n > 0, let fb = factor.baseAddress, let bb = b.baseAddress else { return }
        let info = LAPACKE_dpotrs(LAPACK_ROW_MAJOR, upper, Int32(n), Int32(nrhs), fb, Int32(n), bb, Int32(nrhs))
        if let error = LinearAlgebraError.from(info: info, routine: "dpotrs") { throw error }
    }

    // MARK: Array conveniences

    /// Solves A·x = b for SPD A (n×n, row-major); returns x. `a` is not modified.
    public static func solveSPD(n: Int, a: [Double], b: [Double]) throws(LinearAlgebraError) -> [Double] {
        var factor = a
        var x = b
        let result: Result<Void, LinearAlgebraError> = factor.withUnsafeMutableBufferPointer { fp in
            x.withUnsafeMutableBufferPointer { xp in
                do throws(LinearAlgebraError) { try posv(n: n, nrhs: b.count / max(n, 1), a: fp, b: xp) }
                catch { return .failure(error) }
                return .success(())
            }
        }
        try result.get()
        return x
    }

    /// Cholesky factor (upper triangle, row-major; lower triangle left as in `a`).
    public static func choleskyFactor(n: Int, a: [Double]) throws(LinearAlgebraError) -> [Double] {
        var factor = a
        let result: Result<Void, LinearAlgebraError> = factor.withUnsafeMutableBufferPointer { fp in
            do throws(LinearAlgebraError) { try potrf(n: n, a: fp) } catch { return .failure(error) }
            return .success(())
        }
        try result.get()
        return factor
    }

    /// Solves with a factor from `choleskyFactor`.
    public static func choleskySolve(n: Int, factor: [Double], b: [Double]) throws(LinearAlgebraError) -> [Double] {
        var x = b
        let result: Result<Void, LinearAlgebraError> = factor.withUnsafeBufferPointer { fp in
            x.withUnsafeMutableBufferPointer { xp in
                do throws(LinearAlgebraError) { try potrs(n: n, nrhs: b.count / max(n, 1), factor: fp, b: xp) }
                catch { return .failure(error) }
                return .success(())
            }
        }
        try result.get()
        return x
    }
}
