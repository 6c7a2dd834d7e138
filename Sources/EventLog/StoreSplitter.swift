// `tenure shard` of an input that has no text to copy (Parquet, PostgreSQL): the store read as every command reads
// it, written user by user to CSV shards by `PartitionHash` of the user id, so re-reading shard i gives the store
// `--partition i/N` gives on the original (its users in the same order, their events in the same order).
import Foundation
import TenureCore

extension EventLogReader {
    /// How a shard written from a store spells a time: ISO 8601 UTC with milliseconds, which the text reader
    /// parses back to the same millisecond (`--time-format iso8601`, or `auto`).
    public static let shardTimeFormat = TimeFormat.iso8601

    /// `2026-03-01T09:30:00.250Z`: always three fraction digits, so one pattern covers every row.
    static func shardTime(_ ms: Int64) -> String {
        let whole = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000)
        let fraction = ms - whole * 1000
        let digits = String(fraction)
        return formatTimestamp(whole * 1000).dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    /// Writes `store` (read from `report.path` with `columns`) to `writers.count` CSV shards: the header
    /// (the mapped column names; event and value only when the input had them), then each user's events in the
    /// store's order, users in the store's order. Every writer is staged before any is committed.
    public static func split(_ store: EventStore, report: IngestReport, columns: ColumnMapping,
                             into writers: [ShardWriter]) throws -> SplitReport {
        precondition(!writers.isEmpty)
        var header = [CSVScanner.quoted(columns.user), CSVScanner.quoted(columns.time)]
        if store.hasEventColumn { header.append(CSVScanner.quoted(columns.event ?? "event")) }
        if store.hasValueColumn { header.append(CSVScanner.quoted(columns.value ?? "value")) }
        let headerLine = Array((header.joined(separator: ",") + "\n").utf8)
        var buffers = [[UInt8]](repeating: headerLine, count: writers.count)
        var users = [Int](repeating: 0, count: writers.count)
        let names = store.eventNames.map { Array(CSVScanner.quoted($0).utf8) }
        for u in 0..<store.userCount {
            let id = store.userIDs[u]
            let k = Array(id.utf8).withUnsafeBytes { PartitionHash.partition(of: $0, count: writers.count) }
            let quoted = Array(CSVScanner.quoted(id).utf8)
            users[k] += 1
            for e in store.range(ofUser: u) {
                buffers[k] += quoted
                buffers[k].append(44)
                buffers[k] += Array(shardTime(store.times[e]).utf8)
                if store.hasEventColumn { buffers[k].append(44); buffers[k] += names[Int(store.events[e])] }
                if store.hasValueColumn {
                    buffers[k].append(44)
                    let v = store.values[e]
                    if !v.isNaN { buffers[k] += Array(ParquetTable.numberText(v).utf8) }
                }
                buffers[k].append(10)
                writers[k].rows += 1
            }
            if buffers[k].count >= 1 << 20 { try writers[k].write(buffers[k]); buffers[k].removeAll(keepingCapacity: true) }
        }
        for (k, w) in writers.enumerated() { try w.write(buffers[k]) }
        for w in writers { try w.stage() }
        for w in writers { try w.commit() }
        let shards = writers.enumerated().map { k, w in SplitReport.Shard(path: w.path, rows: w.rows, users: users[k], bytes: w.bytes) }
        return SplitReport(path: report.path, format: .csv, records: report.records, rows: shards.reduce(0) { $0 + $1.rows },
                           users: store.userCount, badRows: report.badRows.filter { $0.value > 0 }, blankLines: report.blankLines, shards: shards)
    }
}
