// An event log in PostgreSQL (`--events postgresql://… --table T` or `--query 'SELECT …'`): the result's
// columns found by name as a file's header would be, the rows streamed by binary COPY and scanned in place,
// each row checked by the text readers' rules (in their order) and folded into the same store. Bad rows are
// located by row number; quarantine writes them as CSV of the columns read.
import Foundation
import Postgres
import TenureCore

/// Where in a database the events are: exactly one of `--table NAME` or `--query 'SELECT …'`.
public enum DatabaseRelation: Sendable, Equatable, Codable, CustomStringConvertible {
    case table(String)
    case query(String)

    /// The rows as a SELECT; `columns` (a table only) limits it to those, so only they cross the wire. A
    /// table's name is quoted part by part (`schema.table`), so it is taken literally, never as SQL.
    func select(columns: [String]? = nil) -> String {
        switch self {
        case .query(let q): return q
        case .table(let name):
            let list = columns.map { $0.map(Self.quote).joined(separator: ", ") } ?? "*"
            return "SELECT \(list) FROM " + name.split(separator: ".", omittingEmptySubsequences: false).map { Self.quote(String($0)) }.joined(separator: ".")
        }
    }

    static func quote(_ identifier: String) -> String { "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// `table events` or `query 'SELECT …'` (long queries shortened), for messages and summaries.
    public var description: String {
        switch self {
        case .table(let name): return "table \(name)"
        case .query(let q):
            let oneLine = q.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            return "query '\(oneLine.count > 80 ? String(oneLine.prefix(80)) + "…" : oneLine)'"
        }
    }
}

enum PostgresLogReader {
    /// How a result column's binary values become what a role needs.
    enum Kind {
        /// text, varchar, char, name: the bytes as sent (UTF-8: the session's client encoding).
        case text
        /// int2/int4/int8: read as their decimal text (ids, epochs under --time-format).
        case integer
        case timestamp, date
        /// float4/float8/numeric.
        case number

        init?(_ oid: UInt32) {
            switch oid {
            case PostgresType.text, PostgresType.varchar, PostgresType.bpchar, PostgresType.name: self = .text
            case PostgresType.int2, PostgresType.int4, PostgresType.int8: self = .integer
            case PostgresType.timestamp, PostgresType.timestamptz: self = .timestamp
            case PostgresType.date: self = .date
            case PostgresType.float4, PostgresType.float8, PostgresType.numeric: self = .number
            default: return nil
            }
        }
    }

    /// The kinds each role reads: a user id or event name is text or an integer; a time any of the time kinds;
    /// a value a number (or text that reads as one, as in a file).
    static let accepted: [[Kind]] = [[.text, .integer], [.timestamp, .date, .integer, .text], [.text, .integer], [.number, .integer, .text]]
    static let roleNames = ["user id", "time", "event name", "value"]

    static func read(_ uri: String, options: ReadOptions, note: ((String) -> Void)?) throws -> (EventStore, IngestReport) {
        let redacted = PostgresURI.redacted(uri)
        guard let relation = options.relation else {
            throw EventLogError.unsupportedOption("--events \(redacted)", reason: "a database needs --table NAME or --query 'SELECT …' to say which rows are events")
        }
        let source = DatabaseTable.sourceName(uri, relation)
        let connection = try PostgresConnection(uri: uri)
        // Text arrives in the client encoding: UTF-8, as the file readers require.
        try connection.execute("SET client_encoding TO 'UTF8'")
        let described = try connection.describe(relation.select())
        let header = described.map(\.name)
        let layout: RecordLayout
        do {
            layout = try EventLogReader.delimitedLayout(header, format: .postgresql, columns: options.columns, path: source)
        } catch EventLogError.missingColumn(_, let column, _) {
            throw EventLogError.missingResultColumn(source: source, column: column, columns: header)
        }
        // role → result column, in the order the query returns them
        var roleColumn = [Int](repeating: -1, count: 4)
        for (i, r) in layout.roles.enumerated() where r >= 0 { roleColumn[Int(r)] = i }
        var query = relation.select()
        var columns = described
        if case .table = relation {
            let used = roleColumn.filter { $0 >= 0 }.sorted()
            query = relation.select(columns: used.map { header[$0] })
            columns = used.map { described[$0] }
            for r in 0..<4 where roleColumn[r] >= 0 { roleColumn[r] = used.firstIndex(of: roleColumn[r])! }
        }
        var kinds = [Kind](repeating: .text, count: 4)
        for r in 0..<4 where roleColumn[r] >= 0 {
            let c = columns[roleColumn[r]]
            guard let k = Kind(c.oid), accepted[r].contains(k) else {
                throw EventLogError.columnType(source: source, column: c.name, role: roleNames[r], type: PostgresType.name(c.oid))
            }
            kinds[r] = k
        }
        let oids = roleColumn.map { $0 >= 0 ? columns[$0].oid : 0 }
        var rows = RowFolder(options: options, source: source, layout: layout, roleColumn: roleColumn, kinds: kinds,
                             oids: oids, note: note)
        rows.quarantine = try options.badRows.quarantinePath.map {
            try QuarantineFile(path: $0, header: Array(CSVScanner.record(roleColumn.filter { $0 >= 0 }.sorted().map { columns[$0].name }).utf8))
        }
        let scanner = CopyTupleScanner(fieldCount: columns.count)
        try connection.copyOut(query) { chunk in try scanner.feed(chunk) { try rows.take($0) } }
        guard scanner.finished else { throw PostgresError.protocolError("the stream ended without its end-of-data marker") }
        try rows.finish()
        try rows.quarantine?.commit()
        guard rows.records > 0 else { throw EventLogError.noDataRows(path: source, what: "the \(relation) returned no rows") }

        var builder = rows.builder
        builder.userIDs = (0..<rows.users.count).map { rows.users.string($0) }
        builder.eventNames = (0..<rows.eventNames.count).map { rows.eventNames.string($0) }
        let store = builder.build()
        var bad: [BadRowReason: Int] = [:]
        for (r, reason) in BadRowReason.allCases.enumerated() where rows.badCounts[r] > 0 { bad[reason] = rows.badCounts[r] }
        let report = IngestReport(
            path: source, format: .postgresql, timeFormat: rows.timeFormat, timeFormatDetected: rows.detected,
            bytes: scanner.bytes, lines: rows.records, records: rows.records, events: store.eventCount, users: store.userCount,
            eventNames: layout.hasEvent ? store.eventNames.count : 0, badRows: bad, blankLines: 0,
            duplicateEvents: store.duplicateEvents, hasEventColumn: layout.hasEvent, hasValueColumn: layout.hasValue,
            otherPartitionRows: rows.otherPartitionRows)
        return (store, report)
    }
}

/// Folds tuples into columns: the record-level rules of `BlockParser.accept`, on binary fields. A text or
/// integer time column under `--time-format auto` holds its first rows back until the format is detected
/// from them, as the file readers detect it from their first rows. Rows go to the store builder a chunk at a
/// time during the stream, as the text reader's blocks do, so after the stream only the store's build is left.
private struct RowFolder {
    let options: ReadOptions
    let source: String
    let layout: RecordLayout
    let roleColumn: [Int]
    let kinds: [PostgresLogReader.Kind]
    /// Each role's column type (0 for an absent role).
    let oids: [UInt32]
    let note: ((String) -> Void)?
    var quarantine: QuarantineFile?

    var users = ByteInterner(capacity: 64), eventNames = ByteInterner(capacity: 64)
    /// The current chunk's users, by ids local to it: a small table that stays in the cache. At the chunk's end
    /// its keys go to `users` in one pass that prefetches their slots (the text reader's merge), so the misses of
    /// the large table overlap instead of stalling each row.
    var chunkUsers = ByteInterner(capacity: chunkRows / 4)
    /// The current chunk's columns (`ids` local to `chunkUsers`; `valueRows` within the chunk).
    var ids: [Int32] = [], times: [Int64] = [], events: [UInt32] = [], valueRows: [UInt32] = [], valueData: [Double] = []
    var builder: EventStoreBuilder
    /// The previous row's user id bytes (as sent) and its id in `chunkUsers` (−1 before the chunk's first row).
    var lastUser: [UInt8] = [], lastUserID: Int32 = -1
    var badCounts = [Int](repeating: 0, count: BadRowReason.allCases.count)
    var records = 0, otherPartitionRows = 0
    var timeFormat: TimeFormat
    var detected = false
    var reader: TimestampReader?
    /// A text or integer time under `--time-format auto`, until the held rows settle the format.
    var needsDetection: Bool
    /// Rows held back while the time format is detected: each role's bytes (nil = NULL), and the row number.
    var held: [([[UInt8]?], Int)] = []
    static let sampleRows = 200

    init(options: ReadOptions, source: String, layout: RecordLayout, roleColumn: [Int], kinds: [PostgresLogReader.Kind],
         oids: [UInt32], note: ((String) -> Void)?) {
        self.options = options; self.source = source; self.layout = layout; self.roleColumn = roleColumn
        self.kinds = kinds; self.oids = oids; self.note = note
        let timeIsNative = kinds[1] == .timestamp || kinds[1] == .date
        timeFormat = timeIsNative ? .auto : options.timeFormat
        needsDetection = !timeIsNative && timeFormat == .auto
        reader = timeIsNative || needsDetection ? nil : TimestampReader(timeFormat)
        builder = EventStoreBuilder(hasEvents: layout.hasEvent, hasValues: layout.hasValue)
        reserveChunk()
    }

    /// Rows per chunk: a third of a text block's (8 MiB of CSV), so the chunk's columns and user table stay in the cache.
    static let chunkRows = 1 << 16

    mutating func reserveChunk() {
        ids.reserveCapacity(Self.chunkRows); times.reserveCapacity(Self.chunkRows)
        if layout.hasEvent { events.reserveCapacity(Self.chunkRows) }
    }

    /// Hands the chunk's rows to the builder, its user ids made global.
    mutating func emitChunk() {
        guard !ids.isEmpty else { return }
        let global = users.intern(allOf: chunkUsers)
        global.withUnsafeBufferPointer { g in ids.withUnsafeMutableBufferPointer { for i in $0.indices { $0[i] = g[Int($0[i])] } } }
        builder.append(users: ids, times: times, events: events, valueRows: valueRows, valueData: valueData)
        // The builder keeps `ids` and the values; times and events are copied into its narrow columns.
        ids = []; valueRows = []; valueData = []
        times.removeAll(keepingCapacity: true); events.removeAll(keepingCapacity: true)
        reserveChunk()
        chunkUsers.removeAll()
        lastUserID = -1
    }

    /// The end of the stream: the held rows, then the last chunk.
    mutating func finish() throws {
        try flush()
        emitChunk()
    }

    mutating func take(_ t: CopyTupleScanner.Tuple) throws {
        records += 1
        func field(_ r: Int) -> UnsafeRawBufferPointer? { roleColumn[r] >= 0 ? t.field(roleColumn[r]) : nil }
        if needsDetection {
            held.append(((0..<4).map { r in field(r).map { Array($0) } }, records))
            if held.count >= Self.sampleRows { try flush() }
            return
        }
        try accept(field(0), field(1), field(2), field(3), row: records)
    }

    /// Detects the time format from the held rows and folds them (at the end of the stream, or once enough arrived).
    mutating func flush() throws {
        guard needsDetection, !held.isEmpty else { return }
        let samples = held.compactMap { row in row.0[1].map { b in b.withUnsafeBytes { Self.text($0, kinds[1]) } } }.filter { !$0.isEmpty }
        if let mixed = TimestampReader.mixedEpochUnits(samples) {
            throw EventLogError.mixedEpochUnits(path: source, column: options.columns.time, seconds: mixed.seconds, millis: mixed.millis)
        }
        guard let found = TimestampReader.detect(samples) else {
            throw EventLogError.timeFormatUndetectable(path: source, sample: samples.first.map { String(decoding: $0, as: UTF8.self) } ?? "")
        }
        timeFormat = found; detected = true; reader = TimestampReader(found); needsDetection = false
        note?("\(source): timestamps look like \(found) (from \(samples.count) rows); pass --time-format to override")
        let rows = held
        held = []
        for (f, row) in rows {
            func b(_ r: Int, _ body: (UnsafeRawBufferPointer?) throws -> Void) rethrows {
                if let bytes = f[r] { try bytes.withUnsafeBytes { try body($0) } } else { try body(nil) }
            }
            try b(0) { u in try b(1) { tm in try b(2) { e in try b(3) { v in try accept(u, tm, e, v, row: row) } } } }
        }
    }

    /// An integer's decimal text, as a file holds it; other kinds' bytes as they are.
    static func text(_ p: UnsafeRawBufferPointer, _ kind: PostgresLogReader.Kind) -> [UInt8] {
        guard kind == .integer, let v = integer(p) else { return Array(p) }
        return Array(String(v).utf8)
    }

    @inline(__always)
    static func integer(_ p: UnsafeRawBufferPointer) -> Int64? {
        switch p.count {
        case 2: return Int64(CopyTupleScanner.int16(p.baseAddress!))
        case 4: return Int64(CopyTupleScanner.int32(p.baseAddress!))
        case 8: return CopyTupleScanner.int64(p.baseAddress!)
        default: return nil
        }
    }

    /// Runs `body` on the field as text: integers written in decimal into a stack buffer (no allocation).
    @inline(__always)
    static func asText<R>(_ p: UnsafeRawBufferPointer, _ kind: PostgresLogReader.Kind, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard kind == .integer, let v = integer(p) else { return try body(p) }
        return try withUnsafeTemporaryAllocation(byteCount: 24, alignment: 1) { buf in
            var n = v.magnitude, end = 24
            repeat { end -= 1; buf[end] = UInt8(48 + n % 10); n /= 10 } while n > 0
            if v < 0 { end -= 1; buf[end] = 45 }
            return try body(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buf)[end...]))
        }
    }

    @inline(__always)
    mutating func accept(_ user: UnsafeRawBufferPointer?, _ time: UnsafeRawBufferPointer?, _ event: UnsafeRawBufferPointer?,
                         _ value: UnsafeRawBufferPointer?, row: Int) throws {
        let c = options.columns
        guard let user, user.count > 0 else { return try bad(.emptyUserID, user == nil ? "user id '\(c.user)' is NULL" : "", row: row, user, time, event, value) }
        if kinds[0] == .text, memchr(user.baseAddress!, 0, user.count) != nil { return try bad(.nulByte, "in the user id", row: row, user, time, event, value) }
        // Another partition's row costs one hash of its id, as in the text reader; the rest is never decoded.
        if let part = options.partition, Self.asText(user, kinds[0], { PartitionHash.partition(of: $0, count: part.count) }) != part.index {
            otherPartitionRows += 1
            return
        }
        guard let time else { return try bad(.badTimestamp, "time '\(c.time)' is NULL", row: row, user, time, event, value) }
        let millis: Int64
        switch kinds[1] {
        case .timestamp:
            guard let us = Self.timestampMicros(time, row: row) else {
                return try bad(.badTimestamp, "an infinite or malformed timestamp", row: row, user, time, event, value)
            }
            millis = us >= 0 ? us / 1000 : -((-us + 999) / 1000)   // floor: an instant before 1970 stays in its millisecond
        case .date:
            guard case .date(let d)? = try? CopyBinaryDecoder.decode(time, oid: PostgresType.date, row: row, column: c.time) else {
                return try bad(.badTimestamp, "an infinite or malformed date", row: row, user, time, event, value)
            }
            millis = d * millisPerDay
        default:
            let reader = self.reader!
            guard let t = Self.asText(time, kinds[1], { reader.parse($0) }) else {
                let shown = String(decoding: Self.text(time, kinds[1]), as: UTF8.self)
                return try bad(.badTimestamp, "'\(shown)' is not \(reader.format)", row: row, user, time, event, value)
            }
            millis = t
        }
        let range = options.timeRange
        guard range.contains(millis) else {
            return try bad(.outsideTimeRange, "\(formatTimestamp(millis)) is \(range.explain(millis)) (--time-range \(range))", row: row, user, time, event, value)
        }
        var v = Double.nan
        if layout.hasValue, let value {
            switch kinds[3] {
            case .text:
                if value.count > 0 {
                    guard let x = parseDouble(value) else { return try bad(.badValue, "'\(String(decoding: value, as: UTF8.self))'", row: row, user, time, event, value) }
                    v = x
                }
            case .integer: v = Double(Self.integer(value) ?? 0)
            default:
                guard let x = Self.double(value, oid: oids[3], row: row), x.isFinite else {
                    return try bad(.badValue, "not a finite number", row: row, user, time, event, value)
                }
                v = x
            }
        }
        var eventID: UInt32 = 0
        if layout.hasEvent {
            guard let event, event.count > 0 else { return try bad(.emptyEventName, event == nil ? "event name '\(c.event)' is NULL" : "", row: row, user, time, event, value) }
            if kinds[2] == .text, memchr(event.baseAddress!, 0, event.count) != nil { return try bad(.nulByte, "in the event name", row: row, user, time, event, value) }
            eventID = UInt32(Self.asText(event, kinds[2]) { eventNames.intern($0) })
        }
        if layout.hasValue && !v.isNaN { valueRows.append(UInt32(truncatingIfNeeded: ids.count)); valueData.append(v) }
        ids.append(userID(user))
        times.append(millis)
        if layout.hasEvent { events.append(eventID) }
        if ids.count == Self.chunkRows { emitChunk() }
    }

    /// The user's id. Rows come in runs of one user (a session, or a table clustered by user), so the previous
    /// row's key is compared first: most rows then skip even the chunk's interner.
    @inline(__always)
    mutating func userID(_ user: UnsafeRawBufferPointer) -> Int32 {
        if lastUserID >= 0, user.count == lastUser.count,
           lastUser.withUnsafeBytes({ memcmpBytes($0.baseAddress!, user.baseAddress!, user.count) }) {
            return lastUserID
        }
        lastUserID = Self.asText(user, kinds[0]) { chunkUsers.intern($0) }
        lastUser.removeAll(keepingCapacity: true)
        lastUser.append(contentsOf: user)
        return lastUserID
    }

    /// A timestamp's microseconds since 1970 (nil when infinite or malformed): the common 8-byte case read in
    /// place, anything else through the decoder, whose rules it shares.
    @inline(__always)
    static func timestampMicros(_ p: UnsafeRawBufferPointer, row: Int) -> Int64? {
        if p.count == 8 {
            let t = CopyTupleScanner.int64(p.baseAddress!)
            return t == Int64.max || t == Int64.min ? nil : t &+ PostgresType.epochMicros
        }
        guard case .timestampMicros(let us)? = try? CopyBinaryDecoder.decode(p, oid: PostgresType.timestamp, row: row, column: "") else { return nil }
        return us
    }

    /// A float8 read in place; float4 and numeric through the decoder.
    @inline(__always)
    static func double(_ p: UnsafeRawBufferPointer, oid: UInt32, row: Int) -> Double? {
        if oid == PostgresType.float8, p.count == 8 { return Double(bitPattern: UInt64(bitPattern: CopyTupleScanner.int64(p.baseAddress!))) }
        guard case .double(let x)? = try? CopyBinaryDecoder.decode(p, oid: oid, row: row, column: "") else { return nil }
        return x
    }

    mutating func bad(_ reason: BadRowReason, _ detail: String, row: Int, _ fields: UnsafeRawBufferPointer?...) throws {
        if options.badRows == .fail { throw EventLogError.badDatabaseRow(source: source, row: row, reason: reason, detail: detail) }
        badCounts[BadRowReason.allCases.firstIndex(of: reason)!] += 1
        guard let quarantine else { return }
        // The row's columns in result order, rendered as the CSV export of them would hold them.
        let order = (0..<4).filter { roleColumn[$0] >= 0 }.sorted { roleColumn[$0] < roleColumn[$1] }
        let cells = order.map { r in fields[r].map { Self.rendered($0, kinds[r], oid: oids[r]) } ?? "" }
        try quarantine.write(Array(CSVScanner.record(cells).utf8))
    }

    static func rendered(_ p: UnsafeRawBufferPointer, _ kind: PostgresLogReader.Kind, oid: UInt32) -> String {
        switch kind {
        case .text, .integer: return String(decoding: text(p, kind), as: UTF8.self)
        case .timestamp:
            guard case .timestampMicros(let us)? = try? CopyBinaryDecoder.decode(p, oid: PostgresType.timestamp, row: 0, column: "") else { return "infinity" }
            // ISO 8601 with the fraction kept: milliseconds, or microseconds when it has them.
            let micros = ((us % 1_000_000) + 1_000_000) % 1_000_000
            let text = formatTimestamp((us - micros) / 1000)
            guard micros != 0 else { return text }
            let fraction = micros % 1000 == 0 ? String(1000 + micros / 1000).dropFirst() : String(1_000_000 + micros).dropFirst()
            return text.dropLast() + "." + fraction + "Z"
        case .date:
            guard case .date(let d)? = try? CopyBinaryDecoder.decode(p, oid: PostgresType.date, row: 0, column: "") else { return "infinity" }
            return formatTimestamp(d * millisPerDay, dateOnly: true)
        case .number:
            guard case .double(let x)? = try? CopyBinaryDecoder.decode(p, oid: oid, row: 0, column: "") else { return "NaN" }
            return "\(x)"
        }
    }
}
