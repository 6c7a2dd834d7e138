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
        precondition(ranks.allSatisfy { $0 >= 0 && $0 < values.count }, "a rank outside the sample")
        let wanted = Array(Set(ranks)).sorted()
        guard !wanted.isEmpty else { return [] }
        values.withUnsafeMutableBufferPointer { buffer in
            wanted.withUnsafeBufferPointer { r in
                var depth = 0, n = buffer.count
                while n > 1 { depth += 2; n >>= 1 }
                selectRange(buffer.baseAddress!, 0, buffer.count, r[...], depthBudget: depth + 8)
            }
        }
        return ranks.map { values[$0] }
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
