// Thrift's compact protocol, read into a small tree: enough to decode Parquet's footer and page headers, and
// to skip every field the reader does not know. Every length and count is checked against the bytes left
// and nesting is bounded, so a damaged or hostile footer is an error, never a crash, hang or huge allocation.

/// A decoded Thrift value. Integers of every width are `.int`; `binary` holds strings and bytes alike.
enum ThriftValue: Sendable {
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case binary([UInt8])
    case list([ThriftValue])
    case structure(ThriftStruct)
    /// A map's entries are read only to be skipped.
    case map
}

/// A struct's fields by id.
struct ThriftStruct: Sendable {
    var fields: [Int16: ThriftValue] = [:]

    func int(_ id: Int16) -> Int64? { if case .int(let v)? = fields[id] { return v }; return nil }
    func bool(_ id: Int16) -> Bool? { if case .bool(let v)? = fields[id] { return v }; return nil }
    func string(_ id: Int16) -> String? { if case .binary(let b)? = fields[id] { return String(decoding: b, as: UTF8.self) }; return nil }
    func structure(_ id: Int16) -> ThriftStruct? { if case .structure(let s)? = fields[id] { return s }; return nil }
    func list(_ id: Int16) -> [ThriftValue]? { if case .list(let l)? = fields[id] { return l }; return nil }
    func structs(_ id: Int16) -> [ThriftStruct] {
        (list(id) ?? []).compactMap { if case .structure(let s) = $0 { return s }; return nil }
    }
    /// The id of a union's one set field (Parquet's LogicalType and TimeUnit are unions of empty structs).
    var unionField: Int16? { fields.keys.min() }
}

struct ThriftError: Error, Sendable {
    var reason: String
    var offset: Int
}

struct ThriftCompactReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var position: Int
    /// Structs inside structs deeper than this are refused (Parquet's are at most a few levels deep).
    static let maxDepth = 32

    init(_ bytes: UnsafeRawBufferPointer, at position: Int = 0) { self.bytes = bytes; self.position = position }

    mutating func readStruct(depth: Int = 0) throws -> ThriftStruct {
        guard depth < Self.maxDepth else { throw fail("structs nested deeper than \(Self.maxDepth)") }
        var s = ThriftStruct()
        var lastID: Int16 = 0
        while true {
            let header = try byte()
            if header == 0 { return s }
            let delta = Int16(header >> 4), type = header & 0x0F
            let id: Int16
            if delta == 0 {
                let raw = try zigzag()
                guard raw >= Int64(Int16.min) && raw <= Int64(Int16.max) else { throw fail("field id \(raw) out of range") }
                id = Int16(raw)
            } else {
                id = lastID &+ delta
            }
            lastID = id
            s.fields[id] = try value(type: type, depth: depth, inField: true)
        }
    }

    private mutating func value(type: UInt8, depth: Int, inField: Bool) throws -> ThriftValue {
        switch type {
        case 1: return .bool(true)    // in a field header: true; in a list, a byte follows (handled in list)
        case 2: return .bool(false)
        case 3: return .int(Int64(Int8(bitPattern: try byte())))
        case 4, 5, 6: return .int(try zigzag())
        case 7:
            guard position + 8 <= bytes.count else { throw fail("a double runs past the end") }
            var bits: UInt64 = 0
            for k in 0..<8 { bits |= UInt64(bytes[position + k]) << (8 * k) }
            position += 8
            return .double(Double(bitPattern: bits))
        case 8:
            let n = try length()
            let b = Array(bytes[position..<position + n])
            position += n
            return .binary(b)
        case 9, 10: return .list(try list(depth: depth))
        case 11:
            let n = try varint()
            if n > 0 {
                let kv = try byte()
                guard n <= UInt64(bytes.count - position) else { throw fail("a map of \(n) entries cannot fit") }
                for _ in 0..<n {
                    _ = try element(type: kv >> 4, depth: depth)
                    _ = try element(type: kv & 0x0F, depth: depth)
                }
            }
            return .map
        case 12: return .structure(try readStruct(depth: depth + 1))
        default: throw fail("unknown field type \(type)")
        }
    }

    /// A list or set element: booleans take a whole byte here.
    private mutating func element(type: UInt8, depth: Int) throws -> ThriftValue {
        if type == 1 || type == 2 { return .bool(try byte() == 1) }
        return try value(type: type, depth: depth, inField: false)
    }

    private mutating func list(depth: Int) throws -> [ThriftValue] {
        let header = try byte()
        var n = UInt64(header >> 4)
        if n == 15 { n = try varint() }
        // Every element takes at least one byte (an empty struct is its stop byte).
        guard n <= UInt64(bytes.count - position) else { throw fail("a list of \(n) elements cannot fit in \(bytes.count - position) bytes") }
        var out: [ThriftValue] = []
        out.reserveCapacity(Int(n))
        for _ in 0..<n { out.append(try element(type: header & 0x0F, depth: depth)) }
        return out
    }

    private mutating func length() throws -> Int {
        let n = try varint()
        guard n <= UInt64(bytes.count - position) else { throw fail("a \(n)-byte string runs past the end") }
        return Int(n)
    }

    // Bytes, varints and zig-zag integers are Parquet's own (ByteCursor), read within the struct's bytes.
    mutating func byte() throws -> UInt8 { try cursor { try $0.byte() } }
    mutating func varint() throws -> UInt64 { try cursor { try $0.varint() } }
    mutating func zigzag() throws -> Int64 { try cursor { try $0.zigzag() } }

    private mutating func cursor<T>(_ read: (inout ByteCursor) throws -> T) throws -> T {
        var c = ByteCursor(bytes, from: position)
        do {
            let v = try read(&c)
            position = c.position
            return v
        } catch ParquetError.corrupt(let reason) {
            throw fail(reason)
        }
    }

    func fail(_ reason: String) -> ThriftError { ThriftError(reason: reason, offset: position) }
}
