// One Parquet row group's rows checked and turned into events with ids local to the group, on whichever core
// runs it; ParquetLogReader merges the groups in file order into the global ids and the store builder, as
// the text reader merges its blocks, so the result does not depend on the thread count.
import Parquet
import TenureCore

/// How a file's time column becomes milliseconds, settled once per file before its row groups split across
/// the cores (a text or integer column's format detected from its first rows).
struct ParquetTimeMode: Sendable {
    var format: TimeFormat
    /// An integer column read while the format was still `auto`: its decimal texts go through `format`.
    var integersAsText: Bool
}

/// The events of one row group (user and event ids local to it: their keys in `userKeys`/`eventKeys`).
struct ParquetRowGroup {
    var users: [Int32] = [], times: [Int64] = [], events: [UInt32] = []
    var valueRows: [UInt32] = [], valueData: [Double] = []
    var userKeys = GroupKeys(), eventKeys = GroupKeys()
    var badCounts: [BadRowReason: Int] = [:]
    var records = 0, otherPartitionRows = 0
    /// What stopped the group: its first bad row under `--bad-rows fail`, or a decoding error.
    var failure: Error?
}

/// A group's distinct keys in local-id order. A dictionary column's entries need no hashing in the group:
/// an entry gets the next local id when a good row first uses it (`order` lists the entries by local id), and
/// the merge interns each used entry once; a plain column's texts are interned per row.
struct GroupKeys {
    var dictionary = ByteArrays(), order: [Int32] = []
    var interner: ByteInterner?

    /// The global id of each local id, in local order (so global ids come in the group's first-use order).
    func globalIDs(_ global: inout ByteInterner) -> [Int32] {
        if let interner {
            return interner.arena.withUnsafeBytes { a in
                interner.keyStarts.withUnsafeBufferPointer { s in
                    (0..<interner.count).map { id in global.intern(UnsafeRawBufferPointer(rebasing: a[s[id]..<s[id + 1]])) }
                }
            }
        }
        return dictionary.bytes.withUnsafeBytes { a in
            dictionary.offsets.withUnsafeBufferPointer { s in
                order.map { e in global.intern(UnsafeRawBufferPointer(rebasing: a[s[Int(e)]..<s[Int(e) + 1]])) }
            }
        }
    }
}

struct ParquetRowGroupParser: Sendable {
    let file: ParquetFile
    let leaves: EventColumns.Leaves
    let options: ReadOptions
    let time: ParquetTimeMode

    /// Group `g`, whose first row is row `firstRow` of the file (rows are numbered from 1 in messages).
    func parse(group g: Int, firstRow: Int) -> ParquetRowGroup {
        var out = ParquetRowGroup()
        do {
            let c: EventColumns
            do { c = try EventColumns(file: file, leaves: leaves, groups: g..<(g + 1), threads: 1) } catch let e as ParquetError {
                throw EventLogError.readFailed(path: file.path, reason: "\(e)")
            }
            try rows(c, firstRow: firstRow, into: &out)
        } catch { out.failure = error }
        return out
    }

    private func rows(_ c: EventColumns, firstRow: Int, into out: inout ParquetRowGroup) throws {
        let path = file.path, range = options.timeRange, fail = options.badRows == .fail
        let (bulkTimes, parseTime) = try millis(c.times)
        let userIDs = ParquetLogReader.Interned(c.users), names = c.events.map(ParquetLogReader.Interned.init)
        out.userKeys = userIDs.newKeys(); out.eventKeys = names?.newKeys() ?? GroupKeys()
        let n = c.rows
        let userNull = c.userNull, timeNull = c.timeNull, eventNull = c.eventNull
        let values = c.values, valueNull = c.valueNull
        // The kept rows are written straight into the group's arrays (no per-row append).
        var kept = 0
        out.times = [Int64](unsafeUninitializedCapacity: n) { times, timesCount in
            out.users = [Int32](unsafeUninitializedCapacity: n) { users, usersCount in
                out.events = [UInt32](unsafeUninitializedCapacity: names == nil ? 0 : n) { events, eventsCount in
                    defer { usersCount = kept; timesCount = kept; eventsCount = names == nil ? 0 : kept }
                    for row in 0..<n {
                        out.records += 1
                        // Returns whether the group goes on (false: the first bad row under --bad-rows fail).
                        func bad(_ reason: BadRowReason, _ detail: @autoclosure () -> String) -> Bool {
                            if fail { out.failure = EventLogError.badParquetRow(path: path, row: firstRow + row + 1, reason: reason, detail: detail()); return false }
                            out.badCounts[reason, default: 0] += 1
                            return true
                        }
                        let user = userIDs.entry(row)
                        if userNull?[row] == true || userIDs.isEmpty(user) {
                            if bad(.emptyUserID, "user id '\(options.columns.user)' is null or empty") { continue } else { return }
                        }
                        if let flaw = userIDs.flaw(user) { if bad(flaw, "in the user id") { continue } else { return } }
                        // Another partition's row costs one hash per distinct id (per row without a dictionary); the rest
                        // of it is never converted or checked, as in the text reader.
                        if let part = options.partition, userIDs.partition(user, count: part.count) != part.index {
                            out.otherPartitionRows += 1
                            continue
                        }
                        guard timeNull?[row] != true, let t = bulkTimes?[row] ?? parseTime?(row) else {
                            if bad(.badTimestamp, "time '\(options.columns.time)' is null or unreadable") { continue } else { return }
                        }
                        guard range.contains(t) else {
                            if bad(.outsideTimeRange, "\(formatTimestamp(t)) is \(range.explain(t)) (--time-range \(range))") { continue } else { return }
                        }
                        if let names {
                            let name = names.entry(row)
                            if eventNull?[row] == true || names.isEmpty(name) {
                                if bad(.emptyEventName, "event name is null or empty") { continue } else { return }
                            }
                            if let flaw = names.flaw(name) { if bad(flaw, "in the event name") { continue } else { return } }
                            events[kept] = UInt32(names.id(name, &out.eventKeys))
                        }
                        if let values, valueNull?[row] != true, values[row].isFinite {
                            out.valueRows.append(UInt32(truncatingIfNeeded: kept)); out.valueData.append(values[row])
                        }
                        users[kept] = userIDs.id(user, &out.userKeys)
                        times[kept] = t
                        kept += 1
                    }
                }
            }
        }
    }

    /// Every row's time in ms since the epoch when each is readable by construction (a timestamp or date
    /// column: converted in one pass), else row `i`'s time (nil: unreadable; nulls are the caller's).
    private func millis(_ times: EventColumns.Times) throws -> ([Int64]?, ((Int) -> Int64?)?) {
        switch times {
        case .epochNanoseconds(let ns):
            // Floor division: an instant before 1970 stays in its millisecond.
            return (ns.map { $0 >= 0 ? $0 / 1_000_000 : -((-$0 + 999_999) / 1_000_000) }, nil)
        case .text(let b):
            let reader = TimestampReader(time.format)
            return (nil, { i in b[i].withUnsafeBytes { reader.parse($0) } })
        case .integers(let v):
            if time.integersAsText {
                let reader = TimestampReader(time.format)
                return (nil, { i in Array(String(v[i]).utf8).withUnsafeBytes { reader.parse($0) } })
            }
            if time.format == .epochMillis { return (v, nil) }
            if time.format == .epochSeconds { return (nil, { i in v[i].multipliedReportingOverflow(by: 1000).overflow ? nil : v[i] * 1000 }) }
            throw EventLogError.unsupportedOption("--time-format \(time.format)", reason: "an integer time column holds epoch seconds or milliseconds: pass --time-format epoch-s or epoch-ms")
        }
    }
}
