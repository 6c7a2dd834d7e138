// `tenure shard` of a Parquet log: CSV shards (times in ISO 8601 with milliseconds) whose lists equal those of
// `--partition i/N` on the Parquet original, shard for shard.
import Foundation
import Testing
import TestSupport

@Suite("shard of Parquet input")
struct ShardParquetTests {
    static let fixtures = Repository.path("Tests/ParquetTests/Fixtures")
    static let window = ["--time-range", "2026-01-01..2026-12-31"]

    @Test("scoring each CSV shard of a Parquet log gives the list --partition i/N gives on the original",
          arguments: ["duckdb-zstd.parquet", "pyarrow-many-groups.parquet", "pyarrow-int96.parquet"])
    func sameAsPartition(name: String) throws {
        let scratch = try Scratch()
        let log = Self.fixtures + "/" + name
        let shard = try Tenure.run(["shard", "--events", log, "--shards", "3", "--out", scratch.path("shards")] + Self.window)
        try #require(shard.status == 0, "\(shard.stderr)")
        #expect(shard.stderr.contains("300 rows read, 300 written to 3 shards") && shard.stderr.contains("ISO 8601 UTC with milliseconds"), "\(shard.stderr)")
        let train = try Tenure.run(["train", "--events", log, "--cutoff", "2026-03-03..2026-03-09/1d", "--horizon", "2d", "--min-class-rows", "1",
                                    "--model", "logistic", "--out", scratch.path("m.tenure")] + Self.window)
        try #require(train.status == 0, "\(train.stderr)")
        for i in 0..<3 {
            func score(_ events: String, _ out: String, _ extra: [String]) throws -> ProcessOutput {
                try Tenure.run(["score", "--model", scratch.path("m.tenure"), "--events", events, "--as-of", "2026-03-12", "--reasons-for-all",
                                "--allow-mismatch", "--out", scratch.path(out)] + Self.window + extra)
            }
            let whole = try score(log, "whole-\(i).csv", ["--partition", "\(i)/3"])
            let part = try score(scratch.path("shards/part-000\(i)-of-3.csv"), "shard-\(i).csv", ["--time-format", "iso8601"])
            try #require(whole.status == 0 && part.status == 0, "\(whole.stderr)\n\(part.stderr)")
            #expect((scratch.bytes("shard-\(i).csv")?.count ?? 0) > 100)
            #expect(scratch.bytes("shard-\(i).csv") == scratch.bytes("whole-\(i).csv"), "\(name) shard \(i) differs from --partition \(i)/3")
        }
    }
}
