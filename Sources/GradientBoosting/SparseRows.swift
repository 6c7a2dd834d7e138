// SparseRows: the binned matrix row by row without each feature's most frequent bin (LightGBM's
// most_freq_bin trick). A histogram built from these entries lacks only those bins, and each is recovered
// exactly as the leaf's total minus the feature's other bins: fixed-point sums are integers, so the recovered
// histogram equals the dense one bit for bit, while a row costs one update per non-default feature instead
// of one per feature (and the hot, serially dependent updates of the default bins disappear).
import CTenureHints
import TenureCore

/// Per row, the global histogram bins (`histogramOffsets[f] + code`) of its features whose code is not the
/// feature's `modeBin`, in feature order: row r's are `entries[rowStart[r] ..< rowStart[r + 1]]`.
struct SparseRows: Sendable {
    /// Per feature, its most frequent code (lowest code on ties), left out of `entries`.
    let modeBin: [Int]
    let rowStart: [UInt32]
    let entries: [UInt16]

    /// Used when it saves at least a quarter of the dense updates and every global bin fits 16 bits.
    static let maxShare = 0.75
    /// Zero entries after the last row's, so a 64-bit word read of any row's entries stays inside the array.
    static let padding = 4
    /// Rows staged at a time by `Histogram.accumulateSparse`.
    static let stageRows = 256

    /// Nil when the layout would not pay (or not fit): then the dense row-major codes serve.
    /// O(rows·cols), parallel over row chunks.
    init?(codes: [UInt8], rowCodes: [UInt8], rows: Int, cols: Int, rowStride: Int, histogramOffsets: [Int],
          totalBins: Int, threads: Int) {
        guard rows > 0, cols > 1, totalBins <= Int(UInt16.max) + 1 else { return nil }
        var mode = [Int](repeating: 0, count: cols)
        var keptPerFeature = [Int](repeating: 0, count: cols)
        let workers = max(1, min(threads, cols))
        codes.withUnsafeBufferPointer { c in
            mode.withUnsafeMutableBufferPointer { md in
                keptPerFeature.withUnsafeMutableBufferPointer { kp in
                    let c = c, md = md, kp = kp
                    parallelFor(workers) { w in
                        var counts = [Int](repeating: 0, count: 256)
                        var f = w
                        while f < cols {
                            for b in 0..<256 { counts[b] = 0 }
                            let col = c.baseAddress! + f * rows
                            for r in 0..<rows { counts[Int(col[r])] &+= 1 }
                            var m = 0
                            for b in 1..<256 where counts[b] > counts[m] { m = b }
                            md[f] = m
                            kp[f] = rows - counts[m]
                            f += workers
                        }
                    }
                }
            }
        }
        let kept = keptPerFeature.reduce(0, +)
        guard Double(kept) <= Self.maxShare * Double(rows * cols), kept < Int(UInt32.max) else { return nil }
        let chunks = max(1, min(threads, rows / 4096))
        var start = [UInt32](repeating: 0, count: rows + 1)
        // Pass 1: entries per row; pass 2 (after the prefix sum): the entries.
        rowCodes.withUnsafeBufferPointer { rc in
            start.withUnsafeMutableBufferPointer { st in
                mode.withUnsafeBufferPointer { md in
                    let codes = rc.baseAddress!, st = st.baseAddress!, md = md.baseAddress!
                    parallelChunks(rows, chunks: chunks) { _, range in
                        for r in range {
                            let row = codes + r &* rowStride
                            var n = 0
                            for f in 0..<cols where Int(row[f]) != md[f] { n &+= 1 }
                            st[r + 1] = UInt32(truncatingIfNeeded: n)
                        }
                    }
                }
            }
        }
        var running: UInt32 = 0
        for r in 0..<rows { running &+= start[r + 1]; start[r + 1] = running }
        // Padded by `Self.padding`: rows are staged as whole 64-bit words, which may read past the last entry.
        var entries = [UInt16](repeating: 0, count: kept + Self.padding)
        rowCodes.withUnsafeBufferPointer { rc in
            start.withUnsafeBufferPointer { st in
                entries.withUnsafeMutableBufferPointer { en in
                    mode.withUnsafeBufferPointer { md in
                        histogramOffsets.withUnsafeBufferPointer { off in
                            let codes = rc.baseAddress!, st = st.baseAddress!, md = md.baseAddress!, off = off.baseAddress!
                            let out = en.baseAddress!
                            parallelChunks(rows, chunks: chunks) { _, range in
                                for r in range {
                                    let row = codes + r &* rowStride
                                    var at = Int(st[r])
                                    for f in 0..<cols where Int(row[f]) != md[f] {
                                        out[at] = UInt16(truncatingIfNeeded: off[f] &+ Int(row[f]))
                                        at &+= 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        modeBin = mode
        rowStart = start
        self.entries = entries
    }
}

extension Histogram {
    /// Adds rows `i in lo..<hi` (row `rowIndices[i]`, or `i` itself when nil) into `hist` from the sparse
    /// entries, the row's pair `gh[row]` ((gradient, hessian), indexed by row) once per entry, and the rows' sum
    /// into `total`.
    /// The mode bins stay untouched: `recoverModeBin` fills them from `total`. O(entries of the rows).
    /// With row indices, `SparseRows.stageRows` rows at a time are first copied into `stage` (`stageCapacity`
    /// entries, at least stageRows · (cols + padding)), with their pairs, a short loop whose cache misses overlap,
    /// so the update loop, whose long dependency chains would leave each miss exposed, runs on contiguous memory.
    /// Pairs are gathered by row rather than carried along by every partition: a tree's partitions move about 4n
    /// rows, six times the 0.7n its histograms gather (stage 08's model).
    @inline(__always)
    static func accumulateSparse(rowStart: UnsafePointer<UInt32>, entries: UnsafePointer<UInt16>,
                                 rowIndices: UnsafePointer<Int32>?, lo: Int, hi: Int,
                                 gh: UnsafePointer<SIMD2<Int64>>, into hist: UnsafeMutablePointer<Int64>,
                                 total: inout SIMD2<Int64>,
                                 stage: (entries: UnsafeMutablePointer<UInt16>, ends: UnsafeMutablePointer<Int>,
                                         pairs: UnsafeMutablePointer<SIMD2<Int64>>)? = nil) {
        let pairs = UnsafeMutableRawPointer(hist)
        var sum = SIMD2<Int64>(0, 0)
        @inline(__always) func add(_ list: UnsafePointer<UInt16>, _ from: Int, _ to: Int, _ v: SIMD2<Int64>) {
            sum &+= v
            var e = from
            while e < to {
                let at = Int(list[e]) &* 16
                pairs.storeBytes(of: pairs.loadUnaligned(fromByteOffset: at, as: SIMD2<Int64>.self) &+ v,
                                 toByteOffset: at, as: SIMD2<Int64>.self)
                e &+= 1
            }
        }
        guard let rowIndices else {
            for r in lo..<hi { add(entries, Int(rowStart[r]), Int(rowStart[r &+ 1]), gh[r]) }  // position = row
            total &+= sum
            return
        }
        guard let stage else {
            for i in lo..<hi { let r = Int(rowIndices[i]); add(entries, Int(rowStart[r]), Int(rowStart[r &+ 1]), gh[r]) }
            total &+= sum
            return
        }
        let src = UnsafeRawPointer(entries)
        let dst = UnsafeMutableRawPointer(stage.entries)
        // The rows a leaf gathers are scattered over the whole matrix, so each one's start, entries and pair miss
        // the cache: they are fetched `ahead` rows early (the start twice as early, as the entries' address needs it).
        let ahead = 8
        var b0 = lo
        while b0 < hi {
            let b1 = min(hi, b0 &+ SparseRows.stageRows)
            var at = 0
            for i in b0..<b1 {
                if i &+ 2 &* ahead < hi { tenure_prefetch(rowStart + Int(rowIndices[i &+ 2 &* ahead])) }
                if i &+ ahead < hi {
                    let nextRow = Int(rowIndices[i &+ ahead])
                    let next = src + Int(rowStart[nextRow]) &* 2
                    tenure_prefetch(next); tenure_prefetch(next + 64); tenure_prefetch(gh + nextRow)
                }
                let r = Int(rowIndices[i])
                stage.pairs[i &- b0] = gh[r]
                let s = Int(rowStart[r]), n = Int(rowStart[r &+ 1]) &- s
                var w = 0
                while w < n {  // whole 64-bit words: the entries are padded, the stage has room
                    dst.storeBytes(of: src.loadUnaligned(fromByteOffset: (s &+ w) &* 2, as: UInt64.self),
                                   toByteOffset: (at &+ w) &* 2, as: UInt64.self)
                    w &+= 4
                }
                at &+= n
                stage.ends[i &- b0] = at
            }
            var from = 0
            for k in 0..<(b1 &- b0) {
                let to = stage.ends[k]
                add(stage.entries, from, to, stage.pairs[k])
                from = to
            }
            b0 = b1
        }
        total &+= sum
    }

    /// Sets the mode bin `mode` of one feature's `bins` (gradient, hessian) slots to `total` minus the other
    /// bins, the exact sum of the rows the sparse entries left out. O(bins).
    @inline(__always)
    static func recoverModeBin(_ hist: UnsafeMutablePointer<Int64>, bins: Int, mode: Int, total: SIMD2<Int64>) {
        var g: Int64 = 0, h: Int64 = 0
        for b in 0..<bins where b != mode { g &+= hist[2 * b]; h &+= hist[2 * b + 1] }
        hist[2 * mode] = total[0] &- g
        hist[2 * mode + 1] = total[1] &- h
    }
}
