// `tenure shard` through the real binary: shard i scores exactly as the whole log with --partition i/N (list
// bytes equal), counts add up, gzip shards read the same, a bad row leaves no shard behind; and a run that
// cannot fit its memory exits 2 with the advice instead of aborting.
import Foundation
import Testing
import TestSupport

@Suite("Sharding and memory")
struct ShardTests {
    static func rows(_ data: Data?) -> Int { String(decoding: data ?? Data(), as: UTF8.self).split(separator: "\n").count - 1 }

    @Test("scoring shard i is scoring the whole log with --partition i/N, byte for byte; counts add up")
    func shardEqualsPartition() throws {
        let scratch = try Scratch()
        let (events, model) = try NightlyTests.prepare(scratch)
        let split = try Tenure.run(["shard", "--events", events, "--shards", "3", "--out", scratch.path("shards") + "/"])
        try #require(split.status == 0, "\(split.stderr)")
        let names = (0..<3).map { "shards/part-000\($0)-of-3.csv" }
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: scratch.path("shards"))) == Set(names.map { String($0.dropFirst(7)) }))
        let all = String(decoding: scratch.bytes("events.csv") ?? Data(), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        var total = 0
        for (i, name) in names.enumerated() {
            let shard = String(decoding: scratch.bytes(name) ?? Data(), as: UTF8.self).split(separator: "\n")
            #expect(shard.first == all.first, "the header is kept")
            total += shard.count - 1
            let whole = try NightlyTests.score(events, model, ["--out", scratch.path("whole\(i).csv"), "--partition", "\(i)/3", "--reasons-for-all"])
            #expect(whole.status == 0, "\(whole.stderr)")
            let part = try NightlyTests.score(scratch.path(name), model, ["--out", scratch.path("shard\(i).csv"), "--reasons-for-all"])
            #expect(part.status == 0, "\(part.stderr)")
            #expect(Self.rows(scratch.bytes("shard\(i).csv")) > 0)
            #expect(scratch.bytes("shard\(i).csv") == scratch.bytes("whole\(i).csv"), "shard \(i) and partition \(i)/3 differ")
        }
        #expect(total == all.count - 2, "every data row is in exactly one shard")   // header and the final empty piece
        // The summary's per-shard counts add up to the totals it prints.
        #expect(split.stderr.contains("\(total) written to 3 shards"), "\(split.stderr)")
    }

    @Test("gzip shards hold the same records")
    func gzipShards() throws {
        let scratch = try Scratch()
        let events = scratch.path("events.csv")
        let gen = try Tenure.run(["generate", "--users", "200", "--days", "30", "--seed", "5", "--out", events])
        try #require(gen.status == 0, "\(gen.stderr)")
        let plain = try Tenure.run(["shard", "--events", events, "--shards", "2", "--out", scratch.path("plain/")])
        let packed = try Tenure.run(["shard", "--events", events, "--shards", "2", "--gzip", "--out", scratch.path("packed/")])
        try #require(plain.status == 0 && packed.status == 0, "\(plain.stderr)\(packed.stderr)")
        for i in 0..<2 {
            let gz = scratch.path("packed/part-000\(i)-of-2.csv.gz")
            #expect(scratch.bytes("packed/part-000\(i)-of-2.csv.gz")?.prefix(2) == Data([0x1f, 0x8b]))
            let r = try Subprocess.run("/bin/gzip", ["-dc", gz])
            #expect(Data(r.stdout.utf8) == scratch.bytes("plain/part-000\(i)-of-2.csv"))
        }
    }

    @Test("a bad row under --bad-rows fail leaves no shard; skip and quarantine count it")
    func badRows() throws {
        let scratch = try Scratch()
        let log = try scratch.write("log.csv", "user_id,timestamp,event\nu1,2026-01-01T00:00:00Z,a\nu2,not-a-time,b\nu3,2026-01-02T00:00:00Z,c\n")
        let fail = try Tenure.run(["shard", "--events", log, "--shards", "2", "--out", scratch.path("out/"), "--time-format", "iso8601"])
        #expect(fail.status == 2 && fail.stderr.contains(":3:"), "\(fail.stderr)")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: scratch.path("out"))) ?? []).isEmpty, "a shard was left behind")
        let skip = try Tenure.run(["shard", "--events", log, "--shards", "2", "--out", scratch.path("out/"), "--time-format", "iso8601",
                                   "--bad-rows", "quarantine=" + scratch.path("bad.csv")])
        #expect(skip.status == 0, "\(skip.stderr)")
        #expect(skip.stderr.contains("3 rows read, 2 written to 2 shards") && skip.stderr.contains("1 bad rows"), "\(skip.stderr)")
        #expect(String(decoding: scratch.bytes("bad.csv") ?? Data(), as: UTF8.self) == "user_id,timestamp,event\nu2,not-a-time,b\n")
    }

    @Test("a log whose store cannot fit under the address-space limit exits 2 with the advice, not 134")
    func memoryRefusal() throws {
        let scratch = try Scratch()
        let (events, model) = try NightlyTests.prepare(scratch)
        // 150 MiB of address space: enough to start (about 130 MiB are mapped by then, with OpenBLAS at one
        // thread: its threads' buffers would take the rest) but not for the reader's 64 MiB buffer, whose
        // allocation would abort (exit 134: `--memory-limit none` shows it by hand).
        let limit = 150 << 20
        let r = try Subprocess.run("/usr/bin/env", ["OPENBLAS_NUM_THREADS=1", "/usr/bin/prlimit", "--as=\(limit)", Tenure.binary,
                                                    "score", "--model", model, "--events", events,
                                                    "--as-of", NightlyTests.asOf, "--out", scratch.path("x.csv")])
        #expect(r.status == 2, "status \(r.status): \(r.stderr)")
        #expect(r.stderr.contains("--partition") && r.stderr.contains("tenure shard") && r.stderr.contains("RLIMIT_AS"), "\(r.stderr)")
        #expect(!scratch.exists("x.csv"))
        let forced = try NightlyTests.score(events, model, ["--out", scratch.path("y.csv"), "--memory-limit", "1M"])
        #expect(forced.status == 2 && forced.stderr.contains("--memory-limit"), "\(forced.stderr)")
        let off = try NightlyTests.score(events, model, ["--out", scratch.path("z.csv"), "--memory-limit", "none"])
        #expect(off.status == 0, "\(off.stderr)")
    }
}
