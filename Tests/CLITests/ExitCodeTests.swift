// Every README exit-code row, command by command, through the real binary: 0 success, 1 internal failure,
// 2 bad input data (a bad row, a missing, damaged, truncated or newer model, a bad playbook, too few labelled
// rows), 64 usage (unknown flag, missing or malformed value). One table: a new case is one line.
import Foundation
import Testing
import TestSupport

/// The files the table's rows refer to, made once: a small generated log, the shipped models, and models
/// that are missing, damaged, truncated, newer than this Tenure, or not models at all.
final class ExitCodeFixture: @unchecked Sendable {
    let scratch: Scratch
    let paths: [String: String]

    static let shared = Result { try ExitCodeFixture() }

    private init() throws {
        scratch = try Scratch()
        let events = scratch.path("events.csv")
        let gen = try Tenure.run(["generate", "--users", "300", "--days", "120", "--seed", "7", "--out", events])
        try #require(gen.status == 0, "generate: \(gen.stderr)")
        let matrix = scratch.path("features.csv")
        let features = try Tenure.run(["features", "--events", events, "--task", "none", "--cutoff", "2026-04-20", "--out", matrix])
        try #require(features.status == 0, "features: \(features.stderr)")
        let logistic = Repository.path("models/demo-churn-logistic.tenure")
        let model = try #require(FileManager.default.contents(atPath: logistic))
        let text = String(decoding: model, as: UTF8.self)
        let headerEnd = try #require(model.firstIndex(of: 10))
        var damaged = model
        // One byte of the JSON body changed: the checksum no longer matches.
        let digit = try #require(model[(headerEnd + 1)...].firstIndex { $0 >= 0x30 && $0 <= 0x39 })
        damaged[digit] = damaged[digit] == 0x30 ? 0x31 : 0x30
        let newer = "TENURE-MODEL 99" + text.dropFirst("TENURE-MODEL 1".count)
        let playbook = try scratch.write("playbook.json", "{\"actions\": [{\"id\": \"send_flowers\"")
        let damagedPath = try Self.write(scratch, "damaged.tenure", damaged)
        let truncatedPath = try Self.write(scratch, "truncated.tenure", model.prefix(model.count / 2))
        // A run directory, and a copy of it whose list is another night's.
        let run = scratch.path("run") + "/"
        let score = try Tenure.run(["score", "--model", Repository.path("models/demo-churn-logistic.tenure"), "--events", events,
                                    "--as-of", "2026-04-20", "--out", run])
        try #require(score.status == 0, "score: \(score.stderr)")
        // An activation model of the same log (its list has its own tiers, columns and playbook section).
        let activation = scratch.path("activation.tenure")
        let train = try Tenure.run(["train", "--events", events, "--task", "activation", "--cutoff", "2026-02-01..2026-04-05/7d",
                                    "--min-class-rows", "10", "--model", "logistic", "--out", activation])
        try #require(train.status == 0, "train activation: \(train.stderr)")
        let mismatched = scratch.path("mismatched")
        try FileManager.default.copyItem(atPath: run, toPath: mismatched)
        try Data("user_id,probability\n".utf8).write(to: URL(fileURLWithPath: mismatched + "/scores.csv"))
        try FileManager.default.createDirectory(atPath: scratch.path("norun"), withIntermediateDirectories: true)
        // A run stopped between removing last night's manifest and renaming tonight's: a list alone.
        let listOnly = scratch.path("listonly")
        try FileManager.default.createDirectory(atPath: listOnly, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: run + "scores.csv", toPath: listOnly + "/scores.csv")
        // A campaign measurement for report --measurement (a directory names its measurement.json).
        let contactsPath = try scratch.write("contacts.csv", Self.contacts(control: true))
        let measured = try Tenure.run(["measure", "--events", events, "--contacts", contactsPath, "--out", scratch.path("measured") + "/"])
        try #require(measured.status == 0, "measure: \(measured.stderr)")
        let shop = scratch.path("shop.csv")
        let shopGen = try Tenure.run(["generate", "--shape", "ecommerce", "--users", "200", "--days", "60", "--seed", "3", "--out", shop])
        try #require(shopGen.status == 0, "generate: \(shopGen.stderr)")
        // A users file for the generated log's users, one with a user twice, and a model trained with it.
        let channels = ["organic", "paid_social", "referral"]
        let users = try scratch.write("users.csv", "user_id,acquisition_channel,age\n"
            + (0..<300).map { String(format: "u%06d,%@,%d\n", $0, channels[$0 % 3], 20 + $0 % 40) }.joined())
        let attrModel = scratch.path("attr.tenure")
        let trained = try Tenure.run(["train", "--events", events, "--users", users, "--cutoff", "2026-02-15..2026-04-01/7d",
                                      "--min-class-rows", "20", "--model", "gbdt", "--trees", "10", "--out", attrModel])
        try #require(trained.status == 0, "train --users: \(trained.stderr)")
        let attrMatrix = scratch.path("attrfeatures.csv")
        let attrFeatures = try Tenure.run(["features", "--events", events, "--users", users, "--task", "none", "--cutoff", "2026-04-20", "--out", attrMatrix])
        try #require(attrFeatures.status == 0, "features --users: \(attrFeatures.stderr)")
        paths = [
            "SHOP": shop,
            "USERS": users,
            "DUPUSERS": try scratch.write("dupusers.csv", "user_id,acquisition_channel\nu000001,organic\nu000001,referral\n"),
            "ATTRMODEL": attrModel,
            "ATTRFEATURES": attrMatrix,
            "RUN": run,
            "MISMATCHED": mismatched,
            "NORUN": scratch.path("norun"),
            "LISTONLY": listOnly,
            "MIXEDEPOCH": try scratch.write("mixed.csv", "user_id,timestamp\nu1,1780000000000\nu2,1780000000\n"),
            "HEADERONLY": try scratch.write("header.csv", "user_id,timestamp,event\n"),
            "EVENTS": events,
            "FEATURES": matrix,
            "EMPTY": try scratch.write("empty.csv", ""),
            "BADLOG": try scratch.write("bad.csv", "user_id,timestamp,event\nu1,2026-01-01T10:00:00Z,view\nu2,not a time,view\n"),
            "MODEL": logistic,
            "GBDT": Repository.path("models/demo-churn-gbdt.tenure"),
            "UPLIFT": Repository.path("Tests/ModelFormatTests/Golden/uplift-t-v3.tenure"),
            "MISSING": scratch.path("missing.tenure"),
            "DAMAGED": damagedPath,
            "TRUNCATED": truncatedPath,
            "NEWER": try scratch.write("newer.tenure", newer),
            "NOTMODEL": events,
            "BADPLAYBOOK": playbook,
            "ACTIVATION": activation,
            "BADACTIVATIONPLAYBOOK": try scratch.write("activation-playbook.json", #"{"activation": {"rules": [{"when": {"segments": ["fading"]}, "action": "lapsed_survey"}]}}"#),
            "BADMANIFEST": try scratch.write("manifest.json", "[1, 2]"),
            "OUT": scratch.path("out"),
            "CONTACTS": contactsPath,
            "MEASURED": scratch.path("measured") + "/",
            "BADMEASUREMENT": try scratch.write("measurement.json", #"{"horizon": "14d", "rows": []}"#),
            "NOCONTROL": try scratch.write("nocontrol.csv", Self.contacts(control: false)),
            "BADCONTACTS": try scratch.write("badcontacts.csv", "user_id,contacted_at,campaign,group\nu000001,2026-03-01,spring,treated\n"),
        ]
    }

    /// A campaign on the generated log's users, every fifth held out when `control`.
    static func contacts(control: Bool) -> String {
        "user_id,contacted_at,campaign,group,action\n" + (1...60).map { k in
            "u\(String(format: "%06d", k)),2026-03-01,spring,\(control && k % 5 == 0 ? "control" : "treatment"),in_app_prompt_coupon\n"
        }.joined()
    }

    private static func write(_ scratch: Scratch, _ name: String, _ data: Data) throws -> String {
        let p = scratch.path(name)
        try data.write(to: URL(fileURLWithPath: p))
        return p
    }

    /// `$NAME` → the fixture's path (outputs get a fresh name per row so no row sees another's file).
    func resolve(_ args: [String], row: Int) -> [String] {
        args.map { a in
            guard a.hasPrefix("$") else { return a }
            let key = String(a.dropFirst())
            if key.hasPrefix("OUT") { return paths["OUT"]! + "-\(row)" + key.dropFirst(3) }
            return paths[key]!
        }
    }
}

@Suite("README exit codes, command by command")
struct ExitCodeTests {
    struct Row: CustomTestStringConvertible, Sendable {
        let situation: String
        let args: [String]
        let code: Int32
        var testDescription: String { "\(args.first ?? "tenure") \(situation) → \(code)" }
    }

    static let cutoff = "2026-04-01"

    static let rows: [Row] = [
        // generate
        Row(situation: "success", args: ["generate", "--users", "50", "--days", "30", "--out", "$OUT.csv"], code: 0),
        Row(situation: "unknown flag", args: ["generate", "--bogus", "--out", "$OUT.csv"], code: 64),
        Row(situation: "missing required", args: ["generate", "--users", "50"], code: 64),
        Row(situation: "malformed value", args: ["generate", "--users", "many", "--out", "$OUT.csv"], code: 64),
        Row(situation: "e-commerce shape with its users file", args: ["generate", "--users", "50", "--days", "30", "--shape", "ecommerce", "--out", "$OUT.csv", "--users-out", "$OUT-users.csv"], code: 0),
        Row(situation: "unknown shape", args: ["generate", "--shape", "bank", "--out", "$OUT.csv"], code: 64),
        Row(situation: "users file for a shape without attributes", args: ["generate", "--users-out", "$OUT-users.csv", "--out", "$OUT.csv"], code: 64),
        Row(situation: "randomized campaigns with their contacts", args: ["generate", "--users", "200", "--days", "60", "--campaigns", "1", "--control-share", "0.3", "--campaign-reach", "0.8", "--out", "$OUT.csv", "--contacts-out", "$OUT-contacts.csv"], code: 0),
        Row(situation: "campaigns without a contacts file", args: ["generate", "--days", "60", "--campaigns", "1", "--out", "$OUT.csv"], code: 64),
        Row(situation: "contacts file without campaigns", args: ["generate", "--days", "60", "--out", "$OUT.csv", "--contacts-out", "$OUT-contacts.csv"], code: 64),
        Row(situation: "control share without campaigns", args: ["generate", "--days", "60", "--control-share", "0.2", "--out", "$OUT.csv"], code: 64),
        Row(situation: "campaign control share out of range", args: ["generate", "--days", "60", "--campaigns", "1", "--control-share", "1", "--out", "$OUT.csv", "--contacts-out", "$OUT-contacts.csv"], code: 64),
        Row(situation: "more campaigns than the log has room for", args: ["generate", "--days", "60", "--campaigns", "3", "--out", "$OUT.csv", "--contacts-out", "$OUT-contacts.csv"], code: 64),
        Row(situation: "campaigns in the e-commerce shape", args: ["generate", "--days", "60", "--shape", "ecommerce", "--campaigns", "1", "--out", "$OUT.csv", "--contacts-out", "$OUT-contacts.csv"], code: 64),
        // profile
        Row(situation: "success", args: ["profile", "--events", "$EVENTS", "--spec-out", "$OUT-spec.json", "--playbook-out", "$OUT-pb.json"], code: 0),
        Row(situation: "unknown flag", args: ["profile", "--events", "$EVENTS", "--bogus"], code: 64),
        Row(situation: "missing required", args: ["profile"], code: 64),
        Row(situation: "bad data file", args: ["profile", "--events", "$BADLOG"], code: 2),
        Row(situation: "database refuses the connection", args: ["profile", "--events", "postgresql://tenure:pw@/tenure?host=/nonexistent-socket-dir", "--table", "events"], code: 2),
        Row(situation: "--table without a database", args: ["profile", "--events", "$EVENTS", "--table", "events"], code: 64),
        Row(situation: "missing data file", args: ["profile", "--events", "$MISSING"], code: 2),
        Row(situation: "empty data file", args: ["profile", "--events", "$EMPTY"], code: 2),
        Row(situation: "spec and playbook on one path", args: ["profile", "--events", "$EVENTS", "--spec-out", "$OUT.json", "--playbook-out", "$OUT.json"], code: 64),
        // features
        Row(situation: "print the default spec", args: ["features", "--print-default-spec"], code: 0),
        Row(situation: "success", args: ["features", "--events", "$EVENTS", "--cutoff", cutoff, "--out", "$OUT.csv"], code: 0),
        Row(situation: "unknown flag", args: ["features", "--events", "$EVENTS", "--cutoff", cutoff, "--bogus"], code: 64),
        Row(situation: "missing required", args: ["features", "--cutoff", cutoff, "--out", "$OUT.csv"], code: 64),
        Row(situation: "malformed cutoff", args: ["features", "--events", "$EVENTS", "--cutoff", "someday", "--out", "$OUT.csv"], code: 64),
        Row(situation: "success with --users", args: ["features", "--events", "$EVENTS", "--users", "$USERS", "--cutoff", cutoff, "--out", "$OUT.csv"], code: 0),
        Row(situation: "--users with a user twice", args: ["features", "--events", "$EVENTS", "--users", "$DUPUSERS", "--cutoff", cutoff, "--out", "$OUT.csv"], code: 2),
        Row(situation: "--users database refuses the connection", args: ["features", "--events", "$EVENTS", "--users", "postgresql://tenure:pw@/tenure?host=/nonexistent-socket-dir", "--users-table", "users", "--cutoff", cutoff, "--out", "$OUT.csv"], code: 2),
        Row(situation: "--users database without --users-table or --users-query", args: ["features", "--events", "$EVENTS", "--users", "postgresql://tenure:pw@/tenure?host=/nonexistent-socket-dir", "--cutoff", cutoff, "--out", "$OUT.csv"], code: 64),
        Row(situation: "--users-table without a database --users", args: ["features", "--events", "$EVENTS", "--users", "$USERS", "--users-table", "users", "--cutoff", cutoff, "--out", "$OUT.csv"], code: 64),
        Row(situation: "--users-query without --users", args: ["features", "--events", "$EVENTS", "--users-query", "SELECT 1", "--cutoff", cutoff, "--out", "$OUT.csv"], code: 64),
        Row(situation: "bad data file", args: ["features", "--events", "$BADLOG", "--cutoff", cutoff, "--out", "$OUT.csv"], code: 2),
        Row(situation: "database refuses the connection", args: ["features", "--events", "postgresql://tenure:pw@/tenure?host=/nonexistent-socket-dir", "--table", "events", "--cutoff", cutoff, "--out", "$OUT.csv"], code: 2),
        Row(situation: "--query without a database", args: ["features", "--events", "$EVENTS", "--query", "SELECT 1", "--cutoff", cutoff, "--out", "$OUT.csv"], code: 64),
        Row(situation: "database without --table or --query", args: ["features", "--events", "postgresql://tenure:pw@/tenure?host=/nonexistent-socket-dir", "--cutoff", cutoff, "--out", "$OUT.csv"], code: 64),
        Row(situation: "both --table and --query", args: ["features", "--events", "postgresql://tenure:pw@/tenure?host=/nonexistent-socket-dir", "--table", "events", "--query", "SELECT 1", "--cutoff", cutoff, "--out", "$OUT.csv"], code: 64),
        Row(situation: "missing data file", args: ["features", "--events", "$MISSING", "--cutoff", cutoff, "--out", "$OUT.csv"], code: 2),
        Row(situation: "malformed --time-range", args: ["features", "--events", "$EVENTS", "--cutoff", cutoff, "--time-range", "2026", "--out", "$OUT.csv"], code: 64),
        Row(situation: "--time-range FROM after TO", args: ["features", "--events", "$EVENTS", "--cutoff", cutoff, "--time-range", "2026-02-01..2026-01-01", "--out", "$OUT.csv"], code: 64),
        Row(situation: "timestamps outside --time-range", args: ["features", "--events", "$EVENTS", "--cutoff", cutoff, "--time-range", "2026-03-01..2026-03-02", "--out", "$OUT.csv"], code: 2),
        Row(situation: "epoch seconds mixed with milliseconds", args: ["features", "--events", "$MIXEDEPOCH", "--cutoff", cutoff, "--out", "$OUT.csv"], code: 2),
        Row(situation: "header only, no data rows", args: ["features", "--events", "$HEADERONLY", "--cutoff", cutoff, "--out", "$OUT.csv"], code: 2),
        // train
        Row(situation: "success", args: ["train", "--events", "$EVENTS", "--cutoff", "2026-02-15..2026-04-01/7d", "--min-class-rows", "20", "--out", "$OUT.tenure"], code: 0),
        Row(situation: "unknown flag", args: ["train", "--events", "$EVENTS", "--cutoff", cutoff, "--bogus", "--out", "$OUT.tenure"], code: 64),
        Row(situation: "uplift: no --contacts", args: ["train", "--task", "uplift", "--events", "$EVENTS", "--model", "gbdt", "--out", "$OUT.tenure"], code: 64),
        Row(situation: "uplift: logistic", args: ["train", "--task", "uplift", "--events", "$EVENTS", "--contacts", "$CONTACTS", "--out", "$OUT.tenure"], code: 64),
        Row(situation: "uplift: --cutoff", args: ["train", "--task", "uplift", "--events", "$EVENTS", "--contacts", "$CONTACTS", "--model", "gbdt", "--cutoff", cutoff, "--out", "$OUT.tenure"], code: 64),
        Row(situation: "uplift: unknown learner", args: ["train", "--task", "uplift", "--events", "$EVENTS", "--contacts", "$CONTACTS", "--model", "gbdt", "--learner", "s", "--out", "$OUT.tenure"], code: 64),
        Row(situation: "uplift: unknown campaign", args: ["train", "--task", "uplift", "--events", "$EVENTS", "--contacts", "$CONTACTS", "--model", "gbdt", "--campaigns", "autumn", "--out", "$OUT.tenure"], code: 64),
        Row(situation: "uplift: campaign without a control group", args: ["train", "--task", "uplift", "--events", "$EVENTS", "--contacts", "$NOCONTROL", "--model", "gbdt", "--out", "$OUT.tenure"], code: 2),
        Row(situation: "uplift: too few rows per arm", args: ["train", "--task", "uplift", "--events", "$EVENTS", "--contacts", "$CONTACTS", "--model", "gbdt", "--out", "$OUT.tenure"], code: 2),
        Row(situation: "uplift: bad contacts row", args: ["train", "--task", "uplift", "--events", "$EVENTS", "--contacts", "$BADCONTACTS", "--model", "gbdt", "--out", "$OUT.tenure"], code: 2),
        Row(situation: "missing required", args: ["train", "--events", "$EVENTS", "--cutoff", cutoff], code: 64),
        Row(situation: "bad data file", args: ["train", "--events", "$BADLOG", "--cutoff", cutoff, "--out", "$OUT.tenure"], code: 2),
        Row(situation: "database refuses the connection", args: ["train", "--events", "postgresql://tenure:pw@/tenure?host=/nonexistent-socket-dir", "--table", "events", "--cutoff", cutoff, "--out", "$OUT.tenure"], code: 2),
        Row(situation: "unwritable output", args: ["train", "--events", "$EVENTS", "--cutoff", cutoff, "--out", "/nonexistent/x.tenure"], code: 1),
        Row(situation: "success with --users", args: ["train", "--events", "$EVENTS", "--users", "$USERS", "--cutoff", "2026-02-15..2026-04-01/7d", "--min-class-rows", "20", "--model", "gbdt", "--trees", "5", "--out", "$OUT.tenure"], code: 0),
        Row(situation: "logistic with a categorical --users column (one-hot encoded)", args: ["train", "--events", "$EVENTS", "--users", "$USERS", "--cutoff", "2026-02-15..2026-04-01/7d", "--min-class-rows", "20", "--out", "$OUT.tenure"], code: 0),
        Row(situation: "--users with a user twice", args: ["train", "--events", "$EVENTS", "--users", "$DUPUSERS", "--cutoff", cutoff, "--out", "$OUT.tenure"], code: 2),
        Row(situation: "missing --users file", args: ["train", "--events", "$EVENTS", "--users", "$MISSING", "--cutoff", cutoff, "--out", "$OUT.tenure"], code: 2),
        Row(situation: "--categorical names no users column", args: ["train", "--events", "$EVENTS", "--users", "$USERS", "--categorical", "nope", "--cutoff", cutoff, "--out", "$OUT.tenure"], code: 64),
        Row(situation: "--categorical without --users", args: ["train", "--events", "$EVENTS", "--categorical", "age", "--cutoff", cutoff, "--out", "$OUT.tenure"], code: 64),
        Row(situation: "--min-category-rows out of range", args: ["train", "--events", "$EVENTS", "--users", "$USERS", "--min-category-rows", "0", "--cutoff", cutoff, "--out", "$OUT.tenure"], code: 64),
        Row(situation: "--max-categories without --users", args: ["train", "--events", "$EVENTS", "--max-categories", "5", "--cutoff", cutoff, "--out", "$OUT.tenure"], code: 64),
        Row(situation: "success with --min-category-rows", args: ["train", "--events", "$EVENTS", "--users", "$USERS", "--min-category-rows", "150", "--cutoff", "2026-02-15..2026-04-01/7d", "--min-class-rows", "20", "--out", "$OUT.tenure"], code: 0),
        Row(situation: "--users with --features", args: ["train", "--features", "$FEATURES", "--users", "$USERS", "--out", "$OUT.tenure"], code: 64),
        Row(situation: "--users database refuses the connection", args: ["train", "--events", "$EVENTS", "--users", "postgresql://tenure:pw@/tenure?host=/nonexistent-socket-dir", "--users-query", "SELECT * FROM users", "--cutoff", cutoff, "--out", "$OUT.tenure"], code: 2),
        Row(situation: "--users-table with --features", args: ["train", "--features", "$FEATURES", "--users-table", "users", "--out", "$OUT.tenure"], code: 64),
        Row(situation: "too few positives", args: ["train", "--events", "$EVENTS", "--cutoff", "2026-02-15..2026-04-01/7d", "--min-class-rows", "100000", "--out", "$OUT.tenure"], code: 2),
        // train --distributed: refusals before the job starts (the mpirun runs are in DistributedTrainTests).
        Row(situation: "--distributed with bagging", args: ["train", "--distributed", "--events", "$EVENTS", "--cutoff", cutoff, "--model", "gbdt", "--bagging-fraction", "0.5", "--bagging-freq", "1", "--out", "$OUT.tenure"], code: 64),
        Row(situation: "--distributed with --features", args: ["train", "--distributed", "--features", "$FEATURES", "--model", "gbdt", "--out", "$OUT.tenure"], code: 64),
        Row(situation: "--distributed with --users", args: ["train", "--distributed", "--events", "$EVENTS", "--users", "$USERS", "--cutoff", cutoff, "--model", "gbdt", "--out", "$OUT.tenure"], code: 64),
        // evaluate
        Row(situation: "success", args: ["evaluate", "--model", "$MODEL", "--events", "$EVENTS", "--cutoff", cutoff], code: 0),
        Row(situation: "unknown flag", args: ["evaluate", "--model", "$MODEL", "--events", "$EVENTS", "--cutoff", cutoff, "--bogus"], code: 64),
        Row(situation: "missing required", args: ["evaluate", "--model", "$MODEL", "--events", "$EVENTS"], code: 64),
        Row(situation: "bad data file", args: ["evaluate", "--model", "$MODEL", "--events", "$BADLOG", "--cutoff", cutoff], code: 2),
        Row(situation: "database refuses the connection", args: ["evaluate", "--model", "$MODEL", "--events", "postgresql://tenure:pw@/tenure?host=/nonexistent-socket-dir", "--table", "events", "--cutoff", cutoff], code: 2),
        Row(situation: "success with --users", args: ["evaluate", "--model", "$ATTRMODEL", "--events", "$EVENTS", "--users", "$USERS", "--cutoff", cutoff], code: 0),
        Row(situation: "--users database refuses the connection", args: ["evaluate", "--model", "$ATTRMODEL", "--events", "$EVENTS", "--users", "postgresql://tenure:pw@/tenure?host=/nonexistent-socket-dir", "--users-table", "users", "--cutoff", cutoff], code: 2),
        Row(situation: "model with attributes, no --users", args: ["evaluate", "--model", "$ATTRMODEL", "--events", "$EVENTS", "--cutoff", cutoff], code: 64),
        Row(situation: "uplift model (judged by Qini, not labels)", args: ["evaluate", "--model", "$UPLIFT", "--events", "$EVENTS", "--cutoff", cutoff], code: 64),
        Row(situation: "no labelled rows", args: ["evaluate", "--model", "$MODEL", "--events", "$EVENTS", "--cutoff", "2026-12-01"], code: 2),
        Row(situation: "missing model", args: ["evaluate", "--model", "$MISSING", "--events", "$EVENTS", "--cutoff", cutoff], code: 2),
        Row(situation: "damaged model", args: ["evaluate", "--model", "$DAMAGED", "--events", "$EVENTS", "--cutoff", cutoff], code: 2),
        // score
        Row(situation: "success", args: ["score", "--model", "$MODEL", "--events", "$EVENTS", "--as-of", "2026-04-20", "--out", "$OUT/"], code: 0),
        Row(situation: "--out-table without a postgresql:// --out", args: ["score", "--model", "$MODEL", "--events", "$EVENTS", "--as-of", "2026-04-20", "--out", "$OUT.csv", "--out-table", "recall"], code: 64),
        Row(situation: "--out postgresql:// without --out-table", args: ["score", "--model", "$MODEL", "--events", "$EVENTS", "--as-of", "2026-04-20", "--out", "postgresql://tenure@/tenure?host=/nonexistent"], code: 64),
        Row(situation: "--out-table with three name parts", args: ["score", "--model", "$MODEL", "--events", "$EVENTS", "--as-of", "2026-04-20", "--out", "postgresql://tenure@/tenure?host=/nonexistent", "--out-table", "a.b.c"], code: 64),
        Row(situation: "--out-table not a plain lower-case identifier", args: ["score", "--model", "$MODEL", "--events", "$EVENTS", "--as-of", "2026-04-20", "--out", "postgresql://tenure@/tenure?host=/nonexistent", "--out-table", "Recall; DROP TABLE x"], code: 64),
        Row(situation: "--output-format jsonl into a table", args: ["score", "--model", "$MODEL", "--events", "$EVENTS", "--as-of", "2026-04-20", "--out", "postgresql://tenure@/tenure?host=/nonexistent", "--out-table", "recall", "--output-format", "jsonl"], code: 64),
        Row(situation: "--manifest-out without --out-table", args: ["score", "--model", "$MODEL", "--events", "$EVENTS", "--as-of", "2026-04-20", "--out", "$OUT.csv", "--manifest-out", "$OUT.json"], code: 64),
        Row(situation: "--out-table: the database refuses the connection", args: ["score", "--model", "$MODEL", "--events", "$EVENTS", "--as-of", "2026-04-20", "--out", "postgresql://tenure:pw@/tenure?host=/nonexistent", "--out-table", "recall"], code: 2),
        Row(situation: "unknown flag", args: ["score", "--model", "$MODEL", "--events", "$EVENTS", "--as-of", "2026-04-20", "--bogus"], code: 64),
        Row(situation: "partition out of range", args: ["score", "--model", "$MODEL", "--events", "$EVENTS", "--as-of", "2026-04-20", "--partition", "5/2", "--out", "$OUT.csv"], code: 64),
        Row(situation: "missing required", args: ["score", "--model", "$MODEL", "--events", "$EVENTS", "--out", "$OUT.csv"], code: 64),
        Row(situation: "bad data file", args: ["score", "--model", "$MODEL", "--events", "$BADLOG", "--as-of", "2026-04-20", "--out", "$OUT.csv"], code: 2),
        Row(situation: "database refuses the connection", args: ["score", "--model", "$MODEL", "--events", "postgresql://tenure:pw@/tenure?host=/nonexistent-socket-dir", "--table", "events", "--as-of", "2026-04-20", "--out", "$OUT.csv"], code: 2),
        Row(situation: "--table without a database", args: ["score", "--model", "$MODEL", "--events", "$EVENTS", "--table", "events", "--as-of", "2026-04-20", "--out", "$OUT.csv"], code: 64),
        Row(situation: "malformed --time-range", args: ["score", "--model", "$MODEL", "--events", "$EVENTS", "--as-of", "2026-04-20", "--time-range", "x..", "--out", "$OUT.csv"], code: 64),
        Row(situation: "timestamps outside --time-range", args: ["score", "--model", "$MODEL", "--events", "$EVENTS", "--as-of", "2026-04-20", "--time-range", "..2025-12-31", "--out", "$OUT.csv"], code: 2),
        Row(situation: "uplift ranking of a churn model", args: ["score", "--model", "$MODEL", "--events", "$EVENTS", "--as-of", "2026-04-20", "--rank-by", "uplift", "--out", "$OUT.csv"], code: 64),
        Row(situation: "incremental-value ranking of a churn model", args: ["score", "--model", "$GBDT", "--events", "$EVENTS", "--as-of", "2026-04-20", "--rank-by", "incremental-value", "--out", "$OUT.csv"], code: 64),
        Row(situation: "expected-loss ranking of a log without values", args: ["score", "--model", "$MODEL", "--events", "$SHOP", "--as-of", "2026-03-01", "--rank-by", "expected-loss", "--out", "$OUT.csv"], code: 64),
        Row(situation: "success with --users", args: ["score", "--model", "$ATTRMODEL", "--events", "$EVENTS", "--users", "$USERS", "--as-of", "2026-04-20", "--out", "$OUT/"], code: 0),
        Row(situation: "model with attributes, no --users", args: ["score", "--model", "$ATTRMODEL", "--events", "$EVENTS", "--as-of", "2026-04-20", "--out", "$OUT.csv"], code: 64),
        Row(situation: "--users for a model without attributes", args: ["score", "--model", "$MODEL", "--events", "$EVENTS", "--users", "$USERS", "--as-of", "2026-04-20", "--out", "$OUT.csv"], code: 64),
        Row(situation: "--users database refuses the connection", args: ["score", "--model", "$ATTRMODEL", "--events", "$EVENTS", "--users", "postgresql://tenure:pw@/tenure?host=/nonexistent-socket-dir", "--users-table", "users", "--as-of", "2026-04-20", "--out", "$OUT.csv"], code: 2),
        Row(situation: "--contacted database refuses the connection", args: ["score", "--model", "$MODEL", "--events", "$EVENTS", "--contacted", "postgresql://tenure:pw@/tenure?host=/nonexistent-socket-dir", "--contacted-table", "contacts", "--as-of", "2026-04-20", "--out", "$OUT.csv"], code: 2),
        Row(situation: "--contacted-table without --contacted", args: ["score", "--model", "$MODEL", "--events", "$EVENTS", "--contacted-table", "contacts", "--as-of", "2026-04-20", "--out", "$OUT.csv"], code: 64),
        Row(situation: "bad playbook", args: ["score", "--model", "$MODEL", "--events", "$EVENTS", "--as-of", "2026-04-20", "--playbook", "$BADPLAYBOOK", "--out", "$OUT.csv"], code: 2),
        Row(situation: "missing model", args: ["score", "--model", "$MISSING", "--events", "$EVENTS", "--as-of", "2026-04-20", "--out", "$OUT.csv"], code: 2),
        Row(situation: "damaged model", args: ["score", "--model", "$DAMAGED", "--events", "$EVENTS", "--as-of", "2026-04-20", "--out", "$OUT.csv"], code: 2),
        Row(situation: "truncated model", args: ["score", "--model", "$TRUNCATED", "--events", "$EVENTS", "--as-of", "2026-04-20", "--out", "$OUT.csv"], code: 2),
        Row(situation: "newer model", args: ["score", "--model", "$NEWER", "--events", "$EVENTS", "--as-of", "2026-04-20", "--out", "$OUT.csv"], code: 2),
        Row(situation: "not a model", args: ["score", "--model", "$NOTMODEL", "--events", "$EVENTS", "--as-of", "2026-04-20", "--out", "$OUT.csv"], code: 2),
        Row(situation: "empty export", args: ["score", "--model", "$MODEL", "--events", "$EMPTY", "--as-of", "2026-04-20", "--out", "$OUT/"], code: 2),
        Row(situation: "stale export", args: ["score", "--model", "$MODEL", "--events", "$EVENTS", "--as-of", "2026-09-01", "--out", "$OUT/"], code: 2),
        Row(situation: "as-of before the log", args: ["score", "--model", "$MODEL", "--events", "$EVENTS", "--as-of", "2025-12-01", "--out", "$OUT/"], code: 2),
        Row(situation: "log does not fit the model", args: ["score", "--model", "$MODEL", "--events", "$EVENTS", "--as-of", "2026-04-20", "--drift-threshold", "0", "--out", "$OUT/"], code: 2),
        Row(situation: "drift over --fail-on-drift", args: ["score", "--model", "$MODEL", "--events", "$EVENTS", "--as-of", "2026-04-20", "--fail-on-drift", "0", "--out", "$OUT/"], code: 2),
        Row(situation: "unwritable output", args: ["score", "--model", "$MODEL", "--events", "$EVENTS", "--as-of", "2026-04-20", "--out", "/nonexistent/scores.csv"], code: 1),
        Row(situation: "success: activation model", args: ["score", "--model", "$ACTIVATION", "--events", "$EVENTS", "--as-of", "2026-04-20", "--out", "$OUT/"], code: 0),
        Row(situation: "churn tiers for an activation model", args: ["score", "--model", "$ACTIVATION", "--events", "$EVENTS", "--as-of", "2026-04-20", "--tier-medium", "40", "--out", "$OUT.csv"], code: 64),
        Row(situation: "expected loss for an activation model", args: ["score", "--model", "$ACTIVATION", "--events", "$EVENTS", "--as-of", "2026-04-20", "--rank-by", "expected-loss", "--out", "$OUT.csv"], code: 64),
        Row(situation: "--exclude-fake for an activation model", args: ["score", "--model", "$ACTIVATION", "--events", "$EVENTS", "--as-of", "2026-04-20", "--exclude-fake", "--out", "$OUT.csv"], code: 64),
        Row(situation: "bad activation playbook section", args: ["score", "--model", "$ACTIVATION", "--events", "$EVENTS", "--as-of", "2026-04-20", "--playbook", "$BADACTIVATIONPLAYBOOK", "--out", "$OUT.csv"], code: 2),
        // playbook
        Row(situation: "success", args: ["playbook", "--print-default"], code: 0),
        Row(situation: "unknown flag", args: ["playbook", "--bogus"], code: 64),
        Row(situation: "missing required", args: ["playbook"], code: 64),
        Row(situation: "bad playbook", args: ["playbook", "--check", "$BADPLAYBOOK"], code: 2),
        Row(situation: "bad activation playbook section", args: ["playbook", "--check", "$BADACTIVATIONPLAYBOOK"], code: 2),
        Row(situation: "missing playbook", args: ["playbook", "--check", "$MISSING"], code: 2),
        // retention (cohorts under the alarm line are flagged on stderr, and the run still succeeds)
        Row(situation: "success, cohorts flagged", args: ["retention", "--events", "$EVENTS", "--alarm-day1", "0.99"], code: 0),
        Row(situation: "unknown flag", args: ["retention", "--events", "$EVENTS", "--bogus"], code: 64),
        Row(situation: "missing playbook", args: ["retention", "--events", "$EVENTS", "--playbook", "$MISSING"], code: 2),
        Row(situation: "bad playbook", args: ["retention", "--events", "$EVENTS", "--playbook", "$BADPLAYBOOK"], code: 2),
        Row(situation: "missing required", args: ["retention"], code: 64),
        Row(situation: "unknown signup event", args: ["retention", "--events", "$EVENTS", "--signup-event", "no_such_event"], code: 64),
        Row(situation: "bad data file", args: ["retention", "--events", "$BADLOG"], code: 2),
        Row(situation: "database refuses the connection", args: ["retention", "--events", "postgresql://tenure:pw@/tenure?host=/nonexistent-socket-dir", "--table", "events"], code: 2),
        Row(situation: "database without --table or --query", args: ["retention", "--events", "postgresql://tenure:pw@/tenure?host=/nonexistent-socket-dir"], code: 64),
        // report
        Row(situation: "success", args: ["report", "--model", "$MODEL", "--out", "$OUT.html"], code: 0),
        Row(situation: "success with events", args: ["report", "--model", "$MODEL", "--events", "$EVENTS", "--cutoff", cutoff, "--out", "$OUT.html"], code: 0),
        Row(situation: "unknown flag", args: ["report", "--model", "$MODEL", "--bogus", "--out", "$OUT.html"], code: 64),
        Row(situation: "missing required", args: ["report", "--model", "$MODEL"], code: 64),
        Row(situation: "bad data file", args: ["report", "--model", "$MODEL", "--events", "$BADLOG", "--cutoff", cutoff, "--out", "$OUT.html"], code: 2),
        Row(situation: "database refuses the connection", args: ["report", "--model", "$MODEL", "--events", "postgresql://tenure:pw@/tenure?host=/nonexistent-socket-dir", "--table", "events", "--cutoff", cutoff, "--out", "$OUT.html"], code: 2),
        Row(situation: "bad manifest", args: ["report", "--model", "$MODEL", "--manifest", "$BADMANIFEST", "--out", "$OUT.html"], code: 2),
        Row(situation: "success with a measurement", args: ["report", "--model", "$MODEL", "--measurement", "$MEASURED", "--out", "$OUT.html"], code: 0),
        Row(situation: "bad measurement", args: ["report", "--model", "$MODEL", "--measurement", "$BADMEASUREMENT", "--out", "$OUT.html"], code: 2),
        Row(situation: "missing measurement", args: ["report", "--model", "$MODEL", "--measurement", "$MISSING", "--out", "$OUT.html"], code: 2),
        Row(situation: "measurement directory without measurement.json", args: ["report", "--model", "$MODEL", "--measurement", "$NORUN", "--out", "$OUT.html"], code: 2),
        Row(situation: "missing manifest", args: ["report", "--model", "$MODEL", "--manifest", "$MISSING", "--out", "$OUT.html"], code: 2),
        Row(situation: "missing model", args: ["report", "--model", "$MISSING", "--out", "$OUT.html"], code: 2),
        Row(situation: "damaged model", args: ["report", "--model", "$DAMAGED", "--out", "$OUT.html"], code: 2),
        Row(situation: "newer model", args: ["report", "--model", "$NEWER", "--out", "$OUT.html"], code: 2),
        // inspect
        Row(situation: "success", args: ["inspect", "$MODEL"], code: 0),
        Row(situation: "unknown flag", args: ["inspect", "$MODEL", "--bogus"], code: 64),
        Row(situation: "missing required", args: ["inspect"], code: 64),
        Row(situation: "missing model", args: ["inspect", "$MISSING"], code: 2),
        Row(situation: "damaged model", args: ["inspect", "$DAMAGED"], code: 2),
        Row(situation: "truncated model", args: ["inspect", "$TRUNCATED"], code: 2),
        Row(situation: "newer model", args: ["inspect", "$NEWER"], code: 2),
        Row(situation: "not a model", args: ["inspect", "$NOTMODEL"], code: 2),
        // export
        Row(situation: "success", args: ["export", "--model", "$GBDT", "--out", "$OUT.txt"], code: 0),
        Row(situation: "unknown flag", args: ["export", "--model", "$GBDT", "--bogus", "--out", "$OUT.txt"], code: 64),
        Row(situation: "missing required", args: ["export", "--model", "$GBDT"], code: 64),
        Row(situation: "missing model", args: ["export", "--model", "$MISSING", "--out", "$OUT.txt"], code: 2),
        Row(situation: "damaged model", args: ["export", "--model", "$DAMAGED", "--out", "$OUT.txt"], code: 2),
        // predict
        Row(situation: "success", args: ["predict", "--model", "$MODEL", "--features", "$FEATURES", "--out", "$OUT.csv"], code: 0),
        Row(situation: "success with an uplift model (uplift and both arms' retention)", args: ["predict", "--model", "$UPLIFT", "--features", "$FEATURES", "--reasons", "2", "--out", "$OUT.csv"], code: 0),
        Row(situation: "unknown flag", args: ["predict", "--model", "$MODEL", "--features", "$FEATURES", "--bogus"], code: 64),
        Row(situation: "missing required", args: ["predict", "--model", "$MODEL", "--out", "$OUT.csv"], code: 64),
        Row(situation: "bad data file", args: ["predict", "--model", "$MODEL", "--features", "$BADLOG", "--out", "$OUT.csv"], code: 2),
        Row(situation: "damaged model", args: ["predict", "--model", "$DAMAGED", "--features", "$FEATURES", "--out", "$OUT.csv"], code: 2),
        Row(situation: "success with --users", args: ["predict", "--model", "$ATTRMODEL", "--features", "$FEATURES", "--users", "$USERS", "--out", "$OUT.csv"], code: 0),
        Row(situation: "--users database refuses the connection", args: ["predict", "--model", "$ATTRMODEL", "--features", "$FEATURES", "--users", "postgresql://tenure:pw@/tenure?host=/nonexistent-socket-dir", "--users-table", "users", "--out", "$OUT.csv"], code: 2),
        Row(situation: "matrix from features --users, no --users", args: ["predict", "--model", "$ATTRMODEL", "--features", "$ATTRFEATURES", "--out", "$OUT.csv"], code: 0),
        Row(situation: "--users for a matrix that holds the attributes", args: ["predict", "--model", "$ATTRMODEL", "--features", "$ATTRFEATURES", "--users", "$USERS", "--out", "$OUT.csv"], code: 64),
        Row(situation: "model with attributes, matrix without, no --users", args: ["predict", "--model", "$ATTRMODEL", "--features", "$FEATURES", "--out", "$OUT.csv"], code: 64),
        Row(situation: "--users for a model without attributes", args: ["predict", "--model", "$MODEL", "--features", "$FEATURES", "--users", "$USERS", "--out", "$OUT.csv"], code: 64),
        Row(situation: "--users file with a user twice", args: ["predict", "--model", "$ATTRMODEL", "--features", "$FEATURES", "--users", "$DUPUSERS", "--out", "$OUT.csv"], code: 2),
        // verify
        Row(situation: "success", args: ["verify", "$RUN"], code: 0),
        Row(situation: "unknown flag", args: ["verify", "$RUN", "--bogus"], code: 64),
        Row(situation: "missing required", args: ["verify"], code: 64),
        Row(situation: "list does not match the manifest", args: ["verify", "$MISMATCHED"], code: 2),
        Row(situation: "no manifest", args: ["verify", "$NORUN"], code: 2),
        Row(situation: "a list without its manifest (killed between the renames)", args: ["verify", "$LISTONLY"], code: 2),
        Row(situation: "a postgresql:// URI without --table", args: ["verify", "postgresql://tenure@/tenure?host=/nonexistent"], code: 64),
        Row(situation: "--table with a directory", args: ["verify", "$RUN", "--table", "recall"], code: 64),
        Row(situation: "--table: the database refuses the connection", args: ["verify", "postgresql://tenure@/tenure?host=/nonexistent", "--table", "recall"], code: 2),
        Row(situation: "success with a control group", args: ["score", "--model", "$MODEL", "--events", "$EVENTS", "--as-of", "2026-04-20", "--campaign", "spring", "--control-share", "0.2", "--out", "$OUT/"], code: 0),
        Row(situation: "--control-share without --campaign", args: ["score", "--model", "$MODEL", "--events", "$EVENTS", "--as-of", "2026-04-20", "--control-share", "0.2", "--out", "$OUT.csv"], code: 64),
        Row(situation: "control share out of range", args: ["score", "--model", "$MODEL", "--events", "$EVENTS", "--as-of", "2026-04-20", "--campaign", "spring", "--control-share", "1", "--out", "$OUT.csv"], code: 64),
        // measure
        Row(situation: "success", args: ["measure", "--events", "$EVENTS", "--contacts", "$CONTACTS", "--out", "$OUT/"], code: 0),
        Row(situation: "unknown flag", args: ["measure", "--events", "$EVENTS", "--contacts", "$CONTACTS", "--bogus"], code: 64),
        Row(situation: "missing required", args: ["measure", "--events", "$EVENTS"], code: 64),
        Row(situation: "control share out of range", args: ["measure", "--events", "$EVENTS", "--contacts", "$CONTACTS", "--control-share", "1"], code: 64),
        Row(situation: "--contacts database refuses the connection", args: ["measure", "--events", "$EVENTS", "--contacts", "postgresql://tenure:pw@/tenure?host=/nonexistent-socket-dir", "--contacts-table", "contacts"], code: 2),
        Row(situation: "--contacts database with both --contacts-table and --contacts-query", args: ["measure", "--events", "$EVENTS", "--contacts", "postgresql://tenure:pw@/tenure?host=/nonexistent-socket-dir", "--contacts-table", "contacts", "--contacts-query", "SELECT 1"], code: 64),
        Row(situation: "--contacts-table without a database --contacts", args: ["measure", "--events", "$EVENTS", "--contacts", "$CONTACTS", "--contacts-table", "contacts"], code: 64),
        Row(situation: "unknown campaign", args: ["measure", "--events", "$EVENTS", "--contacts", "$CONTACTS", "--campaigns", "autumn"], code: 64),
        Row(situation: "campaign without a control group", args: ["measure", "--events", "$EVENTS", "--contacts", "$NOCONTROL"], code: 2),
        Row(situation: "bad contacts row", args: ["measure", "--events", "$EVENTS", "--contacts", "$BADCONTACTS"], code: 2),
        Row(situation: "database refuses the connection", args: ["measure", "--events", "postgresql://tenure:pw@/tenure?host=/nonexistent-socket-dir", "--table", "events", "--contacts", "$CONTACTS"], code: 2),
        Row(situation: "horizon past the data end", args: ["measure", "--events", "$EVENTS", "--contacts", "$CONTACTS", "--horizon", "200d"], code: 2),
        Row(situation: "a run directory without a control group", args: ["measure", "--events", "$EVENTS", "--contacts", "$RUN"], code: 2),
        Row(situation: "output is the contacts file", args: ["measure", "--events", "$EVENTS", "--contacts", "$CONTACTS", "--out", "$CONTACTS"], code: 64),
        // the program itself
        // shard
        Row(situation: "success", args: ["shard", "--events", "$EVENTS", "--shards", "3", "--out", "$OUT/"], code: 0),
        Row(situation: "success, gzip", args: ["shard", "--events", "$EVENTS", "--shards", "2", "--gzip", "--out", "$OUT/"], code: 0),
        Row(situation: "unknown flag", args: ["shard", "--events", "$EVENTS", "--shards", "3", "--bogus", "--out", "$OUT/"], code: 64),
        Row(situation: "missing required", args: ["shard", "--events", "$EVENTS", "--out", "$OUT/"], code: 64),
        Row(situation: "no --out", args: ["shard", "--events", "$EVENTS", "--shards", "3"], code: 64),
        Row(situation: "--shards 0", args: ["shard", "--events", "$EVENTS", "--shards", "0", "--out", "$OUT/"], code: 64),
        Row(situation: "--out names a file", args: ["shard", "--events", "$EVENTS", "--shards", "2", "--out", "$EVENTS"], code: 64),
        Row(situation: "missing log", args: ["shard", "--events", "$MISSING", "--shards", "2", "--out", "$OUT/"], code: 2),
        Row(situation: "bad row", args: ["shard", "--events", "$BADLOG", "--shards", "2", "--out", "$OUT/"], code: 2),
        Row(situation: "bad row skipped", args: ["shard", "--events", "$BADLOG", "--shards", "2", "--time-format", "iso8601", "--bad-rows", "skip", "--out", "$OUT/"], code: 0),
        // --memory-limit (every command that reads a log)
        Row(situation: "run estimated above --memory-limit", args: ["score", "--model", "$MODEL", "--events", "$EVENTS", "--as-of", "2026-04-20", "--memory-limit", "1M", "--out", "$OUT.csv"], code: 2),
        Row(situation: "--memory-limit none", args: ["features", "--events", "$EVENTS", "--cutoff", cutoff, "--memory-limit", "none", "--out", "$OUT.csv"], code: 0),
        Row(situation: "malformed --memory-limit", args: ["features", "--events", "$EVENTS", "--cutoff", cutoff, "--memory-limit", "lots", "--out", "$OUT.csv"], code: 64),
        Row(situation: "help", args: ["--help"], code: 0),
        Row(situation: "version", args: ["--version"], code: 0),
        Row(situation: "no command", args: [], code: 64),
        Row(situation: "unknown command", args: ["frobnicate"], code: 64),
    ]

    /// The commands `tenure --help` lists, so a new command without rows fails here.
    static let commands: [String] = (try? Tenure.helpCommands()) ?? ["(tenure --help did not run)"]

    @Test("the help lists the commands") func helpListsCommands() {
        #expect(Self.commands.count >= 11 && Self.commands.contains("score"), "\(Self.commands)")
    }

    @Test("every command has each README row", arguments: commands)
    func everyCommandIsCovered(command: String) {
        let mine = Self.rows.filter { $0.args.first == command }
        #expect(mine.contains { $0.code == 0 } && mine.contains { $0.situation == "unknown flag" && $0.code == 64 }
                && mine.contains { $0.situation == "missing required" && $0.code == 64 }, "\(command) lacks a row")
        if command != "generate" && command != "playbook" {
            #expect(mine.contains { $0.code == 2 }, "\(command) has no bad-input row")
        }
    }

    @Test("the exact exit code", arguments: zip(rows.indices, rows))
    func exactCode(index: Int, row: Row) throws {
        let fixture = try ExitCodeFixture.shared.get()
        let r = try Tenure.run(fixture.resolve(row.args, row: index))
        #expect(r.status == row.code, "\(row.testDescription): got \(r.status)\n\(r.stderr)")
        if row.code != 0 && !row.args.isEmpty {
            // Failures say why after `tenure: error:` (a bad row's message goes on with the row itself).
            #expect(r.stderrLines.contains { $0.hasPrefix("tenure: error: ") }, "stderr: \(r.stderr)")
        }
    }
}
