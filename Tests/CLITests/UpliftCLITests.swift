// `tenure train --task uplift` and scoring with the model, through the real binary, on a log with a known
// effect: two monthly campaigns on the generated log, arms by a hash of the user id, and contacts chosen so
// that a contact keeps every treated user who bought in the 30 days before it (persuadables: treated buyers
// who left are dropped from the contacts, so among buyers the treated arm retains all, the control arm its
// natural rate) and loses every treated non-buyer idle for the last 7 days (sleeping dogs: the treated ones
// who stayed are dropped); no effect on anyone else. The model must find both, and rank better than churn
// risk, which puts the idle users first.
import Foundation
import Testing
import TestSupport

/// The log, the contacts derived from it and a T-learner trained on them, made once.
final class UpliftFixture: @unchecked Sendable {
    let scratch: Scratch
    let events: String, contacts: String, model: String
    /// The buyers (purchase in the 30 days before 2026-05-01) among the second campaign's users.
    let buyersAtSecond: Set<String>
    let train: ProcessOutput

    static let shared = Result { try UpliftFixture() }
    static let first = "2026-04-01", second = "2026-05-01"

    private init() throws {
        scratch = try Scratch()
        events = scratch.path("events.csv")
        let gen = try Tenure.run(["generate", "--users", "2400", "--days", "150", "--seed", "11", "--out", events])
        try #require(gen.status == 0, "generate: \(gen.stderr)")
        let features = scratch.path("features.csv")
        let f = try Tenure.run(["features", "--events", events, "--cutoff", "\(Self.first),\(Self.second)", "--horizon", "14d", "--out", features])
        try #require(f.status == 0, "features: \(f.stderr)")
        let (_, rows) = CSV.table(scratch.bytes("features.csv"))
        var lines = ["user_id,contacted_at,campaign,group"]
        var buyers = Set<String>()
        for row in rows {
            let user = row["user_id"]!, day = String(row["cutoff"]!.prefix(10))
            let treated = Self.treated(user)
            let buyer = Double(row["count_purchase_30d"]!)! > 0
            if buyer && day == Self.second { buyers.insert(user) }
            // The planted effects (label 1 = churned): treated buyers all stay, treated idle non-buyers all leave.
            let idle = !buyer && Double(row["active_days_7d"]!)! == 0
            if buyer && treated && row["label"] == "1" { continue }
            if idle && treated && row["label"] == "0" { continue }
            lines.append("\(user),\(day)T09:30:00Z,\(day == Self.first ? "april" : "may"),\(treated ? "treatment" : "control")")
        }
        contacts = try scratch.write("contacts.csv", lines.joined(separator: "\n") + "\n")
        buyersAtSecond = buyers
        model = scratch.path("uplift.tenure")
        train = try Tenure.run(["train", "--task", "uplift", "--events", events, "--contacts", contacts, "--horizon", "14d",
                                "--model", "gbdt", "--trees", "40", "--min-arm-rows", "40", "--out", model])
    }

    /// Half the users, by a hash of the id (FNV-1a), as a randomized assignment would.
    static func treated(_ id: String) -> Bool {
        var h: UInt64 = 0xcbf29ce484222325
        for b in id.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return h % 2 == 0
    }
}

@Suite("Uplift models through the CLI", .serialized)
struct UpliftCLITests {
    func fixture() throws -> UpliftFixture { try UpliftFixture.shared.get() }

    func uplift(_ model: String) throws -> [String: Any] {
        let r = try Tenure.run(["inspect", model, "--json"])
        try #require(r.status == 0, "inspect: \(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        return try #require(json["uplift"] as? [String: Any])
    }

    @Test("the T-learner's Qini on the held-out campaign is above random and above ranking by churn risk")
    func heldOutQini() throws {
        let f = try fixture()
        try #require(f.train.status == 0, "train: \(f.train.stderr)")
        #expect(f.train.stderr.contains("validating on") && f.train.stderr.contains("of may"))
        let v = try #require(try uplift(f.model)["validation"] as? [String: Any])
        #expect(v["campaign"] as? String == "may")
        let metrics = try #require(v["metrics"] as? [String: Any])
        let qini = try #require(metrics["qiniCoefficient"] as? Double), risk = try #require(v["churnRiskQiniCoefficient"] as? Double)
        #expect(qini > 0.02, "Qini \(qini)")
        #expect(qini > risk + 0.02, "Qini \(qini) vs churn risk \(risk)")
        let atK = try #require(metrics["upliftAtK"] as? [[String: Any]])
        #expect(atK.map { $0["share"] as? Double } == [0.1, 0.2, 0.3])
        let inspect = try Tenure.run(["inspect", f.model])
        #expect(inspect.stdout.contains("Qini coefficient") && inspect.stdout.contains("uplift at top 10%"), "\(inspect.stdout)")
        let report = try Tenure.run(["report", "--model", f.model, "--out", f.scratch.path("report.html")])
        try #require(report.status == 0, "report: \(report.stderr)")
        let page = String(decoding: try #require(f.scratch.bytes("report.html")), as: UTF8.self)
        #expect(page.contains("<h2 id=\"uplift\">Uplift (T-learner)</h2>") && page.contains("Held-out campaign may"))
    }

    @Test("score: uplift columns, ranked by incremental value by default; buyers get the larger uplift; every active user is listed")
    func score() throws {
        let f = try fixture()
        try #require(f.train.status == 0, "train: \(f.train.stderr)")
        let list = f.scratch.path("list.csv")
        let r = try Tenure.run(["score", "--model", f.model, "--events", f.events, "--as-of", UpliftFixture.second,
                                "--max-staleness", "60d", "--out", list])
        try #require(r.status == 0, "score: \(r.stderr)")
        let (header, rows) = CSV.table(f.scratch.bytes("list.csv"))
        #expect(Array(header.prefix(6)) == ["user_id", "uplift", "p_retained_treated", "p_retained_control", "incremental_value", "probability"])
        #expect(header.contains("reason_1") && header.contains("action"))
        let value = rows.map { Double($0["incremental_value"]!)! }
        #expect(zip(value, value.dropFirst()).allSatisfy { $0 >= $1 }, "sorted by incremental value")
        for row in rows {
            let u = Double(row["uplift"]!)!, t = Double(row["p_retained_treated"]!)!, c = Double(row["p_retained_control"]!)!
            #expect(abs(u - (t - c)) <= 2e-6, "T-learner: uplift = treated − control: \(row)")
            #expect(abs(Double(row["probability"]!)! - (1 - c)) <= 2e-6)
        }
        // Everyone the churn population holds (active in the 30 days before), not only last campaign's users.
        let (_, featureRows) = CSV.table(f.scratch.bytes("features.csv"))
        #expect(rows.count == featureRows.filter { $0["cutoff"]!.hasPrefix(UpliftFixture.second) }.count)
        let mean = { (xs: [Double]) in xs.reduce(0, +) / Double(max(1, xs.count)) }
        let buyers = rows.filter { f.buyersAtSecond.contains($0["user_id"]!) }.map { Double($0["uplift"]!)! }
        let others = rows.filter { !f.buyersAtSecond.contains($0["user_id"]!) }.map { Double($0["uplift"]!)! }
        #expect(mean(buyers) > mean(others) + 0.04, "buyers \(mean(buyers)) vs others \(mean(others))")
        // Reasons explain the uplift, both ways.
        #expect(rows.contains { $0["reason_1"]!.hasPrefix("raises the uplift: ") || $0["reason_1"]!.hasPrefix("lowers the uplift: ") })

        let byUplift = f.scratch.path("byuplift")
        let u = try Tenure.run(["score", "--model", f.model, "--events", f.events, "--as-of", UpliftFixture.second, "--max-staleness", "60d",
                                "--rank-by", "uplift", "--campaign", "june", "--out", byUplift + "/"])
        try #require(u.status == 0, "score --rank-by uplift: \(u.stderr)")
        let (h2, rows2) = CSV.table(f.scratch.bytes("byuplift/scores.csv"))
        #expect(h2.contains("group") && h2.contains("planned_action"))
        let up = rows2.map { Double($0["uplift"]!)! }
        #expect(zip(up, up.dropFirst()).allSatisfy { $0 >= $1 }, "sorted by uplift")
        #expect(rows2.contains { $0["group"] == "control" })
        let v = try Tenure.run(["verify", byUplift + "/"])
        #expect(v.status == 0, "verify: \(v.stderr)")
    }

    @Test("the X-learner trains and scores; one campaign trains without a held-out validation, saying so")
    func xLearnerAndOneCampaign() throws {
        let f = try fixture()
        let x = f.scratch.path("x.tenure")
        let r = try Tenure.run(["train", "--task", "uplift", "--learner", "x", "--events", f.events, "--contacts", f.contacts,
                                "--horizon", "14d", "--model", "gbdt", "--trees", "20", "--min-arm-rows", "40", "--out", x])
        try #require(r.status == 0, "train x: \(r.stderr)")
        let u = try uplift(x)
        #expect(u["learner"] as? String == "x" && u["effectTreated"] != nil && (u["propensity"] as? Double).map { $0 > 0.3 && $0 < 0.7 } == true)
        let s = try Tenure.run(["score", "--model", x, "--events", f.events, "--as-of", UpliftFixture.second, "--max-staleness", "60d",
                                "--out", f.scratch.path("x.csv")])
        #expect(s.status == 0, "score x: \(s.stderr)")

        let one = f.scratch.path("one.tenure")
        let o = try Tenure.run(["train", "--task", "uplift", "--events", f.events, "--contacts", f.contacts, "--campaigns", "april",
                                "--horizon", "14d", "--model", "gbdt", "--trees", "10", "--min-arm-rows", "40", "--out", one])
        try #require(o.status == 0, "train one campaign: \(o.stderr)")
        #expect(o.stderr.contains("no held-out validation"), "\(o.stderr)")
        #expect(try uplift(one)["validation"] == nil)
    }

    @Test("refusals: no control arm, too few rows per arm, a churn model asked to rank by uplift")
    func refusals() throws {
        let f = try fixture()
        let treatedOnly = try f.scratch.write("treated.csv", String(decoding: try #require(f.scratch.bytes("contacts.csv")), as: UTF8.self)
            .split(separator: "\n").filter { !$0.hasSuffix(",control") }.joined(separator: "\n") + "\n")
        let noControl = try Tenure.run(["train", "--task", "uplift", "--events", f.events, "--contacts", treatedOnly, "--horizon", "14d",
                                        "--model", "gbdt", "--out", f.scratch.path("nc.tenure")])
        #expect(noControl.status == 2 && noControl.stderr.contains("has no control group"), "\(noControl.stderr)")
        let few = try Tenure.run(["train", "--task", "uplift", "--events", f.events, "--contacts", f.contacts, "--horizon", "14d",
                                  "--model", "gbdt", "--min-arm-rows", "5000", "--out", f.scratch.path("few.tenure")])
        #expect(few.status == 2 && few.stderr.contains("too few treated rows"), "\(few.stderr)")
        #expect(!FileManager.default.fileExists(atPath: f.scratch.path("few.tenure")))
        let churn = try Tenure.run(["score", "--model", Repository.path("models/demo-churn-gbdt.tenure"), "--events", f.events,
                                    "--as-of", UpliftFixture.second, "--max-staleness", "60d", "--rank-by", "incremental-value", "--out", f.scratch.path("c.csv")])
        #expect(churn.status == 64 && churn.stderr.contains("needs an uplift model"), "\(churn.stderr)")
    }
}
