// Thin Swift wrappers over the CBLAS routines Tenure uses (row-major layout throughout).
// Each has a plain-Swift twin in `NaiveLinearAlgebra` that the tests compare against.
import CTenureBLAS

/// Level 1-3 BLAS wrappers. All matrices are dense, row-major, with leading dimension = column count.
///
/// Pointer variants are for hot loops (no allocation, no copies); the array variants are conveniences.
public enum BLAS {
    /// Sets OpenBLAS's worker-thread count. Call `setThreads(1)` inside `concurrentPerform` workers that
    /// call BLAS themselves, so the two layers of parallelism do not oversubscribe the cores.
    /// The setting is process-global.
    public static func setThreads(_ count: Int) {
        precondition(count >= 1, "BLAS thread count must be at least 1")
        tenure_blas_set_threads(Int32(clamping: count))
    }

    /// The kernels OpenBLAS runs, e.g. "SkylakeX", or "Prescott", its SSE3 fallback for a CPU it does not know.
    public static var kernel: String { String(cString: tenure_blas_kernel()) }

    /// When OpenBLAS fell back to SSE3 kernels for a CPU model it does not know, chooses kernels by the CPU's
    /// features instead (AVX-512: SkylakeX, AVX2 + FMA: Haswell), unless `OPENBLAS_CORETYPE` is set. It sets that
    /// variable, which is not safe beside other threads: a program calls it first thing (the `tenure` command
    /// does), never a library.
    public static func chooseKernelForThisCPU() { tenure_blas_choose_kernel() }

    /// Returns xᵀy. O(n).
    public static func dot(_ x: UnsafeBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>) -> Double {
        precondition(x.count == y.count, "dot: length mismatch")
        guard let xb = x.baseAddress, let yb = y.baseAddress else { return 0 }
        return cblas_ddot(Int32(x.count), xb, 1, yb, 1)
    }

    /// y ← αx + y. O(n).
    public static func axpy(_ alpha: Double, _ x: UnsafeBufferPointer<Double>, _ y: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count == y.count, "axpy: length mismatch")
        guard let xb = x.baseAddress, let yb = y.baseAddress else { return }
        cblas_daxpy(Int32(x.count), alpha, xb, 1, yb, 1)
    }

    /// y ← α·op(A)·x + β·y with A `rows`×`cols` row-major; op(A) = Aᵀ when `transpose`. O(rows·cols).
    public static func gemv(
        transpose: Bool, rows: Int, cols: Int, alpha: Double,
        a: UnsafeBufferPointer<Double>, x: UnsafeBufferPointer<Double>,
        beta: Double, y: UnsafeMutableBufferPointer<Double>
    ) {
        precondition(a.count >= rows * cols, "gemv: matrix buffer too small")
        precondition(x.count == (transpose ? rows : cols), "gemv: x length mismatch")
        precondition(y.count == (transpose ? cols : rows), "gemv: y length mismatch")
        guard rows > 0, cols > 0, let ab = a.baseAddress, let xb = x.baseAddress, let yb = y.baseAddress else {
            // Empty product: y ← βy.
            for i in 0..<y.count { y[i] = beta == 0 ? 0 : beta * y[i] }
            return
        }
        cblas_dgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(rows), Int32(cols),
                    alpha, ab, Int32(cols), xb, 1, beta, yb, 1)
    }

    /// C ← α·AᵀA + β·C for A `rows`×`cols` row-major and C `cols`×`cols` (the Gram matrix, e.g. a Hessian
    /// XᵀWX after scaling rows by √wᵢ). Only the upper triangle of C is referenced and updated (as in
    /// `dsyrk`); call `symmetrizeUpper` to fill the lower one. O(rows·cols²/2) flops.
    public static func syrkGram(
        rows: Int, cols: Int, alpha: Double, a: UnsafeBufferPointer<Double>,
        beta: Double, c: UnsafeMutableBufferPointer<Double>
    ) {
        precondition(a.count >= rows * cols, "syrkGram: matrix buffer too small")
        precondition(c.count >= cols * cols, "syrkGram: output buffer too small")
        guard cols > 0, let cb = c.baseAddress else { return }
        guard rows > 0, let ab = a.baseAddress else {
            for i in 0..<cols { for j in i..<cols { cb[i * cols + j] = beta == 0 ? 0 : beta * cb[i * cols + j] } }
            return
        }
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(cols), Int32(rows),
                    alpha, ab, Int32(cols), beta, cb, Int32(cols))
    }

    /// Copies the upper triangle of the n×n row-major matrix into its lower triangle. O(n²).
    public static func symmetrizeUpper(_ c: UnsafeMutableBufferPointer<Double>, n: Int) {
        precondition(c.count >= n * n)
        for i in 0..<n { for j in 0..<i { c[i * n + j] = c[j * n + i] } }
    }

    // MARK: Array conveniences

    public static func dot(_ x: [Double], _ y: [Double]) -> Double {
        x.withUnsafeBufferPointer { xp in y.withUnsafeBufferPointer { yp in dot(xp, yp) } }
    }

    public static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
        x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { yp in axpy(alpha, xp, yp) } }
    }

    public static func gemv(
        transpose: Bool, rows: Int, cols: Int, alpha: Double = 1, a: [Double], x: [Double],
        beta: Double = 0, y: inout [Double]
    ) {
        a.withUnsafeBufferPointer { ap in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    gemv(transpose: transpose, rows: rows, cols: cols, alpha: alpha, a: ap, x: xp, beta: beta, y: yp)
                }
            }
        }
    }

    /// Full symmetric Gram matrix αAᵀA (both triangles filled).
    public static func gram(rows: Int, cols: Int, alpha: Double = 1, a: [Double]) -> [Double] {
        var c = [Double](repeating: 0, count: cols * cols)
        a.withUnsafeBufferPointer { ap in
            c.withUnsafeMutableBufferPointer { cp in
                syrkGram(rows: rows, cols: cols, alpha: alpha, a: ap, beta: 0, c: cp)
                symmetrizeUpper(cp, n: cols)
            }
        }
        return c
    }
}
