// Train-time preprocessing for linear models: median imputation, missing indicators, standardisation.
import Dispatch
import TenureCore

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
/// Design row: zᵢ = [ (x̃ᵢⱼ − meanⱼ)/scaleⱼ for every j ; 1[xᵢⱼ missing] for j with an indicator ;
/// one-hot columns ; 1 ]. (Training multiplies by the reciprocal scale; scoring divides — they differ by at
/// most an ulp.)
///
/// A categorical input (`oneHot`, its values category codes 0..<K, code K−1 the rare bucket) is one-hot
/// encoded instead of standardised: K columns 1[code = k] − shareₖ (centred by the training share of each
/// code, not scaled, so a coefficient reads as the log-odds shift of that category and a row's contribution is
/// relative to the training mix, like a standardised column's). Code 0 takes the input's own slot, codes
/// 1..<K the columns after the missing indicators. A code that is not an integer in 0..<K counts as the rare
/// bucket. A missing code sets the column's missing indicator (when training had missing and present values)
/// with the one-hot columns at their all-zero value; its median, mean and scale are 0, 0 and 1.
struct Preprocessing: Sendable, Equatable {
    var medians: [Double]
    var hasIndicator: [Bool]
    var means: [Double]
    var scales: [Double]
    /// The categorical inputs, ascending by column (empty: every input is numeric).
    var oneHot: [OneHotColumn] = []

    /// One categorical input: its column and the training share of each of its K codes.
    struct OneHotColumn: Sendable, Equatable {
        var column: Int
        var shares: [Double]
        var codeCount: Int { shares.count }
    }

    var inputCount: Int { medians.count }
    var indicatorCount: Int { hasIndicator.reduce(0) { $0 + ($1 ? 1 : 0) } }
    /// Design columns beyond each input's own slot that the one-hot inputs add (K − 1 each).
    var oneHotExtraCount: Int { oneHot.reduce(0) { $0 + $1.codeCount - 1 } }
    /// Columns of the design matrix including the trailing intercept column.
    var designWidth: Int { inputCount + indicatorCount + oneHotExtraCount + 1 }

    /// The code a categorical value stands for: itself when an integer in 0..<K, else the rare bucket K − 1
    /// (nil for missing). Training and scoring share this rule.
    @inline(__always)
    static func code(_ v: Double, codeCount k: Int) -> Int? {
        if v.isNaN { return nil }
        return v >= 0 && v < Double(k) && v == v.rounded(.down) ? Int(v) : k - 1
    }

    /// `learn`, then one-hot encoding for the inputs with `categoryCounts[j] > 0` codes (empty: none).
    static func learn(x: [Double], rows: Int, cols: Int, categoryCounts: [Int], exactBelow: Int = 50_000,
                      collective: Collective = SingleProcess.shared) throws(LinearModelsError) -> Preprocessing {
        var p = try learn(x: x, rows: rows, cols: cols, exactBelow: exactBelow, collective: collective)
        guard categoryCounts.contains(where: { $0 > 0 }) else { return p }
        precondition(categoryCounts.count == cols, "categoryCounts: one entry per input column")
        let globalRows = collective.sum(rows)
        for j in 0..<cols where categoryCounts[j] > 0 {
            let k = categoryCounts[j]
            var counts = [Int64](repeating: 0, count: k)
            for i in 0..<rows { if let c = code(x[i * cols + j], codeCount: k) { counts[c] += 1 } }
            collective.sum(&counts)
            p.oneHot.append(OneHotColumn(column: j, shares: counts.map { Double($0) / Double(globalRows) }))
            p.medians[j] = 0; p.means[j] = 0; p.scales[j] = 1
        }
        return p
    }

    /// Learns the statistics over the rows of every rank (`collective`; this process's rows alone by default),
    /// exactly: the result depends only on the multiset of rows, never on their order, the thread count or the
    /// rank count. Throws on ±∞ (NaN is the only accepted missing marker).
    ///
    /// Medians use sample bracketing (Floyd–Rivest style): an evenly spaced sample of ≤ 4096 rows per rank
    /// (pooled over ranks) gives per-column bounds lo ≤ median ≤ hi (±4 standard errors of the sample median);
    /// the first pass counts values below lo and keeps only those in [lo, hi] (≈ 6% of rows, pooled over ranks),
    /// and quickselect runs on those. If the true median falls outside the bracket the column is pooled whole.
    /// Below `exactBelow` rows the bracket is (−∞, ∞), i.e. plain quickselect. The bracket only saves work: the
    /// order statistics are the same whichever sample chose it. The second pass sums d = x̃ − median and d² as
    /// fixed-point integers (`ExactSum`, scaled by the largest |d| over all ranks), so mean and scale are exact
    /// sums, without cancellation. Expected O(rows·cols), two reads of `x`.
    static func learn(x: [Double], rows: Int, cols: Int, exactBelow: Int = 50_000,
                      collective: Collective = SingleProcess.shared) throws(LinearModelsError) -> Preprocessing {
        let globalRows = collective.sum(rows)
        // Sample: bracket [lo, hi] per column. Gather the sample row by row (one cache miss per sampled row).
        let sampleSize = min(rows, 4096)
        var lo = [Double](repeating: -.infinity, count: cols), hi = [Double](repeating: .infinity, count: cols)
        var samples = [[Double]](repeating: [], count: cols)
        for s in 0..<sampleSize {
            let row = (s * rows / sampleSize) * cols
            for j in 0..<cols where x[row + j].isFinite { samples[j].append(x[row + j]) }
        }
        samples = ExactSum.pooled(samples, collective)
        for j in 0..<cols where !samples[j].isEmpty {
            let m = samples[j].count
            if globalRows >= exactBelow, m >= 256 {
                samples[j].sort()
                let delta = Int(2 * Double(m).squareRoot())
                lo[j] = samples[j][max(0, m / 2 - delta)]
                hi[j] = samples[j][min(m - 1, m / 2 + delta)]
            }
        }

        let parts = max(1, min(8, rows / 8192))
        var partials = [Partial?](repeating: nil, count: parts)
        var perColumn = lo + hi  // [lo | hi], read-only in the pass below
        x.withUnsafeBufferPointer { xm in
            perColumn.withUnsafeMutableBufferPointer { cm in
                partials.withUnsafeMutableBufferPointer { pm in
                    // Each partition reads its own row range and writes only its own slot.
                    nonisolated(unsafe) let (xp, cp, pp) = (xm, cm, pm)
                    parallelChunks(rows, chunks: parts) { part, range in
                        pp[part] = scan(x: xp, rows: range, cols: cols, bounds: UnsafeBufferPointer(cp))
                    }
                }
            }
        }
        let results = partials.map { p in
            guard let p else { preconditionFailure("a statistics partition did not run") }
            return p
        }
        for p in results {
            if let j = p.infRow.firstIndex(where: { $0 >= 0 }) {
                throw .nonFiniteFeature(row: p.infRow[j], column: j, value: x[p.infRow[j] * cols + j])
            }
        }
        // Merge the partitions, then the ranks: counts and extremes are exact, the kept values are pooled.
        var counts = [Int64](repeating: 0, count: 3 * cols)  // nan | below | at a one-value bracket
        var extremes = [Double](repeating: -.infinity, count: 2 * cols)  // max | −min
        var kept = [[Double]](repeating: [], count: cols)
        for p in results {
            for j in 0..<cols {
                counts[j] += Int64(p.nan[j]); counts[cols + j] += Int64(p.below[j]); counts[2 * cols + j] += Int64(p.atBracket[j])
                extremes[j] = max(extremes[j], p.maximum[j]); extremes[cols + j] = max(extremes[cols + j], -p.minimum[j])
                kept[j] += p.kept[j]
            }
        }
        collective.sum(&counts)
        collective.maximum(&extremes)
        kept = ExactSum.pooled(kept, collective)
        var below = (0..<cols).map { Int(counts[cols + $0]) }
        // A bracket of one value (a column mostly at its median, say 0) kept only a count of the rows at it.
        var known = [Double?](repeating: nil, count: cols)
        for j in 0..<cols where lo[j] == hi[j] {
            let m = globalRows - Int(counts[j])
            let k = (m - 1) / 2, k2 = m / 2
            if m > 0, k >= below[j], k2 < below[j] + Int(counts[2 * cols + j]) { known[j] = lo[j] }
        }
        // Bracket missed the median (rare): pool the whole column. Every rank sees the same counts, so every
        // rank pools the same columns in the same order.
        for j in 0..<cols {
            let m = globalRows - Int(counts[j])
            guard m > 0, known[j] == nil else { continue }
            let k = (m - 1) / 2, k2 = m / 2
            if lo[j] != hi[j], k >= below[j], k2 < below[j] + kept[j].count { continue }
            var column = [Double]()
            for i in 0..<rows where !x[i * cols + j].isNaN { column.append(x[i * cols + j]) }
            kept[j] = ExactSum.pooled([column], collective)[0]
            below[j] = 0
        }
        var medians = [Double](repeating: 0, count: cols)
        medians.withUnsafeMutableBufferPointer { mm in
            kept.withUnsafeMutableBufferPointer { km in
                nonisolated(unsafe) let (mp, kp) = (mm, km)  // disjoint writes per column
                parallelFor(cols) { j in
                    let m = globalRows - Int(counts[j])
                    guard m > 0 else { return }
                    if let value = known[j] { mp[j] = value; return }
                    let k = (m - 1) / 2 - below[j], k2 = m / 2 - below[j]
                    mp[j] = kp[j].withUnsafeMutableBufferPointer { selectMedianPair($0, k, k2) }
                }
            }
        }
        // Second pass: exact Σd and Σd² with d = x̃ − median (0 for a missing value, imputed at the median).
        let centres = medians
        let bound = (0..<cols).map { j in max(extremes[j] - centres[j], centres[j] + extremes[cols + j], 0) }
        // Terms of at most 51 bits (|d| ≤ bound), rounded to nearest: a block of 512 rows adds up in 64 bits.
        let scales1 = bound.map { ExactSum.scale(bound: $0, bits: ExactSum.nearestBits) }
        let scales2 = bound.map { ExactSum.scale(bound: $0 * $0, bits: ExactSum.nearestBits) }
        var sums = [[Int128]](repeating: [], count: parts)
        let perColumn2 = centres + scales1 + scales2  // [median | scale of d | scale of d²]
        x.withUnsafeBufferPointer { xm in
            perColumn2.withUnsafeBufferPointer { cm in
                sums.withUnsafeMutableBufferPointer { sm in
                    nonisolated(unsafe) let (xp, cp, sp) = (xm.baseAddress!, cm.baseAddress!, sm)
                    parallelChunks(rows, chunks: parts) { part, range in
                        let c = cp, s1 = cp + cols, s2 = cp + 2 * cols
                        let block = UnsafeMutablePointer<Int64>.allocate(capacity: 2 * cols)  // Σd | Σd², this block
                        defer { block.deallocate() }
                        var acc = [Int128](repeating: 0, count: 2 * cols)
                        var start = range.lowerBound
                        while start < range.upperBound {
                            let end = min(start + 512, range.upperBound)
                            block.initialize(repeating: 0, count: 2 * cols)
                            for i in start..<end {
                                let row = xp + i &* cols
                                for j in 0..<cols {
                                    let v = row[j]
                                    let d = v.isNaN ? 0 : v - c[j]  // a missing value is imputed at the median
                                    block[j] &+= ExactSum.nearestInteger(d * s1[j])
                                    block[cols &+ j] &+= ExactSum.nearestInteger(d * d * s2[j])
                                }
                            }
                            for k in 0..<(2 * cols) { acc[k] &+= Int128(block[k]) }
                            start = end
                        }
                        sp[part] = acc
                    }
                }
            }
        }
        var total = [Int128](repeating: 0, count: 2 * cols)
        for acc in sums { for i in 0..<(2 * cols) { total[i] &+= acc[i] } }
        total = ExactSum.overRanks(total, collective)
        var means = [Double](repeating: 0, count: cols), scales = [Double](repeating: 1, count: cols)
        for j in 0..<cols {
            // Σ(x̃ − mean)² = Σd² − n·(Σd/n)².
            let n = Double(globalRows)
            let delta = Double(total[j]) / scales1[j] / n
            let ss = max(0, Double(total[cols + j]) / scales2[j] - n * delta * delta)
            means[j] = medians[j] + delta
            let sd = (ss / n).squareRoot()
            // Constant (or numerically constant) columns get scale 1 so they standardise to 0.
            scales[j] = sd > 1e-12 * max(1, abs(means[j])) ? sd : 1
        }
        let hasIndicator = (0..<cols).map { j in counts[j] > 0 && Int(counts[j]) < globalRows }
        return Preprocessing(medians: medians, hasIndicator: hasIndicator, means: means, scales: scales)
    }

    /// Per-partition column summaries from `scan`.
    struct Partial {
        /// `atBracket`: values equal to a one-value bracket (lo == hi), counted instead of kept.
        var nan: [Int], below: [Int], atBracket: [Int], minimum: [Double], maximum: [Double], kept: [[Double]], infRow: [Int]
    }

    /// One partition of the statistics pass. `bounds` is [lo | hi] per column. The below-bracket count is
    /// branch-free (a data-dependent branch there mispredicts half the time and costs 5×).
    private static func scan(x: UnsafeBufferPointer<Double>, rows: Range<Int>, cols: Int,
                             bounds: UnsafeBufferPointer<Double>) -> Partial {
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: 3 * cols)  // nan | below | at a one-value bracket
        let extremes = UnsafeMutableBufferPointer<Double>.allocate(capacity: 2 * cols)  // min | max
        let infRow = UnsafeMutableBufferPointer<Int>.allocate(capacity: cols)
        defer { counts.deallocate(); extremes.deallocate(); infRow.deallocate() }
        counts.initialize(repeating: 0); infRow.initialize(repeating: -1)
        for j in 0..<cols { extremes[j] = .infinity; extremes[cols + j] = -.infinity }
        var kept = [[Double]](repeating: [], count: cols)
        for i in rows {
            for j in 0..<cols {
                let v = x[i * cols + j]
                if v.isNaN { counts[j] &+= 1; continue }
                if v.isInfinite { if infRow[j] < 0 { infRow[j] = i }; continue }
                extremes[j] = min(extremes[j], v)
                extremes[cols + j] = max(extremes[cols + j], v)
                let lo = bounds[j]
                counts[cols + j] &+= v < lo ? 1 : 0
                // min(v − lo, hi − v) ≥ 0 ⟺ lo ≤ v ≤ hi, with one rarely-taken branch instead of a 50/50 one.
                if min(v - lo, bounds[cols + j] - v) >= 0 {
                    if lo == bounds[cols + j] { counts[2 * cols + j] &+= 1 } else { kept[j].append(v) }
                }
            }
        }
        return Partial(nan: Array(counts[0..<cols]), below: Array(counts[cols..<(2 * cols)]), atBracket: Array(counts[(2 * cols)...]), minimum: Array(extremes[0..<cols]),
                       maximum: Array(extremes[cols...]), kept: kept, infRow: Array(infRow))
    }

    /// Median of the values of ranks k and k2 (k2 = k or k + 1) within the buffer (reordered in place).
    private static func selectMedianPair(_ a: UnsafeMutableBufferPointer<Double>, _ k: Int, _ k2: Int) -> Double {
        quickselect(a, k)
        guard k2 != k else { return a[k] }
        var upper = a[k + 1]
        for i in (k + 2)..<a.count where a[i] < upper { upper = a[i] }
        return (a[k] + upper) / 2
    }

    /// Median of the buffer (reordered in place); 0 for an empty buffer. Expected O(n) (Hoare quickselect).
    static func median(of a: UnsafeMutableBufferPointer<Double>) -> Double {
        let n = a.count
        guard n > 0 else { return 0 }
        return selectMedianPair(a, (n - 1) / 2, n / 2)
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

    /// Per-column parameters packed for `fillDesign`: [median | mean | 1/scale | indicator slot (−1 = none)],
    /// then the one-hot inputs: their count, and per input [column, K, first extra slot, share₀ … share_{K−1}].
    func packedParameters() -> [Double] {
        var slot = [Double](repeating: -1, count: inputCount)
        var next = inputCount
        for j in 0..<inputCount where hasIndicator[j] { slot[j] = Double(next); next += 1 }
        var tail = [Double(oneHot.count)]
        for c in oneHot {
            tail += [Double(c.column), Double(c.codeCount), Double(next)] + c.shares
            next += c.codeCount - 1
        }
        return medians + means + scales.map { 1 / $0 } + slot + tail
    }

    /// Design column of code `k` of the one-hot input at `column` whose extra columns start at `extra`.
    @inline(__always)
    static func oneHotSlot(column: Int, extra: Int, code k: Int) -> Int { k == 0 ? column : extra + k - 1 }

    /// out[j] = (x̃ⱼ − meanⱼ)·inverseScaleⱼ, x̃ⱼ the value or, when it is missing, the median: four columns at a
    /// time in SIMD lanes (the compiler left the scalar loop's NaN test a branch per value), the same IEEE
    /// operations per lane as the scalar tail.
    @inline(__always)
    static func standardise(_ row: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>, median: UnsafePointer<Double>,
                            mean: UnsafePointer<Double>, inverseScale: UnsafePointer<Double>, count: Int) {
        typealias Lanes = SIMD4<Double>
        @inline(__always) func load(_ p: UnsafePointer<Double>, _ j: Int) -> Lanes {
            UnsafeRawPointer(p + j).loadUnaligned(as: Lanes.self)
        }
        var j = 0
        while j &+ 4 <= count {
            let v = load(row, j)
            let x = v.replacing(with: load(median, j), where: v .!= v)
            UnsafeMutableRawPointer(out + j).storeBytes(of: (x - load(mean, j)) * load(inverseScale, j), as: Lanes.self)
            j &+= 4
        }
        while j < count {
            let v = row[j]
            out[j] = ((v.isNaN ? median[j] : v) - mean[j]) * inverseScale[j]
            j &+= 1
        }
    }

    /// Writes the design rows zᵢ for raw rows `rows` of `x` (row-major, `cols` wide) into `out`
    /// (rows.count × q, q = cols + indicators + 1). The training objective calls this per row block, so the
    /// full design matrix is never materialised (fresh memory costs more in page faults than this
    /// recomputation). O(rows.count·q).
    static func fillDesign(x: UnsafeBufferPointer<Double>, rows: Range<Int>, cols: Int, q: Int,
                           params: UnsafeBufferPointer<Double>, out: UnsafeMutableBufferPointer<Double>) {
        guard let xb = x.baseAddress, let pb = params.baseAddress, var ob = out.baseAddress else { return }
        let median = pb, mean = pb + cols, inverseScale = pb + 2 * cols, slots = pb + 3 * cols
        // The columns with a missing indicator, and the indicator's slot: a handful, so per row a short loop
        // instead of a test of every column for NaN.
        var indicated: [(column: Int, slot: Int)] = []
        for j in 0..<cols where slots[j] >= 0 { indicated.append((j, Int(slots[j]))) }
        for i in rows {
            let row = xb + i &* cols
            standardise(row, into: ob, median: median, mean: mean, inverseScale: inverseScale, count: cols)
            for k in cols..<(q - 1) { ob[k] = 0 }
            ob[q - 1] = 1
            for (j, slot) in indicated where row[j].isNaN { ob[slot] = 1 }
            // One-hot inputs (their standardised slot was the raw code or 0): −shareₖ everywhere, +1 at the code.
            var t = pb + 4 * cols
            for _ in 0..<Int(t[0]) {
                let j = Int(t[1]), k = Int(t[2]), extra = Int(t[3]), shares = t + 4
                for c in 0..<k { ob[oneHotSlot(column: j, extra: extra, code: c)] = -shares[c] }
                if let c = code(row[j], codeCount: k) { ob[oneHotSlot(column: j, extra: extra, code: c)] += 1 }
                t += 3 + k
            }
            ob += q
        }
    }
}
