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
    mutating func firstRecordEnd(quoted: Bool, source: ByteSource, path: String) throws -> Int {
        while true {
            let end = boundary(near: 0, quoted: quoted, eof: eof, firstOnly: true)
            if end > 0 { return end }
            guard capacity < EventLogReader.maxRecordBytes else {
                throw EventLogError.readFailed(path: path, reason: "the header row is longer than 64 MB")
            }
            grow()
            try fill(from: source)
        }
    }

    /// A record boundary (index just after a record-ending newline) in [start, limit): the last one at or before
    /// `target`, else the first after it. At end of input `limit` itself counts as a boundary. 0 when none.
    func boundary(from start: Int = 0, near target: Int, limit: Int? = nil, quoted: Bool, eof: Bool,
                  firstOnly: Bool = false) -> Int {
        let limit = limit ?? filled
        if eof && limit == filled && target >= limit && !firstOnly { return limit }
        let p = UnsafeRawBufferPointer(start: base, count: limit)
        let hasQuote = quoted && memchr(base + start, Int32(UInt8(ascii: "\"")), limit - start) != nil
        var best = 0
        if !hasQuote {
            // No quotes: every newline ends a record.
            if !firstOnly, target > start {
                var k = min(target, limit) - 1
                while k >= start { if p[k] == 10 { return k + 1 }; k -= 1 }
            }
            if let hit = memchr(base + max(start, firstOnly ? start : target), 10, limit - max(start, firstOnly ? start : target)) {
                return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit)) + 1
            }
            return eof && limit == filled ? limit : 0
        }
        var inQuotes = false
        var k = start
        while k < limit {
            let c = p[k]
            if c == UInt8(ascii: "\"") { inQuotes.toggle() } else if c == 10 && !inQuotes {
                if firstOnly || k + 1 > target { return best > 0 && !firstOnly ? best : k + 1 }
                best = k + 1
            }
            k += 1
        }
        if best > 0 { return best }
        return eof && limit == filled ? limit : 0
    }
}
