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
    public static let epochMicros: Int64 = 946_684_800_000_000
}

public struct CopyBinaryDecoder {
    public let columns: [(name: String, oid: UInt32)]
    private let scanner: CopyTupleScanner
    public var rows: Int { scanner.rows }
    public var finished: Bool { scanner.finished }

    public init(columns: [(name: String, oid: UInt32)]) {
        self.columns = columns
        scanner = CopyTupleScanner(fieldCount: columns.count)
    }

    /// Feeds one buffer; calls `row` for every complete tuple in it (values in column order).
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, row: ([PostgresValue]) throws -> Void) throws {
        var values: [PostgresValue] = []
        let columns = self.columns, scanner = self.scanner
        try scanner.feed(chunk) { t in
            values.removeAll(keepingCapacity: true)
            for c in columns.indices {
                guard let f = t.field(c) else { values.append(.null); continue }
                values.append(try Self.decode(f, oid: columns[c].oid, row: scanner.rows, column: columns[c].name))
            }
            try row(values)
        }
    }

    /// One non-NULL field in the binary send format of type `oid` (`row` and `column` locate errors). Allocates
    /// only for text (the event reader reads text fields' bytes in place instead).
    @inline(__always)
    public static func decode(_ b: UnsafeRawBufferPointer, oid: UInt32, row: Int, column: String) throws -> PostgresValue {
        func bigEndian(_ n: Int) throws -> UInt64 {
            guard b.count == n else { throw PostgresError.badValue(row: row, column: column, reason: "\(b.count) bytes for a \(n)-byte value") }
            var x: UInt64 = 0
            for i in 0..<n { x = x << 8 | UInt64(b[i]) }
            return x
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
            guard d != Int64(Int32.max), d != Int64(Int32.min) else { throw PostgresError.badValue(row: row, column: column, reason: "an infinite date") }
            return .date(d + PostgresType.epochDays)
        case PostgresType.timestamp, PostgresType.timestamptz:
            let t = Int64(bitPattern: try bigEndian(8))
            guard t != Int64.max, t != Int64.min else { throw PostgresError.badValue(row: row, column: column, reason: "an infinite timestamp") }
            return .timestampMicros(t &+ PostgresType.epochMicros)
        case PostgresType.numeric: return .double(try Self.numeric(b, row: row, column: column))
        default:
            throw PostgresError.badValue(row: row, column: column, reason: "type OID \(oid) is not one Tenure reads (cast it in the query: ::text, ::bigint, ::float8, ::timestamptz)")
        }
    }

    /// numeric's send format: ndigits, weight, sign, dscale (16 bits each), then base-10000 digits.
    static func numeric(_ a: UnsafeRawBufferPointer, row: Int, column: String) throws -> Double {
        guard a.count >= 8 else { throw PostgresError.badValue(row: row, column: column, reason: "a truncated numeric") }
        func u16(_ i: Int) -> Int { Int(a[i]) << 8 | Int(a[i + 1]) }
        let ndigits = u16(0), weight = Int(Int16(bitPattern: UInt16(u16(2)))), sign = u16(4)
        guard a.count == 8 + 2 * ndigits else { throw PostgresError.badValue(row: row, column: column, reason: "a numeric of the wrong length") }
        if sign == 0xC000 { throw PostgresError.badValue(row: row, column: column, reason: "NaN") }
        // Digits that fit 2^53 as one integer, scaled by an exact power of ten, round once: the double nearest
        // the decimal, as a file reader's parse of its text gives (1.26 stays 1.26, not 1 + 2600 × 0.0001).
        var n: UInt64 = 0, exact = true
        for k in 0..<ndigits {
            let (m, o1) = n.multipliedReportingOverflow(by: 10_000)
            let (sum, o2) = m.addingReportingOverflow(UInt64(u16(8 + 2 * k)))
            if o1 || o2 || sum > 1 << 53 { exact = false; break }
            n = sum
        }
        let scale = 4 * (weight - ndigits + 1)
        var x: Double
        if exact && abs(scale) <= 22 {
            x = scale >= 0 ? Double(n) * exactPowersOfTen[scale] : Double(n) / exactPowersOfTen[-scale]
        } else {
            x = 0
            for k in 0..<ndigits { x += Double(u16(8 + 2 * k)) * pow10000(weight - k) }
        }
        return sign == 0x4000 ? -x : x
    }

    /// 10^0 … 10^22, every one exact in a double.
    static let exactPowersOfTen: [Double] = (0...22).map { e in (0..<e).reduce(1.0) { r, _ in r * 10 } }

    static func pow10000(_ e: Int) -> Double {
        var r = 1.0
        if e >= 0 { for _ in 0..<min(e, 80) { r *= 10_000 } } else { for _ in 0..<min(-e, 80) { r /= 10_000 } }
        return r
    }
}
