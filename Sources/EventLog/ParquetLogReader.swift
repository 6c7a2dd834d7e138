// An event log stored as Parquet (one file, or a directory of them: a partitioned dataset): the needed
// columns decoded by the Parquet module, then the same checks and store as a text log. A row's problems are
// bad rows located by file and row number under the usual policy; the time column may be a timestamp or date
// (any unit, INT96 included), text in any --time-format, or integer epochs.
import Foundation
import Parquet
import TenureCore

enum ParquetLogReader {
    static let fileExtensions = [".parquet", ".parq"]

    /// Does the file start with Parquet's magic bytes?
    static func looksLikeParquet(_ path: String) -> Bool {
        guard let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        let head = (try? h.read(upToCount: 4)) ?? Data()
        return head.withUnsafeBytes { ParquetFile.hasMagic($0) }
    }

    /// The files of `path`: itself, or a directory's `*.parquet` files (recursively, as Hive-style partition
    /// directories nest them) in name order, so every run reads them in the same order.
    static func files(_ path: String) throws -> [String] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw EventLogError.cannotOpen(path: path, reason: "no such file or directory")
        }
        guard isDir.boolValue else { return [path] }
        let found = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? [])
            .filter { name in fileExtensions.contains { name.lowercased().hasSuffix($0) } }.sorted()
        guard !found.isEmpty else { throw EventLogError.noDataRows(path: path, what: "a directory without .parquet files") }
        return found.map { (path.hasSuffix("/") ? path : path + "/") + $0 }
    }

    static func read(_ path: String, options: ReadOptions, note: ((String) -> Void)?) throws -> (EventStore, IngestReport) {
        if options.badRows.quarantinePath != nil {
            throw EventLogError.unsupportedOption("--bad-rows quarantine=", reason: "a Parquet row has no text to quarantine; use --bad-rows skip (bad rows are still counted per reason)")
        }
        var users = ByteInterner(), eventNames = ByteInterner()
        var ids: [Int32] = [], times: [Int64] = [], events: [UInt32] = [], valueRows: [UInt32] = [], valueData: [Double] = []
        var badCounts: [BadRowReason: Int] = [:]
        var records = 0, bytes = 0
        var hasEvent = false, hasValue = false
        var timeFormat = options.timeFormat, detected = false
        let range = options.timeRange

        for file in try files(path) {
            let parquet: ParquetFile
            do { parquet = try ParquetFile(path: file) } catch let e as ParquetError { throw EventLogError.readFailed(path: file, reason: "\(e)") }
            bytes += (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            let c: EventColumns
            do {
                c = try EventColumns(file: parquet, user: options.columns.user, time: options.columns.time,
                                     event: options.columns.event ?? "event", eventRequired: options.columns.event != nil,
                                     value: options.columns.value ?? "value", valueRequired: options.columns.value != nil,
                                     threads: options.threads)
            } catch let e as ParquetError { throw EventLogError.readFailed(path: file, reason: "\(e)") }
            hasEvent = hasEvent || c.events != nil
            hasValue = hasValue || c.values != nil
            let millis = try resolveTimes(c, file: file, format: &timeFormat, detected: &detected, note: note)

            var userIDs = Interned(c.users), names = c.events.map(Interned.init)
            for row in 0..<c.rows {
                records += 1
                func bad(_ reason: BadRowReason, _ detail: String) throws {
                    if options.badRows == .fail { throw EventLogError.badParquetRow(path: file, row: row + 1, reason: reason, detail: detail) }
                    badCounts[reason, default: 0] += 1
                }
                let user = userIDs.entry(row)
                if c.userNull?[row] == true || userIDs.isEmpty(user) { try bad(.emptyUserID, "user id '\(options.columns.user)' is null or empty"); continue }
                if let flaw = userIDs.flaw(user) { try bad(flaw, "in the user id"); continue }
                guard let t = millis[row] else { try bad(.badTimestamp, "time '\(options.columns.time)' is null or unreadable"); continue }
                guard t >= range.from && t < range.to else {
                    try bad(.outsideTimeRange, "\(formatTimestamp(t)) is outside \(formatTimestamp(range.from))..\(formatTimestamp(range.to))"); continue
                }
                var event: UInt32 = 0
                if names != nil {
                    let name = names!.entry(row)
                    if c.eventNull?[row] == true || names!.isEmpty(name) { try bad(.emptyEventName, "event name is null or empty"); continue }
                    if let flaw = names!.flaw(name) { try bad(flaw, "in the event name"); continue }
                    event = UInt32(names!.id(name, &eventNames))
                }
                let u = userIDs.id(user, &users)
                if let v = c.values, c.valueNull?[row] != true, v[row].isFinite {
                    valueRows.append(UInt32(truncatingIfNeeded: ids.count)); valueData.append(v[row])
                }
                ids.append(u); times.append(t); events.append(event)
            }
        }
        var builder = EventStoreBuilder(hasEvents: hasEvent, hasValues: hasValue)
        builder.append(users: ids, times: times, events: events, valueRows: valueRows, valueData: valueData)
        builder.userIDs = (0..<users.count).map { users.string($0) }
        builder.eventNames = hasEvent ? (0..<eventNames.count).map { eventNames.string($0) } : ["event"]
        let store = builder.build()
        let report = IngestReport(
            path: path, format: .parquet, timeFormat: timeFormat, timeFormatDetected: detected, bytes: bytes,
            lines: records, records: records, events: store.eventCount, users: store.userCount,
            eventNames: hasEvent ? store.eventNames.count : 0, badRows: badCounts, blankLines: 0,
            duplicateEvents: store.duplicateEvents, hasEventColumn: hasEvent, hasValueColumn: hasValue)
        guard records > 0 else { throw EventLogError.noDataRows(path: path, what: "no rows in its row groups") }
        return (store, report)
    }

    /// Each row's time in ms since the epoch (nil: null or unreadable). Timestamps and dates need no format;
    /// text and bare integers are read with --time-format, detected from the first rows when it is auto.
    static func resolveTimes(_ c: EventColumns, file: String, format: inout TimeFormat, detected: inout Bool,
                             note: ((String) -> Void)?) throws -> [Int64?] {
        func isNull(_ i: Int) -> Bool { c.timeNull?[i] == true }
        switch c.times {
        case .epochNanoseconds(let ns):
            // Floor division: an instant before 1970 stays in its millisecond.
            return ns.indices.map { i in isNull(i) ? nil : (ns[i] >= 0 ? ns[i] / 1_000_000 : -((-ns[i] + 999_999) / 1_000_000)) }
        case .text(let b):
            let texts = (0..<b.count).map { Array(b[$0]) }
            return try readText(texts, nulls: c.timeNull, file: file, format: &format, detected: &detected, note: note)
        case .integers(let v):
            if format == .epochMillis { return v.indices.map { isNull($0) ? nil : v[$0] } }
            if format == .epochSeconds { return v.indices.map { isNull($0) ? nil : v[$0].multipliedReportingOverflow(by: 1000).overflow ? nil : v[$0] * 1000 } }
            guard format == .auto else {
                throw EventLogError.unsupportedOption("--time-format \(format)", reason: "an integer time column holds epoch seconds or milliseconds: pass --time-format epoch-s or epoch-ms")
            }
            return try readText(v.map { Array(String($0).utf8) }, nulls: c.timeNull, file: file, format: &format, detected: &detected, note: note)
        }
    }

    static func readText(_ texts: [[UInt8]], nulls: [Bool]?, file: String, format: inout TimeFormat, detected: inout Bool,
                         note: ((String) -> Void)?) throws -> [Int64?] {
        if format == .auto {
            let samples = Array(texts.indices.lazy.filter { nulls?[$0] != true && !texts[$0].isEmpty }.prefix(200).map { texts[$0] })
            if let mixed = TimestampReader.mixedEpochUnits(samples) {
                throw EventLogError.mixedEpochUnits(path: file, column: "time", seconds: mixed.seconds, millis: mixed.millis)
            }
            guard let found = TimestampReader.detect(samples) else {
                throw EventLogError.timeFormatUndetectable(path: file, sample: samples.first.map { String(decoding: $0, as: UTF8.self) } ?? "")
            }
            format = found; detected = true
            note?("\(file): timestamps look like \(found) (from \(samples.count) rows); pass --time-format to override")
        }
        let reader = TimestampReader(format)
        return texts.indices.map { i in nulls?[i] == true ? nil : texts[i].withUnsafeBytes { reader.parse($0) } }
    }

    /// An identifier column's texts checked and interned once per distinct entry when the file kept them as a
    /// dictionary (once per row otherwise). An entry is interned when a good row first uses it, so ids come in
    /// the order of the rows, as from a text log, and a text only bad rows hold never becomes a user.
    struct Interned {
        let values: ByteArrays
        let indices: [UInt32]?
        /// Per dictionary entry: its interned id, or -1 before a good row used it.
        var ids: [Int32]
        /// Per dictionary entry: what is wrong with its bytes (`flawCodes`), found once, when a row first uses it.
        var flaws: [UInt8]
        private static let flawCodes: [BadRowReason?] = [nil, .nulByte, .invalidUTF8]
        private static let unchecked: UInt8 = .max

        init(_ column: EventColumns.Identifiers) {
            values = column.values; indices = column.indices
            ids = column.indices == nil ? [] : [Int32](repeating: -1, count: column.values.count)
            flaws = column.indices == nil ? [] : [UInt8](repeating: Self.unchecked, count: column.values.count)
        }

        func entry(_ row: Int) -> Int { indices.map { Int($0[row]) } ?? row }
        func isEmpty(_ e: Int) -> Bool { values.offsets[e] == values.offsets[e + 1] }

        /// A NUL byte, or bytes that are not UTF-8 (text logs refuse both: two different invalid byte strings
        /// would become the same String): checked once per dictionary entry, once per row otherwise.
        mutating func flaw(_ e: Int) -> BadRowReason? {
            if indices != nil, flaws[e] != Self.unchecked { return Self.flawCodes[Int(flaws[e])] }
            let code: UInt8 = values[e].withUnsafeBytes { $0.contains(0) ? 1 : isValidUTF8($0) ? 0 : 2 }
            if indices != nil { flaws[e] = code }
            return Self.flawCodes[Int(code)]
        }

        mutating func id(_ e: Int, _ interner: inout ByteInterner) -> Int32 {
            guard indices != nil else { return values[e].withUnsafeBytes { interner.intern($0) } }
            if ids[e] < 0 { ids[e] = values[e].withUnsafeBytes { interner.intern($0) } }
            return ids[e]
        }
    }
}
