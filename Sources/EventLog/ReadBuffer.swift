// The reusable read buffer and the record-boundary search (quote-aware for CSV/TSV).
import Foundation

struct ReadBuffer {
    private(set) var base: UnsafeMutableRawPointer
    private(set) var capacity: Int
    private(set) var filled = 0
    private(set) var eof = false
    private var lastByte: UInt8 = 10

    init(capacity: Int) {
        self.capacity = max(capacity, 1 << 16)
        base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 64)
    }

    func deallocate() { base.deallocate() }

    /// True when the input's last byte was not a newline (its last line is then unterminated).
    var endedWithoutNewline: Bool { lastByte != 10 }

    mutating func fill(from source: ByteSource) throws {
        while !eof && filled < capacity {
            let n = try source.read(into: base + filled, count: capacity - filled)
            if n == 0 { eof = true; break }
            filled += n
            lastByte = base.load(fromByteOffset: filled - 1, as: UInt8.self)
        }
    }

    mutating func consume(_ n: Int) {
        precondition(n <= filled)
        if n < filled { memmove(base, base + n, filled - n) }
        filled -= n
    }

    mutating func grow() {
        let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 64)
        bigger.copyMemory(from: base, byteCount: filled)
        base.deallocate()
        base = bigger
        capacity *= 2
    }

    /// End (exclusive) of the first record; grows and refills until one is complete.
    mutating func firstRecordEnd(quoting: Quoting, source: ByteSource, path: String) throws -> Int {
        while true {
            let end = boundaries(after: [1], quoting: quoting, needEnd: false).cuts[0]
            if end > 0 { return end }
            guard capacity < EventLogReader.maxRecordBytes else {
                throw EventLogError.readFailed(path: path, reason: "the header row is longer than 64 MB")
            }
            grow()
            try fill(from: source)
        }
    }

    /// How records are delimited: by line feeds alone, or by line feeds outside quoted fields as the parser
    /// reads them (`CSVScanner` with this delimiter and runaway bound).
    enum Quoting {
        case none
        case csv(delimiter: UInt8, maxQuotedBytes: Int)
    }

    /// Record boundaries (indices just after a record-ending line feed) of the filled bytes, found by reading
    /// the records from the start with the parser's own rules, so no block ever starts inside a record.
    /// `cuts[k]`: the first boundary at or after `targets[k]` (ascending), capped at `end`; `end`: the last
    /// boundary (at end of input, the end of the bytes). Zeros where no record is complete.
    func boundaries(after targets: [Int], quoting: Quoting, needEnd: Bool = true) -> (cuts: [Int], end: Int) {
        ReadBuffer.boundaries(in: UnsafeRawBufferPointer(start: base, count: filled), eof: eof, after: targets,
                              quoting: quoting, needEnd: needEnd)
    }

    /// `boundaries(after:quoting:needEnd:)` over any bytes; `eof`: nothing follows them.
    static func boundaries(in p: UnsafeRawBufferPointer, eof: Bool, after targets: [Int], quoting: Quoting,
                           needEnd: Bool = true) -> (cuts: [Int], end: Int) {
        let n = p.count
        guard n > 0, let base = p.baseAddress else { return (targets.map { _ in 0 }, 0) }
        var cuts: [Int] = []
        cuts.reserveCapacity(targets.count)
        var end = 0
        let hasQuote = memchr(base, Int32(UInt8(ascii: "\"")), n) != nil
        guard case let .csv(delimiter, maxQuoted) = quoting, hasQuote else {
            // No quotes: every line feed ends a record.
            if needEnd {
                var k = n
                while k > 0 && p[k - 1] != 10 { k -= 1 }
                end = eof ? n : k
            }
            for t in targets {
                let from = max(t - 1, cuts.last ?? 0)
                if from < end || (!needEnd && from < n), let hit = memchr(base + from, 10, n - from) {
                    cuts.append(UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit)) + 1)
                } else { cuts.append(needEnd ? end : eof ? n : 0) }
            }
            return (cuts, end)
        }
        var scan = CSVScanner(p, delimiter: delimiter, fileStart: false)
        scan.maxQuotedBytes = maxQuoted
        var next = 0
        scanning: while !scan.atEnd {
            if !scan.skipBlankLine() {
                while true {
                    let f = scan.field()
                    // A quoted field still open at the end of the bytes may close in the bytes not yet read.
                    if f.badQuote && f.end == n && n - f.start < maxQuoted && !eof { break scanning }
                    if f.endsRecord { break }
                }
                if scan.position == n && (!eof && p[n - 1] != 10) { break }   // no line end yet
            }
            end = scan.position
            while next < targets.count && targets[next] <= end { cuts.append(end); next += 1 }
            if next == targets.count && !needEnd { break }
        }
        if eof && scan.atEnd { end = n }
        while cuts.count < targets.count { cuts.append(end) }
        return (cuts, end)
    }
}

/// Record boundaries of bytes held whole in memory (a feature matrix), found exactly as the event reader's
/// splitter finds them, so blocks parsed in parallel read the same records as one scan from the start.
public enum RecordBlocks {
    /// Offsets 0 = c₀ < c₁ < … < c_k = p.count cutting `p` into at most `parts` runs of whole records, each cut
    /// just after a record-ending line feed as `CSVScanner` (this delimiter, this runaway bound) reads them.
    public static func cuts(_ p: UnsafeRawBufferPointer, parts: Int, delimiter: UInt8 = UInt8(ascii: ","),
                            maxQuotedBytes: Int = .max) -> [Int] {
        guard parts > 1, p.count > 0 else { return [0, p.count] }
        let targets = (1..<parts).map { p.count * $0 / parts }
        let found = ReadBuffer.boundaries(in: p, eof: true, after: targets,
                                          quoting: .csv(delimiter: delimiter, maxQuotedBytes: maxQuotedBytes)).cuts
        var cuts = [0]
        for c in found where c > cuts.last! && c < p.count { cuts.append(c) }
        cuts.append(p.count)
        return cuts
    }
}
