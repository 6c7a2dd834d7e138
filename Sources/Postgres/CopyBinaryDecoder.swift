// PostgreSQL's binary COPY format (the COPY reference, "Binary Format"): an 11-byte signature, flags and a
// header extension, then per tuple a 16-bit field count and each field as a 32-bit length (−1 = NULL) and its
// bytes in the type's binary send format; a field count of −1 ends the data. Values are decoded by type OID.

/// A field's value as the event reader needs it.
public enum PostgresValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case double(Double)
    /// text, varchar, char, name (UTF-8 bytes as sent).
    case text([UInt8])
    /// timestamp and timestamptz: microseconds since 1970-01-01 UTC (a timestamp without zone read as UTC).
    case timestampMicros(Int64)
    /// date: days since 1970-01-01.
    case date(Int64)
    case bool(Bool)
}

public enum PostgresType {
    public static let bool: UInt32 = 16, int8: UInt32 = 20, int2: UInt32 = 21, int4: UInt32 = 23, text: UInt32 = 25,
                      float4: UInt32 = 700, float8: UInt32 = 701, bpchar: UInt32 = 1042, varchar: UInt32 = 1043,
                      name: UInt32 = 19, date: UInt32 = 1082, timestamp: UInt32 = 1114, timestamptz: UInt32 = 1184,
                      numeric: UInt32 = 1700
    public static let supported: Set<UInt32> = [bool, int8, int2, int4, text, float4, float8, bpchar, varchar, name, date, timestamp, timestamptz, numeric]

    /// PostgreSQL's epoch (2000-01-01) after Unix's, in days and microseconds.
    static let epochDays: Int64 = 10_957
    static let epochMicros: Int64 = 946_684_800_000_000
}

public struct CopyBinaryDecoder {
    static let signature: [UInt8] = [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00]

    public let columns: [(name: String, oid: UInt32)]
    private var pending: [UInt8] = []
    private var headerDone = false
    public private(set) var rows = 0
    public private(set) var finished = false

    public init(columns: [(name: String, oid: UInt32)]) { self.columns = columns }

    /// Feeds one buffer; calls `row` for every complete tuple in it (values in column order).
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, row: ([PostgresValue]) throws -> Void) throws {
        pending.append(contentsOf: chunk)
        var at = 0
        defer { pending.removeFirst(at) }
        func need(_ n: Int) -> Bool { pending.count - at >= n }
        func int16(_ i: Int) -> Int16 { Int16(bitPattern: UInt16(pending[i]) << 8 | UInt16(pending[i + 1])) }
        func int32(_ i: Int) -> Int32 {
            Int32(bitPattern: UInt32(pending[i]) << 24 | UInt32(pending[i + 1]) << 16 | UInt32(pending[i + 2]) << 8 | UInt32(pending[i + 3]))
        }
        if !headerDone {
            guard need(19) else { return }
            guard Array(pending[0..<11]) == Self.signature else { throw PostgresError.protocolError("not a binary COPY stream (bad signature)") }
            let ext = Int(int32(15))
            guard ext >= 0 else { throw PostgresError.protocolError("a negative header extension") }
            guard need(19 + ext) else { return }
            at = 19 + ext
            headerDone = true
        }
        var values: [PostgresValue] = []
        while !finished && need(2) {
            let count = int16(at)
            if count == -1 { finished = true; at += 2; break }
            guard Int(count) == columns.count else {
                throw PostgresError.protocolError("a tuple of \(count) fields where the query has \(columns.count) columns")
            }
            // A tuple is decoded only once all of it has arrived.
            var end = at + 2
            var complete = true
            for _ in 0..<count {
                guard pending.count - end >= 4 else { complete = false; break }
                let len = Int(int32(end))
                end += 4 + max(0, len)
                guard len >= -1 else { throw PostgresError.protocolError("a field length of \(len)") }
                if end > pending.count { complete = false; break }
            }
            guard complete else { break }
            values.removeAll(keepingCapacity: true)
            var p = at + 2
            for c in 0..<Int(count) {
                let len = Int(int32(p)); p += 4
                if len == -1 { values.append(.null); continue }
                values.append(try decode(pending[p..<p + len], oid: columns[c].oid, column: columns[c].name))
                p += len
            }
            rows += 1
            at = end
            try row(values)
        }
    }

    func decode(_ b: ArraySlice<UInt8>, oid: UInt32, column: String) throws -> PostgresValue {
        func bigEndian(_ n: Int) throws -> UInt64 {
            guard b.count == n else { throw PostgresError.badValue(row: rows + 1, column: column, reason: "\(b.count) bytes for a \(n)-byte value") }
            return b.reduce(0) { $0 << 8 | UInt64($1) }
        }
        switch oid {
        case PostgresType.bool: return .bool(try bigEndian(1) != 0)
        case PostgresType.int2: return .integer(Int64(Int16(truncatingIfNeeded: try bigEndian(2))))
        case PostgresType.int4: return .integer(Int64(Int32(truncatingIfNeeded: try bigEndian(4))))
        case PostgresType.int8: return .integer(Int64(bitPattern: try bigEndian(8)))
        case PostgresType.float4: return .double(Double(Float(bitPattern: UInt32(try bigEndian(4)))))
        case PostgresType.float8: return .double(Double(bitPattern: try bigEndian(8)))
        case PostgresType.text, PostgresType.varchar, PostgresType.bpchar, PostgresType.name: return .text(Array(b))
        case PostgresType.date:
            let d = Int64(Int32(truncatingIfNeeded: try bigEndian(4)))
            // ±infinity are sent as INT32 max/min.
            guard d != Int64(Int32.max), d != Int64(Int32.min) else { throw PostgresError.badValue(row: rows + 1, column: column, reason: "an infinite date") }
            return .date(d + PostgresType.epochDays)
        case PostgresType.timestamp, PostgresType.timestamptz:
            let t = Int64(bitPattern: try bigEndian(8))
            guard t != Int64.max, t != Int64.min else { throw PostgresError.badValue(row: rows + 1, column: column, reason: "an infinite timestamp") }
            return .timestampMicros(t &+ PostgresType.epochMicros)
        case PostgresType.numeric: return .double(try Self.numeric(b, row: rows + 1, column: column))
        default:
            throw PostgresError.badValue(row: rows + 1, column: column, reason: "type OID \(oid) is not one Tenure reads (cast it in the query: ::text, ::bigint, ::float8, ::timestamptz)")
        }
    }

    /// numeric's send format: ndigits, weight, sign, dscale (16 bits each), then base-10000 digits.
    static func numeric(_ b: ArraySlice<UInt8>, row: Int, column: String) throws -> Double {
        let a = Array(b)
        guard a.count >= 8 else { throw PostgresError.badValue(row: row, column: column, reason: "a truncated numeric") }
        func u16(_ i: Int) -> Int { Int(a[i]) << 8 | Int(a[i + 1]) }
        let ndigits = u16(0), weight = Int(Int16(bitPattern: UInt16(u16(2)))), sign = u16(4)
        guard a.count == 8 + 2 * ndigits else { throw PostgresError.badValue(row: row, column: column, reason: "a numeric of the wrong length") }
        if sign == 0xC000 { throw PostgresError.badValue(row: row, column: column, reason: "NaN") }
        var x = 0.0
        for k in 0..<ndigits { x += Double(u16(8 + 2 * k)) * pow10000(weight - k) }
        return sign == 0x4000 ? -x : x
    }

    static func pow10000(_ e: Int) -> Double {
        var r = 1.0
        if e >= 0 { for _ in 0..<min(e, 80) { r *= 10_000 } } else { for _ in 0..<min(-e, 80) { r /= 10_000 } }
        return r
    }
}
