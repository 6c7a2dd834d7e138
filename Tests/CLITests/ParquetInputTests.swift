// `--events` as Parquet through the real binary: every fixture written by pyarrow and DuckDB (each codec, page
// version, encoding and timestamp type; Tests/ParquetTests/make_fixtures.py) gives features byte-identical to
// the CSV export of the same rows; a directory of Parquet files reads as one log; damaged files and bad rows
// are refused with the file, the row and the reason.
import Foundation
import Testing
import TestSupport

@Suite("Parquet event logs")
struct ParquetInputTests {
    static let fixtures = Repository.path("Tests/ParquetTests/Fixtures")
    static let names = ((try? FileManager.default.contentsOfDirectory(atPath: fixtures)) ?? []).filter { $0.hasSuffix(".parquet") }.sorted()
    static let cutoffs = ["--cutoff", "2026-03-05,2026-03-09", "--task", "none", "--time-range", "2026-01-01..2026-12-31"]

    static func features(_ events: String, _ out: String, _ extra: [String] = []) throws -> ProcessOutput {
        try Tenure.run(["features", "--events", events, "--out", out] + cutoffs + extra)
    }

    @Test("features from each Parquet fixture equal those from the CSV of the same rows", arguments: names)
    func sameFeatures(name: String) throws {
        let scratch = try Scratch()
        let csv = try Self.features(Self.fixtures + "/events.csv", scratch.path("csv.csv"))
        try #require(csv.status == 0, "\(csv.stderr)")
        let parquet = try Self.features(Self.fixtures + "/" + name, scratch.path("parquet.csv"))
        try #require(parquet.status == 0, "\(name): \(parquet.stderr)")
        #expect(scratch.bytes("parquet.csv") == scratch.bytes("csv.csv"), "\(name): features differ from the CSV's")
        #expect(parquet.stderr.contains("300 rows read, 300 events"), "\(parquet.stderr)")
    }

    @Test("a directory of Parquet files reads as one log; --format parquet reads a file without the extension")
    func directoryAndFormat() throws {
        let scratch = try Scratch()
        let dir = scratch.path("dataset/day=1")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.fixtures + "/pyarrow-zstd-v2.parquet", toPath: dir + "/part-0.parquet")
        let one = try Tenure.run(["retention", "--events", scratch.path("dataset"), "--time-range", "2026-01-01..2026-12-31"])
        #expect(one.status == 0 && one.stderr.contains("300 events"), "\(one.stderr)")
        try FileManager.default.copyItem(atPath: Self.fixtures + "/duckdb-snappy.parquet", toPath: scratch.path("events.bin"))
        let bare = try Tenure.run(["retention", "--events", scratch.path("events.bin"), "--time-range", "2026-01-01..2026-12-31"])
        #expect(bare.status == 0, "magic bytes identify Parquet: \(bare.stderr)")
    }

    @Test("truncated, damaged and wrong files exit 2 naming the file; a missing column names the columns there are")
    func refusals() throws {
        let scratch = try Scratch()
        let good = try #require(FileManager.default.contents(atPath: Self.fixtures + "/pyarrow-snappy-v1.parquet"))
        let truncated = scratch.path("truncated.parquet")
        try good.prefix(good.count / 2).write(to: URL(fileURLWithPath: truncated))
        let t = try Tenure.run(["retention", "--events", truncated])
        #expect(t.status == 2 && t.stderr.contains("truncated.parquet") && t.stderr.contains("truncated"), "\(t.stderr)")
        let csvNamedParquet = scratch.path("fake.parquet")
        try Data("user_id,timestamp\nu1,2026-01-01\n".utf8).write(to: URL(fileURLWithPath: csvNamedParquet))
        let f = try Tenure.run(["retention", "--events", csvNamedParquet])
        #expect(f.status == 2 && f.stderr.contains("not a Parquet file"), "\(f.stderr)")
        let m = try Tenure.run(["retention", "--events", Self.fixtures + "/pyarrow-plain.parquet", "--user-col", "uid"])
        #expect(m.status == 2 && m.stderr.contains("no column 'uid'") && m.stderr.contains("user_id"), "\(m.stderr)")
        // The default time range (from 1990) keeps these rows; a range that excludes them makes bad rows, row-located.
        let r = try Tenure.run(["retention", "--events", Self.fixtures + "/pyarrow-plain.parquet", "--time-range", "2026-03-05..2026-12-31"])
        #expect(r.status == 2 && r.stderr.contains("row 1: timestamp outside --time-range"), "\(r.stderr)")
        let q = try Tenure.run(["retention", "--events", Self.fixtures + "/pyarrow-plain.parquet", "--bad-rows", "quarantine=" + scratch.path("q.txt")])
        #expect(q.status == 64 && q.stderr.contains("no text to quarantine"), "\(q.stderr)")
    }
}
