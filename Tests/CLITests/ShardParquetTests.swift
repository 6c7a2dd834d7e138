// `tenure shard` of a Parquet log or a PostgreSQL table: CSV shards (times in ISO 8601 with milliseconds) whose
// lists equal those of `--partition i/N` on the original, shard for shard.
import Foundation
import Testing
import TestSupport

@Suite("shard of Parquet and PostgreSQL input")
struct ShardParquetTests {
    static let fixtures = Repository.path("Tests/ParquetTests/Fixtures")
    static let window = ["--time-range", "2026-01-01..2026-12-31"]

    @Test("scoring each CSV shard of a Parquet log gives the list --partition i/N gives on the original",
          arguments: ["duckdb-zstd.parquet", "pyarrow-many-groups.parquet", "pyarrow-int96.parquet"])
    func sameAsPartition(name: String) throws {
        try Self.checkShards(of: [Self.fixtures + "/" + name], named: name)
    }

    @Test("scoring each CSV shard of a PostgreSQL table or query gives the list --partition i/N gives on it",
          arguments: [["--table", "pg_tz"], ["--query", "SELECT user_id, timestamp, event, value FROM pg_epoch"]])
    func postgresSameAsPartition(source: [String]) throws {
        guard let uri = PostgresServer.uri else { print(PostgresServer.skipped); return }
        _ = try PostgresServer.tables.get()
        try Self.checkShards(of: [uri] + source, named: source.joined(separator: " "))
    }

    /// Shards `events` (the 300 rows of the Parquet fixtures, whatever the source) into 3 CSV files, trains one
    /// model on the original and requires each shard's list to equal `--partition i/3`'s on the original.
    static func checkShards(of events: [String], named name: String) throws {
        let scratch = try Scratch()
        let shard = try Tenure.run(["shard", "--events"] + events + ["--shards", "3", "--out", scratch.path("shards")] + window)
        try #require(shard.status == 0, "\(name): \(shard.stderr)")
        #expect(shard.stderr.contains("300 rows read, 300 written to 3 shards") && shard.stderr.contains("ISO 8601 UTC with milliseconds"),
                "\(name): \(shard.stderr)")
        let train = try Tenure.run(["train", "--events"] + events + ["--cutoff", "2026-03-03..2026-03-09/1d", "--horizon", "2d",
                                    "--min-class-rows", "1", "--model", "logistic", "--out", scratch.path("m.tenure")] + window)
        try #require(train.status == 0, "\(name): \(train.stderr)")
        var shardRows = 0
        for i in 0..<3 {
            func score(_ events: [String], _ out: String, _ extra: [String]) throws -> ProcessOutput {
                try Tenure.run(["score", "--model", scratch.path("m.tenure"), "--events"] + events + ["--as-of", "2026-03-12",
                                "--reasons-for-all", "--allow-mismatch", "--out", scratch.path(out)] + window + extra)
            }
            let shardFile = scratch.path("shards/part-000\(i)-of-3.csv")
            let whole = try score(events, "whole-\(i).csv", ["--partition", "\(i)/3"])
            let part = try score([shardFile], "shard-\(i).csv", ["--time-format", "iso8601"])
            try #require(whole.status == 0 && part.status == 0, "\(name): \(whole.stderr)\n\(part.stderr)")
            #expect((scratch.bytes("shard-\(i).csv")?.count ?? 0) > 100)
            #expect(scratch.bytes("shard-\(i).csv") == scratch.bytes("whole-\(i).csv"), "\(name) shard \(i) differs from --partition \(i)/3")
            shardRows += (try String(contentsOfFile: shardFile, encoding: .utf8)).split(separator: "\n").count - 1
        }
        #expect(shardRows == 300, "\(name): the shards hold \(shardRows) rows, not the source's 300")
    }
}
