// Histogram: per-bin sums of gradient, hessian and row count for one leaf, the statistic that
// split finding scans. Building is the hot loop of training; subtraction derives a sibling for free.

/// Kernels over a histogram laid out as `slots * 3` Doubles: (gradient, hessian, count) per bin,
/// features contiguous at `BinnedMatrix.histogramOffsets`.
enum Histogram {
    static let stride = 3

    /// Adds the rows `rowIndices[0..<n]` of one feature column into `hist` (that feature's slots).
    /// `grad`/`hess` are *ordered*: element i belongs to row `rowIndices[i]` (gathered once per leaf, so
    /// the per-feature loops read them sequentially). O(n).
    @inline(__always)
    static func accumulate(column: UnsafePointer<UInt8>, rowIndices: UnsafePointer<Int32>?, n: Int,
                           grad: UnsafePointer<Double>, hess: UnsafePointer<Double>,
                           into hist: UnsafeMutablePointer<Double>) {
        if let rowIndices {
            var i = 0
            // Two rows per step: independent loads keep both ports busy.
            while i + 1 < n {
                let b0 = Int(column[Int(rowIndices[i])]) &* 3
                let b1 = Int(column[Int(rowIndices[i + 1])]) &* 3
                hist[b0] += grad[i]; hist[b0 + 1] += hess[i]; hist[b0 + 2] += 1
                hist[b1] += grad[i + 1]; hist[b1 + 1] += hess[i + 1]; hist[b1 + 2] += 1
                i += 2
            }
            if i < n {
                let b = Int(column[Int(rowIndices[i])]) &* 3
                hist[b] += grad[i]; hist[b + 1] += hess[i]; hist[b + 2] += 1
            }
        } else {
            for i in 0..<n {
                let b = Int(column[i]) &* 3
                hist[b] += grad[i]; hist[b + 1] += hess[i]; hist[b + 2] += 1
            }
        }
    }

    /// `larger = parent - smaller` over `slots` bins, in place in `parentThenLarger`. O(slots).
    @inline(__always)
    static func subtract(_ smaller: UnsafePointer<Double>, from parentThenLarger: UnsafeMutablePointer<Double>,
                         slots: Int) {
        for i in 0..<(slots * 3) { parentThenLarger[i] -= smaller[i] }
    }

    /// Direct (non-subtracting) histogram of the given rows over all features, serial; a reference
    /// implementation for tests. `rows` index the binned matrix; result has `totalBins * 3` Doubles.
    static func direct(binned: BinnedMatrix, rows: [Int], grad: [Double], hess: [Double]) -> [Double] {
        var h = [Double](repeating: 0, count: binned.totalBins * 3)
        for f in 0..<binned.cols {
            let off = binned.histogramOffsets[f] * 3
            for r in rows {
                let b = Int(binned.codes[f * binned.rows + r])
                h[off + b * 3] += grad[r]; h[off + b * 3 + 1] += hess[r]; h[off + b * 3 + 2] += 1
            }
        }
        return h
    }
}
