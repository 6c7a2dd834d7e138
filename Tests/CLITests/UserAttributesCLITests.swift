// `--users` end to end through the binary: a planted categorical attribute (churn depends on the acquisition
// channel, which the events do not show) lifts held-out AUC; the model stores the schema (format 2) and
// scoring reports how the users file met the log in stderr and the manifest.
import Foundation
import Testing
import TestSupport

/// A log where every user behaves alike until they leave, and the daily hazard of leaving is set by the
/// acquisition channel alone; plus the users file (user_id, platform, acquisition_channel, as the e-commerce
/// generator names them) and one users row matching no event user.
private func plantedChannelLog(users: Int, seed: UInt64) -> (events: String, users: String) {
    var rng = SplitMix64(seed: seed)
    let hazard = ["organic": 0.002, "referral": 0.01, "email": 0.03, "paid_social": 0.08]
    let channels = hazard.keys.sorted()
    let platforms = ["android", "ios", "web"]
    var events = "user_id,timestamp,event\n", table = "user_id,platform,acquisition_channel\n"
    let start = 1_767_225_600_000 as Int64   // 2026-01-01
    let day = 86_400_000 as Int64
    for u in 0..<users {
        let id = String(format: "u%05d", u)
        let channel = channels[Int(rng.next() % UInt64(channels.count))]
        table += "\(id),\(platforms[Int(rng.next() % 3)]),\(channel)\n"
        var d = Int64(rng.next() % 120)
        while d < 150 {
            let t = start + d * day + Int64(rng.next() % UInt64(day))
            events += "\(id),\(t / 1000),\(rng.next() % 4 == 0 ? "purchase" : "product_view")\n"
            let gap = 1 + Int64(rng.next() % 3)
            var left = false
            for _ in 0..<gap where rng.uniform() < hazard[channel]! { left = true }
            if left { break }
            d += gap
        }
    }
    table += "nobody,web,organic\n"
    return (events, table)
}

/// Held-out ROC AUC of a model on the planted log: cutoffs after every training cutoff.
private func heldOutAUC(_ model: String, events: String, _ extra: [String]) throws -> Double {
    let r = try Tenure.run(["evaluate", "--model", model, "--events", events, "--cutoff", "2026-04-26,2026-05-03",
                            "--json"] + extra)
    try #require(r.status == 0, "\(r.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let pooled = try #require(json["pooled"] as? [String: Any], "\(json.keys)")
    let metrics = try #require(pooled["metrics"] as? [String: Any])
    return try #require(metrics["rocAUC"] as? Double)
}

/// The planted log and users file written to `scratch`, and a model trained on it without --users
/// (`without.tenure`) and with it (`with.tenure`), with `model` flags; the with-run's stderr.
private func trainPlanted(_ scratch: Scratch, model: [String]) throws -> (events: String, usersFile: String, users: String, stderr: String) {
    let (log, users) = plantedChannelLog(users: 2000, seed: 13)
    let events = try scratch.write("events.csv", log)
    let usersFile = try scratch.write("users.csv", users)
    let common = ["--events", events, "--time-format", "epoch-s", "--cutoff", "2026-03-01..2026-04-12/7d", "--lookback", "3d", "--min-class-rows", "20"] + model
    let without = try Tenure.run(["train"] + common + ["--out", scratch.path("without.tenure")])
    try #require(without.status == 0, "\(without.stderr)")
    let with = try Tenure.run(["train"] + common + ["--users", usersFile, "--out", scratch.path("with.tenure")])
    try #require(with.status == 0, "\(with.stderr)")
    return (events, usersFile, users, with.stderr)
}

@Suite("--users end to end")
struct UserAttributesCLITests {
    @Test("a planted acquisition channel lifts held-out AUC; the model keeps the schema; score reports coverage")
    func plantedChannel() throws {
        let scratch = try Scratch()
        let (events, usersFile, _, stderr) = try trainPlanted(scratch, model: ["--model", "gbdt", "--trees", "40"])
        #expect(stderr.contains("acquisition_channel categorical (4 categories + other)"))
        #expect(stderr.contains("1 users rows match no event user"))

        let model = String(decoding: try #require(scratch.bytes("with.tenure")), as: UTF8.self)
        #expect(model.hasPrefix("TENURE-MODEL 2 "))
        #expect(model.contains("\"attr_acquisition_channel\""))
        #expect(String(decoding: try #require(scratch.bytes("without.tenure")), as: UTF8.self).hasPrefix("TENURE-MODEL 1 "))

        func auc(_ name: String, _ extra: [String]) throws -> Double { try heldOutAUC(scratch.path(name), events: events, extra) }
        let base = try auc("without.tenure", []), lifted = try auc("with.tenure", ["--users", usersFile])
        // Eligible: active in the last 3 days (every user still there is), so the label is who leaves next, not
        // who has already left. The channel sets each user's hazard of leaving (0.2% to 8% a day), which no event feature can see.
        #expect(lifted - base > 0.05, "held-out ROC AUC \(base) without --users, \(lifted) with: lift \(lifted - base)")
        print("planted channel: held-out ROC AUC \(base) without --users, \(lifted) with (lift \(lifted - base))")

        // Scored the night after the held-out cutoffs' first: by the log's last day (May 31) only long-tenured
        // users are left, and most features have moved past the refusal line (19 of 33 once the unavailable
        // social groups are dropped).
        let run = scratch.path("run") + "/"
        let score = try Tenure.run(["score", "--model", scratch.path("with.tenure"), "--events", events, "--users", usersFile,
                                    "--as-of", "2026-04-26", "--reasons-for-all", "--out", run])
        try #require(score.status == 0, "\(score.stderr)")
        // Reasons name the attribute in words with the user's category.
        let list = String(decoding: try #require(scratch.bytes("run/scores.csv")), as: UTF8.self)
        #expect(["organic", "referral", "email", "paid_social"].contains { list.contains("acquisition channel: \($0)") })
        #expect(score.stderr.contains("1 users rows match no event user"))
        let manifestBytes = try #require(scratch.bytes("run/manifest.json"))
        let manifest = try #require(try JSONSerialization.jsonObject(with: manifestBytes) as? [String: Any])
        let coverage = try #require(manifest["user_attributes"] as? [String: Int])
        #expect(coverage["users_file_unmatched"] == 1)
        #expect(coverage["event_users_without_row"] == 0)
        #expect((coverage["rows_joined"] ?? 0) > 0)
    }

    @Test("logistic regression one-hot encodes the planted channel: AUC lift, reasons in words, unseen channels share the rare bucket")
    func plantedChannelLogistic() throws {
        let scratch = try Scratch()
        let (events, usersFile, users, _) = try trainPlanted(scratch, model: [])  // the default model is logistic
        let model = String(decoding: try #require(scratch.bytes("with.tenure")), as: UTF8.self)
        #expect(model.hasPrefix("TENURE-MODEL 2 ") && model.contains("\"oneHot\""))

        let base = try heldOutAUC(scratch.path("without.tenure"), events: events, [])
        let lifted = try heldOutAUC(scratch.path("with.tenure"), events: events, ["--users", usersFile])
        #expect(lifted - base > 0.05, "logistic held-out ROC AUC \(base) without --users, \(lifted) with: lift \(lifted - base)")
        print("planted channel, logistic: held-out ROC AUC \(base) without --users, \(lifted) with (lift \(lifted - base))")

        func score(_ users: String, _ dir: String) throws -> String {
            let r = try Tenure.run(["score", "--model", scratch.path("with.tenure"), "--events", events, "--users", users,
                                    "--as-of", "2026-04-26", "--reasons-for-all", "--out", scratch.path(dir) + "/"])
            try #require(r.status == 0, "\(r.stderr)")
            return String(decoding: try #require(scratch.bytes(dir + "/scores.csv")), as: UTF8.self)
        }
        let list = try score(usersFile, "run")
        #expect(list.contains("acquisition channel: paid_social"), "\(list.prefix(600))")
        // Two channels never seen in training both go to the rare bucket: the lists are the same, and differ
        // from the list with the users' real channels.
        let renamed = { (to: String) in users.replacingOccurrences(of: ",paid_social\n", with: ",\(to)\n") }
        let tiktok = try score(try scratch.write("tiktok.csv", renamed("tiktok")), "tiktok")
        let myspace = try score(try scratch.write("myspace.csv", renamed("myspace")), "myspace")
        #expect(tiktok == myspace)
        #expect(tiktok != list)
        #expect(!tiktok.contains("paid_social"))
    }

    @Test("predict --users joins the attributes to a matrix without them: the same predictions as a matrix from features --users")
    func predictJoins() throws {
        let scratch = try Scratch()
        let (events, usersFile, _, _) = try trainPlanted(scratch, model: [])
        let features = ["features", "--events", events, "--time-format", "epoch-s", "--cutoff", "2026-04-12", "--lookback", "3d"]
        let plain = try Tenure.run(features + ["--out", scratch.path("plain.csv")])
        try #require(plain.status == 0, "\(plain.stderr)")
        let joined = try Tenure.run(features + ["--users", usersFile, "--out", scratch.path("joined.csv")])
        try #require(joined.status == 0, "\(joined.stderr)")
        func predict(_ matrix: String, _ extra: [String], _ out: String) throws -> (Int32, String) {
            let r = try Tenure.run(["predict", "--model", scratch.path("with.tenure"), "--features", scratch.path(matrix),
                                    "--reasons", "2", "--out", scratch.path(out)] + extra)
            return (r.status, r.stderr)
        }
        let (s1, e1) = try predict("joined.csv", [], "p1.csv")
        try #require(s1 == 0, "\(e1)")
        let (s2, e2) = try predict("plain.csv", ["--users", usersFile], "p2.csv")
        try #require(s2 == 0, "\(e2)")
        let p1 = try #require(scratch.bytes("p1.csv")), p2 = try #require(scratch.bytes("p2.csv"))
        #expect(p1 == p2)
        #expect(p1.count > 1000)
        #expect(e2.contains("feature rows joined") && e2.contains("users rows match no matrix user"), "\(e2)")
        // Both ways at once, and neither way, are refused naming the remedy.
        let (s3, e3) = try predict("joined.csv", ["--users", usersFile], "p3.csv")
        #expect(s3 == 64 && e3.contains("already holds the attribute columns attr_platform, attr_acquisition_channel"), "\(e3)")
        let (s4, e4) = try predict("plain.csv", [], "p4.csv")
        #expect(s4 == 64 && e4.contains("pass --users FILE"), "\(e4)")
        // The join needs the matrix's user_id column.
        let noID = String(decoding: try #require(scratch.bytes("plain.csv")), as: UTF8.self).replacingOccurrences(of: "user_id,", with: "uid,")
        _ = try scratch.write("noid.csv", noID)
        let (s5, e5) = try predict("noid.csv", ["--users", usersFile], "p5.csv")
        #expect(s5 == 2 && e5.contains("no 'user_id' column"), "\(e5)")
        #expect(scratch.bytes("p3.csv") == nil && scratch.bytes("p5.csv") == nil)
    }
}
