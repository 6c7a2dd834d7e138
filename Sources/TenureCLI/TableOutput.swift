// `score --out postgresql://… --out-table NAME [--manifest-out FILE]`: the flags, their checks (all before any
// work), and the hand-over of the rendered list and its manifest to PostgresSink's one transaction.
import Foundation
import Manifest
import Postgres
import PostgresSink
import Targeting
import TenureCore

struct TableOutput {
    static let options = [
        Option("out-table", "NAME", "with --out postgresql://…: the table (table or schema.table, lower case) that gets the list; created when missing; the run's rows (same as-of, partition, campaign) are replaced in one transaction, the manifest goes into tenure_runs beside it"),
        Option("manifest-out", "FILE", "with --out-table: also write the run manifest to FILE"),
    ]

    let uri: String
    let table: TableName
    let manifestOut: String?

    /// The table output `a` asks for, nil for a file or directory `--out`; a URI without a table, a table without
    /// a URI and a table with a format other than CSV are usage errors.
    static func parse(_ a: Arguments, out: String, outputFormat: String) throws -> TableOutput? {
        guard PostgresURI.isURI(out) else {
            for flag in ["out-table", "manifest-out"] where a.has(flag) {
                throw UsageError("\(a.spelling(flag)) needs --out postgresql://… (a database to write the list table into), not '\(out)'")
            }
            return nil
        }
        guard let name = a.string("out-table") else {
            throw UsageError("--out \(PostgresURI.redacted(out)) needs --out-table NAME: the table that gets the list")
        }
        guard outputFormat == "csv" else {
            throw UsageError("\(a.spelling("output-format")) \(outputFormat) applies to files; a table gets typed columns (leave it out)")
        }
        let output = TableOutput(uri: out, table: try TableName(name, flag: a.spelling("out-table")), manifestOut: a.string("manifest-out"))
        if let m = output.manifestOut { try OutputPath.checkWritable(m) }
        return output
    }

    /// Connects and checks the table before the night's work: a refused connection or a table with other columns
    /// fails in a second.
    func open(schema: ListSchema, reasons: Int) throws -> ListTableSink {
        try ListTableSink(uri: uri, table: table, schema: schema, reasons: reasons)
    }

    /// Where the rendered CSV waits for its COPY: AtomicOutput stages it as `…tmp-PID` and, as it is never
    /// committed, removes it when the run ends (a killed run's file is removed by the next run).
    static var scratchList: String { (NSTemporaryDirectory() as NSString).appendingPathComponent("tenure-list.csv") }

    /// The settings keys the manifest gains for a table run (the URI without its password).
    func recorded(_ sink: ListTableSink) -> [String: String] { ["out_database": PostgresURI.redacted(uri), "out_table": sink.table.description] }

    /// Writes the staged list and its manifest in one transaction; `--manifest-out` is staged inside it, last
    /// night's file removed just before the commit and tonight's renamed after it, so the file never describes
    /// another list than the table holds.
    func write(_ sink: ListTableSink, stagedList: String, list: FileFingerprint, asOf: Int64, settings s: RecallSettings, manifest: RunManifest) throws {
        let key = RunKey(asOf: asOf, partition: s.partition?.description, campaign: s.control?.campaign)
        let bytes = try manifest.json()
        let file = try manifestOut.map { try AtomicOutput(path: $0) }
        _ = try sink.write(listCSV: stagedList, rows: list.rows ?? 0, listSHA256: list.sha256, key: key, manifest: bytes) {
            guard let file else { return }
            file.write(bytes: bytes)
            try file.stage()
            try file.withdrawPrevious()
        }
        try file?.commit()
        Console.note("wrote \(list.rows ?? 0) rows to table \(sink.table) (\(key)) in \(PostgresURI.redacted(uri)); the run is in \(sink.runs)"
                     + (manifestOut.map { " and \($0)" } ?? ""))
    }
}
