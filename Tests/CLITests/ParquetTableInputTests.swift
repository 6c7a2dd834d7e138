// `--users` and `--contacts` as Parquet through the real binary (fixtures in Tests/ParquetTests/Fixtures/tables,
// written by make_fixtures.py with their CSV twins): the same output as from the CSV, valid_from as TIMESTAMP,
// DATE, INT96 or text; a null user id is a bad row named by file and row; damaged files exit 2 naming the file.
import Foundation
import Testing
import TestSupport

@Suite("Parquet users and contacts")
struct ParquetTableInputTests {
    static let fixtures = Repository.path("Tests/ParquetTests/Fixtures")
    static let tables = fixtures + "/tables"
    static let events = fixtures + "/events.csv"
    static let window = ["--time-range", "2026-01-01..2026-12-31"]

    static func features(users: String, _ out: String, _ extra: [String] = []) throws -> ProcessOutput {
        try Tenure.run(["features", "--events", events, "--users", users, "--out", out, "--cutoff", "2026-03-05,2026-03-09",
                        "--task", "none"] + window + extra)
    }

    @Test("features --users from each Parquet users file equal those from the CSV twin",
          arguments: ["users.parquet", "users-date.parquet", "users-int96.parquet", "users-text.parquet"])
    func sameFeatures(name: String) throws {
        let scratch = try Scratch()
        let csv = try Self.features(users: Self.tables + "/users.csv", scratch.path("csv.csv"))
        try #require(csv.status == 0, "\(csv.stderr)")
        let parquet = try Self.features(users: Self.tables + "/" + name, scratch.path("parquet.csv"))
        try #require(parquet.status == 0, "\(name): \(parquet.stderr)")
        #expect(scratch.bytes("parquet.csv") == scratch.bytes("csv.csv"), "\(name): features differ from the CSV twin's")
        #expect(parquet.stderr.contains("71 rows for 53 users, attributes plan, seats, mrr, trial"), "\(parquet.stderr)")
    }

    @Test("a directory of Parquet users files reads as one table; a repeated row is named by its file and row")
    func directory() throws {
        let scratch = try Scratch()
        let dir = scratch.path("users")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.tables + "/users.parquet", toPath: dir + "/part-0.parquet")
        let csv = try Self.features(users: Self.tables + "/users.csv", scratch.path("csv.csv"))
        let one = try Self.features(users: dir, scratch.path("dir.csv"))
        try #require(csv.status == 0 && one.status == 0, "\(one.stderr)")
        #expect(scratch.bytes("dir.csv") == scratch.bytes("csv.csv"))
        try FileManager.default.copyItem(atPath: Self.tables + "/users-date.parquet", toPath: dir + "/part-1.parquet")
        let twice = try Self.features(users: dir, scratch.path("twice.csv"))
        #expect(twice.status == 2 && twice.stderr.contains("part-1.parquet:1: user 'u0000' already has a row at line 1"), "\(twice.stderr)")
        #expect(!scratch.exists("twice.csv"))
    }

    @Test("a null user id is a bad row at its file and row; --bad-rows skip leaves it out and counts it")
    func nullUser() throws {
        let scratch = try Scratch()
        let fail = try Self.features(users: Self.tables + "/users-null-id.parquet", scratch.path("f.csv"))
        #expect(fail.status == 2 && fail.stderr.contains("users-null-id.parquet:5: empty user_id"), "\(fail.stderr)")
        let skip = try Self.features(users: Self.tables + "/users-null-id.parquet", scratch.path("s.csv"), ["--bad-rows", "skip"])
        #expect(skip.status == 0 && skip.stderr.contains("70 rows for 53 users") && skip.stderr.contains("1 bad rows skipped"), "\(skip.stderr)")
    }

    @Test("measure --contacts from the Parquet export prints what the CSV twin gives")
    func measure() throws {
        func run(_ contacts: String) throws -> ProcessOutput {
            try Tenure.run(["measure", "--events", Self.events, "--contacts", contacts, "--horizon", "3d",
                            "--qualifying-events", "purchase"] + Self.window)
        }
        let csv = try run(Self.tables + "/contacts.csv"), parquet = try run(Self.tables + "/contacts.parquet")
        try #require(csv.status == 0 && parquet.status == 0, "\(csv.stderr)\n\(parquet.stderr)")
        #expect(parquet.stdout == csv.stdout)
        #expect(parquet.stdout.contains("winback") && parquet.stdout.contains("spring"), "\(parquet.stdout)")
        #expect(parquet.stderr.contains("contacts.parquet: 53 contacts in 2 campaign(s)"), "\(parquet.stderr)")
    }

    @Test("truncated, damaged and wrong Parquet users and contacts files exit 2 naming the file")
    func refusals() throws {
        let scratch = try Scratch()
        let good = try #require(FileManager.default.contents(atPath: Self.tables + "/users.parquet"))
        try good.prefix(good.count - 7).write(to: URL(fileURLWithPath: scratch.path("cut.parquet")))
        let cut = try Self.features(users: scratch.path("cut.parquet"), scratch.path("o.csv"))
        #expect(cut.status == 2 && cut.stderr.contains("cut.parquet") && cut.stderr.contains("truncated"), "\(cut.stderr)")
        var damaged = good
        for k in 4..<min(400, damaged.count - 8) { damaged[k] = 0xA5 }
        try damaged.write(to: URL(fileURLWithPath: scratch.path("bad.parquet")))
        let bad = try Self.features(users: scratch.path("bad.parquet"), scratch.path("o.csv"))
        #expect(bad.status == 2 && bad.stderr.contains("bad.parquet") && bad.stderr.contains("damaged Parquet"), "\(bad.stderr)")
        #expect(!scratch.exists("o.csv"))
        try good.prefix(good.count / 2).write(to: URL(fileURLWithPath: scratch.path("contacts.parquet")))
        let c = try Tenure.run(["measure", "--events", Self.events, "--contacts", scratch.path("contacts.parquet")] + Self.window)
        #expect(c.status == 2 && c.stderr.contains("contacts.parquet"), "\(c.stderr)")
        let wrong = try Tenure.run(["measure", "--events", Self.events, "--contacts", Self.tables + "/users.parquet"] + Self.window)
        #expect(wrong.status == 2 && wrong.stderr.contains("users.parquet:1: the header needs") && wrong.stderr.contains("missing contacted_at"), "\(wrong.stderr)")
    }
}
