// An uplift model's drift and percentile reference is the population it will score: every user a nightly list
// would have scored at the campaigns' contact nights, not only the contacted users (a selected minority: at
// risk or idle). Reproduces a defect: with the contacted users as the baseline, scoring tonight's list on the
// very log the model learned from was refused ("39 of 73 features moved against the training data" on this
// log; scripts/demo.sh needed --allow-mismatch).
import Foundation
import Testing
import TestSupport

/// A generated log with three randomized campaigns (the demo's loop at a third of its users) and an uplift
/// model trained on it as the demo trains one (recall-3 held out), made once.
final class UpliftPopulationFixture: @unchecked Sendable {
    let scratch: Scratch
    let events: String, contacts: String, model: String
    let train: ProcessOutput
    static let shared = Result { try UpliftPopulationFixture() }
    /// The campaigns' contact nights: day ⌊120·k/4⌋ of a log starting 2026-01-01 (README, "Campaigns to learn from").
    static let nights = ["2026-01-31", "2026-03-02", "2026-04-01"]
    static let tonight = "2026-05-01"

    private init() throws {
        scratch = try Scratch()
        events = scratch.path("events.csv")
        contacts = scratch.path("contacts.csv")
        let gen = try Tenure.run(["generate", "--users", "4000", "--days", "120", "--seed", "7", "--campaigns", "3",
                                  "--out", events, "--contacts-out", contacts])
        try #require(gen.status == 0, "generate: \(gen.stderr)")
        model = scratch.path("uplift.tenure")
        train = try Tenure.run(["train", "--task", "uplift", "--events", events, "--contacts", contacts, "--horizon", "14d",
                                "--model", "gbdt", "--trees", "20", "--min-arm-rows", "10", "--out", model])
        try #require(train.status == 0, "train: \(train.stderr)")
    }
}

@Suite("Uplift model: the drift baseline is the population it scores", .serialized)
struct UpliftPopulationTests {
    func fixture() throws -> UpliftPopulationFixture { try UpliftPopulationFixture.shared.get() }

    @Test("the reference holds every user eligible at the three contact nights, as the churn features count them")
    func referenceRows() throws {
        let f = try fixture()
        let r = try Tenure.run(["inspect", f.model, "--json"])
        try #require(r.status == 0, "inspect: \(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let reference = try #require(json["reference"] as? [String: Any])
        // `features` builds a churn model's rows at those cutoffs: every user active in the 30 days before each
        // (no row is censored: each night has 14 days of log after it).
        let table = f.scratch.path("nights.csv")
        let feats = try Tenure.run(["features", "--events", f.events, "--cutoff", UpliftPopulationFixture.nights.joined(separator: ","),
                                    "--horizon", "14d", "--out", table])
        try #require(feats.status == 0, "features: \(feats.stderr)")
        let (_, rows) = CSV.table(f.scratch.bytes("nights.csv"))
        #expect(reference["rows"] as? Int == rows.count, "reference rows \(reference["rows"] ?? "none") against \(rows.count) eligible")
        #expect(f.train.stderr.contains("drift and percentile reference: \(rows.count) users eligible at the 3 contact night(s)"), "\(f.train.stderr)")
    }

    /// The count in score's "warning: N feature(s) moved against the training data" line (0 without one).
    static func drifted(_ stderr: String) -> Int {
        guard let r = stderr.range(of: #"warning: (\d+) feature\(s\) moved"#, options: .regularExpression) else { return 0 }
        return Int(stderr[r].split(separator: " ")[1])!
    }

    @Test("tonight's list on the same log scores without a mismatch refusal, few features moved")
    func sameLogScores() throws {
        let f = try fixture()
        let r = try Tenure.run(["score", "--model", f.model, "--events", f.events, "--as-of", UpliftPopulationFixture.tonight,
                                "--exclude-fake", "--out", f.scratch.path("tonight") + "/"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("does not fit the model"), "\(r.stderr)")
        // The generator's users behave the same all through the log; between the contact nights and tonight they
        // only grow older (tenure_days). Fewer than a tenth of the 73 features may move.
        #expect(Self.drifted(r.stderr) < 7, "\(r.stderr)")
    }

    @Test("a log of other users still trips the refusal, and one whose users behave differently shows the drift")
    func otherLogsRefused() throws {
        let f = try fixture()
        let shop = f.scratch.path("shop.csv")
        let gen = try Tenure.run(["generate", "--shape", "ecommerce", "--users", "1500", "--days", "120", "--seed", "7", "--out", shop])
        try #require(gen.status == 0, "generate: \(gen.stderr)")
        let other = try Tenure.run(["score", "--model", f.model, "--events", shop, "--as-of", UpliftPopulationFixture.tonight,
                                    "--out", f.scratch.path("shop") + "/"])
        #expect(other.status == 2 && other.stderr.contains("does not fit the model"), "\(other.stderr)")

        // Two of every three events gone: counts fall to a third, gaps triple. Such a log is scored (the refusal
        // line is more than half the features), but the drift check must see it: more than a quarter moved.
        let text = try String(contentsOfFile: f.events, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        let header = lines.removeFirst()
        let kept = [header] + lines.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
        let thinned = try f.scratch.write("thinned.csv", kept.joined(separator: "\n") + "\n")
        let r = try Tenure.run(["score", "--model", f.model, "--events", thinned, "--as-of", UpliftPopulationFixture.tonight,
                                "--out", f.scratch.path("thinned") + "/"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.drifted(r.stderr) > 73 / 4, "\(r.stderr)")
    }

    @Test("predict with an uplift model writes score's uplift, both arms' retention and uplift reasons for the same rows")
    func predictEqualsScore() throws {
        // Reproduces a defect: predict wrote only `probability` (the churn risk if not contacted) for an uplift
        // model, and reasons that only raised it, unlike the list score writes for the same users.
        let f = try fixture()
        let night = UpliftPopulationFixture.tonight
        let features = try Tenure.run(["features", "--events", f.events, "--task", "none", "--cutoff", night, "--out", f.scratch.path("f.csv")])
        try #require(features.status == 0, "\(features.stderr)")
        let predict = try Tenure.run(["predict", "--model", f.model, "--features", f.scratch.path("f.csv"), "--reasons", "2", "--out", f.scratch.path("p.csv")])
        try #require(predict.status == 0, "\(predict.stderr)")
        let score = try Tenure.run(["score", "--model", f.model, "--events", f.events, "--as-of", night, "--reasons", "2",
                                    "--reasons-for-all", "--out", f.scratch.path("s.csv")])
        try #require(score.status == 0, "\(score.stderr)")
        let (pHeader, pRows) = CSV.table(f.scratch.bytes("p.csv")), (_, sRows) = CSV.table(f.scratch.bytes("s.csv"))
        #expect(Array(pHeader.prefix(6)) == ["user_id", "cutoff", "uplift", "p_retained_treated", "p_retained_control", "probability"])
        let scored = Dictionary(uniqueKeysWithValues: sRows.map { ($0["user_id"]!, $0) })
        let both = pRows.filter { scored[$0["user_id"]!] != nil }
        #expect(both.count == scored.count, "every listed user has a feature row")
        var sameReason = 0
        for p in both {
            let s = scored[p["user_id"]!]!
            for c in ["uplift", "p_retained_treated", "p_retained_control", "probability"] {
                // score writes six decimals.
                let a = try #require(Double(p[c]!)), b = try #require(Double(s[c]!))
                #expect(abs(a - b) <= 5e-7, "\(p["user_id"]!) \(c): predict \(a), score \(b)")
            }
            if p["reason_1"] == s["reason_1"] && p["reason_2_feature"] == s["reason_2_feature"] { sameReason += 1 }
        }
        #expect(sameReason == both.count, "\(both.count - sameReason) users have other reasons than on the list")
        #expect(both.contains { $0["reason_1"]!.hasPrefix("lowers the uplift: ") } && both.contains { $0["reason_1"]!.hasPrefix("raises the uplift: ") })
    }
}
