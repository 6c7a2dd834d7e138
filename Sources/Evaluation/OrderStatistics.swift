// The few order statistics a quantile histogram needs (its cut points and the minimum), found by selection
// instead of a full sort: a model's reference distribution takes ten of them per feature from every training
// row, and sorting each column (O(n log n) compares through a closure) was a quarter of `train`'s CPU time.

/// k-th smallest values of a sample, by multi-quickselect.
enum OrderStatistics {
    /// Rearranges `values` (no NaN) so that `values[k]` holds the k-th smallest (0-based) for every k in `ranks`,
    /// the value a sort would put there, and returns those values in the order of `ranks`. Three-way partitions
    /// keep heavy ties (a count feature that is mostly 0) linear; a range that recurses too deep is sorted.
    /// O(n log(ranks.count)) expected.
    static func select(_ values: inout [Double], ranks: [Int]) -> [Double] {
        values.withUnsafeMutableBufferPointer { select($0, ranks: ranks) }
    }

    /// `select(_:ranks:)` in place in a buffer.
    static func select(_ buffer: UnsafeMutableBufferPointer<Double>, ranks: [Int]) -> [Double] {
        precondition(ranks.allSatisfy { $0 >= 0 && $0 < buffer.count }, "a rank outside the sample")
        let wanted = Array(Set(ranks)).sorted()
        guard !wanted.isEmpty else { return [] }
        wanted.withUnsafeBufferPointer { r in
            var depth = 0, n = buffer.count
            while n > 1 { depth += 2; n >>= 1 }
            selectRange(buffer.baseAddress!, 0, buffer.count, r[...], depthBudget: depth + 8)
        }
        return ranks.map { buffer[$0] }
    }

    /// The values a sort of `values` (no NaN) would put at each of `ranks`, in the order of `ranks`, each with
    /// the number of values strictly below it, without rearranging `values`: two passes count the values into
    /// 65,536 buckets of their order-preserving bit patterns (over the sample's own key range), a third copies
    /// out the few buckets that hold a wanted rank, and only those are selected in; the buckets below a value's
    /// own, plus its bucket's smaller values, are its count below. Linear passes without data-dependent
    /// branches, where multi-quickselect partitions the whole sample about log₂(ranks) times. Small samples
    /// go to `select`.
    static func values(_ values: UnsafeBufferPointer<Double>, ranks: [Int]) -> [(value: Double, below: Int)] {
        precondition(ranks.allSatisfy { $0 >= 0 && $0 < values.count }, "a rank outside the sample")
        let n = values.count
        if n < 16_384 {
            var copy = Array(values)
            let found = select(&copy, ranks: ranks)
            return found.map { v in (v, values.reduce(0) { $0 + ($1 < v ? 1 : 0) }) }
        }
        @inline(__always) func key(_ v: Double) -> UInt64 {
            let bits = v.bitPattern
            return bits & (1 << 63) == 0 ? bits | (1 << 63) : ~bits
        }
        var low = UInt64.max, high = UInt64.min
        for v in values { let k = key(v); low = min(low, k); high = max(high, k) }
        let bucketBits = 16
        let shift = UInt64(max(0, (64 - (high - low).leadingZeroBitCount) - bucketBits))
        var counts = [Int](repeating: 0, count: 1 << bucketBits)
        counts.withUnsafeMutableBufferPointer { c in
            for v in values { c[Int(truncatingIfNeeded: (key(v) &- low) >> shift)] &+= 1 }
        }
        // Each wanted rank's bucket, the values in buckets below it, and its rank inside it.
        let wanted = Array(Set(ranks)).sorted()
        var bucketOf: [Int: Int] = [:], belowBucket: [Int: Int] = [:]
        var below = 0, b = 0
        for r in wanted {
            while below + counts[b] <= r { below += counts[b]; b += 1 }
            bucketOf[r] = b; belowBucket[b] = below
        }
        let needed = Array(Set(bucketOf.values)).sorted()
        var segment = [Int](repeating: -1, count: 1 << bucketBits), start = [Int](), total = 0
        for (i, bucket) in needed.enumerated() { segment[bucket] = i; start.append(total); total += counts[bucket] }
        var candidates = [Double](repeating: 0, count: total)
        var fill = start
        candidates.withUnsafeMutableBufferPointer { out in
            segment.withUnsafeBufferPointer { seg in
                fill.withUnsafeMutableBufferPointer { at in
                    for v in values {
                        let s = seg[Int(truncatingIfNeeded: (key(v) &- low) >> shift)]
                        if s >= 0 { out[at[s]] = v; at[s] &+= 1 }
                    }
                }
            }
        }
        var found: [Int: (value: Double, below: Int)] = [:]
        candidates.withUnsafeMutableBufferPointer { all in
            for (i, bucket) in needed.enumerated() {
                let inside = wanted.filter { bucketOf[$0] == bucket }
                let offset = belowBucket[bucket]!
                let part = UnsafeMutableBufferPointer(rebasing: all[start[i]..<(start[i] + counts[bucket])])
                let picked = select(part, ranks: inside.map { $0 - offset })
                // The bucket's values below each picked value, all counted in one pass (a tied bucket, say a
                // count feature's zeros, is most of the column and often holds several ranks).
                let distinct = Array(Set(picked)).sorted()
                let below = countBelow(UnsafeBufferPointer(part), distinct)
                for (r, v) in zip(inside, picked) { found[r] = (v, offset + below[distinct.firstIndex(of: v)!]) }
            }
        }
        return ranks.map { found[$0]! }
    }

    /// For each of `thresholds`, how many of `values` are strictly below it; one pass.
    private static func countBelow(_ values: UnsafeBufferPointer<Double>, _ thresholds: [Double]) -> [Int] {
        if thresholds.count == 1 {
            let t = thresholds[0]
            var c = 0
            for v in values { c &+= v < t ? 1 : 0 }
            return [c]
        }
        var counts = [Int](repeating: 0, count: thresholds.count)
        thresholds.withUnsafeBufferPointer { t in
            counts.withUnsafeMutableBufferPointer { c in
                for v in values { for k in 0..<t.count { c[k] &+= v < t[k] ? 1 : 0 } }
            }
        }
        return counts
    }

    /// Places the order statistics of the ranks `r` (sorted, all within lo..<hi) in a[lo..<hi].
    private static func selectRange(_ a: UnsafeMutablePointer<Double>, _ lo: Int, _ hi: Int,
                                    _ r: Slice<UnsafeBufferPointer<Int>>, depthBudget: Int) {
        var lo = lo, hi = hi, r = r, budget = depthBudget
        while !r.isEmpty {
            if hi - lo <= 24 || budget == 0 {
                var range = UnsafeMutableBufferPointer(start: a + lo, count: hi - lo)
                range.sort()
                return
            }
            budget -= 1
            // Median of three as the pivot.
            let mid = lo + (hi - lo) / 2
            let x = a[lo], y = a[mid], z = a[hi - 1]
            let pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y))
            // Dijkstra's three-way partition: [lo, lt) < pivot, [lt, gt) == pivot, [gt, hi) > pivot.
            var lt = lo, i = lo, gt = hi
            while i < gt {
                let v = a[i]
                if v < pivot {
                    a[i] = a[lt]; a[lt] = v; lt += 1; i += 1
                } else if v > pivot {
                    gt -= 1; a[i] = a[gt]; a[gt] = v
                } else {
                    i += 1
                }
            }
            // Ranks below lt go left, ranks at or above gt go right; those between are placed already.
            var split = r.startIndex
            while split < r.endIndex && r[split] < lt { split += 1 }
            var right = split
            while right < r.endIndex && r[right] < gt { right += 1 }
            let leftRanks = r[r.startIndex..<split], rightRanks = r[right..<r.endIndex]
            // Recurse into the smaller side, loop on the larger, so the stack stays shallow.
            if lt - lo < hi - gt {
                if !leftRanks.isEmpty { selectRange(a, lo, lt, leftRanks, depthBudget: budget) }
                lo = gt; r = rightRanks
            } else {
                if !rightRanks.isEmpty { selectRange(a, gt, hi, rightRanks, depthBudget: budget) }
                hi = lt; r = leftRanks
            }
        }
    }
}
