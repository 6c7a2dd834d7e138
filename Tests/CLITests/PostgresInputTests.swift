// `--events postgresql://… --table T | --query 'SELECT …'` through the real binary and a real server (the one
// scripts/with-postgres.sh started; `make test` runs the suite under it): features from a table or a query
// of each time type (and a numeric value) are byte-identical to those from the CSV export of the same rows; NULL ids and times are
// bad rows under each policy; a refused connection, a bad query, a missing column and a backend killed
// mid-stream exit 2 with nothing written; a password in the URI never reaches a message or the manifest.
import Foundation
import Testing
import TestSupport

/// The server's URI, or nil (the tests then skip, saying why).
enum PostgresServer {
    static let uri = ProcessInfo.processInfo.environment["TENURE_TEST_PG_URI"]
    static let skipped = "TENURE_TEST_PG_URI is unset: run under scripts/with-postgres.sh (make test does) to test PostgreSQL input"

    /// Runs SQL (psql meta-commands such as \copy included) and fails the test on any error.
    @discardableResult
    static func sql(_ text: String) throws -> String {
        let r = try Subprocess.run("/usr/bin/psql", [uri!, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", text],
                                   environment: ["PGTZ": "UTC"])
        try #require(r.status == 0, "psql \(text): \(r.stderr)")
        return r.stdout
    }

    /// The CSV log of the Parquet fixtures (300 rows: ISO times with milliseconds, empty values, a non-ASCII
    /// event name) as tables with the time as timestamp, timestamptz, epoch milliseconds and text, made once.
    static let tables: Result<String, Error> = Result {
        let csv = Repository.path("Tests/ParquetTests/Fixtures/events.csv")
        try sql("DROP TABLE IF EXISTS pg_raw, pg_ts, pg_tz, pg_epoch, pg_text, pg_renamed")
        try sql("CREATE TABLE pg_raw (user_id text, timestamp text, event text, value text)")
        try sql("\\copy pg_raw FROM '\(csv)' WITH (FORMAT csv, HEADER)")
        let value = "NULLIF(value, '')::float8 AS value"
        try sql("CREATE TABLE pg_ts AS SELECT user_id, timestamp::timestamp AS timestamp, event, \(value) FROM pg_raw")
        try sql("CREATE TABLE pg_tz AS SELECT user_id, timestamp::timestamptz AS timestamp, event, \(value) FROM pg_raw")
        try sql("CREATE TABLE pg_epoch AS SELECT user_id, (extract(epoch FROM timestamp::timestamptz) * 1000)::bigint AS timestamp, event, \(value) FROM pg_raw")
        try sql("CREATE TABLE pg_text AS SELECT user_id, timestamp, event, NULLIF(value, '') AS value FROM pg_raw")
        try sql("CREATE TABLE pg_renamed AS SELECT user_id AS uid, timestamp::timestamptz AS seen_at, event AS kind, \(value) FROM pg_raw")
        return csv
    }
}

@Suite("PostgreSQL event logs", .serialized)
struct PostgresInputTests {
    static let cutoffs = ["--cutoff", "2026-03-05,2026-03-09", "--task", "none", "--time-range", "2026-01-01..2026-12-31"]

    static func features(_ events: [String], _ out: String, _ extra: [String] = []) throws -> ProcessOutput {
        try Tenure.run(["features", "--events"] + events + ["--out", out] + cutoffs + extra)
    }

    static let sources: [[String]] = [
        ["--table", "pg_ts"], ["--table", "pg_tz"], ["--table", "pg_epoch"], ["--table", "pg_text"],
        ["--query", "SELECT user_id, timestamp, event, value FROM pg_tz"],
        ["--query", "SELECT user_id, timestamp, event, value::numeric(12, 2) AS value FROM pg_ts"],
        ["--query", "SELECT * FROM pg_renamed", "--user-col", "uid", "--time-col", "seen_at", "--event-col", "kind", "--value-col", "value"],
    ]

    @Test("features from a table or a query (timestamp, timestamptz, epoch ms, text) equal those from the CSV", arguments: sources)
    func sameFeatures(source: [String]) throws {
        guard let uri = PostgresServer.uri else { print(PostgresServer.skipped); return }
        let csv = try PostgresServer.tables.get()
        let scratch = try Scratch()
        let fromCSV = try Self.features([csv], scratch.path("csv.csv"))
        try #require(fromCSV.status == 0, "\(fromCSV.stderr)")
        let fromDB = try Self.features([uri] + source, scratch.path("db.csv"))
        try #require(fromDB.status == 0, "\(source): \(fromDB.stderr)")
        #expect(scratch.bytes("db.csv") == scratch.bytes("csv.csv"), "\(source): features differ from the CSV's")
        #expect(fromDB.stderr.contains("300 rows read, 300 events, 53 users, 5 event names"), "\(fromDB.stderr)")
    }

    @Test("a result of several of the reader's chunks (users recurring across them) reads as its CSV export; a bad row is located past the first chunk")
    func chunks() throws {
        guard let uri = PostgresServer.uri else { print(PostgresServer.skipped); return }
        // 300,000 rows (the reader folds 65,536 a chunk) in runs of 3 rows of one of 20,011 users, every fifth with a value.
        try PostgresServer.sql("DROP TABLE IF EXISTS pg_many")
        try PostgresServer.sql("""
            CREATE TABLE pg_many AS SELECT n, 'u' || lpad(((n / 3) * 7919 % 20011)::text, 5, '0') AS user_id,
                timestamptz '2026-03-01 00:00:00+00' + n * interval '7 seconds' AS timestamp,
                (ARRAY['view', 'search', 'purchase'])[n % 3 + 1] AS event,
                CASE WHEN n % 5 = 0 THEN (n % 97)::float8 / 4 END AS value
            FROM generate_series(1, 300000) n
            """)
        let scratch = try Scratch()
        let csv = scratch.path("many.csv")
        try PostgresServer.sql("""
            \\copy (SELECT user_id, to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS timestamp, event, value FROM pg_many ORDER BY n) TO '\(csv)' WITH (FORMAT csv, HEADER)
            """)
        let fromCSV = try Self.features([csv], scratch.path("csv.csv"))
        try #require(fromCSV.status == 0, "\(fromCSV.stderr)")
        let fromDB = try Self.features([uri, "--query", "SELECT user_id, timestamp, event, value FROM pg_many ORDER BY n"], scratch.path("db.csv"))
        try #require(fromDB.status == 0, "\(fromDB.stderr)")
        #expect(scratch.bytes("db.csv") == scratch.bytes("csv.csv"), "features differ from the CSV's")
        #expect(fromDB.stderr.contains("300000 rows read, 300000 events, 20011 users, 3 event names"), "\(fromDB.stderr)")
        let bad = try Tenure.run(["retention", "--events", uri, "--query",
                                  "SELECT CASE WHEN n = 200000 THEN NULL ELSE user_id END AS user_id, timestamp, event, value FROM pg_many ORDER BY n"])
        #expect(bad.status == 2 && bad.stderr.contains("row 200000 of ") && bad.stderr.contains("empty user id: user id 'user_id' is NULL"), "\(bad.stderr)")
    }

    @Test("NULL user ids and times are bad rows located by row number: fail, skip, quarantine as CSV")
    func nulls() throws {
        guard let uri = PostgresServer.uri else { print(PostgresServer.skipped); return }
        _ = try PostgresServer.tables.get()
        try PostgresServer.sql("DROP TABLE IF EXISTS pg_nulls")
        // Row 17's user id and rows 40 and 41's times are NULL (a fresh table's scan keeps insertion order).
        try PostgresServer.sql("""
            CREATE TABLE pg_nulls AS SELECT CASE WHEN n = 17 THEN NULL ELSE user_id END AS user_id,
                CASE WHEN n IN (40, 41) THEN NULL ELSE timestamp END AS timestamp, event, value
            FROM (SELECT *, row_number() OVER () AS n FROM pg_tz) t ORDER BY n
            """)
        let scratch = try Scratch()
        let fail = try Tenure.run(["retention", "--events", uri, "--table", "pg_nulls"])
        #expect(fail.status == 2 && fail.stderr.contains("row 17 of \(uri) table pg_nulls: empty user id: user id 'user_id' is NULL"), "\(fail.stderr)")
        let skip = try Tenure.run(["retention", "--events", uri, "--table", "pg_nulls", "--bad-rows", "skip"])
        #expect(skip.status == 0 && skip.stderr.contains("300 rows read, 297 events") && skip.stderr.contains("3 bad rows")
                && skip.stderr.contains("empty user id: 1") && skip.stderr.contains("unparsable timestamp: 2"), "\(skip.stderr)")
        let q = scratch.path("bad.csv")
        let quarantine = try Tenure.run(["retention", "--events", uri, "--table", "pg_nulls", "--bad-rows", "quarantine=" + q])
        #expect(quarantine.status == 0, "\(quarantine.stderr)")
        let text = String(decoding: scratch.bytes("bad.csv") ?? Data(), as: UTF8.self)
        #expect(text == "user_id,timestamp,event,value\n,2026-03-01T16:01:52.246Z,search,20.16\nu0010,,purchase,6.64\nu0032,,view,\n", "\(text)")
    }

    @Test("a refused connection, a bad query, a missing column and a killed backend exit 2 with nothing written")
    func failures() throws {
        guard let uri = PostgresServer.uri else { print(PostgresServer.skipped); return }
        _ = try PostgresServer.tables.get()
        let scratch = try Scratch()
        let out = scratch.path("features.csv")
        let refused = try Self.features(["postgresql://tenure@/tenure?host=/nonexistent-socket-dir", "--table", "pg_tz"], out)
        #expect(refused.status == 2 && refused.stderr.contains("cannot connect") && refused.stderr.contains("nonexistent-socket-dir"), "\(refused.stderr)")
        let badQuery = try Self.features([uri, "--query", "SELECT nope FROM no_such_table"], out)
        #expect(badQuery.status == 2 && badQuery.stderr.contains("no_such_table"), "\(badQuery.stderr)")
        let missingTable = try Self.features([uri, "--table", "no_such_table"], out)
        #expect(missingTable.status == 2 && missingTable.stderr.contains("\"no_such_table\" does not exist"), "\(missingTable.stderr)")
        let missing = try Self.features([uri, "--table", "pg_tz", "--user-col", "uid"], out)
        #expect(missing.status == 2 && missing.stderr.contains("no column 'uid' in the result; its columns are: user_id, timestamp, event, value"),
                "\(missing.stderr)")
        let wrongType = try Self.features([uri, "--query", "SELECT user_id, true AS timestamp FROM pg_tz"], out)
        #expect(wrongType.status == 2 && wrongType.stderr.contains("column 'timestamp' is of type boolean"), "\(wrongType.stderr)")
        // The backend terminates itself after 200,000 rows, mid-stream.
        let killed = try Self.features([uri, "--query", """
            SELECT 'u' || (g % 1000) AS user_id, timestamptz '2026-03-01' + g * interval '1 second' AS timestamp,
                   CASE WHEN g = 200000 THEN pg_terminate_backend(pg_backend_pid())::text ELSE 'view' END AS event
            FROM generate_series(1, 5000000) g
            """], out)
        #expect(killed.status == 2 && killed.stderr.contains("terminat"), "\(killed.stderr)")
        #expect(scratch.listing.isEmpty, "nothing written: \(scratch.listing)")
    }

    @Test("a password in the URI reaches neither stdout, stderr nor the manifest; the manifest records URI, table and rows")
    func password() throws {
        guard let uri = PostgresServer.uri else { print(PostgresServer.skipped); return }
        _ = try PostgresServer.tables.get()
        // The test server trusts local connections, so the password is accepted and ignored.
        let secret = "s3cretPW"
        let withPassword = uri.replacingOccurrences(of: "postgresql://tenure@", with: "postgresql://tenure:\(secret)@") + "&password=\(secret)"
        try #require(withPassword.contains(secret))
        let scratch = try Scratch()
        let events = scratch.path("events.csv")
        let gen = try Tenure.run(["generate", "--users", "300", "--days", "120", "--seed", "7", "--out", events])
        try #require(gen.status == 0, "\(gen.stderr)")
        try PostgresServer.sql("DROP TABLE IF EXISTS pg_generated")
        let header = String(decoding: try #require(FileManager.default.contents(atPath: events)).prefix { $0 != 10 }, as: UTF8.self)
        try PostgresServer.sql("CREATE TABLE pg_generated (" + header.split(separator: ",").map { "\($0) text" }.joined(separator: ", ") + ")")
        try PostgresServer.sql("\\copy pg_generated FROM '\(events)' WITH (FORMAT csv, HEADER)")
        let rows = Int(try PostgresServer.sql("SELECT count(*) FROM pg_generated").trimmingCharacters(in: .whitespacesAndNewlines))!
        let run = scratch.path("run") + "/"
        let score = try Tenure.run(["score", "--model", Repository.path("models/demo-churn-logistic.tenure"), "--events", withPassword,
                                    "--table", "pg_generated", "--as-of", "2026-04-20", "--out", run])
        try #require(score.status == 0, "\(score.stderr)")
        let manifest = String(decoding: try #require(scratch.bytes("run/manifest.json")), as: UTF8.self)
        for text in [score.stdout, score.stderr, manifest] { #expect(!text.contains(secret), "\(text)") }
        #expect(manifest.contains("\"path\" : \"\(PostgresServer.uri!)\"") && manifest.contains("\"table\" : \"pg_generated\"")
                && manifest.contains("\"rows\" : \(rows)"), "\(manifest)")
        let failed = try Tenure.run(["features", "--events", withPassword, "--table", "pg_generated", "--user-col", "nope",
                                     "--task", "none", "--cutoff", "2026-04-20", "--out", scratch.path("f.csv")])
        #expect(failed.status == 2 && !failed.stderr.contains(secret) && failed.stderr.contains("no column 'nope'"), "\(failed.stderr)")
        let usage = try Tenure.run(["retention", "--events", withPassword])
        #expect(usage.status == 64 && !usage.stderr.contains(secret) && usage.stderr.contains("--table"), "\(usage.stderr)")
    }
}
