// Columns out of a row-major matrix, for the passes that need one column at a time (quantiles, bin bounds).
// Reading a column in place touches one cache line per value, in a stride the hardware prefetcher does not
// follow across pages (about 90 ns a row on these machines); a group of adjacent columns shares those lines.

public enum ColumnGather {
    /// Columns gathered per pass: eight Doubles are one cache line of a row.
    public static let group = 8

    /// Calls `body(column, values, missing)` for every column of the row-major `x` (`width` columns), where
    /// `values` are the column's non-NaN values of the rows `rows` (ascending row indices; nil: every one of
    /// `rowCount` rows), in row order, and `missing` their count of NaNs. Groups of `group` columns are gathered in
    /// one pass over the rows into a buffer each worker reuses; the groups are spread over `threads` workers, so
    /// `body` runs concurrently for different columns (and must write only that column's results).
    public static func nonMissing(x: UnsafeBufferPointer<Double>, width: Int, rowCount: Int, rows: UnsafeBufferPointer<Int>?,
                                  threads: Int, _ body: (_ column: Int, _ values: UnsafeBufferPointer<Double>, _ missing: Int) -> Void) {
        guard width > 0 else { return }
        let n = rows?.count ?? rowCount
        let groups = (width + group - 1) / group
        let workers = max(1, min(threads, groups))
        parallelFor(workers) { w in
            let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: group * max(1, n))
            defer { buffer.deallocate() }
            var filled = [Int](repeating: 0, count: group)
            var g = w
            while g < groups {
                let first = g * group, count = min(group, width - first)
                filled.withUnsafeMutableBufferPointer { f in
                    for k in 0..<count { f[k] = 0 }
                    let base = buffer.baseAddress!
                    if count == group {
                        // A whole group: the eight fill counts in registers (through `f` they were reloaded after
                        // every store, which might alias them).
                        var at = SIMD8<Int>(repeating: 0)
                        let starts = SIMD8<Int>(0, n, 2 * n, 3 * n, 4 * n, 5 * n, 6 * n, 7 * n)
                        for i in 0..<n {
                            let r = rows?[i] ?? i
                            let row = x.baseAddress! + r * width + first
                            for k in 0..<8 {
                                let value = row[k]
                                base[starts[k] &+ at[k]] = value
                                at[k] &+= value.isNaN ? 0 : 1
                            }
                        }
                        for k in 0..<8 { f[k] = at[k] }
                        return
                    }
                    for i in 0..<n {
                        let r = rows?[i] ?? i
                        let row = x.baseAddress! + r * width + first
                        for k in 0..<count {
                            let value = row[k]
                            base[k * n + f[k]] = value
                            f[k] &+= value.isNaN ? 0 : 1   // a NaN is overwritten by the next value
                        }
                    }
                }
                for k in 0..<count {
                    body(first + k, UnsafeBufferPointer(rebasing: buffer[(k * n)..<(k * n + filled[k])]), n - filled[k])
                }
                g += workers
            }
        }
    }
}
