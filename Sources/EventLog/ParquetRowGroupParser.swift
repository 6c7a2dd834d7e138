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
    var userKeys = ByteInterner(capacity: 64), eventKeys = ByteInterner(capacity: 64)
    var badCounts: [BadRowReason: Int] = [:]
    var records = 0, otherPartitionRows = 0
    /// What stopped the group: its first bad row under `--bad-rows fail`, or a decoding error.
    var failure: Error?
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
        let times = try millis(c.times)
        let userIDs = ParquetLogReader.Interned(c.users), names = c.events.map(ParquetLogReader.Interned.init)
        if c.users.indices != nil { out.userKeys = ByteInterner(capacity: c.users.values.count) }
        if let e = c.events, e.indices != nil { out.eventKeys = ByteInterner(capacity: e.values.count) }
        out.users.reserveCapacity(c.rows); out.times.reserveCapacity(c.rows)
        if names != nil { out.events.reserveCapacity(c.rows) }
        for row in 0..<c.rows {
            out.records += 1
            // Returns whether the group goes on (false: the first bad row under --bad-rows fail).
            func bad(_ reason: BadRowReason, _ detail: @autoclosure () -> String) -> Bool {
                if fail { out.failure = EventLogError.badParquetRow(path: path, row: firstRow + row + 1, reason: reason, detail: detail()); return false }
                out.badCounts[reason, default: 0] += 1
                return true
            }
            let user = userIDs.entry(row)
            if c.userNull?[row] == true || userIDs.isEmpty(user) {
                if bad(.emptyUserID, "user id '\(options.columns.user)' is null or empty") { continue } else { return }
            }
            if let flaw = userIDs.flaw(user) { if bad(flaw, "in the user id") { continue } else { return } }
            // Another partition's row costs one hash per distinct id (per row without a dictionary); the rest
            // of it is never converted or checked, as in the text reader.
            if let part = options.partition, userIDs.partition(user, count: part.count) != part.index {
                out.otherPartitionRows += 1
                continue
            }
            guard c.timeNull?[row] != true, let t = times(row) else {
                if bad(.badTimestamp, "time '\(options.columns.time)' is null or unreadable") { continue } else { return }
            }
            guard range.contains(t) else {
                if bad(.outsideTimeRange, "\(formatTimestamp(t)) is \(range.explain(t)) (--time-range \(range))") { continue } else { return }
            }
            if let names {
                let name = names.entry(row)
                if c.eventNull?[row] == true || names.isEmpty(name) {
                    if bad(.emptyEventName, "event name is null or empty") { continue } else { return }
                }
                if let flaw = names.flaw(name) { if bad(flaw, "in the event name") { continue } else { return } }
                out.events.append(UInt32(names.id(name, &out.eventKeys)))
            }
            let u = userIDs.id(user, &out.userKeys)
            if let v = c.values, c.valueNull?[row] != true, v[row].isFinite {
                out.valueRows.append(UInt32(truncatingIfNeeded: out.users.count)); out.valueData.append(v[row])
            }
            out.users.append(u); out.times.append(t)
        }
    }

    /// Row `i`'s time in ms since the epoch (nil: unreadable; nulls are the caller's).
    private func millis(_ times: EventColumns.Times) throws -> (Int) -> Int64? {
        switch times {
        case .epochNanoseconds(let ns):
            // Floor division: an instant before 1970 stays in its millisecond.
            return { i in ns[i] >= 0 ? ns[i] / 1_000_000 : -((-ns[i] + 999_999) / 1_000_000) }
        case .text(let b):
            let reader = TimestampReader(time.format)
            return { i in b[i].withUnsafeBytes { reader.parse($0) } }
        case .integers(let v):
            if time.integersAsText {
                let reader = TimestampReader(time.format)
                return { i in Array(String(v[i]).utf8).withUnsafeBytes { reader.parse($0) } }
            }
            if time.format == .epochMillis { return { v[$0] } }
            if time.format == .epochSeconds { return { i in v[i].multipliedReportingOverflow(by: 1000).overflow ? nil : v[i] * 1000 } }
            throw EventLogError.unsupportedOption("--time-format \(time.format)", reason: "an integer time column holds epoch seconds or milliseconds: pass --time-format epoch-s or epoch-ms")
        }
    }
}
