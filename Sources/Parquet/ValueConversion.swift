// What a decoded column means as an event's time or value: timestamps in any unit (UTC-adjusted or not: a
// naive timestamp is read as UTC, as Tenure reads text timestamps without a zone), legacy INT96, DATE, and
// numbers of every width and DECIMAL as doubles.

extension ColumnValues {
    /// Nanoseconds since 1970-01-01 UTC; nil when the column is not a timestamp or date (e.g. text or a bare
    /// integer, whose unit the caller must know).
    public func epochNanoseconds(_ element: SchemaElement) -> [Int64]? {
        switch (storage, element.logical) {
        case (.int96Nanos(let v), _): return v
        case (.integers(let v), .timestamp(let unit, _)):
            let scale: Int64 = unit == .millis ? 1_000_000 : unit == .micros ? 1_000 : 1
            return v.map { $0 &* scale }
        case (.integers(let v), .date): return v.map { $0 &* 86_400_000_000_000 }
        default: return nil
        }
    }

    /// Every value as a double (DECIMAL scaled); nil for text columns.
    public func doubles(_ element: SchemaElement) -> [Double]? {
        let scale: Int? = { if case .decimal(let s, _) = element.logical { return s }; return nil }()
        switch storage {
        case .doubles(let v): return v
        case .integers(let v):
            guard let s = scale else { return v.map(Double.init) }
            return v.map { Self.scaled(Double($0), s) }
        case .bytes(let b):
            // DECIMAL in (FIXED_LEN_)BYTE_ARRAY: big-endian two's complement of the unscaled value.
            guard let s = scale else { return nil }
            return (0..<b.count).map { i in
                let bytes = b[i]
                var x = 0.0
                for (k, byte) in bytes.enumerated() {
                    x = x * 256 + Double(k == 0 ? Double(Int8(bitPattern: byte)) : Double(byte))
                }
                return Self.scaled(x, s)
            }
        case .int96Nanos: return nil
        case .dictionary: return expanded.doubles(element)
        }
    }

    static func scaled(_ unscaled: Double, _ scale: Int) -> Double {
        var p = 1.0
        for _ in 0..<min(max(scale, 0), 38) { p *= 10 }
        return scale >= 0 ? unscaled / p : unscaled * p
    }
}
