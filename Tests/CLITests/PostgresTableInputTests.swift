// `--users`, `--contacts` and `--contacted` from PostgreSQL (`postgresql://… --users-table T | --users-query
// 'SELECT …'`, likewise --contacts-… and --contacted-…) through the real binary and a real server (the one
// scripts/with-postgres.sh started): features, a measurement and a list are byte-identical to those from the
// CSV of the same rows; a NULL user id is a bad row named by its row; a missing column, a column of an
// unreadable type, a bad query and a refused connection exit 2 with nothing written; a password never
// reaches a message or the manifest, which records the URI, the table and the rows.
import Foundation
import Testing
import TestSupport

@Suite("PostgreSQL users and contacts tables", .serialized)
struct PostgresTableInputTests {
    static let cutoffs = ["--cutoff", "2026-03-05,2026-03-09", "--task", "none", "--time-range", "2026-01-01..2026-12-31"]

    /// The users file of the Parquet fixtures' 53 users: a text plan (empty = NULL), an integer, a decimal, a
    /// boolean and a valid_from history (two rows for every fifth user), as CSV and as a typed table.
    static let users: Result<(events: String, csv: String), Error> = Result {
        let events = Repository.path("Tests/ParquetTests/Fixtures/events.csv")
        let text = try String(contentsOfFile: events, encoding: .utf8)
        let ids = Set(text.split(separator: "\n").dropFirst().map { String($0.prefix { $0 != "," }) }).sorted()
        var csv = "user_id,plan,seats,mrr,trial,valid_from\n"
        for (k, id) in ids.enumerated() {
            let plan = k % 7 == 3 ? "" : ["free", "pro", "team"][k % 3]
            csv += "\(id),\(plan),\(k % 5 + 1),\(Double(k) * 2.5 + 0.25),\(k % 2 == 0),2026-02-01\n"
            if k % 5 == 0 { csv += "\(id),team,\(k % 5 + 3),\(Double(k) * 3.75),false,2026-03-07\n" }
        }
        let path = NSTemporaryDirectory() + "tenure-pg-users-\(getpid()).csv"
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        try PostgresServer.sql("DROP TABLE IF EXISTS pgu_raw, pgu_users")
        try PostgresServer.sql("CREATE TABLE pgu_raw (user_id text, plan text, seats text, mrr text, trial text, valid_from text)")
        try PostgresServer.sql("\\copy pgu_raw FROM '\(path)' WITH (FORMAT csv, HEADER)")
        try PostgresServer.sql("""
            CREATE TABLE pgu_users AS SELECT user_id, NULLIF(plan, '') AS plan, seats::int AS seats, mrr::numeric(12, 2) AS mrr,
                trial::boolean AS trial, valid_from::date AS valid_from FROM pgu_raw
            """)
        return (events, path)
    }

    static func features(_ events: String, _ users: [String], _ out: String) throws -> ProcessOutput {
        try Tenure.run(["features", "--events", events, "--users"] + users + ["--out", out] + cutoffs)
    }

    @Test("features with --users from a table or a query equal those with the CSV of the same rows",
          arguments: [["--users-table", "pgu_users"],
                      ["--users-query", "SELECT valid_from::timestamptz AS valid_from, plan, seats::bigint AS seats, mrr::float8 AS mrr, trial, user_id FROM pgu_users"]])
    func usersFromDatabase(source: [String]) throws {
        guard let uri = PostgresServer.uri else { print(PostgresServer.skipped); return }
        let (events, csv) = try Self.users.get()
        let scratch = try Scratch()
        let fromCSV = try Self.features(events, [csv], scratch.path("csv.csv"))
        try #require(fromCSV.status == 0, "\(fromCSV.stderr)")
        let fromDB = try Self.features(events, [uri] + source, scratch.path("db.csv"))
        try #require(fromDB.status == 0, "\(source): \(fromDB.stderr)")
        #expect(scratch.bytes("db.csv") == scratch.bytes("csv.csv"), "\(source): features differ from the CSV's")
        let named = source[0] == "--users-table" ? "table pgu_users: " : "query 'SELECT valid_from::timestamptz AS valid_from, "
        #expect(fromDB.stderr.contains("\(uri) \(named)") && fromDB.stderr.contains(": 64 rows for 53 users, attributes "), "\(fromDB.stderr)")
    }

    @Test("a NULL user id is a bad row named by its row; a missing user_id, an unreadable type, a bad query and a refused connection exit 2 with nothing written")
    func usersFailures() throws {
        guard let uri = PostgresServer.uri else { print(PostgresServer.skipped); return }
        let (events, _) = try Self.users.get()
        let scratch = try Scratch()
        let out = scratch.path("features.csv")
        let ordered = "SELECT * FROM (SELECT *, row_number() OVER (ORDER BY user_id, valid_from) AS n FROM pgu_users) t ORDER BY n"
        let null = try Self.features(events, [uri, "--users-query", "SELECT CASE WHEN n = 5 THEN NULL ELSE user_id END AS user_id, plan, valid_from FROM (\(ordered)) o"], out)
        #expect(null.status == 2 && null.stderr.contains("\(uri) query 'SELECT CASE WHEN n = 5") && null.stderr.contains(":5: empty user_id"), "\(null.stderr)")
        let skipped = try Tenure.run(["features", "--events", events, "--users", uri, "--users-query",
                                      "SELECT CASE WHEN n = 5 THEN NULL ELSE user_id END AS user_id, plan, valid_from FROM (\(ordered)) o",
                                      "--bad-rows", "skip", "--out", out] + Self.cutoffs)
        #expect(skipped.status == 0 && skipped.stderr.contains("63 rows for 52 users") && skipped.stderr.contains("1 bad rows skipped"), "\(skipped.stderr)")
        try? FileManager.default.removeItem(atPath: out)
        let noUser = try Self.features(events, [uri, "--users-query", "SELECT user_id AS uid, plan FROM pgu_users"], out)
        #expect(noUser.status == 2 && noUser.stderr.contains("needs a 'user_id' column; its columns are: uid, plan"), "\(noUser.stderr)")
        let jsonb = try Self.features(events, [uri, "--users-query", "SELECT user_id, '{}'::jsonb AS prefs FROM pgu_users"], out)
        #expect(jsonb.status == 2 && jsonb.stderr.contains("column 'prefs' is of type jsonb"), "\(jsonb.stderr)")
        let badQuery = try Self.features(events, [uri, "--users-query", "SELECT nope FROM no_such_users"], out)
        #expect(badQuery.status == 2 && badQuery.stderr.contains("no_such_users"), "\(badQuery.stderr)")
        let missingTable = try Self.features(events, [uri, "--users-table", "no_such_users"], out)
        #expect(missingTable.status == 2 && missingTable.stderr.contains("\"no_such_users\" does not exist"), "\(missingTable.stderr)")
        let refused = try Self.features(events, ["postgresql://tenure:pw@/tenure?host=/nonexistent-socket-dir", "--users-table", "pgu_users"], out)
        #expect(refused.status == 2 && refused.stderr.contains("cannot connect") && !refused.stderr.contains(":pw@"), "\(refused.stderr)")
        let infinite = try Self.features(events, [uri, "--users-query", "SELECT user_id, plan, CASE WHEN seats = 3 THEN 'infinity'::date ELSE valid_from END AS valid_from FROM pgu_users"], out)
        #expect(infinite.status == 2 && infinite.stderr.contains("column 'valid_from': an infinite date"), "\(infinite.stderr)")
        let noRelation = try Self.features(events, [uri], out)
        #expect(noRelation.status == 64 && noRelation.stderr.contains("needs --users-table NAME or --users-query"), "\(noRelation.stderr)")
        #expect(scratch.listing.isEmpty, "nothing written: \(scratch.listing)")
    }

    /// A generated log with one randomized campaign, its contacts as CSV and as a table (contacted_at a timestamptz).
    static let campaign: Result<(events: String, contacts: String), Error> = Result {
        let dir = NSTemporaryDirectory() + "tenure-pg-campaign-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let events = dir + "/events.csv", contacts = dir + "/contacts.csv"
        let gen = try Tenure.run(["generate", "--users", "600", "--days", "90", "--seed", "3", "--campaigns", "1", "--control-share", "0.3",
                                  "--campaign-reach", "0.8", "--out", events, "--contacts-out", contacts])
        try #require(gen.status == 0, "\(gen.stderr)")
        try PostgresServer.sql("DROP TABLE IF EXISTS pgc_raw, pgc_contacts")
        try PostgresServer.sql("CREATE TABLE pgc_raw (user_id text, contacted_at text, campaign text, \"group\" text, action text)")
        try PostgresServer.sql("\\copy pgc_raw FROM '\(contacts)' WITH (FORMAT csv, HEADER)")
        try PostgresServer.sql("CREATE TABLE pgc_contacts AS SELECT user_id, contacted_at::timestamptz AS contacted_at, campaign, \"group\", action FROM pgc_raw")
        return (events, contacts)
    }

    @Test("measure --contacts and score --contacted from a table equal those from the CSV; the manifest names the table without the password")
    func contactsFromDatabase() throws {
        guard let uri = PostgresServer.uri else { print(PostgresServer.skipped); return }
        let (events, contacts) = try Self.campaign.get()
        let scratch = try Scratch()
        let fromCSV = try Tenure.run(["measure", "--events", events, "--contacts", contacts, "--out", scratch.path("csv") + "/"])
        try #require(fromCSV.status == 0, "\(fromCSV.stderr)")
        let fromDB = try Tenure.run(["measure", "--events", events, "--contacts", uri, "--contacts-table", "pgc_contacts", "--out", scratch.path("db") + "/"])
        try #require(fromDB.status == 0, "\(fromDB.stderr)")
        #expect(fromDB.stdout == fromCSV.stdout && scratch.bytes("db/measurement.csv") == scratch.bytes("csv/measurement.csv"))
        #expect(fromDB.stderr.contains("\(uri) table pgc_contacts: "), "\(fromDB.stderr)")

        let secret = "s3cretPW"
        let withPassword = uri.replacingOccurrences(of: "postgresql://tenure@", with: "postgresql://tenure:\(secret)@")
        try #require(withPassword.contains(secret))
        let model = Repository.path("models/demo-churn-logistic.tenure")
        let score = ["score", "--model", model, "--events", events, "--as-of", "2026-03-20", "--cooldown", "60d"]
        let listCSV = try Tenure.run(score + ["--contacted", contacts, "--out", scratch.path("list-csv.csv")])
        try #require(listCSV.status == 0, "\(listCSV.stderr)")
        let listDB = try Tenure.run(score + ["--contacted", withPassword, "--contacted-query", "SELECT user_id, contacted_at FROM pgc_contacts",
                                             "--out", scratch.path("run") + "/"])
        try #require(listDB.status == 0, "\(listDB.stderr)")
        #expect(scratch.bytes("run/scores.csv") == scratch.bytes("list-csv.csv"))
        #expect(listDB.stderr.contains(" in contact cooldown") && !listDB.stderr.contains("; 0 in contact cooldown"), "\(listDB.stderr)")
        let manifest = String(decoding: try #require(scratch.bytes("run/manifest.json")), as: UTF8.self)
        for text in [listDB.stdout, listDB.stderr, manifest] { #expect(!text.contains(secret), "\(text)") }
        let rows = try PostgresServer.sql("SELECT count(*) FROM pgc_contacts").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(manifest.contains("\"path\" : \"\(uri)\"") && manifest.contains("\"query\" : \"SELECT user_id, contacted_at FROM pgc_contacts\"")
                && manifest.contains("\"rows\" : \(rows)"), "\(manifest)")

        let missing = try Tenure.run(["measure", "--events", events, "--contacts", uri, "--contacts-query", "SELECT user_id, contacted_at FROM pgc_contacts"])
        #expect(missing.status == 2 && missing.stderr.contains("missing campaign,group"), "\(missing.stderr)")
    }

    @Test("score --partition with a database --events skips the other partitions' rows as it reads them: the list and the count equal the CSV's")
    func partitionFromDatabase() throws {
        guard let uri = PostgresServer.uri else { print(PostgresServer.skipped); return }
        let (events, _) = try Self.campaign.get()
        try PostgresServer.sql("DROP TABLE IF EXISTS pgc_events")
        try PostgresServer.sql("CREATE TABLE pgc_events (user_id text, timestamp text, event text, value text)")
        try PostgresServer.sql("\\copy pgc_events FROM '\(events)' WITH (FORMAT csv, HEADER)")
        let scratch = try Scratch()
        let score = ["score", "--model", Repository.path("models/demo-churn-logistic.tenure"), "--as-of", "2026-03-20", "--partition", "1/3"]
        let fromCSV = try Tenure.run(score + ["--events", events, "--out", scratch.path("csv.csv")])
        try #require(fromCSV.status == 0, "\(fromCSV.stderr)")
        let fromDB = try Tenure.run(score + ["--events", uri, "--table", "pgc_events", "--out", scratch.path("db.csv")])
        try #require(fromDB.status == 0, "\(fromDB.stderr)")
        #expect(scratch.bytes("db.csv") == scratch.bytes("csv.csv"))
        // The same rows of the other two partitions are skipped by both readers (and counted in the summary).
        func skipped(_ text: String) -> String? {
            text.split(separator: "\n").first { $0.contains("rows read") }?.split(separator: ",").first { $0.contains("rows of other partitions skipped") }.map(String.init)
        }
        let csvSkipped = try #require(skipped(fromCSV.stderr), "\(fromCSV.stderr)")
        #expect(skipped(fromDB.stderr) == csvSkipped, "\(fromDB.stderr)")
    }
}
