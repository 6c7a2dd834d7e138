// Binning: turns raw Double features into small integer bins (LightGBM-style quantile bins with a
// separate bin for NaN) and stores the training matrix column-major as UInt8 codes.
import Foundation
import Dispatch
import TenureCore

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

    /// `bin(of:)` for every feature without a branch: its bounds (at most 254, as a code is a byte with the NaN
    /// bin last) padded with +∞ to 16 vectors of 16, and the last bound of each as one vector of fences.
    /// Comparing x with the fences counts the whole vectors below it; comparing with the next vector counts the
    /// rest. Two vector compares per value, where a binary search mispredicted about half of its 8 branches
    /// (5× slower on uniform values).
    struct VectorLookup {
        /// Per feature 17 vectors: the fences, then the 16 padded vectors of bounds.
        let vectors: [SIMD16<Double>]
        static let capacity = 256

        init(bounds: [[Double]]) {
            var vectors: [SIMD16<Double>] = []
            for b in bounds {
                precondition(b.count <= Self.capacity, "more bin bounds than byte codes")
                let padded = b + [Double](repeating: .infinity, count: Self.capacity - b.count)
                vectors.append(SIMD16<Double>((0..<16).map { padded[16 * $0 + 15] }))
                for j in 0..<16 { vectors.append(SIMD16<Double>(padded[(16 * j)..<(16 * j + 16)])) }
            }
            self.vectors = vectors
        }

        /// The number of feature `f`'s bounds below `x` (x not NaN: its bin), from its 17 vectors at `v + 17·f`.
        @inline(__always)
        static func count(_ v: UnsafePointer<SIMD16<Double>>, feature f: Int, _ x: Double) -> Int {
            let splat = SIMD16<Double>(repeating: x)
            let base = v + 17 &* f
            let whole = SIMD16<Int64>(repeating: 0).replacing(with: 1, where: base[0] .< splat).wrappedSum()
            let rest = SIMD16<Int64>(repeating: 0).replacing(with: 1, where: base[1 &+ Int(whole)] .< splat).wrappedSum()
            return Int(whole &* 16 &+ rest)
        }
    }

    /// Ascending sort of non-NaN Doubles by LSD radix sort on order-preserving 64-bit keys
    /// (sign flipped for positives, all bits flipped for negatives): 6 passes of 11 bits, O(n);
    /// ~4x faster than the comparison sort on the 200,000-value bin samples.
    static func radixSorted(_ values: [Double]) -> [Double] {
        let n = values.count
        if n < 64 { return values.sorted() }
        var keys = values.map { d -> UInt64 in
            let b = d.bitPattern
            return b >> 63 == 1 ? ~b : b | (1 << 63)
        }
        var tmp = [UInt64](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 2048)
        keys.withUnsafeMutableBufferPointer { kp in
            tmp.withUnsafeMutableBufferPointer { tp in
                counts.withUnsafeMutableBufferPointer { cp in
                    var src = kp.baseAddress!, dst = tp.baseAddress!
                    var shift: UInt64 = 0
                    while shift < 64 {
                        for i in 0..<2048 { cp[i] = 0 }
                        for i in 0..<n { cp[Int((src[i] >> shift) & 2047)] += 1 }
                        var sum = 0
                        for i in 0..<2048 { let c = cp[i]; cp[i] = sum; sum += c }
                        for i in 0..<n {
                            let k = src[i], d = Int((k >> shift) & 2047)
                            dst[cp[d]] = k; cp[d] += 1
                        }
                        swap(&src, &dst)
                        shift += 11
                    }
                    // 6 passes: the sorted keys are back in `keys`.
                }
            }
        }
        return keys.map { k in Double(bitPattern: k >> 63 == 1 ? k & ~(1 << 63) : ~k) }
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
        let sorted = Self.radixSorted(values)
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
    /// The codes without each feature's most frequent bin, for histograms over all features; nil when dense
    /// rows are as cheap (few default values).
    let sparse: SparseRows?

    /// Largest number of rows sampled to find boundaries (LightGBM's bin_construct_sample_cnt).
    static let binSampleRows = 200_000

    /// Bins a row-major matrix. Boundaries come from about `binSampleRows` rows chosen by a hash of their values
    /// and `seed` (so the same rows are chosen whatever their order, or the ranks holding them; with several
    /// ranks every rank receives the whole sample and fits the same bounds), parallel over features; every row
    /// is then coded in parallel over row chunks, writing both layouts in one pass over `x`. O(rows·cols·log bins).
    /// Per feature: 0 for a numeric feature, else the number of category codes (bin b holds code b exactly).
    let categoryCounts: [Int]

    /// `categoryCounts` (empty: every feature numeric) marks categorical features, whose values are codes
    /// 0..<count (or NaN): they get one bin per code, so a split's left bins are its left codes.
    /// `sparseRows: false` keeps only the dense layouts (the sparse one gives the same histograms; tests compare).
    init(x: UnsafeBufferPointer<Double>, rows: Int, cols: Int, maxBin: Int, seed: UInt64, threads: Int,
         categoryCounts: [Int] = [], collective: Collective = SingleProcess.shared, sparseRows: Bool = true) {
        self.rows = rows
        self.cols = cols
        let categoryCounts = categoryCounts.isEmpty ? [Int](repeating: 0, count: cols) : categoryCounts
        self.categoryCounts = categoryCounts
        let localSample = Self.sampleRows(x: x, rows: rows, cols: cols, globalRows: collective.sum(rows),
                                          seed: seed ^ 0xB1B5_EED5, threads: threads)
        // With several ranks: every rank's sampled rows, on every rank (row-major), indexed 0..<count.
        let fromGathered = collective.isDistributed
        let gathered: [Double] = fromGathered
            ? collective.allGather(localSample.flatMap { r in Array(x[(r * cols)..<((r + 1) * cols)]) }) : []
        let sampleRows = fromGathered ? Array(0..<(gathered.count / max(cols, 1))) : localSample
        var fitted = [FeatureBins](repeating: FeatureBins(upperBounds: [], minValue: 0, maxValue: 0,
                                                          hasValues: false, hasNaN: false), count: cols)
        fitted.withUnsafeMutableBufferPointer { fit in
            let fitBase = fit.baseAddress!
            func fitColumns(_ source: UnsafeBufferPointer<Double>, _ rows: UnsafeBufferPointer<Int>?, rowCount: Int) {
                ColumnGather.nonMissing(x: source, width: cols, rowCount: rowCount, rows: rows, threads: threads) { f, values, missing in
                    if categoryCounts[f] > 0 {
                        fitBase[f] = FeatureBins(upperBounds: (0..<(categoryCounts[f] - 1)).map { Double($0) + 0.5 },
                                                 minValue: 0, maxValue: 0, hasValues: false, hasNaN: false)
                    } else {
                        fitBase[f] = FeatureBins.fit(values: Array(values), sawNaN: missing > 0, maxBin: maxBin)
                    }
                }
            }
            if fromGathered {
                gathered.withUnsafeBufferPointer { fitColumns($0, nil, rowCount: sampleRows.count) }
            } else {
                sampleRows.withUnsafeBufferPointer { fitColumns(x, $0, rowCount: rows) }
            }
        }
        let nanCodes = fitted.map { UInt8(truncatingIfNeeded: $0.nanBin) }
        let lookup = FeatureBins.VectorLookup(bounds: fitted.map(\.upperBounds))
        let rowStride = (cols + 7) & ~7
        self.rowStride = rowStride
        let chunks = max(1, min(threads, rows / 4096))
        // Per chunk and feature: min, max, any value, any NaN.
        var stats = [Double](repeating: 0, count: chunks * cols * 4)
        // Both layouts are written whole by the coding pass (the row layout's padding too), so they start
        // uninitialised: zero-filling them first was a serial pass, and its page faults, over 2·rows·cols bytes.
        var rowCodes: [UInt8] = []
        let codes = [UInt8](unsafeUninitializedCapacity: rows * cols) { colOut, colCount in
          rowCodes = [UInt8](unsafeUninitializedCapacity: rows * rowStride) { rowOut, rowCount in
                stats.withUnsafeMutableBufferPointer { st in
                    lookup.vectors.withUnsafeBufferPointer { lv in
                        let colBase = colOut.baseAddress!, rowBase = rowOut.baseAddress!, stBase = st.baseAddress!
                        let vectors = lv.baseAddress!
                        parallelFor(chunks) { c in
                            let lo = rows * c / chunks, hi = rows * (c + 1) / chunks
                            let mine = stBase + c * cols * 4
                            for f in 0..<cols {
                                mine[4 * f] = .infinity; mine[4 * f + 1] = -.infinity
                            }
                            var r0 = lo
                            while r0 < hi {  // 256-row tiles: the tile of x stays in cache across features
                                let r1 = min(hi, r0 + 256)
                                for f in 0..<cols {
                                    let nanCode = nanCodes[f]
                                    let col = colBase + f * rows
                                    var mn = mine[4 * f], mx = mine[4 * f + 1], nan = mine[4 * f + 3]
                                    for r in r0..<r1 {
                                        let v = x[r * cols + f]
                                        let code: UInt8
                                        if v.isNaN { code = nanCode; nan = 1 } else {
                                            code = UInt8(truncatingIfNeeded: FeatureBins.VectorLookup.count(vectors, feature: f, v))
                                            mn = Swift.min(mn, v); mx = Swift.max(mx, v)
                                        }
                                        col[r] = code
                                        rowBase[r * rowStride + f] = code
                                    }
                                    mine[4 * f] = mn; mine[4 * f + 1] = mx; mine[4 * f + 3] = nan
                                }
                                if rowStride > cols {
                                    for r in r0..<r1 { for f in cols..<rowStride { rowBase[r * rowStride + f] = 0 } }
                                }
                                r0 = r1
                            }
                        }
                    }
                }
            rowCount = rows * rowStride
          }
          colCount = rows * cols
        }
        // Per feature −min, max and NaN seen, then the maxima over the ranks.
        var extremes = [Double](repeating: 0, count: 3 * cols)
        for f in 0..<cols {
            var mn = Double.infinity, mx = -Double.infinity, nan = false
            for c in 0..<chunks {
                mn = Swift.min(mn, stats[(c * cols + f) * 4]); mx = Swift.max(mx, stats[(c * cols + f) * 4 + 1])
                nan = nan || stats[(c * cols + f) * 4 + 3] > 0
            }
            extremes[3 * f] = -mn; extremes[3 * f + 1] = mx; extremes[3 * f + 2] = nan ? 1 : 0
        }
        collective.maximum(&extremes)
        for f in 0..<cols {
            let mn = -extremes[3 * f], mx = extremes[3 * f + 1], nan = extremes[3 * f + 2] > 0
            let any = mn <= mx
            fitted[f].minValue = any ? mn : 0; fitted[f].maxValue = any ? mx : 0
            fitted[f].hasValues = any; fitted[f].hasNaN = nan
        }
        self.features = fitted
        self.codes = codes
        self.rowCodes = rowCodes
        var offsets = [Int]()
        var total = 0
        for b in fitted { offsets.append(total); total += b.valueBins + 1 }
        self.histogramOffsets = offsets
        self.totalBins = total
        self.sparse = !sparseRows ? nil : SparseRows(codes: codes, rowCodes: rowCodes, rows: rows, cols: cols, rowStride: rowStride,
                                 histogramOffsets: offsets, totalBins: total, threads: threads)
    }

    /// Row-major codes (`cols` per row) of other rows `x` under these bins, as the coding pass codes training rows:
    /// for a numeric split, a value goes left exactly when its code does (v ≤ bound[s] ⟺ code ≤ s, NaN to the NaN
    /// bin), so a tree routes these codes as it routes the raw values. Parallel over row chunks. O(rows·cols).
    func codes(of x: UnsafeBufferPointer<Double>, rows n: Int, threads: Int) -> [UInt8] {
        let lookup = FeatureBins.VectorLookup(bounds: features.map(\.upperBounds))
        let cols = cols, features = features
        var out = [UInt8](repeating: 0, count: n * cols)
        out.withUnsafeMutableBufferPointer { o in
            lookup.vectors.withUnsafeBufferPointer { lv in
                let o = o, vectors = lv.baseAddress!
                parallelChunks(n, chunks: n < 16_384 ? 1 : threads) { _, range in
                    for r in range {
                        for f in 0..<cols {
                            let v = x[r * cols + f]
                            let code = v.isNaN ? features[f].nanBin : FeatureBins.VectorLookup.count(vectors, feature: f, v)
                            o[r * cols + f] = UInt8(truncatingIfNeeded: code)
                        }
                    }
                }
            }
        }
        return out
    }

    /// The rows (ascending) whose hash of value bits and `seed` falls below binSampleRows / globalRows of the
    /// hash range: about `binSampleRows` rows over all ranks, and all rows when there are no more than that.
    /// O(rows·cols), parallel over row chunks.
    static func sampleRows(x: UnsafeBufferPointer<Double>, rows: Int, cols: Int, globalRows: Int, seed: UInt64,
                           threads: Int) -> [Int] {
        guard globalRows > binSampleRows else { return Array(0..<rows) }
        let threshold = UInt64(Double(binSampleRows) / Double(globalRows) * 0x1p64)
        let chunks = max(1, min(threads, rows / 4096))
        var picked = [[Int]](repeating: [], count: chunks)
        picked.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            parallelChunks(rows, chunks: chunks) { c, range in
                var mine: [Int] = []
                for r in range {
                    var h = seed
                    for f in 0..<cols { h = SeededGenerator.mix((h ^ x[r * cols + f].bitPattern) &+ 0x9E37_79B9_7F4A_7C15) }
                    if h < threshold { mine.append(r) }
                }
                base[c] = mine
            }
        }
        return picked.flatMap { $0 }
    }
}
