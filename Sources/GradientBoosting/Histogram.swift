// Histogram: per-bin sums of gradient, hessian and row count for one leaf, the statistic that
// split finding scans. Building is the hot loop of training; subtraction derives a sibling for free.
// Sums are of fixed-point gradients (Int64, see `GradientQuantiser`): integer addition is exact, so a histogram
// is the same whichever chunks, threads or MPI ranks added its rows, and subtraction leaves no residue.

/// Kernels over a histogram laid out as `slots * 2` Int64s: (gradient, hessian) per bin, features
/// contiguous at `BinnedMatrix.histogramOffsets`. Like LightGBM, no per-bin row count is kept (it would
/// cost a third read-modify-write per update); split finding estimates counts as hessian × (rows / H).
enum Histogram {
    static let stride = 2

    /// Adds rows `i in lo..<hi` (row `rowIndices[i]`, or `i` itself when nil) into `hist`, row-wise:
    /// each row's gradient and hessian are read once and its codes for `features` are contiguous
    /// (`rowCodes[row * rowStride + f]`, `rowStride` a multiple of 8). `slotBase[f]` is feature f's
    /// first slot in `hist`.
    /// With row indices, blocks of rows are first gathered into the `staged*` buffers (same positions
    /// `i`), a short loop whose cache misses overlap, so the update loop runs on contiguous memory.
    /// O((hi−lo)·features).
    @inline(__always)
    static func accumulateRows(rowCodes: UnsafePointer<UInt8>, cols: Int, rowStride: Int,
                               slotBase: UnsafePointer<Int>,
                               features: UnsafePointer<Int>, featureCount: Int,
                               rowIndices: UnsafePointer<Int32>?, lo: Int, hi: Int,
                               grad: UnsafePointer<Int64>, hess: UnsafePointer<Int64>,
                               staged: (codes: UnsafeMutablePointer<UInt8>, grad: UnsafeMutablePointer<Int64>,
                                        hess: UnsafeMutablePointer<Int64>)?,
                               into hist: UnsafeMutablePointer<Int64>) {
        let all = featureCount == cols
        // (gradient, hessian) pairs move as one 16-byte vector: one load, add and store per update.
        let pairs = UnsafeMutableRawPointer(hist)
        @inline(__always) func update(_ codes: UnsafePointer<UInt8>, _ g: Int64, _ h: Int64) {
            let gh = SIMD2(g, h)
            @inline(__always) func add(feature f: Int) {
                let at = (slotBase[f] &+ Int(codes[f]) &* 2) &* 8
                pairs.storeBytes(of: pairs.loadUnaligned(fromByteOffset: at, as: SIMD2<Int64>.self) &+ gh,
                                 toByteOffset: at, as: SIMD2<Int64>.self)
            }
            if all {
                for f in 0..<cols { add(feature: f) }
            } else {
                for k in 0..<featureCount { add(feature: features[k]) }
            }
        }
        guard let rowIndices else {
            for r in lo..<hi { update(rowCodes + r &* rowStride, grad[r], hess[r]) }
            return
        }
        guard let staged else {
            for i in lo..<hi { let r = Int(rowIndices[i]); update(rowCodes + r &* rowStride, grad[r], hess[r]) }
            return
        }
        var b0 = lo
        while b0 < hi {
            let b1 = min(hi, b0 + 512)
            for i in b0..<b1 {
                let r = Int(rowIndices[i])
                let src = UnsafeRawPointer(rowCodes + r &* rowStride)
                let dst = UnsafeMutableRawPointer(staged.codes + i &* rowStride)
                var o = 0
                while o < rowStride {  // 64-bit words: rows are 8-byte aligned and padded
                    dst.storeBytes(of: src.loadUnaligned(fromByteOffset: o, as: UInt64.self), toByteOffset: o, as: UInt64.self)
                    o &+= 8
                }
                staged.grad[i] = grad[r]; staged.hess[i] = hess[r]
            }
            for i in b0..<b1 { update(staged.codes + i &* rowStride, staged.grad[i], staged.hess[i]) }
            b0 = b1
        }
    }

    /// `larger = parent - smaller` over `slots` bins, in place in `parentThenLarger`. O(slots).
    @inline(__always)
    static func subtract(_ smaller: UnsafePointer<Int64>, from parentThenLarger: UnsafeMutablePointer<Int64>,
                         slots: Int) {
        for i in 0..<(slots * 2) { parentThenLarger[i] &-= smaller[i] }
    }

    /// Direct (non-subtracting) histogram of the given rows over all features, serial; a reference
    /// implementation for tests. `rows` index the binned matrix; result has `totalBins * 2` slots.
    static func direct(binned: BinnedMatrix, rows: [Int], grad: [Int64], hess: [Int64]) -> [Int64] {
        var h = [Int64](repeating: 0, count: binned.totalBins * 2)
        for f in 0..<binned.cols {
            let off = binned.histogramOffsets[f] * 2
            for r in rows {
                let b = Int(binned.codes[f * binned.rows + r])
                h[off + b * 2] += grad[r]; h[off + b * 2 + 1] += hess[r]
            }
        }
        return h
    }
}
