// The four columns an event log needs, read from a Parquet file by name: user id, time, and optionally event
// name and value, row-aligned across row groups. Nulls are kept per row so the event reader can make them bad
// rows (located by row number) under the usual policy; what a value means is decided here, once.

public struct EventColumns: Sendable {
    /// How the time column arrived: already a point in time, or text/integers whose format the caller knows.
    public enum Times: Sendable {
        case epochNanoseconds([Int64])
        case text(ByteArrays)
        /// A bare integer column (no timestamp type): epoch seconds or milliseconds, as the time format says.
        case integers([Int64])
    }

    /// Text per row, or a dictionary of distinct texts and one index per row (as dictionary-encoded files hold
    /// them), so a reader can intern each distinct text once.
    public struct Identifiers: Sendable {
        public var values: ByteArrays
        /// nil: `values` has one entry per row.
        public var indices: [UInt32]?
        public var count: Int { indices?.count ?? values.count }
        /// Row `r`'s text.
        public subscript(r: Int) -> ArraySlice<UInt8> { values[indices.map { Int($0[r]) } ?? r] }
    }

    public var rows: Int
    /// User ids as bytes (integer ids rendered in decimal, as a CSV export would write them).
    public var users: Identifiers
    public var userNull: [Bool]?
    public var times: Times
    public var timeNull: [Bool]?
    public var events: Identifiers?
    public var eventNull: [Bool]?
    public var values: [Double]?
    public var valueNull: [Bool]?

    /// The file's columns for the four roles, found by name once per file: `user` and `time` must exist;
    /// `event` and `value` are used when given and present (`required` says whether an absent one is an error).
    public struct Leaves: Sendable {
        public var user: LeafColumn, time: LeafColumn, event: LeafColumn?, value: LeafColumn?

        public init(file: ParquetFile, user: String, time: String, event: String?, eventRequired: Bool,
                    value: String?, valueRequired: Bool) throws {
            func leaf(_ name: String, required: Bool) throws -> LeafColumn? {
                guard let c = file.column(named: name) else {
                    guard required else { return nil }
                    throw ParquetError.located(path: file.path, column: nil, .corrupt(
                        "no column '\(name)'; the file has \(file.columns.map(\.name).joined(separator: ", "))"))
                }
                return c
            }
            self.user = try leaf(user, required: true)!
            self.time = try leaf(time, required: true)!
            self.event = try event.flatMap { try leaf($0, required: eventRequired) }
            self.value = try value.flatMap { try leaf($0, required: valueRequired) }
        }
    }

    /// `user` and `time` must exist; `event` and `value` are read when given and present (`required` says
    /// whether an absent one is an error). Every needed column must be flat.
    public init(file: ParquetFile, user: String, time: String, event: String?, eventRequired: Bool,
                value: String?, valueRequired: Bool, threads: Int) throws {
        try self.init(file: file, leaves: try Leaves(file: file, user: user, time: time, event: event, eventRequired: eventRequired,
                                                      value: value, valueRequired: valueRequired),
                      groups: nil, threads: threads)
    }

    /// The rows of the row groups `groups` (all when nil), decoded `threads` row groups at a time.
    public init(file: ParquetFile, leaves: Leaves, groups: Range<Int>?, threads: Int) throws {
        func read(_ c: LeafColumn, keepDictionary: Bool = false) throws -> ColumnValues {
            Self.concatenate(try file.read(c, groups: groups, threads: threads, keepDictionary: keepDictionary))
        }
        let (user, time, event, value) = (leaves.user.name, leaves.time.name, leaves.event?.name, leaves.value?.name)

        let userColumn = leaves.user
        let u = try read(userColumn, keepDictionary: true)
        rows = u.count
        (users, userNull) = (try Self.identifiers(u, column: userColumn, path: file.path), u.isNull)

        let timeColumn = leaves.time
        let t = try read(timeColumn)
        if let ns = t.epochNanoseconds(timeColumn.element) { times = .epochNanoseconds(ns) }
        else if case .bytes(let b) = t.storage { times = .text(b) }
        else if case .integers(let v) = t.storage { times = .integers(v) }
        else { throw ParquetError.located(path: file.path, column: time, .unsupported("a time column stored as \(String(describing: timeColumn.element.type))")) }
        timeNull = t.isNull

        if let c = leaves.event {
            let e = try read(c, keepDictionary: true)
            events = try Self.identifiers(e, column: c, path: file.path)
            eventNull = e.isNull
        }
        if let c = leaves.value {
            let v = try read(c)
            guard let d = v.doubles(c.element) else {
                throw ParquetError.located(path: file.path, column: c.name, .unsupported("a value column must be numeric, not \(String(describing: c.element.type)) text"))
            }
            values = d; valueNull = v.isNull
        }
        for (name, count) in [(time, timeCount), (event ?? "", events?.count ?? rows), (value ?? "", values?.count ?? rows)] where count != rows {
            throw ParquetError.located(path: file.path, column: name, .corrupt("\(count) rows where '\(user)' has \(rows)"))
        }
    }

    private var timeCount: Int {
        switch times {
        case .epochNanoseconds(let v): return v.count
        case .text(let b): return b.count
        case .integers(let v): return v.count
        }
    }

    static func identifiers(_ v: ColumnValues, column: LeafColumn, path: String) throws -> Identifiers {
        switch v.storage {
        case .bytes(let b): return Identifiers(values: b, indices: nil)
        case let .dictionary(d, indices): return Identifiers(values: d, indices: indices)
        case .integers(let ints):
            var out = ByteArrays()
            for (i, x) in ints.enumerated() { out.append(v.isNull?[i] == true ? [] : Array(String(x).utf8)) }
            return Identifiers(values: out, indices: nil)
        default:
            throw ParquetError.located(path: path, column: column.name, .unsupported("an id or name column must be text or integer"))
        }
    }

    /// Row groups joined into one column (dictionaries joined into one, each group's indices shifted past the
    /// dictionaries before it; a mix of dictionary and plain groups is spelled out).
    public static func concatenate(_ parts: [ColumnValues]) -> ColumnValues {
        guard parts.count != 1 else { return parts[0] }
        let dictionaries = parts.allSatisfy { if case .dictionary = $0.storage { return true }; return false }
        let parts = dictionaries ? parts : parts.map(\.expanded)
        let anyNull = parts.contains { $0.isNull != nil }
        let nulls: [Bool]? = anyNull ? parts.flatMap { $0.isNull ?? [Bool](repeating: false, count: $0.count) } : nil
        switch parts.first?.storage {
        case .doubles?: return ColumnValues(storage: .doubles(parts.flatMap { if case .doubles(let v) = $0.storage { return v }; return [] }), isNull: nulls)
        case .int96Nanos?: return ColumnValues(storage: .int96Nanos(parts.flatMap { if case .int96Nanos(let v) = $0.storage { return v }; return [] }), isNull: nulls)
        case .bytes?:
            var all = ByteArrays()
            for p in parts { if case .bytes(let b) = p.storage { all.append(contentsOf: b) } }
            return ColumnValues(storage: .bytes(all), isNull: nulls)
        case .dictionary?:
            var all = ByteArrays(), indices: [UInt32] = []
            indices.reserveCapacity(parts.reduce(0) { $0 + $1.count })
            for p in parts {
                guard case let .dictionary(d, i) = p.storage else { continue }
                let base = UInt32(truncatingIfNeeded: all.count)
                all.append(contentsOf: d)
                indices.append(contentsOf: i.lazy.map { $0 &+ base })
            }
            return ColumnValues(storage: .dictionary(all, indices: indices), isNull: nulls)
        case .integers?, nil:
            return ColumnValues(storage: .integers(parts.flatMap { if case .integers(let v) = $0.storage { return v }; return [] }), isNull: nulls)
        }
    }
}
