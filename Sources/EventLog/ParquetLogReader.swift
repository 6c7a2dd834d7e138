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
        // Every footer first: whether any file has an event or value column decides the store's layout, and
        // the groups go into the store as they are merged.
        var opened: [(ParquetFile, EventColumns.Leaves)] = []
        var bytes = 0
        for file in try files(path) {
            do {
                let parquet = try ParquetFile(path: file)
                opened.append((parquet, try EventColumns.Leaves(file: parquet, user: options.columns.user, time: options.columns.time,
                                                                event: options.columns.event ?? "event", eventRequired: options.columns.event != nil,
                                                                value: options.columns.value ?? "value", valueRequired: options.columns.value != nil)))
            } catch let e as ParquetError { throw EventLogError.readFailed(path: file, reason: "\(e)") }
            bytes += (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        }
        let hasEvent = opened.contains { $0.1.event != nil }, hasValue = opened.contains { $0.1.value != nil }
        let merger = ParquetGroupMerger(builder: EventStoreBuilder(hasEvents: hasEvent, hasValues: hasValue))
        var timeFormat = options.timeFormat, detected = false
        // As the text reader: several row groups per thread in a round, merged while the next round is parsed.
        let perRound = options.threads == 1 ? 1 : min(options.threads * 4, options.threads + 8)

        for (parquet, leaves) in opened {
            let mode = try timeMode(parquet, leaves, format: &timeFormat, detected: &detected, note: note)
            let groups = parquet.metadata.rowGroups
            var firstRows = [0]
            for g in groups { firstRows.append(firstRows.last! + Int(g.rows)) }
            let parser = ParquetRowGroupParser(file: parquet, leaves: leaves, options: options, time: mode)
            var start = 0
            while start < groups.count {
                let round = start..<min(groups.count, start + perRound)
                let parsed = UnsafeMutableBufferPointer<ParquetRowGroup>.allocate(capacity: round.count)
                let box = GroupBox(parsed: parsed, merger: merger)
                // Task 0 merges the previous round (it starts first, so it never ends up last); the rest parse.
                let merging = merger.hasPending && options.threads > 1
                parallelFor(round.count + (merging ? 1 : 0)) { i in
                    let k = merging ? i - 1 : i
                    if k < 0 { box.merger.mergePending(); return }
                    (box.parsed.baseAddress! + k).initialize(to: parser.parse(group: round.lowerBound + k, firstRow: firstRows[round.lowerBound + k]))
                }
                merger.queue(parsed)
                if options.threads == 1 { merger.mergePending() }   // one core: nothing to overlap, merge now
                if let error = merger.error { throw error }
                start = round.upperBound
            }
        }
        merger.mergePending()
        if let error = merger.error { throw error }

        var builder = merger.builder
        merger.builder = EventStoreBuilder(hasEvents: false, hasValues: false)
        builder.userIDs = (0..<merger.users.count).map { merger.users.string($0) }
        builder.eventNames = hasEvent ? (0..<merger.eventNames.count).map { merger.eventNames.string($0) } : ["event"]
        let store = builder.build()
        let records = merger.records
        let report = IngestReport(
            path: path, format: .parquet, timeFormat: timeFormat, timeFormatDetected: detected, bytes: bytes,
            lines: records, records: records, events: store.eventCount, users: store.userCount,
            eventNames: hasEvent ? store.eventNames.count : 0, badRows: merger.badCounts, blankLines: 0,
            duplicateEvents: store.duplicateEvents, hasEventColumn: hasEvent, hasValueColumn: hasValue,
            otherPartitionRows: merger.otherPartitionRows)
        guard records > 0 else { throw EventLogError.noDataRows(path: path, what: "no rows in its row groups") }
        return (store, report)
    }

    /// How this file's time column is read. A timestamp or date needs no format; text and bare integers are
    /// read with --time-format, detected (when it is auto) from the first 200 non-null rows, found row group
    /// by row group before the groups split across the cores.
    static func timeMode(_ file: ParquetFile, _ leaves: EventColumns.Leaves, format: inout TimeFormat, detected: inout Bool,
                         note: ((String) -> Void)?) throws -> ParquetTimeMode {
        guard format == .auto else { return ParquetTimeMode(format: format, integersAsText: false) }
        var samples: [[UInt8]] = []
        for g in file.metadata.rowGroups.indices where samples.count < 200 {
            let t: ColumnValues
            do { t = EventColumns.concatenate(try file.read(leaves.time, groups: g..<(g + 1))) } catch let e as ParquetError {
                throw EventLogError.readFailed(path: file.path, reason: "\(e)")
            }
            if t.epochNanoseconds(leaves.time.element) != nil { return ParquetTimeMode(format: format, integersAsText: false) }
            for row in 0..<t.count where samples.count < 200 && t.isNull?[row] != true {
                switch t.storage {
                case .bytes(let b): if !b[row].isEmpty { samples.append(Array(b[row])) }
                case .integers(let v): samples.append(Array(String(v[row]).utf8))
                default: break   // refused by the row group parser, which names the type
                }
            }
        }
        if let mixed = TimestampReader.mixedEpochUnits(samples) {
            throw EventLogError.mixedEpochUnits(path: file.path, column: "time", seconds: mixed.seconds, millis: mixed.millis)
        }
        guard let found = TimestampReader.detect(samples) else {
            throw EventLogError.timeFormatUndetectable(path: file.path, sample: samples.first.map { String(decoding: $0, as: UTF8.self) } ?? "")
        }
        format = found; detected = true
        note?("\(file.path): timestamps look like \(found) (from \(samples.count) rows); pass --time-format to override")
        return ParquetTimeMode(format: found, integersAsText: true)
    }

    /// An identifier column's texts checked and interned once per distinct entry when the file kept them as a
    /// dictionary (once per row otherwise). An entry is interned when a good row first uses it, so ids come in
    /// the order of the rows, as from a text log, and a text only bad rows hold never becomes a user.
    final class Interned {
        let values: ByteArrays
        let indices: [UInt32]
        let isDictionary: Bool
        /// Per dictionary entry, found when a row first needs it (the row loop's hot state: no array copies).
        private struct Entry { var id: Int32 = -1, partition: Int32 = -1, flaw: UInt8 = Interned.unchecked }
        private let entries: UnsafeMutableBufferPointer<Entry>
        private static let unchecked: UInt8 = .max

        init(_ column: EventColumns.Identifiers) {
            values = column.values; indices = column.indices ?? []; isDictionary = column.indices != nil
            entries = .allocate(capacity: isDictionary ? column.values.count : 0)
            entries.initialize(repeating: Entry())
        }

        deinit { entries.deallocate() }

        @inline(__always) func entry(_ row: Int) -> Int { isDictionary ? Int(indices[row]) : row }
        @inline(__always) func isEmpty(_ e: Int) -> Bool { values.offsets[e] == values.offsets[e + 1] }

        private static func flawCode(_ b: UnsafeRawBufferPointer) -> UInt8 { b.contains(0) ? 1 : isValidUTF8(b) ? 0 : 2 }

        /// A NUL byte, or bytes that are not UTF-8 (text logs refuse both: two different invalid byte strings
        /// would become the same String): checked once per dictionary entry, once per row otherwise.
        @inline(__always) func flaw(_ e: Int) -> BadRowReason? {
            var code: UInt8
            if isDictionary {
                code = entries[e].flaw
                if code == Self.unchecked { code = values[e].withUnsafeBytes(Self.flawCode); entries[e].flaw = code }
            } else {
                code = values[e].withUnsafeBytes(Self.flawCode)
            }
            return code == 0 ? nil : code == 1 ? .nulByte : .invalidUTF8
        }

        /// The entry's partition of `count` (`PartitionHash`), hashed once per dictionary entry.
        @inline(__always) func partition(_ e: Int, count: Int) -> Int {
            guard isDictionary else { return values[e].withUnsafeBytes { PartitionHash.partition(of: $0, count: count) } }
            if entries[e].partition < 0 { entries[e].partition = Int32(values[e].withUnsafeBytes { PartitionHash.partition(of: $0, count: count) }) }
            return Int(entries[e].partition)
        }

        /// The group's keys, empty: the dictionary's entries get local ids by first use, plain texts are interned.
        func newKeys() -> GroupKeys {
            isDictionary ? GroupKeys(dictionary: values, order: [], interner: nil) : GroupKeys(interner: ByteInterner(capacity: 64))
        }

        /// Entry `e`'s local id in `keys` (from `newKeys`).
        @inline(__always) func id(_ e: Int, _ keys: inout GroupKeys) -> Int32 {
            guard isDictionary else { return values[e].withUnsafeBytes { keys.interner!.intern($0) } }
            if entries[e].id < 0 { entries[e].id = Int32(truncatingIfNeeded: keys.order.count); keys.order.append(Int32(truncatingIfNeeded: e)) }
            return entries[e].id
        }
    }
}

private struct GroupBox: @unchecked Sendable {
    let parsed: UnsafeMutableBufferPointer<ParquetRowGroup>
    let merger: ParquetGroupMerger
}

/// Folds parsed row groups, in file order, into the global user and event-name ids (a group's keys interned
/// in their first-use order, so ids come in row order as from a text log) and the store builder, and applies
/// `--bad-rows fail`: the first failure in file order is the one reported. One merge runs at a time (the
/// reader's rounds guarantee it), next to the parsing of the following groups.
final class ParquetGroupMerger: @unchecked Sendable {
    var users = ByteInterner(capacity: 64), eventNames = ByteInterner(capacity: 64)
    /// The merged groups' events (global ids), each group compacted as it arrives.
    var builder: EventStoreBuilder
    var badCounts: [BadRowReason: Int] = [:]
    var records = 0, otherPartitionRows = 0
    var error: Error?
    private var pending: UnsafeMutableBufferPointer<ParquetRowGroup>?

    init(builder: EventStoreBuilder) { self.builder = builder }

    var hasPending: Bool { pending != nil }

    /// Hands over a round of parsed groups (merged by the next `mergePending`); the previous round must be merged.
    func queue(_ parsed: UnsafeMutableBufferPointer<ParquetRowGroup>) {
        precondition(pending == nil)
        pending = parsed
    }

    func mergePending() {
        guard let parts = pending else { return }
        pending = nil
        defer { _ = parts.deinitialize(); parts.deallocate() }
        guard error == nil else { return }
        for k in parts.indices {
            var part = parts[k]
            parts[k] = ParquetRowGroup()
            records += part.records
            otherPartitionRows += part.otherPartitionRows
            for (reason, n) in part.badCounts { badCounts[reason, default: 0] += n }
            if let failure = part.failure { error = failure; return }
            let userMap = part.userKeys.globalIDs(&users)
            userMap.withUnsafeBufferPointer { m in part.users.withUnsafeMutableBufferPointer { u in for j in u.indices { u[j] = m[Int(u[j])] } } }
            if builder.hasEvents {
                // A file of a dataset without the event column: its events are the first name (as before).
                if part.events.isEmpty {
                    part.events = [UInt32](repeating: 0, count: part.users.count)
                } else {
                    let eventMap = part.eventKeys.globalIDs(&eventNames)
                    eventMap.withUnsafeBufferPointer { m in part.events.withUnsafeMutableBufferPointer { e in for j in e.indices { e[j] = UInt32(m[Int(e[j])]) } } }
                }
            }
            part.userKeys = GroupKeys(); part.eventKeys = GroupKeys()
            builder.append(users: part.users, times: part.times, events: part.events, valueRows: part.valueRows, valueData: part.valueData)
        }
    }
}
