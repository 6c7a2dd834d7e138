// The closed loop through the real binary: `score --campaign` holds a control group out of the users the list
// would contact (same users every night, action none, no budget), records it in the manifest, and `measure`
// reads the run directories back as the campaign's contacts. Before, a list had no control group and no
// command could say whether the recall worked.
import Foundation
import Testing
import TestSupport

@Suite("Campaign loop: control groups and measurement")
struct CampaignLoopTests {
    /// The log both campaign tests score: 1500 generated users over 120 days.
    static func generatedLog(_ scratch: Scratch) throws -> String {
        let events = scratch.path("events.csv")
        let gen = try Tenure.run(["generate", "--users", "1500", "--days", "120", "--seed", "5", "--out", events])
        try #require(gen.status == 0, "generate: \(gen.stderr)")
        return events
    }

    @Test("score --campaign: the list gains group and planned_action, control users keep their arm across nights, the manifest counts the arms, measure reads the runs")
    func loop() throws {
        let scratch = try Scratch()
        let events = try Self.generatedLog(scratch)
        let model = Repository.path("models/demo-churn-gbdt.tenure")
        var arms: [[String: String]] = []
        for (night, asOf) in ["2026-04-05", "2026-04-12"].enumerated() {
            let dir = scratch.path("run\(night)") + "/"
            let r = try Tenure.run(["score", "--model", model, "--events", events, "--as-of", asOf, "--campaign", "spring",
                                    "--control-share", "0.3", "--budget", "150", "--out", dir])
            try #require(r.status == 0, "score: \(r.stderr)")
            let (header, rows) = CSV.table(scratch.bytes("run\(night)/scores.csv"))
            #expect(Array(header.prefix(12).suffix(3)) == ["action", "group", "planned_action"])
            var arm: [String: String] = [:]
            var spent = 0.0
            let cost = ["none": 0.0, "in_app_prompt_coupon": 1, "personal_content_agent": 5, "lapsed_survey": 1]
            for row in rows {
                let (g, action, planned) = (row["group"]!, row["action"]!, row["planned_action"]!)
                switch g {
                case "control": #expect(action == "none" && planned != "none", "\(row)")
                case "treatment": #expect(action == planned && action != "none", "\(row)")
                default: #expect(g == "none" && action == "none" && planned == "none", "\(row)")
                }
                arm[row["user_id"]!] = g
                spent += cost[action] ?? .nan
            }
            #expect(spent <= 150 + 1e-9, "held-out users use none of the budget")
            let held = rows.filter { $0["group"] == "control" }.count, treated = rows.filter { $0["group"] == "treatment" }.count
            // 30% of those the list would contact, within a wide band (the draw is a hash, not exact).
            #expect(Double(held) > 0.15 * Double(held + treated) && Double(held) < 0.45 * Double(held + treated), "\(held) of \(held + treated)")
            let manifestBytes = try #require(scratch.bytes("run\(night)/manifest.json"))
            let manifest = try #require(try JSONSerialization.jsonObject(with: manifestBytes) as? [String: Any])
            let campaign = try #require(manifest["campaign"] as? [String: Any])
            #expect(campaign["name"] as? String == "spring" && campaign["control_share"] as? Double == 0.3)
            #expect((campaign["groups"] as? [String: Int]) == ["treatment": treated, "control": held, "none": rows.count - treated - held])
            arms.append(arm)
        }
        let both = Set(arms[0].keys).intersection(arms[1].keys).filter { arms[0][$0] != "none" && arms[1][$0] != "none" }
        try #require(!both.isEmpty, "no user was on both nights' lists")
        for u in both { #expect(arms[0][u] == arms[1][u], "\(u) changed arms between nights") }

        let m = try Tenure.run(["measure", "--events", events, "--contacts", scratch.path("run0") + "/," + scratch.path("run1") + "/",
                                "--horizon", "14d", "--out", scratch.path("measured") + "/"])
        try #require(m.status == 0, "measure: \(m.stderr)")
        #expect(m.stderr.contains("repeat contacts folded into the first"))
        let (_, rows) = CSV.table(scratch.bytes("measured/measurement.csv"))
        let total = try #require(rows.first { $0["breakdown"] == "all" })
        let contacted = arms[0].merging(arms[1]) { a, _ in a }.filter { $0.value != "none" }
        #expect(Int(total["treated"]!)! + Int(total["control"]!)! == contacted.count, "each contacted user once, from the first night")
        #expect(!(total["srm_p_value"] ?? "").isEmpty, "the runs' manifests declare the share, so the sample-ratio check runs")
        #expect(rows.contains { $0["breakdown"] == "tier" } && rows.contains { $0["breakdown"] == "segment" })
    }

    @Test("with a budget, the control arm comes from the same top of the ranking as the treated arm: its share is the declared one")
    func controlArmUnderBudget() throws {
        // Reproduces a defect: held-out users cost nothing, and every one of them in the whole eligible set was
        // kept while the treated arm stopped at the budget (budget 60, share 0.1 on this log: 48 treated, 44 held).
        let scratch = try Scratch()
        let events = try Self.generatedLog(scratch)
        let r = try Tenure.run(["score", "--model", Repository.path("models/demo-churn-gbdt.tenure"), "--events", events,
                                "--as-of", "2026-04-12", "--campaign", "spring", "--control-share", "0.1", "--budget", "60",
                                "--out", scratch.path("run") + "/"])
        try #require(r.status == 0, "score: \(r.stderr)")
        let (_, rows) = CSV.table(scratch.bytes("run/scores.csv"))
        let groups = rows.map { $0["group"]! }
        let held = groups.filter { $0 == "control" }.count, treated = groups.filter { $0 == "treatment" }.count
        let n = Double(held + treated)
        try #require(treated > 20, "the budget buys some contacts (\(treated))")
        // Binomial band of 4 standard deviations around the declared share.
        let band = 4 * (0.1 * 0.9 / n).squareRoot()
        #expect(abs(Double(held) / n - 0.1) < band, "\(held) held out of \(held + treated)")
        // Past the last treated user the budget is spent: held-out users there would not have been contacted.
        let lastTreated = try #require(groups.lastIndex(of: "treatment"))
        #expect(groups[(lastTreated + 1)...].filter { $0 == "control" }.count <= 3)
    }

    @Test("a run without --campaign cannot be measured, and the flags that need a campaign say so")
    func refusals() throws {
        let scratch = try Scratch()
        let events = scratch.path("events.csv")
        _ = try Tenure.run(["generate", "--users", "300", "--days", "120", "--seed", "5", "--out", events])
        let model = Repository.path("models/demo-churn-gbdt.tenure")
        let plain = try Tenure.run(["score", "--model", model, "--events", events, "--as-of", "2026-04-05", "--out", scratch.path("plain") + "/"])
        try #require(plain.status == 0, "\(plain.stderr)")
        let m = try Tenure.run(["measure", "--events", events, "--contacts", scratch.path("plain") + "/"])
        #expect(m.status == 2 && m.stderr.contains("held out no control group"), "\(m.stderr)")
        let share = try Tenure.run(["score", "--model", model, "--events", events, "--as-of", "2026-04-05", "--control-share", "0.2"])
        #expect(share.status == 64 && share.stderr.contains("needs --campaign"), "\(share.stderr)")
    }
}
