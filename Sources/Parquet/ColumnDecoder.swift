// One flat column chunk decoded page by page into values per row: the dictionary page, data pages v1 and v2
// (levels, then values in any of the supported encodings), decompressed per the chunk's codec.

/// A decoded column, one entry per row; rows whose value is null have `isNull[row]` set and a zero value.
public struct ColumnValues: Sendable {
    public enum Storage: Sendable {
        /// BOOLEAN, INT32 and INT64 (widened).
        case integers([Int64])
        /// FLOAT (widened) and DOUBLE.
        case doubles([Double])
        /// BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY.
        case bytes(ByteArrays)
        /// INT96 timestamps as nanoseconds since 1970-01-01 UTC.
        case int96Nanos([Int64])
        /// BYTE_ARRAY values as the file's dictionary and one index into it per row (only when asked for:
        /// a reader that interns values does it once per dictionary entry instead of once per row).
        case dictionary(ByteArrays, indices: [UInt32])
    }
    public var storage: Storage
    /// nil when no row is null.
    public var isNull: [Bool]?
    public var count: Int {
        switch storage {
        case .integers(let v): return v.count
        case .doubles(let v): return v.count
        case .bytes(let v): return v.count
        case .int96Nanos(let v): return v.count
        case .dictionary(_, let i): return i.count
        }
    }

    /// The same values with a dictionary spelled out per row.
    public var expanded: ColumnValues {
        guard case let .dictionary(d, indices) = storage else { return self }
        var out = ByteArrays()
        out.reserve(rows: indices.count)
        for (row, i) in indices.enumerated() { if isNull?[row] == true { out.append(EmptyCollection()) } else { out.append(d[Int(i)]) } }
        return ColumnValues(storage: .bytes(out), isNull: isNull)
    }
}

/// Values of one physical type gathered in order; nulls get a placeholder so indices are rows.
struct ValueBuffer {
    let type: PhysicalType
    let fixedLength: Int
    var integers: [Int64] = []
    var doubles: [Double] = []
    var bytes = ByteArrays()

    var count: Int {
        switch type {
        case .byteArray, .fixedLenByteArray: return bytes.count
        case .float, .double: return doubles.count
        default: return integers.count
        }
    }

    mutating func appendNull() {
        switch type {
        case .byteArray, .fixedLenByteArray: bytes.append(EmptyCollection())
        case .float, .double: doubles.append(0)
        default: integers.append(0)
        }
    }

    /// Copies every value of `other` to the end.
    mutating func append(contentsOf other: ValueBuffer) {
        switch type {
        case .byteArray, .fixedLenByteArray: bytes.append(contentsOf: other.bytes)
        case .float, .double: doubles.append(contentsOf: other.doubles)
        default: integers.append(contentsOf: other.integers)
        }
    }

    /// Copies value `i` of `other` (a dictionary) to the end.
    mutating func append(from other: ValueBuffer, at i: Int) {
        switch type {
        case .byteArray, .fixedLenByteArray: bytes.append(other.bytes[i])
        case .float, .double: doubles.append(other.doubles[i])
        default: integers.append(other.integers[i])
        }
    }

    /// `values` spread over the rows of `definitions`: a row at level `present` takes the next value, any other
    /// row is null (a zero value, `true` in `nulls`). Numbers go in one typed pass, not a type switch per row.
    mutating func spread(_ values: ValueBuffer, definitions: [UInt32], present: UInt32, nulls: inout [Bool]) {
        nulls.append(contentsOf: definitions.lazy.map { $0 != present })
        func typed<T: Numeric>(_ source: [T], _ into: inout [T]) {
            var next = 0
            into.reserveCapacity(into.count + definitions.count)
            for d in definitions {
                if d == present { into.append(source[next]); next += 1 } else { into.append(0) }
            }
        }
        switch type {
        case .byteArray, .fixedLenByteArray:
            var next = 0
            for d in definitions { if d == present { bytes.append(values.bytes[next]); next += 1 } else { bytes.append(EmptyCollection()) } }
        case .float, .double: typed(values.doubles, &doubles)
        default: typed(values.integers, &integers)
        }
    }

    /// `n` PLAIN values.
    mutating func appendPlain(_ c: inout ByteCursor, _ n: Int) throws {
        switch type {
        case .boolean:
            let r = try c.take((n + 7) / 8, "PLAIN booleans")
            for k in 0..<n { integers.append(Int64(c.bytes[r.lowerBound + k >> 3] >> UInt8(k & 7) & 1)) }
        // Fixed-width values are loaded whole (little-endian, as Parquet stores them), not bit by bit.
        case .int32:
            let r = try c.take(4 * n, "PLAIN INT32 values"), b = c.bytes
            integers.append(contentsOf: (0..<n).lazy.map { k in Int64(Int32(littleEndian: b.loadUnaligned(fromByteOffset: r.lowerBound + 4 * k, as: Int32.self))) })
        case .int64:
            let r = try c.take(8 * n, "PLAIN INT64 values"), b = c.bytes
            integers.append(contentsOf: (0..<n).lazy.map { k in Int64(littleEndian: b.loadUnaligned(fromByteOffset: r.lowerBound + 8 * k, as: Int64.self)) })
        case .int96:
            let r = try c.take(12 * n, "PLAIN INT96 values")
            for k in 0..<n {
                let nanosOfDay = Int64(bitPattern: c.unpack(base: r.lowerBound + 12 * k, bit: 0, width: 64))
                let julianDay = Int64(c.unpack(base: r.lowerBound + 12 * k + 8, bit: 0, width: 32))
                integers.append((julianDay - 2_440_588) &* 86_400_000_000_000 &+ nanosOfDay)
            }
        case .float:
            let r = try c.take(4 * n, "PLAIN FLOAT values")
            for k in 0..<n { doubles.append(Double(Float(bitPattern: UInt32(c.unpack(base: r.lowerBound + 4 * k, bit: 0, width: 32))))) }
        case .double:
            let r = try c.take(8 * n, "PLAIN DOUBLE values"), b = c.bytes
            doubles.append(contentsOf: (0..<n).lazy.map { k in Double(bitPattern: UInt64(littleEndian: b.loadUnaligned(fromByteOffset: r.lowerBound + 8 * k, as: UInt64.self))) })
        case .byteArray:
            for _ in 0..<n {
                let len = Int(try c.uint32LE())
                let r = try c.take(len, "a PLAIN BYTE_ARRAY value")
                bytes.append(UnsafeRawBufferPointer(rebasing: c.bytes[r]))
            }
        case .fixedLenByteArray:
            guard fixedLength > 0 else { throw ParquetError.corrupt("a FIXED_LEN_BYTE_ARRAY column without a length") }
            for _ in 0..<n {
                let r = try c.take(fixedLength, "a FIXED_LEN_BYTE_ARRAY value")
                bytes.append(UnsafeRawBufferPointer(rebasing: c.bytes[r]))
            }
        }
    }

    mutating func appendIntegers(_ v: [Int64]) throws {
        switch type {
        case .int32: integers.append(contentsOf: v.map { Int64(Int32(truncatingIfNeeded: $0)) })
        case .int64: integers.append(contentsOf: v)
        default: throw ParquetError.corrupt("DELTA_BINARY_PACKED on a \(type) column")
        }
    }

    /// `n` BYTE_STREAM_SPLIT values: byte k of every value stored together.
    mutating func appendByteStreamSplit(_ c: inout ByteCursor, _ n: Int) throws {
        let width: Int
        switch type {
        case .float, .int32: width = 4
        case .double, .int64: width = 8
        case .fixedLenByteArray: width = fixedLength
        default: throw ParquetError.corrupt("BYTE_STREAM_SPLIT on a \(type) column")
        }
        guard width > 0 else { throw ParquetError.corrupt("BYTE_STREAM_SPLIT on a zero-width column") }
        let r = try c.take(width * n, "BYTE_STREAM_SPLIT values")
        var value = [UInt8](repeating: 0, count: width)
        for k in 0..<n {
            for b in 0..<width { value[b] = c.bytes[r.lowerBound + b * n + k] }
            var bits: UInt64 = 0
            for b in 0..<min(width, 8) { bits |= UInt64(value[b]) << (8 * b) }
            switch type {
            case .float: doubles.append(Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits))))
            case .double: doubles.append(Double(bitPattern: bits))
            case .int32: integers.append(Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: bits))))
            case .int64: integers.append(Int64(bitPattern: bits))
            default: bytes.append(value)
            }
        }
    }

    func values(isNull: [Bool]?) -> ColumnValues {
        switch type {
        case .byteArray, .fixedLenByteArray: return ColumnValues(storage: .bytes(bytes), isNull: isNull)
        case .float, .double: return ColumnValues(storage: .doubles(doubles), isNull: isNull)
        case .int96: return ColumnValues(storage: .int96Nanos(integers), isNull: isNull)
        default: return ColumnValues(storage: .integers(integers), isNull: isNull)
        }
    }
}

struct ColumnDecoder {
    let file: UnsafeRawBufferPointer
    let chunk: ColumnChunkMeta
    let element: SchemaElement
    let maxDefinition: Int
    let rows: Int
    /// Keep a BYTE_ARRAY chunk's dictionary and per-row indices while every data page is dictionary-encoded.
    var keepDictionary = false

    /// Bits needed to hold 0...max.
    static func bitWidth(_ max: Int) -> Int { max == 0 ? 0 : Int.bitWidth - max.leadingZeroBitCount }

    func decode() throws -> ColumnValues {
        var out = ValueBuffer(type: chunk.type, fixedLength: element.typeLength)
        var dictionary: ValueBuffer?
        var nulls: [Bool] = []
        var anyNull = false
        var offset = Int(chunk.start)
        let chunkEnd = chunk.totalCompressedSize > 0 ? offset + Int(chunk.totalCompressedSize) : file.count
        guard offset >= 4, offset < file.count, chunkEnd <= file.count - 8 else {
            throw ParquetError.corrupt("a column chunk at bytes \(offset)..<\(chunkEnd) outside the file's \(file.count)")
        }
        var definitions: [UInt32] = []
        // Per-row dictionary indices while every page so far was dictionary-encoded (nil: values are in `out`).
        var indices: [UInt32]? = keepDictionary && chunk.type == .byteArray ? [] : nil
        var produced: Int { indices?.count ?? out.count }
        while produced < rows {
            guard offset < chunkEnd else { throw ParquetError.corrupt("the column chunk ends after \(produced) of \(rows) rows") }
            var reader = ThriftCompactReader(UnsafeRawBufferPointer(rebasing: file[..<chunkEnd]), at: offset)
            let header: PageHeader
            do { header = try PageHeader(try reader.readStruct()) } catch let e as ThriftError {
                throw ParquetError.corrupt("a page header at byte \(offset): \(e.reason)")
            }
            let bodyStart = reader.position, bodyEnd = bodyStart + header.compressedSize
            guard bodyEnd <= chunkEnd else { throw ParquetError.corrupt("a page at byte \(offset) runs past its column chunk") }
            offset = bodyEnd
            let body = UnsafeRawBufferPointer(rebasing: file[bodyStart..<bodyEnd])
            switch header.type {
            case .indexPage: continue
            case .dictionaryPage:
                guard dictionary == nil else { throw ParquetError.corrupt("a second dictionary page") }
                guard header.encoding == .plain || header.encoding == .plainDictionary else {
                    throw ParquetError.unsupported("a dictionary page in \(header.encoding)")
                }
                let page = try PageCodec.decompress(chunk.codec, body, size: header.uncompressedSize)
                var d = ValueBuffer(type: chunk.type, fixedLength: element.typeLength)
                try page.withUnsafeBytes { p in
                    var c = ByteCursor(p)
                    try d.appendPlain(&c, header.valueCount)
                }
                dictionary = d
            case .dataPage, .dataPageV2:
                guard header.valueCount <= rows - produced else {
                    throw ParquetError.corrupt("a data page of \(header.valueCount) values past the chunk's \(rows) rows")
                }
                let page: [UInt8], levelsEnd: Int
                if header.type == .dataPage {
                    page = try PageCodec.decompress(chunk.codec, body, size: header.uncompressedSize)
                    levelsEnd = 0
                } else {
                    // v2: levels stay uncompressed before the values, their lengths in the header.
                    let levels = header.repetitionLevelsBytes + header.definitionLevelsBytes
                    let values = UnsafeRawBufferPointer(rebasing: body[(body.startIndex + levels)...])
                    let decompressed = header.valuesCompressed
                        ? try PageCodec.decompress(chunk.codec, values, size: header.uncompressedSize - levels)
                        : Array(values)
                    page = Array(body[..<(body.startIndex + levels)]) + decompressed
                    levelsEnd = levels
                }
                try page.withUnsafeBytes { p in
                    var c = ByteCursor(p)
                    definitions.removeAll(keepingCapacity: true)
                    if maxDefinition > 0 {
                        let width = Self.bitWidth(maxDefinition)
                        if header.type == .dataPage {
                            try RLEHybrid.decodePrefixed(&c, width: width, count: header.valueCount, into: &definitions)
                        } else {
                            var levels = ByteCursor(p, from: header.repetitionLevelsBytes, to: levelsEnd)
                            try RLEHybrid.decode(&levels, width: width, count: header.valueCount, into: &definitions)
                            c.position = levelsEnd
                        }
                    } else {
                        c.position = levelsEnd
                    }
                    let present = maxDefinition == 0 ? header.valueCount : definitions.reduce(0) { $0 + ($1 == UInt32(maxDefinition) ? 1 : 0) }
                    if indices != nil, let dict = dictionary, header.encoding == .rleDictionary || header.encoding == .plainDictionary {
                        var idx: [UInt32] = []
                        if present > 0 {
                            let width = Int(try c.byte())
                            try RLEHybrid.decode(&c, width: width, count: present, into: &idx)
                        }
                        guard idx.count == present else { throw ParquetError.corrupt("a data page with \(idx.count) values for \(present) non-null rows") }
                        for i in idx where Int(i) >= dict.count { throw ParquetError.corrupt("dictionary index \(i) in a dictionary of \(dict.count)") }
                        if maxDefinition == 0 || present == header.valueCount {
                            indices!.append(contentsOf: idx)
                            nulls.append(contentsOf: repeatElement(false, count: present))
                        } else {
                            var next = 0
                            for d in definitions {
                                if d == UInt32(maxDefinition) { indices!.append(idx[next]); next += 1; nulls.append(false) }
                                else { indices!.append(0); nulls.append(true); anyNull = true }
                            }
                        }
                        return
                    }
                    if let kept = indices {
                        // A page that is not dictionary-encoded (a writer's fallback): spell the rows so far out.
                        for (row, i) in kept.enumerated() { if nulls[row] { out.appendNull() } else { out.append(from: dictionary!, at: Int(i)) } }
                        indices = nil
                    }
                    var values = ValueBuffer(type: chunk.type, fixedLength: element.typeLength)
                    try decodeValues(&c, header.encoding, present, dictionary: dictionary, into: &values)
                    guard values.count == present else {
                        throw ParquetError.corrupt("a data page with \(values.count) values for \(present) non-null rows")
                    }
                    // Spread the values over the rows, nulls where the definition level is short.
                    if maxDefinition == 0 || present == header.valueCount {   // no null on the page: in bulk
                        out.append(contentsOf: values)
                        nulls.append(contentsOf: repeatElement(false, count: present))
                    } else {
                        out.spread(values, definitions: definitions, present: UInt32(maxDefinition), nulls: &nulls)
                        anyNull = true
                    }
                }
            }
        }
        if let indices, let dictionary {
            return ColumnValues(storage: .dictionary(dictionary.bytes, indices: indices), isNull: anyNull ? nulls : nil)
        }
        return out.values(isNull: anyNull ? nulls : nil)
    }

    func decodeValues(_ c: inout ByteCursor, _ encoding: Encoding, _ n: Int, dictionary: ValueBuffer?,
                      into values: inout ValueBuffer) throws {
        switch encoding {
        case .plain:
            try values.appendPlain(&c, n)
        case .plainDictionary, .rleDictionary:
            guard let dict = dictionary else { throw ParquetError.corrupt("dictionary-encoded values without a dictionary page") }
            guard n > 0 else { return }
            let width = Int(try c.byte())
            var indices: [UInt32] = []
            try RLEHybrid.decode(&c, width: width, count: n, into: &indices)
            let size = dict.count
            for i in indices where Int(i) >= size { throw ParquetError.corrupt("dictionary index \(i) in a dictionary of \(size)") }
            switch values.type {   // the type decided once, not per value
            case .byteArray, .fixedLenByteArray: for i in indices { values.bytes.append(dict.bytes[Int(i)]) }
            case .float, .double: values.doubles.append(contentsOf: indices.lazy.map { dict.doubles[Int($0)] })
            default: values.integers.append(contentsOf: indices.lazy.map { dict.integers[Int($0)] })
            }
        case .rle:
            guard values.type == .boolean else { throw ParquetError.unsupported("RLE values on a \(values.type) column") }
            var bits: [UInt32] = []
            try RLEHybrid.decodePrefixed(&c, width: 1, count: n, into: &bits)
            values.integers.append(contentsOf: bits.map(Int64.init))
        case .deltaBinaryPacked:
            try values.appendIntegers(try DeltaBinaryPacked.decode(&c, count: n))
        case .deltaLengthByteArray:
            guard values.type == .byteArray else { throw ParquetError.corrupt("DELTA_LENGTH_BYTE_ARRAY on a \(values.type) column") }
            let lengths = try DeltaBinaryPacked.decode(&c, count: n)
            for len in lengths {
                let r = try c.take(Int(exactly: len) ?? -1, "a DELTA_LENGTH_BYTE_ARRAY value")
                values.bytes.append(UnsafeRawBufferPointer(rebasing: c.bytes[r]))
            }
        case .deltaByteArray:
            guard values.type == .byteArray || values.type == .fixedLenByteArray else {
                throw ParquetError.corrupt("DELTA_BYTE_ARRAY on a \(values.type) column")
            }
            let prefixes = try DeltaBinaryPacked.decode(&c, count: n)
            let suffixLengths = try DeltaBinaryPacked.decode(&c, count: n)
            guard prefixes.count == suffixLengths.count else { throw ParquetError.corrupt("DELTA_BYTE_ARRAY prefix and suffix counts differ") }
            var previous: [UInt8] = []
            for (p, s) in zip(prefixes, suffixLengths) {
                guard let p = Int(exactly: p), p >= 0, p <= previous.count else { throw ParquetError.corrupt("a DELTA_BYTE_ARRAY prefix of \(p) after a \(previous.count)-byte value") }
                let r = try c.take(Int(exactly: s) ?? -1, "a DELTA_BYTE_ARRAY suffix")
                var value = Array(previous[..<p])
                value.append(contentsOf: UnsafeRawBufferPointer(rebasing: c.bytes[r]))
                values.bytes.append(value)
                previous = value
            }
        case .byteStreamSplit:
            try values.appendByteStreamSplit(&c, n)
        case .bitPacked:
            throw ParquetError.unsupported("BIT_PACKED values")
        }
    }
}
