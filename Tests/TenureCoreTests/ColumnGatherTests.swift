// ColumnGather against reading each column directly: every column's non-NaN values in row order and its NaN
// count, for whole and partial groups of 8, all rows or a subset, on one worker or several.
import Testing
@testable import TenureCore

@Suite("Column gather")
struct ColumnGatherTests {
    @Test(arguments: [(1, 5), (8, 300), (13, 1000), (19, 777)])
    func matchesDirectColumns(width: Int, rows: Int) {
        var x = [Double](repeating: 0, count: width * rows)
        for i in x.indices { x[i] = (i * 7919) % 11 == 0 ? .nan : Double((i * 2654435761) % 1000) / 7 }
        let subset = Array(stride(from: 1, to: rows, by: 3))
        for selection in [nil, subset] {
            for threads in [1, 3] {
                var seen = [[Double]?](repeating: nil, count: width), missing = [Int](repeating: -1, count: width)
                x.withUnsafeBufferPointer { xb in
                    seen.withUnsafeMutableBufferPointer { s in
                        missing.withUnsafeMutableBufferPointer { m in
                            let s = s, m = m
                            let body = { (j: Int, values: UnsafeBufferPointer<Double>, nan: Int) in s[j] = Array(values); m[j] = nan }
                            if let selection {
                                selection.withUnsafeBufferPointer { ColumnGather.nonMissing(x: xb, width: width, rowCount: rows, rows: $0, threads: threads, body) }
                            } else {
                                ColumnGather.nonMissing(x: xb, width: width, rowCount: rows, rows: nil, threads: threads, body)
                            }
                        }
                    }
                }
                for j in 0..<width {
                    let column = (selection ?? Array(0..<rows)).map { x[$0 * width + j] }
                    #expect(seen[j] == column.filter { !$0.isNaN }, "column \(j)")
                    #expect(missing[j] == column.filter(\.isNaN).count, "column \(j)")
                }
            }
        }
    }
}
