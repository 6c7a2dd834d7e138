// Train-time preprocessing for linear models: median imputation, missing indicators, standardisation.
import Dispatch

/// Per-column statistics learned on the training matrix and applied identically at scoring time.
///
/// For input column j with training values xᵢⱼ (NaN = missing):
/// - `medians[j]`: median of the non-missing values (mean of the two middle ones for an even count, as
///   numpy's `nanmedian`); 0 when the column is entirely missing.
/// - `hasIndicator[j]`: the column had at least one NaN *and* at least one value in training. Then the design
///   gains a 0/1 column "xᵢⱼ is missing". Indicators are **not** standardised (they stay 0/1) so their
///   coefficient reads directly as "log-odds shift when missing".
/// - `means[j]`, `scales[j]`: mean and population standard deviation (ddof 0, like sklearn's
///   StandardScaler) of the *imputed* column, over all rows, unweighted; a constant column gets scale 1.
///
/// Design row: zᵢ = [ (x̃ᵢⱼ − meanⱼ)/scaleⱼ for every j ; 1[xᵢⱼ missing] for j with an indicator ; 1 ].
struct Preprocessing: Sendable, Equatable {
    var medians: [Double]
    var hasIndicator: [Bool]
    var means: [Double]
    var scales: [Double]

    var inputCount: Int { medians.count }
    var indicatorCount: Int { hasIndicator.reduce(0) { $0 + ($1 ? 1 : 0) } }
    /// Columns of the design matrix including the trailing intercept column.
    var designWidth: Int { inputCount + indicatorCount + 1 }

    /// Learns the statistics; columns are processed in parallel. O(rows·cols) expected (quickselect).
    /// Throws on ±∞ (NaN is the only accepted missing marker).
    static func learn(x: [Double], rows: Int, cols: Int) throws(LinearModelsError) -> Preprocessing {
        struct ColumnStats { var median = 0.0, mean = 0.0, scale = 1.0, nanCount = 0, infRow = -1 }
        var stats = [ColumnStats](repeating: ColumnStats(), count: cols)
        x.withUnsafeBufferPointer { xp in
            stats.withUnsafeMutableBufferPointer { spm in
                // Disjoint writes per column; the pointers outlive the concurrentPerform call.
                nonisolated(unsafe) let xp = xp, sp = spm
                DispatchQueue.concurrentPerform(iterations: cols) { j in
                    var values = [Double]()
                    values.reserveCapacity(rows)
                    var infRow = -1
                    for i in 0..<rows {
                        let v = xp[i * cols + j]
                        if v.isNaN { continue }
                        if v.isInfinite, infRow < 0 { infRow = i }
                        values.append(v)
                    }
                    var s = ColumnStats()
                    s.infRow = infRow
                    s.nanCount = rows - values.count
                    guard infRow < 0 else { sp[j] = s; return }
                    s.median = values.withUnsafeMutableBufferPointer { median(of: $0) }
                    // Two-pass mean / variance of the imputed column.
                    var sum = Double(s.nanCount) * s.median
                    for v in values { sum += v }
                    let mean = sum / Double(rows)
                    let dm = s.median - mean
                    var ss = Double(s.nanCount) * dm * dm
                    for v in values { let d = v - mean; ss += d * d }
                    let sd = (ss / Double(rows)).squareRoot()
                    s.mean = mean
                    // Constant (or numerically constant) columns get scale 1 so they standardise to 0.
                    s.scale = sd > 1e-12 * max(1, abs(mean)) ? sd : 1
                    sp[j] = s
                }
            }
        }
        for j in 0..<cols where stats[j].infRow >= 0 {
            let r = stats[j].infRow
            throw .nonFiniteFeature(row: r, column: j, value: x[r * cols + j])
        }
        return Preprocessing(
            medians: stats.map(\.median),
            hasIndicator: stats.map { $0.nanCount > 0 && $0.nanCount < rows },
            means: stats.map(\.mean),
            scales: stats.map(\.scale))
    }

    /// Median of the buffer (reordered in place); 0 for an empty buffer. Expected O(n) (Hoare quickselect).
    static func median(of a: UnsafeMutableBufferPointer<Double>) -> Double {
        let n = a.count
        guard n > 0 else { return 0 }
        let k = (n - 1) / 2
        quickselect(a, k)
        let lower = a[k]
        guard n % 2 == 0 else { return lower }
        var upper = a[k + 1]
        for i in (k + 2)..<n where a[i] < upper { upper = a[i] }
        return (lower + upper) / 2
    }

    /// Places the k-th smallest element at index k with smaller-or-equal elements before it.
    private static func quickselect(_ a: UnsafeMutableBufferPointer<Double>, _ k: Int) {
        var lo = 0, hi = a.count - 1
        while lo < hi {
            // Median-of-three pivot.
            let mid = lo + (hi - lo) / 2
            if a[mid] < a[lo] { a.swapAt(mid, lo) }
            if a[hi] < a[lo] { a.swapAt(hi, lo) }
            if a[hi] < a[mid] { a.swapAt(hi, mid) }
            let pivot = a[mid]
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { return }
        }
    }

    /// Builds the row-major design matrix (rows × `designWidth`), in parallel over row blocks. O(rows·cols).
    func design(x: [Double], rows: Int) -> [Double] {
        let cols = inputCount, q = designWidth
        var z = [Double](repeating: 0, count: rows * q)
        // Indicator slot of each column (−1 when none).
        var slot = [Int](repeating: -1, count: cols)
        var next = cols
        for j in 0..<cols where hasIndicator[j] { slot[j] = next; next += 1 }
        let blocks = max(1, min(64, rows / 4096))
        x.withUnsafeBufferPointer { xp in
            z.withUnsafeMutableBufferPointer { zp in
                medians.withUnsafeBufferPointer { med in
                    means.withUnsafeBufferPointer { mu in
                        scales.withUnsafeBufferPointer { sc in
                            slot.withUnsafeBufferPointer { sl in
                                // Each block writes its own rows of z.
                                nonisolated(unsafe) let (xp, zp, med, mu, sc, sl) = (xp, zp, med, mu, sc, sl)
                                DispatchQueue.concurrentPerform(iterations: blocks) { b in
                                    let start = rows * b / blocks, end = rows * (b + 1) / blocks
                                    for i in start..<end {
                                        let row = i * cols, out = i * q
                                        for j in 0..<cols {
                                            var v = xp[row + j]
                                            if v.isNaN {
                                                v = med[j]
                                                if sl[j] >= 0 { zp[out + sl[j]] = 1 }
                                            }
                                            zp[out + j] = (v - mu[j]) / sc[j]
                                        }
                                        zp[out + q - 1] = 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return z
    }
}
