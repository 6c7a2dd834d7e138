// Parquet's value and level encodings, decoding from a bounded byte buffer: the RLE/bit-packed hybrid (levels
// and dictionary indices), PLAIN, DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and
// BYTE_STREAM_SPLIT (apache/parquet-format Encodings.md). Counts come from page headers and are checked
// against the bytes present before anything is allocated.

/// A cursor over one page's bytes.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    var position: Int
    let end: Int

    init(_ bytes: UnsafeRawBufferPointer, from start: Int = 0, to end: Int? = nil) {
        self.bytes = bytes; position = start; self.end = end ?? bytes.count
    }

    var remaining: Int { end - position }

    mutating func take(_ n: Int, _ what: String) throws -> Range<Int> {
        guard n >= 0, n <= remaining else { throw ParquetError.corrupt("\(what) runs past the end of its page") }
        defer { position += n }
        return position..<position + n
    }

    mutating func byte() throws -> UInt8 { bytes[try take(1, "a byte").lowerBound] }

    mutating func uint32LE() throws -> UInt32 {
        let r = try take(4, "a length")
        return UInt32(bytes[r.lowerBound]) | UInt32(bytes[r.lowerBound + 1]) << 8 | UInt32(bytes[r.lowerBound + 2]) << 16 | UInt32(bytes[r.lowerBound + 3]) << 24
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0, shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64 else { throw ParquetError.corrupt("a varint longer than 10 bytes") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func zigzag() throws -> Int64 {
        let u = try varint()
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    /// Little-endian unsigned of `width` bits packed LSB first, starting at bit `bit` of `base`.
    func unpack(base: Int, bit: Int, width: Int) -> UInt64 {
        var v: UInt64 = 0
        var got = 0, b = bit
        while got < width {
            let byte = UInt64(bytes[base + b >> 3])
            let off = b & 7
            let n = min(8 - off, width - got)
            v |= ((byte >> UInt64(off)) & ((1 << UInt64(n)) - 1)) << UInt64(got)
            got += n; b += n
        }
        return v
    }
}

enum RLEHybrid {
    /// `count` values of `width` bits (0...32) from the hybrid encoding in `c` up to its end.
    static func decode(_ c: inout ByteCursor, width: Int, count: Int, into out: inout [UInt32]) throws {
        guard width >= 0 && width <= 32 else { throw ParquetError.corrupt("a bit width of \(width)") }
        out.reserveCapacity(out.count + count)
        var left = count
        while left > 0 {
            guard c.remaining > 0 else { throw ParquetError.corrupt("\(left) level or index values missing from a page") }
            let header = try c.varint()
            if header & 1 == 0 {
                let run = Int(clamping: header >> 1)
                guard run > 0 else { throw ParquetError.corrupt("an empty RLE run") }
                let bytes = (width + 7) / 8
                let r = try c.take(bytes, "an RLE value")
                var v: UInt32 = 0
                for k in 0..<bytes { v |= UInt32(c.bytes[r.lowerBound + k]) << (8 * k) }
                let n = min(run, left)
                out.append(contentsOf: repeatElement(v, count: n))
                left -= n
            } else {
                let groups = Int(clamping: header >> 1)
                guard groups > 0, groups <= c.remaining else { throw ParquetError.corrupt("a bit-packed run longer than its page") }
                let r = try c.take(groups * width, "a bit-packed run")
                let n = min(groups * 8, left)
                unpackRun(c.bytes, r, width: width, count: n, into: &out)
                left -= n
            }
        }
    }

    /// `count` values of `width` bits (0...32) packed LSB first in `run` (which holds them all), appended to
    /// `out`. Each value is one unaligned 8-byte load, shift and mask (a value spans at most 5 bytes); only the
    /// last few values, whose load would pass the run's end, are gathered bit by bit.
    @inline(__always)
    static func unpackRun(_ bytes: UnsafeRawBufferPointer, _ run: Range<Int>, width: Int, count: Int, into out: inout [UInt32]) {
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: count))
        guard width > 0 else { return }
        let mask = UInt64(1) << UInt64(width) &- 1
        // Values whose 8-byte load stays inside the run.
        let fast = run.count >= 8 ? min(count, ((run.count - 8) * 8) / width + 1) : 0
        out.withUnsafeMutableBufferPointer { o in
            let dst = o.baseAddress! + start
            var bit = 0
            for k in 0..<fast {
                let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: run.lowerBound + bit >> 3, as: UInt64.self))
                dst[k] = UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
                bit += width
            }
            let cursor = ByteCursor(bytes)
            for k in fast..<count { dst[k] = UInt32(truncatingIfNeeded: cursor.unpack(base: run.lowerBound, bit: k * width, width: width)) }
        }
    }

    /// Levels in a v1 page: a 4-byte length, then the hybrid encoding.
    static func decodePrefixed(_ c: inout ByteCursor, width: Int, count: Int, into out: inout [UInt32]) throws {
        let n = Int(try c.uint32LE())
        let r = try c.take(n, "the levels")
        var inner = ByteCursor(c.bytes, from: r.lowerBound, to: r.upperBound)
        try decode(&inner, width: width, count: count, into: &out)
    }
}

enum DeltaBinaryPacked {
    /// Up to `count` integers (the header states how many there are); the cursor ends after the last block.
    static func decode(_ c: inout ByteCursor, count: Int) throws -> [Int64] {
        let blockSize = Int(clamping: try c.varint()), miniblocks = Int(clamping: try c.varint())
        let total = Int(clamping: try c.varint())
        var value = try c.zigzag()
        guard blockSize > 0, blockSize % 128 == 0, miniblocks > 0, blockSize % miniblocks == 0, (blockSize / miniblocks) % 32 == 0 else {
            throw ParquetError.corrupt("a DELTA_BINARY_PACKED block of \(blockSize) values in \(miniblocks) miniblocks")
        }
        guard total <= count else { throw ParquetError.corrupt("a DELTA_BINARY_PACKED page of \(total) values where the header says \(count)") }
        var out: [Int64] = []
        out.reserveCapacity(total)
        if total > 0 { out.append(value) }
        let perMini = blockSize / miniblocks
        while out.count < total {
            let minDelta = try c.zigzag()
            let widths = try c.take(miniblocks, "miniblock widths")
            for m in 0..<miniblocks where out.count < total {
                let width = Int(c.bytes[widths.lowerBound + m])
                guard width <= 64 else { throw ParquetError.corrupt("a miniblock bit width of \(width)") }
                let r = try c.take(perMini * width / 8, "a miniblock")
                for k in 0..<perMini where out.count < total {
                    let delta = width == 0 ? 0 : c.unpack(base: r.lowerBound, bit: k * width, width: width)
                    value = value &+ minDelta &+ Int64(bitPattern: delta)
                    out.append(value)
                }
            }
        }
        return out
    }
}

/// Byte-array values as one buffer and offsets (n + 1 of them), the shape the event reader interns from.
public struct ByteArrays: Sendable {
    public private(set) var bytes: [UInt8] = []
    public private(set) var offsets: [Int] = [0]
    public var count: Int { offsets.count - 1 }

    public init() {}

    mutating func append<C: Collection>(_ b: C) where C.Element == UInt8 {
        bytes.append(contentsOf: b); offsets.append(bytes.count)
    }

    mutating func append(contentsOf other: ByteArrays) {
        let base = bytes.count
        bytes.append(contentsOf: other.bytes)
        offsets.append(contentsOf: other.offsets.dropFirst().lazy.map { $0 + base })
    }

    mutating func reserve(rows: Int) { offsets.reserveCapacity(rows + 1) }

    public subscript(i: Int) -> ArraySlice<UInt8> { bytes[offsets[i]..<offsets[i + 1]] }
}
