// `tenure shard`: split one event log into N files by the partition hash, so N jobs (an array job, N machines)
// each read only their users: scoring shard i is scoring the whole log with `--partition i/N`.
import EventLog
import Foundation
import TenureCore

enum ShardCommand {
    /// More shards than this is a typo (each is an open file and a buffer per parse block).
    static let shardsRange = 1...4096

    static let command = Command(
        name: "shard", summary: "Split an event log into N files by the --partition hash (one pass; all shards or none).",
        usage: "--events FILE --shards N --out DIR/ [--gzip]",
        options: [
            Option("shards", "N", "number of shards (\(shardsRange.lowerBound)…\(shardsRange.upperBound)); shard i holds the users of --partition i/N"),
            Option("out", "DIR/", "directory for the shards (created if missing): part-0000-of-N.EXT …, in the input's format (CSV for Parquet or PostgreSQL), header in each"),
            Option.flag("gzip", "gzip each shard (adds .gz)"),
        ] + EventOptions.reading,
        run: run)

    static func run(_ a: Arguments) throws {
        guard let n = try a.int("shards", .within(shardsRange)) else { throw UsageError("'tenure shard' needs --shards N") }
        guard let dir = a.string("out") else { throw UsageError("'tenure shard' needs --out DIR/") }
        let events = try a.required("events")
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw UsageError("\(a.spelling("out")) \(dir): names a file; shards go into a directory")
        }
        try OutputPath.checkWritable(dir, isDirectory: true)
        let options = try EventOptions.readOptions(a)
        // Parquet and PostgreSQL have no record text to copy: their store is written as CSV.
        let fromStore = DatabaseTable.isDatabase(events) || options.format == .parquet
            || (options.format == nil && events != "-" && ParquetTable.isParquet(events))
        let format = fromStore ? .csv : options.format ?? LogFormat.fromExtension(events) ?? .csv
        let ext = format == .whitespace ? "txt" : format.rawValue
        let gzip = a.flag("gzip")
        let width = max(4, String(n - 1).count)
        let names = (0..<n).map { i in
            "part-" + String(repeating: "0", count: width - String(i).count) + String(i) + "-of-\(n).\(ext)" + (gzip ? ".gz" : "")
        }
        let paths = names.map { URL(fileURLWithPath: dir).appendingPathComponent($0).path }
        if let input = try? OutputTarget.resolve(events), case .replace(let p) = input, paths.contains(p) {
            throw UsageError("\(a.spelling("out")): shard \(p) would overwrite the input")
        }
        do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
            throw OutputError.cannotWrite(path: dir, reason: "cannot create the directory: \(error.localizedDescription)")
        }
        let writers = try paths.map { try ShardWriter(path: $0, gzip: gzip) }
        if fromStore {
            let (store, read) = try EventOptions.readStore(a)
            let report = try EventLogReader.split(store, report: read, columns: options.columns, into: writers)
            Console.note(summary(report) + "\n" + timeNote)
        } else {
            let report = try EventLogReader.split(events, options: options, into: writers, note: { Console.note($0) })
            Console.note(summary(report))
        }
    }

    /// Said after a Parquet or PostgreSQL input's shards, whose times are written in one format of Tenure's.
    static let timeNote = "times written as ISO 8601 UTC with milliseconds (2026-03-01T09:30:00.250Z): read the shards with "
        + "--time-format \(EventLogReader.shardTimeFormat) (or auto), and give a model trained on the original the same flag"

    static func summary(_ r: SplitReport) -> String {
        var lines = ["\(r.path): \(r.records) rows read, \(r.rows) written to \(r.shards.count) shards (\(r.format.rawValue)), "
            + "\(r.users) users, \(r.badRowTotal) bad rows" + (r.blankLines > 0 ? ", \(r.blankLines) blank lines" : "")]
        for (reason, count) in r.badRows.sorted(by: { $0.key < $1.key }) where count > 0 { lines.append("  bad rows, \(reason.rawValue): \(count)") }
        for s in r.shards { lines.append("  \(s.path): \(s.rows) rows, \(s.users) users, \(s.bytes) bytes") }
        return lines.joined(separator: "\n")
    }
}
