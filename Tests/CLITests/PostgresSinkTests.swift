// `score --out postgresql://… --out-table NAME` against the real server scripts/with-postgres.sh starts
// (TENURE_TEST_PG_URI; skipped when it is unset): the table equals the CSV list of the same run, a rerun
// replaces, another key adds, tenure_runs has one row per run key, a table with other columns is refused before
// any write, and a run killed (or whose server backend is killed) mid-transaction leaves the previous list.
import Foundation
import Postgres
import Testing
import TestSupport

private let pgURI = ProcessInfo.processInfo.environment["TENURE_TEST_PG_URI"]

/// A schema of its own per test (so its tenure_runs is its own), dropped at the end.
final class SinkDatabase {
    let db: PostgresConnection
    let schema = "sink_" + UUID().uuidString.prefix(8).lowercased()
    var table: String { schema + ".recall" }
    var runs: String { schema + ".tenure_runs" }

    init() throws {
        db = try PostgresConnection(uri: pgURI!)
        try db.execute("SET client_min_messages = warning")   // no NOTICE from DROP … CASCADE in the test log
        try db.execute("CREATE SCHEMA \(schema)")
    }
    deinit { try? db.execute("DROP SCHEMA \(schema) CASCADE") }

    func count(_ sql: String) throws -> Int { Int(try db.query(sql).first?[0] ?? "") ?? -1 }
    /// The key's user ids in rank order, one string (a fingerprint of the list as stored).
    func users(asOf: String = "2026-04-20", partition: String = "", campaign: String = "") throws -> String {
        try db.query("SELECT coalesce(string_agg(user_id, ',' ORDER BY rank), '') FROM \(table) WHERE as_of = $1::timestamptz AND partition = $2 AND campaign = $3",
                     [asOf, partition, campaign]).first?[0] ?? ""
    }
}

/// RFC 4180 rows of a small CSV (quoted fields, doubled quotes, commas inside quotes); an unquoted empty cell is nil.
private func parseCSV(_ text: String) -> [[String?]] {
    var rows: [[String?]] = [], row: [String?] = [], field = "", quoted = false, inQuotes = false
    var it = Array(text).makeIterator()
    var pending: Character? = nil
    func endField() { row.append(field.isEmpty && !quoted ? nil : field); field = ""; quoted = false }
    while let ch = pending ?? it.next() {
        pending = nil
        if inQuotes {
            if ch == "\"" {
                if let next = it.next() { if next == "\"" { field.append("\"") } else { inQuotes = false; pending = next } } else { inQuotes = false }
            } else { field.append(ch) }
        } else if ch == "\"" { inQuotes = true; quoted = true }
        else if ch == "," { endField() }
        else if ch == "\n" { endField(); rows.append(row); row = [] }
        else { field.append(ch) }
    }
    if !row.isEmpty || !field.isEmpty { endField(); rows.append(row) }
    return rows
}

@Suite("score --out postgresql:// --out-table (a real server)", .serialized, .enabled(if: pgURI != nil, "TENURE_TEST_PG_URI is unset (run under scripts/with-postgres.sh)"))
struct PostgresSinkTests {
    static func score(_ db: SinkDatabase, _ extra: [String] = [], asOf: String = "2026-04-20") throws -> ProcessOutput {
        try CronFixture.shared.get().score(["--out", pgURI!, "--out-table", db.table] + extra, asOf: asOf)
    }

    @Test("the table holds the CSV list of the same run, column for column, value for value; tenure_runs records it")
    func sameAsCSV() throws {
        let db = try SinkDatabase()
        let scratch = try Scratch()
        let file = try CronFixture.shared.get().score(["--out", scratch.path("run") + "/"], asOf: "2026-04-20")
        try #require(file.status == 0, "\(file.stderr)")
        let run = try Self.score(db, ["--manifest-out", scratch.path("m.json")])
        try #require(run.status == 0, "\(run.stderr)")
        let csvBytes = try #require(scratch.bytes("run/scores.csv"))
        let csv = parseCSV(String(decoding: csvBytes, as: UTF8.self))
        let header = csv[0].map { $0 ?? "" }, body = csv.dropFirst()
        let columns = try db.db.query("SELECT attname::text, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum", [db.table])
        #expect(columns.map { $0[0]! } == ["as_of", "partition", "campaign", "rank"] + header)
        let types = Dictionary(uniqueKeysWithValues: columns.map { ($0[0]!, $0[1]!) })
        #expect(types["probability"] == "double precision" && types["days_inactive"] == "integer" && types["user_id"] == "text" && types["as_of"] == "timestamp with time zone")
        let quoted = header.map { PostgresConnection.quoteIdentifier($0) }.joined(separator: ", ")
        let stored = try db.db.query("SELECT \(quoted) FROM \(db.table) ORDER BY rank")
        try #require(stored.count == body.count && !body.isEmpty)
        var differences: [String] = []
        for (i, (want, got)) in zip(body, stored).enumerated() {
            for (j, name) in header.enumerated() {
                let w = want[j], g = got[j]
                let same: Bool
                switch types[name] {
                case "double precision": same = w.flatMap(Double.init) == g.flatMap(Double.init) && (w == nil) == (g == nil)
                case "integer": same = w.flatMap(Int.init) == g.flatMap(Int.init) && (w == nil) == (g == nil)
                default: same = w == g
                }
                if !same { differences.append("row \(i + 1) \(name): csv \(w ?? "NULL"), table \(g ?? "NULL")") }
            }
        }
        #expect(differences.isEmpty, "\(differences.prefix(5))")
        #expect(try db.count("SELECT count(*) FROM \(db.table) WHERE rank BETWEEN 1 AND \(body.count)") == body.count)
        // tenure_runs: the same list SHA-256 and row count as the file run's manifest records.
        let fileManifest = try JSONSerialization.jsonObject(with: try #require(scratch.bytes("run/manifest.json"))) as! [String: Any]
        let fileOutput = (fileManifest["outputs"] as! [[String: Any]])[0]
        let recorded = try db.db.query("SELECT rows::text, list_sha256, manifest->>'as_of', manifest->'outputs'->0->>'sha256', as_of = '2026-04-20'::timestamptz FROM \(db.runs)")
        #expect(recorded.count == 1)
        #expect(recorded.first?[0] == "\(body.count)" && recorded.first?[1] == fileOutput["sha256"] as? String)
        #expect(recorded.first?[2] == "2026-04-20" && recorded.first?[3] == recorded.first?[1] && recorded.first?[4] == "t")
        // --manifest-out holds the manifest tenure_runs holds.
        let written = try JSONSerialization.jsonObject(with: try #require(scratch.bytes("m.json"))) as! [String: Any]
        #expect(((written["outputs"] as! [[String: Any]])[0]["sha256"] as? String) == fileOutput["sha256"] as? String)
        #expect((written["settings"] as! [String: String])["out_table"] == db.table)
        // verify agrees; a changed row, then rows no run recorded, are refused.
        let ok = try Tenure.run(["verify", pgURI!, "--table", db.table])
        #expect(ok.status == 0 && ok.stdout.contains("\(body.count) rows match"), "\(ok.stderr)")
        try db.db.execute("UPDATE \(db.table) SET probability = probability / 2 WHERE rank = 1")
        let changed = try Tenure.run(["verify", pgURI!, "--table", db.table])
        #expect(changed.status == 2 && changed.stderr.contains("as of 2026-04-20"), "\(changed.stderr)")
        try db.db.execute("DELETE FROM \(db.runs)")
        let orphan = try Tenure.run(["verify", pgURI!, "--table", db.table])
        #expect(orphan.status == 2 && orphan.stderr.contains("rows that no run recorded"), "\(orphan.stderr)")
    }

    @Test("a rerun replaces its run key's rows (no duplicates); another as-of, partition or campaign adds")
    func rerunReplaces() throws {
        let db = try SinkDatabase()
        let first = try Self.score(db)
        try #require(first.status == 0, "\(first.stderr)")
        let n = try db.count("SELECT count(*) FROM \(db.table)")
        #expect(n > 10)
        let again = try Self.score(db)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try db.count("SELECT count(*) FROM \(db.table)") == n)
        #expect(try db.count("SELECT count(DISTINCT user_id) FROM \(db.table)") == n)
        #expect(try db.count("SELECT count(*) FROM \(db.runs)") == 1)
        // A smaller rerun of the same key replaces all of that key's rows.
        let top = try Self.score(db, ["--top", "5"])
        #expect(top.status == 0, "\(top.stderr)")
        #expect(try db.count("SELECT count(*) FROM \(db.table)") == 5)
        #expect(try db.count("SELECT rows FROM \(db.runs)") == 5)
        for (extra, asOf) in [([String](), "2026-04-21"), (["--partition", "0/2"], "2026-04-20")] {
            let r = try Self.score(db, extra, asOf: asOf)
            #expect(r.status == 0, "\(extra): \(r.stderr)")
        }
        #expect(try db.count("SELECT count(*) FROM \(db.runs)") == 3)
        #expect(try db.count("SELECT count(DISTINCT (as_of, partition, campaign)) FROM \(db.table)") == 3)
        #expect(try db.count("SELECT count(*) FROM \(db.table) WHERE partition = '0/2'") > 0)
        // A campaign list has its group columns, so it goes to a table of campaign lists: one per campaign.
        let campaigns = db.schema + ".campaign_lists"
        for name in ["spring", "summer", "spring"] {
            let r = try CronFixture.shared.get().score(["--out", pgURI!, "--out-table", campaigns, "--campaign", name], asOf: "2026-04-20")
            #expect(r.status == 0, "\(name): \(r.stderr)")
        }
        #expect(try db.count("SELECT count(*) FROM \(db.runs) WHERE list_table = '\(campaigns)'") == 2)
        #expect(try db.count("SELECT count(*) FROM \(campaigns)") == 2 * n)
        #expect(try db.count("SELECT count(*) FROM \(campaigns) WHERE campaign = 'spring' AND \"group\" = 'control'") > 0)
        let plain = try Self.score(db, ["--campaign", "spring"])
        #expect(plain.status == 2 && plain.stderr.contains("missing: group text, planned_action text"), "\(plain.stderr)")
        #expect(try db.users().split(separator: ",").count == 5)
        #expect(try Tenure.run(["verify", pgURI!, "--table", db.table]).status == 0)
    }

    @Test("an existing table with other columns is refused before any write, naming the columns")
    func mismatchRefused() throws {
        let db = try SinkDatabase()
        try db.db.execute("CREATE TABLE \(db.table) (as_of timestamptz, partition text, campaign text, rank integer, user_id text, probability text, extra_note text)")
        try db.db.execute("INSERT INTO \(db.table) VALUES ('2026-04-20', '', '', 1, 'someone', '0.5', 'kept')")
        let scratch = try Scratch()
        let r = try Self.score(db, ["--manifest-out", scratch.path("m.json")])
        #expect(r.status == 2)
        #expect(r.stderr.contains("missing: score double precision") && r.stderr.contains("extra_note text")
                && r.stderr.contains("probability is text, this run writes double precision"), "\(r.stderr)")
        #expect(!r.stderr.contains("scored "), "refused before the night's work: \(r.stderr)")
        #expect(try db.users() == "someone")
        #expect(try db.count("SELECT count(*) FROM pg_tables WHERE schemaname = '\(db.schema)' AND tablename = 'tenure_runs'") == 0)
        #expect(!scratch.exists("m.json"))
    }

    @Test("a refused connection: exit 2, a clear message without the password, nothing written")
    func connectionRefused() throws {
        let scratch = try Scratch()
        let dead = "postgresql://tenure:s3cret@/tenure?host=/nonexistent-socket-dir"
        let r = try CronFixture.shared.get().score(["--out", dead, "--out-table", "recall", "--manifest-out", scratch.path("m.json")], asOf: "2026-04-20")
        #expect(r.status == 2 && r.stderr.contains("cannot connect") && !r.stderr.contains("s3cret") && !r.stdout.contains("s3cret"), "\(r.stderr)")
        #expect(scratch.listing.isEmpty)
    }

    /// Runs score in the background, waits until it blocks on the test's lock of tenure_runs (after its COPY,
    /// before its commit), and hands its backend's pid and the process to `body`.
    static func midTransaction(_ db: SinkDatabase, extra: [String], stderr: String? = nil, _ body: (_ backend: String, _ process: Process) throws -> Void) throws {
        let holder = try PostgresConnection(uri: pgURI!)
        try holder.execute("BEGIN")
        try holder.execute("LOCK TABLE \(db.runs) IN EXCLUSIVE MODE")
        let fixture = try CronFixture.shared.get()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Tenure.binary)
        p.arguments = ["score", "--model", fixture.model, "--events", fixture.events, "--as-of", "2026-04-20", "--out", pgURI!, "--out-table", db.table] + extra
        p.standardOutput = FileHandle.nullDevice
        if let stderr { _ = FileManager.default.createFile(atPath: stderr, contents: nil) }
        p.standardError = stderr.flatMap { FileHandle(forWritingAtPath: $0) } ?? FileHandle.nullDevice
        try p.run()
        defer { if p.isRunning { kill(p.processIdentifier, SIGKILL) }; p.waitUntilExit() }
        var backend: String?
        for _ in 0..<600 where backend == nil {
            backend = try db.db.query("""
                SELECT l.pid::text FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.relation = $1::regclass AND NOT l.granted AND a.query LIKE 'INSERT INTO %tenure_runs%'
                """, [db.runs]).first?[0] ?? nil
            if backend == nil { usleep(100_000) }
        }
        let pid = try #require(backend, "score never reached its tenure_runs insert")
        // The new rows are in the open transaction only: readers still see the whole previous list.
        try body(pid, p)
        try holder.execute("ROLLBACK")
        // The backend notices its client is gone once the lock is free; wait until it has ended.
        for _ in 0..<300 {
            guard try db.count("SELECT count(*) FROM pg_stat_activity WHERE pid = \(pid)") > 0 else { break }
            usleep(100_000)
        }
    }

    @Test("kill -9 between the COPY and the commit: the previous list stays whole and visible")
    func killedMidWrite() throws {
        let db = try SinkDatabase()
        let first = try Self.score(db)
        try #require(first.status == 0, "\(first.stderr)")
        let before = try db.users(), runBefore = try db.db.query("SELECT list_sha256, rows FROM \(db.runs)")
        try Self.midTransaction(db, extra: ["--top", "3"]) { _, process in
            let during = try db.users()
            #expect(during == before)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)
        }
        #expect(try db.users() == before)
        #expect(try db.db.query("SELECT list_sha256, rows FROM \(db.runs)") == runBefore)
        #expect(try Tenure.run(["verify", pgURI!, "--table", db.table]).status == 0)
    }

    @Test("the server's backend killed mid-transaction: exit 2, the previous list and manifest file intact")
    func serverKilledMidTransaction() throws {
        let db = try SinkDatabase()
        let scratch = try Scratch()
        let first = try Self.score(db, ["--manifest-out", scratch.path("m.json")])
        try #require(first.status == 0, "\(first.stderr)")
        let before = try db.users(), manifestBefore = scratch.bytes("m.json")
        try Self.midTransaction(db, extra: ["--top", "3", "--manifest-out", scratch.path("m.json")], stderr: scratch.path("err")) { backend, process in
            try db.db.execute("SELECT pg_terminate_backend(\(backend))")
            process.waitUntilExit()
            #expect(process.terminationStatus == 2)
        }
        #expect(try db.users() == before)
        #expect(scratch.bytes("m.json") == manifestBefore)
        let message = String(decoding: scratch.bytes("err") ?? Data(), as: UTF8.self)
        #expect(message.contains("terminat") && message.contains("tenure_runs"), "\(message)")
        #expect(try Tenure.run(["verify", pgURI!, "--table", db.table]).status == 0)
    }
}
