// Binning: turns raw Double features into small integer bins (LightGBM-style quantile bins with a
// separate bin for NaN) and stores the training matrix column-major as UInt8 codes.
import Foundation
import Dispatch

/// Bin boundaries of one feature. Value `x` (not NaN) falls into the first bin `b` with
/// `x <= upperBounds[b]`, or into the last value bin `upperBounds.count`; NaN falls into `nanBin`.
/// The same `<=` comparison is used by the trees, so a split "bin <= t" is exactly "x <= upperBounds[t]".
struct FeatureBins: Sendable, Equatable {
    /// Finite, strictly increasing upper bounds of value bins 0..<valueBins-1 (the last bin is unbounded).
    var upperBounds: [Double]
    /// Smallest and largest finite training value (0 when the feature had none).
    var minValue: Double
    var maxValue: Double
    /// Whether any non-NaN value was seen.
    var hasValues: Bool
    /// Whether any NaN was seen in the training data.
    var hasNaN: Bool

    var valueBins: Int { upperBounds.count + 1 }
    /// Code of the NaN bin; bins per feature including it = valueBins + 1 <= 256.
    var nanBin: Int { upperBounds.count + 1 }

    /// Bin code of a value; binary search over the bounds, O(log bins).
    @inline(__always)
    func bin(of x: Double) -> Int {
        if x.isNaN { return nanBin }
        var lo = 0, hi = upperBounds.count  // answer in lo...hi
        while lo < hi {
            let mid = (lo + hi) >> 1
            if x <= upperBounds[mid] { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// Boundaries from a sample of finite values.
    /// Few distinct values (<= maxBin) → one bin per distinct value, bound at the midpoint of neighbours.
    /// Otherwise a greedy quantile cut: walk the sorted distinct values, cut when the accumulated count
    /// reaches remaining/remainingBins, and give a heavy value (count >= that target) a bin of its own —
    /// LightGBM's `GreedyFindBin` idea. O(s log s) for s sampled values.
    static func fit(values: [Double], sawNaN: Bool, maxBin: Int) -> FeatureBins {
        guard !values.isEmpty else {
            return FeatureBins(upperBounds: [], minValue: 0, maxValue: 0, hasValues: false, hasNaN: sawNaN)
        }
        let sorted = values.sorted()
        var distinct: [Double] = []
        var counts: [Int] = []
        distinct.reserveCapacity(min(sorted.count, 1024))
        for v in sorted {
            if let last = distinct.last, last == v { counts[counts.count - 1] += 1 } else {
                distinct.append(v); counts.append(1)
            }
        }
        var bounds: [Double] = []
        func midpoint(_ i: Int) -> Double {
            let m = distinct[i] / 2 + distinct[i + 1] / 2
            // Keep the bound inside [distinct[i], distinct[i+1]) so both values stay in their own bins.
            return (m >= distinct[i + 1] || m < distinct[i]) ? distinct[i] : m
        }
        if distinct.count <= maxBin {
            for i in 0..<(distinct.count - 1) { bounds.append(midpoint(i)) }
        } else {
            var remainingCount = sorted.count
            var remainingBins = maxBin
            var acc = 0
            for i in 0..<(distinct.count - 1) {
                acc += counts[i]
                let target = Double(remainingCount) / Double(remainingBins)
                if Double(acc) >= target || Double(counts[i + 1]) >= target {
                    bounds.append(midpoint(i))
                    remainingCount -= acc
                    acc = 0
                    remainingBins -= 1
                    if remainingBins == 1 { break }
                }
            }
        }
        return FeatureBins(upperBounds: bounds, minValue: sorted[0], maxValue: sorted[sorted.count - 1],
                           hasValues: true, hasNaN: sawNaN)
    }
}

/// The training matrix as bin codes, column-major (`codes[feature * rows + row]`, for partitioning
/// rows by one feature) and row-major (`rowCodes[row * rowStride + feature]`, for row-wise histograms;
/// rows padded to a multiple of 8 bytes so a row can be copied as 64-bit words).
struct BinnedMatrix: Sendable {
    let rows: Int
    let cols: Int
    let features: [FeatureBins]
    let codes: [UInt8]
    let rowCodes: [UInt8]
    let rowStride: Int
    /// Start of each feature's slots in a histogram (bins including NaN), and the total slot count.
    let histogramOffsets: [Int]
    let totalBins: Int

    /// Largest number of rows sampled to find boundaries (LightGBM's bin_construct_sample_cnt).
    static let binSampleRows = 200_000

    /// Bins a row-major matrix. Boundaries come from at most `binSampleRows` rows drawn with `seed`;
    /// every row is then coded. Parallel over features with `threads` workers. O(rows·cols·log bins).
    init(x: UnsafeBufferPointer<Double>, rows: Int, cols: Int, maxBin: Int, seed: UInt64, threads: Int) {
        self.rows = rows
        self.cols = cols
        var rng = SeededGenerator(seed: seed ^ 0xB1B5_EED5)
        let sampleRows: [Int]? = rows > Self.binSampleRows ? rng.sample(Self.binSampleRows, of: rows) : nil
        var fitted = [FeatureBins](repeating: FeatureBins(upperBounds: [], minValue: 0, maxValue: 0,
                                                          hasValues: false, hasNaN: false), count: cols)
        var codes = [UInt8](repeating: 0, count: rows * cols)
        let workers = max(1, min(threads, cols))
        fitted.withUnsafeMutableBufferPointer { fit in
            codes.withUnsafeMutableBufferPointer { out in
                let fitBase = fit.baseAddress!, outBase = out.baseAddress!
                let work = { (w: Int) in
                    var f = w
                    while f < cols {
                        var values: [Double] = []
                        var sawNaN = false
                        if let sampleRows {
                            values.reserveCapacity(sampleRows.count)
                            for r in sampleRows {
                                let v = x[r * cols + f]
                                if v.isNaN { sawNaN = true } else { values.append(v) }
                            }
                        } else {
                            values.reserveCapacity(rows)
                            for r in 0..<rows {
                                let v = x[r * cols + f]
                                if v.isNaN { sawNaN = true } else { values.append(v) }
                            }
                        }
                        var bins = FeatureBins.fit(values: values, sawNaN: sawNaN, maxBin: maxBin)
                        let col = outBase + f * rows
                        var lo = bins.minValue, hi = bins.maxValue, any = bins.hasValues, nan = bins.hasNaN
                        for r in 0..<rows {
                            let v = x[r * cols + f]
                            col[r] = UInt8(truncatingIfNeeded: bins.bin(of: v))
                            if v.isNaN { nan = true } else if !any { lo = v; hi = v; any = true } else {
                                lo = Swift.min(lo, v); hi = Swift.max(hi, v)
                            }
                        }
                        bins.minValue = lo; bins.maxValue = hi; bins.hasValues = any; bins.hasNaN = nan
                        fitBase[f] = bins
                        f += workers
                    }
                }
                parallelFor(workers, work)
            }
        }
        self.features = fitted
        self.codes = codes
        let rowStride = (cols + 7) & ~7
        self.rowStride = rowStride
        var rowCodes = [UInt8](repeating: 0, count: rows * rowStride)
        codes.withUnsafeBufferPointer { colMajor in
            rowCodes.withUnsafeMutableBufferPointer { rowMajor in
                let src = colMajor.baseAddress!, dst = rowMajor.baseAddress!
                let chunks = max(1, min(threads, rows / 4096))
                parallelFor(chunks) { c in
                    let lo = rows * c / chunks, hi = rows * (c + 1) / chunks
                    var r0 = lo
                    while r0 < hi {  // 256-row tiles keep both sides in cache
                        let r1 = min(hi, r0 + 256)
                        for f in 0..<cols {
                            let col = src + f * rows
                            for r in r0..<r1 { dst[r * rowStride + f] = col[r] }
                        }
                        r0 = r1
                    }
                }
            }
        }
        self.rowCodes = rowCodes
        var offsets = [Int]()
        var total = 0
        for b in fitted { offsets.append(total); total += b.valueBins + 1 }
        self.histogramOffsets = offsets
        self.totalBins = total
    }
}
