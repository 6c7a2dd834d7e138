// Histogram: per-bin sums of gradient, hessian and row count for one leaf, the statistic that
// split finding scans. Building is the hot loop of training; subtraction derives a sibling for free.

/// Kernels over a histogram laid out as `slots * 3` Doubles: (gradient, hessian, count) per bin,
/// features contiguous at `BinnedMatrix.histogramOffsets`.
enum Histogram {
    static let stride = 3

    /// Adds rows `i in lo..<hi` (row `rowIndices[i]`, or `i` itself when nil) into `hist`, row-wise:
    /// each row's gradient and hessian are read once and its codes for `features` are contiguous
    /// (`rowCodes[row * cols + f]`). `slotBase[f]` is feature f's first Double in `hist`. O((hi−lo)·features).
    @inline(__always)
    static func accumulateRows(rowCodes: UnsafePointer<UInt8>, cols: Int, slotBase: UnsafePointer<Int>,
                               features: UnsafePointer<Int>, featureCount: Int,
                               rowIndices: UnsafePointer<Int32>?, lo: Int, hi: Int,
                               grad: UnsafePointer<Double>, hess: UnsafePointer<Double>,
                               into hist: UnsafeMutablePointer<Double>) {
        @inline(__always) func add(_ r: Int) {
            let g = grad[r], h = hess[r]
            let codes = rowCodes + r &* cols
            for k in 0..<featureCount {
                let f = features[k]
                let b = slotBase[f] &+ Int(codes[f]) &* 3
                hist[b] += g; hist[b &+ 1] += h; hist[b &+ 2] += 1
            }
        }
        if let rowIndices {
            for i in lo..<hi { add(Int(rowIndices[i])) }
        } else {
            for i in lo..<hi { add(i) }
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
