// Reads a whole event log into an EventStore: header, format and time detection, parallel block parsing
// pipelined with the merge of the previous blocks, bad-row policy (fail / skip / quarantine), ingest summary.
import Dispatch
import Foundation
import Postgres
import TenureCore

/// What reading a log found; its counts add up: `records == events + badRowTotal + otherPartitionRows`.
public struct IngestReport: Sendable, Codable, Equatable {
    public var path: String
    public var format: LogFormat
    public var timeFormat: TimeFormat
    public var timeFormatDetected: Bool
    public var bytes: Int
    /// Physical lines, header included.
    public var lines: Int
    /// Data records (rows), bad ones included; blank lines excluded.
    public var records: Int
    public var events: Int
    public var users: Int
    public var eventNames: Int
    public var badRows: [BadRowReason: Int]
    public var blankLines: Int
    public var duplicateEvents: Int
    public var hasEventColumn: Bool
    public var hasValueColumn: Bool
    /// Rows skipped unread because their user is in another partition (`ReadOptions.partition`).
    public var otherPartitionRows = 0

    public var badRowTotal: Int { badRows.values.reduce(0, +) }

    /// One line a person reads, e.g. on stderr after a command.
    public var summary: String {
        var parts = ["\(path): \(records) rows read", "\(events) events", "\(users) users", "\(eventNames) event names",
                     "\(duplicateEvents) duplicate events kept", "\(badRowTotal) bad rows"]
        if blankLines > 0 { parts.append("\(blankLines) blank lines") }
        if otherPartitionRows > 0 { parts.append("\(otherPartitionRows) rows of other partitions skipped") }
        var text = parts.joined(separator: ", ")
        for (reason, count) in badRows.sorted(by: { $0.key < $1.key }) where count > 0 { text += "\n  bad rows, \(reason.rawValue): \(count)" }
        return text
    }
}

public enum EventLogReader {
    /// Largest unquoted record (or header) accepted: the read buffer grows no further.
    static let maxRecordBytes = 64 << 20

    public static func read(_ path: String, options: ReadOptions = ReadOptions(),
                            note: ((String) -> Void)? = nil) throws -> (EventStore, IngestReport) {
        let (store, report, _) = try readTimed(path, options: options, note: note)
        return (store, report)
    }

    /// `read`, with the seconds each phase of a text read took (all zero for Parquet and PostgreSQL).
    public static func readTimed(_ path: String, options: ReadOptions = ReadOptions(),
                                 note: ((String) -> Void)? = nil) throws -> (EventStore, IngestReport, ReadPhases) {
        let read = try readFromAnySource(path, options: options, note: note)
        MemoryPolicy.releaseFreeMemory()
        return read
    }

    private static func readFromAnySource(_ path: String, options: ReadOptions,
                                          note: ((String) -> Void)?) throws -> (EventStore, IngestReport, ReadPhases) {
        if PostgresURI.isURI(path) {
            let (store, report) = try PostgresLogReader.read(path, options: options, note: note)
            return (store, report, ReadPhases())
        }
        // A model trained on a database records that as its format; a file read for it is told by its name.
        var options = options
        if options.format == .postgresql { options.format = nil }
        // Parquet by --format, by extension, by its magic bytes, or a directory of Parquet files.
        var isDirectory: ObjCBool = false
        let exists = path != "-" && FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if options.format == .parquet || (options.format == nil && LogFormat.fromExtension(path) == .parquet)
            || (exists && isDirectory.boolValue)
            || (options.format == nil && LogFormat.fromExtension(path) == nil && exists && ParquetLogReader.looksLikeParquet(path)) {
            let (store, report) = try ParquetLogReader.read(path, options: options, note: note)
            return (store, report, ReadPhases())
        }
        let scan = try scanText(path, options: options, note: note, shards: nil)
        var phases = scan.phases
        let merger = scan.merger, layout = scan.layout
        let users = merger.users, eventNames = merger.eventNames, badCounts = merger.badCounts
        let records = merger.records, blank = merger.blank
        let linesBefore = merger.linesBefore
        var builder = merger.builder

        ReadPhases.time(&phases.ids) {
            builder.userIDs = (0..<users.count).map { users.string($0) }
            builder.eventNames = (0..<eventNames.count).map { eventNames.string($0) }
        }
        let store = builder.build(phases: &phases)
        var bad: [BadRowReason: Int] = [:]
        for (r, reason) in BadRowReason.allCases.enumerated() where badCounts[r] > 0 { bad[reason] = badCounts[r] }
        let report = IngestReport(
            path: path, format: scan.format, timeFormat: scan.timeFormat, timeFormatDetected: scan.detected, bytes: scan.bytes,
            lines: linesBefore + (scan.endedWithoutNewline ? 1 : 0), records: records, events: store.eventCount,
            users: store.userCount, eventNames: layout.hasEvent ? store.eventNames.count : 0, badRows: bad,
            blankLines: blank, duplicateEvents: store.duplicateEvents, hasEventColumn: layout.hasEvent,
            hasValueColumn: layout.hasValue, otherPartitionRows: merger.otherPartitionRows)
        return (store, report, phases)
    }

    /// What one pass over a text log found, before the store is built.
    struct TextScan {
        let merger: BlockMerger
        let layout: RecordLayout
        let format: LogFormat
        let timeFormat: TimeFormat
        let detected: Bool
        let bytes: Int
        let endedWithoutNewline: Bool
        let headerBytes: [UInt8]
        let phases: ReadPhases
    }

    /// The one pass over a CSV/TSV/JSON Lines/whitespace log: header, time format detection, parallel block
    /// parsing pipelined with the merge. With `shards`, every good record is copied to its shard's writer
    /// (the header first) instead of into the store builder.
    static func scanText(_ path: String, options: ReadOptions, note: ((String) -> Void)?,
                         shards: [ShardWriter]?) throws -> TextScan {
        let source = try ByteSource(path: path)
        guard let format = options.format ?? LogFormat.fromExtension(path) ?? (path == "-" ? .csv : nil) else {
            throw EventLogError.unknownFormat(path: path)
        }
        // A round is cut into several parts per thread (4 on 2 threads, at most 8 more parts than threads) so a
        // merge task and the parse tasks share the cores evenly; each part stays `blockBytes` long, so its
        // columns are large enough (≥ 1 MiB) to be mmap-backed and go back to the system when the store builder
        // frees them. The read buffer holds one round.
        let partsPerRound = options.threads == 1 ? 1 : min(options.threads * 4, options.threads + 8)
        var buffer = ReadBuffer(capacity: options.blockBytes * partsPerRound)
        // The splitter and the parser read quotes with the same scanner and the same runaway bound.
        let quoting: ReadBuffer.Quoting = format == .csv || format == .tsv
            ? .csv(delimiter: format == .csv ? UInt8(ascii: ",") : UInt8(ascii: "\t"), maxQuotedBytes: options.maxRecordBytes)
            : .none
        defer { buffer.deallocate() }
        var phases = ReadPhases()
        try ReadPhases.time(&phases.fill) { try buffer.fill(from: source) }
        // A UTF-8 byte order mark is skipped once, here, for every format (still counted in `bytes`).
        buffer.consume(CSVScanner.byteOrderMarkLength(UnsafeRawBufferPointer(start: buffer.base, count: buffer.filled)))

        // A file of nothing but line ends and spaces (CR-only exports among them) has no header and no rows.
        if buffer.eof, buffer.filled > 0,
           UnsafeRawBufferPointer(start: buffer.base, count: buffer.filled).allSatisfy({ $0 == 10 || $0 == 13 || $0 == 32 || $0 == 9 }) {
            throw EventLogError.noDataRows(path: path, what: "only blank lines")
        }

        // Header (delimited formats) → layout.
        var linesBefore = 0
        let layout: RecordLayout
        var headerBytes: [UInt8] = []
        if format == .jsonl {
            layout = jsonLayout(options.columns,
                                sample: UnsafeRawBufferPointer(start: buffer.base, count: min(buffer.filled, 1 << 16)))
        } else {
            guard buffer.filled > 0 else { throw EventLogError.emptyInput(path: path) }
            let end = try buffer.firstRecordEnd(quoting: quoting, source: source, path: path)
            headerBytes = Array(UnsafeRawBufferPointer(start: buffer.base, count: end))
            let header = parseHeader(headerBytes, format: format, maxQuotedBytes: options.maxRecordBytes)
            guard !header.isEmpty else { throw EventLogError.emptyInput(path: path) }
            layout = try delimitedLayout(header, format: format, columns: options.columns, path: path)
            buffer.consume(end)
            linesBefore = 1
        }

        // Time format: detect from the first records when asked.
        var timeFormat = options.timeFormat
        let detected = timeFormat == .auto
        if detected {
            // The first boundary after 64 KiB, or the last one in the buffer.
            let prefix = buffer.boundaries(after: [min(buffer.filled, 1 << 16)], quoting: quoting).cuts[0]
            let sampler = BlockParser(layout: layout, timeReader: nil, stopAtFirstBad: false, keepBadText: false,
                                      maxQuotedBytes: options.maxRecordBytes)
            let sampled = sampler.parse(UnsafeRawBufferPointer(start: buffer.base, count: prefix))
            let samples = sampled.timeSamples
            if samples.isEmpty && sampled.records == 0 && buffer.eof && prefix == buffer.filled {
                throw EventLogError.noDataRows(path: path, what: headerBytes.isEmpty
                    ? (buffer.filled == 0 ? "it is empty" : "only blank lines") : "only a header")
            }
            if let mixed = TimestampReader.mixedEpochUnits(samples) {
                throw EventLogError.mixedEpochUnits(path: path, column: options.columns.time, seconds: mixed.seconds, millis: mixed.millis)
            }
            guard let found = TimestampReader.detect(samples) else {
                let shown = samples.first.map { String(decoding: $0, as: UTF8.self) } ?? ""
                throw EventLogError.timeFormatUndetectable(path: path, sample: shown)
            }
            timeFormat = found
            note?("\(path): timestamps look like \(found) (from \(samples.count) rows); pass --time-format to override")
        }

        let quarantine = try options.badRows.quarantinePath.map { try QuarantineFile(path: $0, header: headerBytes) }
        for w in shards ?? [] { try w.write(headerBytes) }
        var parser = BlockParser(layout: layout, timeReader: TimestampReader(timeFormat),
                                 stopAtFirstBad: options.badRows == .fail, keepBadText: quarantine != nil,
                                 maxQuotedBytes: options.maxRecordBytes)
        parser.timeRange = options.timeRange
        parser.partition = options.partition
        parser.shards = shards?.count ?? 0
        let merger = BlockMerger(layout: layout, badRows: options.badRows, quarantine: quarantine, path: path,
                                 linesBefore: linesBefore, shards: shards)
        // Pipeline: the blocks parsed in one round are merged (serially, in file order) while the next round
        // is parsed, so no core idles during the merge.
        var pending: UnsafeMutableBufferPointer<ParsedBlock>?
        defer { if let p = pending { _ = p.deinitialize(); p.deallocate() } }

        while buffer.filled > 0 {
            let targets = (1..<partsPerRound).map { buffer.filled * $0 / partsPerRound }
            let (found, end) = ReadPhases.time(&phases.split) { buffer.boundaries(after: targets, quoting: quoting) }
            if end == 0 {
                guard buffer.capacity < maxRecordBytes else {
                    if let p = pending { try merger.merge(p); _ = p.deinitialize(); p.deallocate(); pending = nil }
                    throw EventLogError.badRow(path: path, line: merger.linesBefore + 1, reason: .badQuoting,
                                               detail: "a record longer than \(maxRecordBytes >> 20) MB: probably an unterminated quote",
                                               text: String(decoding: UnsafeRawBufferPointer(start: buffer.base, count: 200), as: UTF8.self))
                }
                buffer.grow()
                try buffer.fill(from: source)
                continue
            }
            // Split [0, end) at record boundaries, then parse the parts in parallel (and merge the last round).
            var cuts = [0]
            for cut in found where cut > cuts.last! && cut < end { cuts.append(cut) }
            cuts.append(end)
            let parts = cuts.count - 1
            let results = UnsafeMutableBufferPointer<ParsedBlock>.allocate(capacity: parts)
            let box = UncheckedBox(results: results, base: UnsafeRawPointer(buffer.base), cuts: cuts, pending: pending,
                                   merger: merger)
            // Task 0 merges the previous round (it starts first, so it never ends up last); the rest parse.
            let first = pending == nil ? 1 : 0
            let roundStart = ReadPhases.now()
            parallelFor(parts + 1 - first) { i in
                let k = i + first - 1
                if k < 0 {
                    box.merger.mergeCatching(box.pending!)
                    return
                }
                let bytes = UnsafeRawBufferPointer(start: box.base + box.cuts[k], count: box.cuts[k + 1] - box.cuts[k])
                (box.results.baseAddress! + k).initialize(to: parser.parse(bytes))
            }
            for k in 0..<parts { phases.parseCPU += results[k].cpuSeconds }
            if let p = pending { _ = p.deinitialize(); p.deallocate() }
            pending = results
            if let error = merger.error { throw error }
            if options.threads == 1 {   // one core: nothing to overlap, merge now
                try merger.merge(results); _ = results.deinitialize(); results.deallocate(); pending = nil
            }
            phases.rounds += ReadPhases.now() - roundStart
            buffer.consume(end)
            if !buffer.eof { try ReadPhases.time(&phases.fill) { try buffer.fill(from: source) } }
        }
        if let p = pending { try ReadPhases.time(&phases.lastMerge) { try merger.merge(p) } }
        phases.mergeCPU = merger.cpuSeconds
        try quarantine?.commit()
        return TextScan(merger: merger, layout: layout, format: format, timeFormat: timeFormat, detected: detected,
                        bytes: source.bytesRead, endedWithoutNewline: buffer.endedWithoutNewline, headerBytes: headerBytes,
                        phases: phases)
    }

    // MARK: Layout

    /// Header names, trimmed of spaces; `bytes` is the header record (after any byte order mark).
    static func parseHeader(_ bytes: [UInt8], format: LogFormat, maxQuotedBytes: Int) -> [String] {
        switch format {
        case .whitespace:
            var b = bytes[...]
            while let last = b.last, last == 10 || last == 13 { b = b.dropLast() }
            return String(decoding: b, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        case .csv, .tsv:
            return bytes.withUnsafeBytes { p in
                var scan = CSVScanner(p, delimiter: format == .csv ? UInt8(ascii: ",") : UInt8(ascii: "\t"), fileStart: false)
                scan.maxQuotedBytes = maxQuotedBytes
                var fields: [CSVField] = []
                _ = scan.record(into: &fields)
                return fields.map { scan.text($0).trimmingCharacters(in: .whitespaces) }
            }
        case .jsonl, .parquet, .postgresql:
            return []
        }
    }

    static func delimitedLayout(_ header: [String], format: LogFormat, columns: ColumnMapping, path: String) throws -> RecordLayout {
        var roles = [Int8](repeating: -1, count: header.count)
        func locate(_ name: String, role: Int8, required: Bool) throws -> Bool {
            let hits = header.indices.filter { header[$0] == name }
            if hits.count > 1 { throw EventLogError.duplicateColumn(path: path, column: name) }
            guard let at = hits.first else {
                if required { throw EventLogError.missingColumn(path: path, column: name, header: header) }
                return false
            }
            roles[at] = role
            return true
        }
        _ = try locate(columns.user, role: 0, required: true)
        _ = try locate(columns.time, role: 1, required: true)
        let hasEvent = try locate(columns.event, role: 2, required: columns.eventExplicit)
        let hasValue = try locate(columns.value, role: 3, required: columns.valueExplicit)
        return RecordLayout(format: format, fieldCount: header.count, roles: roles, keys: [nil, nil, nil, nil],
                            hasEvent: hasEvent, hasValue: hasValue)
    }

    /// JSON Lines have no header: the event key counts as present when named explicitly or when one of the
    /// first records (`sample`) has it (rows without it are then bad rows); the value key is looked for in
    /// every row (absent → NaN).
    static func jsonLayout(_ columns: ColumnMapping, sample: UnsafeRawBufferPointer) -> RecordLayout {
        let eventKey = Array(columns.event.utf8)
        var hasEvent = columns.eventExplicit
        var start = 0
        while !hasEvent && start < sample.count {
            var end = start
            while end < sample.count && sample[end] != 10 { end += 1 }
            let line = UnsafeRawBufferPointer(rebasing: sample[start..<end])
            var scanner = JSONObjectScanner(line, base: sample.baseAddress!)
            _ = scanner.scan { key, _, _ in if key.elementsEqual(eventKey) { hasEvent = true } }
            start = end + 1
        }
        return RecordLayout(format: .jsonl, fieldCount: 0, roles: [],
                            keys: [Array(columns.user.utf8), Array(columns.time.utf8), eventKey, Array(columns.value.utf8)],
                            hasEvent: hasEvent, hasValue: true)
    }
}

private struct UncheckedBox: @unchecked Sendable {
    let results: UnsafeMutableBufferPointer<ParsedBlock>
    let base: UnsafeRawPointer
    let cuts: [Int]
    let pending: UnsafeMutableBufferPointer<ParsedBlock>?
    let merger: BlockMerger
}

/// Folds parsed blocks, in file order, into the global user and event-name ids and the store builder, and
/// applies the bad-row policy. One merge runs at a time (the reader's pipeline guarantees it), next to the
/// parsing of the following blocks, so the state needs no lock.
final class BlockMerger: @unchecked Sendable {
    let layout: RecordLayout
    let badRows: BadRowPolicy
    let quarantine: QuarantineFile?
    let path: String
    var linesBefore: Int
    // Both start small and double as keys arrive: a large initial table cost more than a small file's whole read.
    var users = ByteInterner(capacity: 64)
    var eventNames = ByteInterner(capacity: 64)
    var builder: EventStoreBuilder
    var badCounts = [Int](repeating: 0, count: BadRowReason.allCases.count)
    var records = 0, blank = 0, otherPartitionRows = 0
    /// `tenure shard`'s outputs: records go there, not into the builder.
    let shards: [ShardWriter]?
    /// The first error a pipelined merge hit; the reader throws it after the round.
    var error: Error?
    /// CPU seconds spent merging (`ReadPhases.mergeCPU`).
    var cpuSeconds = 0.0

    init(layout: RecordLayout, badRows: BadRowPolicy, quarantine: QuarantineFile?, path: String, linesBefore: Int,
         shards: [ShardWriter]?) {
        self.layout = layout; self.badRows = badRows; self.quarantine = quarantine; self.path = path
        self.linesBefore = linesBefore; self.shards = shards
        builder = EventStoreBuilder(hasEvents: layout.hasEvent, hasValues: layout.hasValue)
    }

    func mergeCatching(_ results: UnsafeMutableBufferPointer<ParsedBlock>) {
        do { try merge(results) } catch { self.error = error }
    }

    /// O(rows + distinct keys per block). Releases each block's columns once they are in the builder.
    func merge(_ results: UnsafeMutableBufferPointer<ParsedBlock>) throws {
        let cpuStart = ReadPhases.threadCPU()
        defer { cpuSeconds += ReadPhases.threadCPU() - cpuStart }
        for k in results.indices {
            var part = results[k]
            for bad in part.badRows {
                let line = linesBefore + bad.line + 1
                if badRows == .fail {
                    throw EventLogError.badRow(path: path, line: line, reason: bad.reason, detail: bad.detail,
                                               text: String(decoding: bad.shown, as: UTF8.self))
                }
                try quarantine?.write(bad.text)
            }
            for r in 0..<badCounts.count { badCounts[r] += part.badCounts[r] }
            records += part.records
            otherPartitionRows += part.otherPartitionRows
            blank += part.blankLines
            linesBefore += part.newlines
            let userMap = users.intern(allOf: part.userKeys)
            if let shards {
                for (j, w) in shards.enumerated() { try w.write(part.shardBytes[j]); w.rows += part.shardRows[j] }
                results[k] = ParsedBlock()
                continue
            }
            userMap.withUnsafeBufferPointer { m in
                part.users.withUnsafeMutableBufferPointer { u in for j in u.indices { u[j] = m[Int(u[j])] } }
            }
            var events: [UInt32] = []
            if layout.hasEvent {
                let eventMap = eventNames.intern(allOf: part.eventKeys)
                events = eventMap.withUnsafeBufferPointer { m in part.events.map { UInt32(bitPattern: m[Int($0)]) } }
                part.events = []
            }
            builder.append(users: part.users, times: part.times, events: events, valueRows: part.valueRows, valueData: part.valueData)
            results[k] = ParsedBlock()
        }
    }
}

extension BadRowPolicy {
    var quarantinePath: String? { if case let .quarantine(p) = self { return p } else { return nil } }
}

/// Bad rows written verbatim, one per line, after the header, through `AtomicOutput` (a temporary name
/// renamed into place once reading ends, removed if reading fails).
final class QuarantineFile {
    private let output: AtomicOutput

    init(path: String, header: [UInt8]) throws {
        do { output = try AtomicOutput(path: path) } catch let OutputError.cannotWrite(_, reason) {
            throw EventLogError.quarantineFailed(path: path, reason: reason)
        }
        if !header.isEmpty { try write(header) }
    }

    /// One record byte for byte, its line end (LF or CRLF) included; only the file's last line, which may
    /// have none, gets a line feed.
    func write(_ bytes: [UInt8]) throws {
        output.write(bytes: bytes)
        if bytes.last != 10 { output.write(byte: 10) }
        try mapped { try output.flushIfLarge() }
    }

    func commit() throws { try mapped { try output.commit() } }

    private func mapped(_ body: () throws -> Void) throws {
        do { try body() } catch let OutputError.cannotWrite(_, reason) {
            throw EventLogError.quarantineFailed(path: output.path, reason: reason)
        }
    }
}
