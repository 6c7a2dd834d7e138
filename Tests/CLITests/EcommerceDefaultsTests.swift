// Issue 13's findings on an e-commerce clickstream (the generator's `--shape ecommerce`: 19 funnel event names,
// no value column), through the real binary. Each test failed before the fix:
// - every recently active user was suspected_fake_active (no event maps to creation or interaction, and
//   spending needs a value the log does not have), so --exclude-fake dropped them all;
// - value was 0 for everyone, yet the list ranked by expected loss without a word;
// - count_creation_* / recency_interaction_days columns were constant 0 / NaN in every row, silently;
// - the 18% day-1 alarm flagged nearly every cohort, with no hint;
// - the count_<event>_Wd vocabulary came from every row, after the latest cutoff too (a point-in-time leak);
// - no command printed the default spec, none proposed one that fits the log.
import Foundation
import Testing
import TestSupport

/// One e-commerce log (and users file), a default-spec model trained on it, and tonight's run of it.
final class ShopFixture: @unchecked Sendable {
    let scratch: Scratch
    let events: String
    let model: String
    let train: ProcessOutput
    let score: ProcessOutput
    let run: String

    static let shared = Result { try ShopFixture() }
    static let cutoffs = "2026-02-15..2026-04-05/7d"
    static let asOf = "2026-04-29"

    private init() throws {
        scratch = try Scratch()
        events = scratch.path("shop.csv")
        let gen = try Tenure.run(["generate", "--shape", "ecommerce", "--users", "1200", "--days", "120", "--seed", "13",
                                  "--out", events, "--users-out", scratch.path("users.csv")])
        try #require(gen.status == 0, "generate: \(gen.stderr)")
        model = scratch.path("default.tenure")
        train = try Tenure.run(["train", "--events", events, "--cutoff", Self.cutoffs, "--model", "gbdt", "--trees", "30",
                                "--min-class-rows", "50", "--out", model])
        try #require(train.status == 0, "train: \(train.stderr)")
        run = scratch.path("tonight") + "/"
        score = try Tenure.run(["score", "--model", model, "--events", events, "--as-of", Self.asOf, "--exclude-fake", "--out", run])
        try #require(score.status == 0, "score: \(score.stderr)")
    }

    func list() throws -> [[Substring]] {
        let text = try String(contentsOfFile: run + "scores.csv", encoding: .utf8)
        return text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    }
}

@Suite("E-commerce log: defaults that say when they do not fit")
struct EcommerceDefaultsTests {
    @Test func nobodyIsSuspectedFakeActiveAndTheRulesSaySoOnce() throws {
        let f = try ShopFixture.shared.get()
        let rows = try f.list()
        let segment = try #require(rows[0].firstIndex(of: "segment"))
        #expect(rows.count > 100, "the list keeps the recently active users")
        #expect(!rows.dropFirst().contains { $0[segment] == "suspected_fake_active" })
        #expect(f.score.stderr.contains("excluded 0 suspected fake-active"))
        for out in [f.train.stderr, f.score.stderr] {
            for (rule, events) in [("creation", "(post)"), ("interaction", "(comment, like)")] {
                let line = "warning: genuine-activity rule '\(rule)'"
                #expect(out.components(separatedBy: line).count == 2, "one warning for \(rule)")
                #expect(out.contains("no event of group '\(rule)' \(events) in the log"))
            }
            #expect(out.contains("warning: genuine-activity rule 'spending' (purchase value > 100 in 30 days) is unavailable: the log has no value column"))
        }
    }

    @Test func withoutAValueColumnTheListRanksByRiskAndSaysSo() throws {
        let f = try ShopFixture.shared.get()
        #expect(f.score.stderr.contains("the log has no value column: ranked by risk (probability), not expected loss"))
        let manifest = try String(contentsOfFile: f.run + "manifest.json", encoding: .utf8)
        #expect(manifest.contains("\"rank_by\" : \"risk\"") && manifest.contains("\"rank_by_note\""))
        let rows = try f.list()
        let p = try #require(rows[0].firstIndex(of: "probability"))
        let probabilities = rows.dropFirst().compactMap { Double($0[p]) }
        #expect(probabilities == probabilities.sorted(by: >))
        let refused = try Tenure.run(["score", "--model", f.model, "--events", f.events, "--as-of", ShopFixture.asOf,
                                      "--rank-by", "expected-loss", "--out", f.scratch.path("refused.csv")])
        #expect(refused.status == 64 && refused.stderr.contains("no value column"))
        #expect(!FileManager.default.fileExists(atPath: f.scratch.path("refused.csv")))
    }

    @Test func noConstantSocialColumns() throws {
        let f = try ShopFixture.shared.get()
        let out = try Tenure.run(["features", "--events", f.events, "--cutoff", "2026-04-05", "--out", f.scratch.path("features.csv")])
        #expect(out.status == 0, "\(out.stderr)")
        let header = try String(contentsOfFile: f.scratch.path("features.csv"), encoding: .utf8).prefix { $0 != "\n" }
        for gone in ["count_creation_7d", "count_interaction_30d", "recency_creation_days", "recency_interaction_days", "genuine_creation"] {
            #expect(!header.split(separator: ",").contains(Substring(gone)), "\(gone) is left out")
        }
        #expect(out.stderr.contains("left out of the features: creation (post); interaction (comment, like)"))
    }

    @Test func retentionWarnsWhenItsAlarmLineFlagsMostCohortsAndTheProfilesLineDoesNot() throws {
        let f = try ShopFixture.shared.get()
        let r = try Tenure.run(["retention", "--events", f.events, "--cohort", "week"])
        #expect(r.status == 0)
        #expect(r.stderr.contains("warning: the day-1 alarm line (18.0%) flags"))
        #expect(r.stderr.contains("the cohorts' median day-1 retention is"))
        let pb = f.scratch.path("retention-pb.json")
        #expect(try Tenure.run(["profile", "--events", f.events, "--playbook-out", pb]).status == 0)
        let fitted = try Tenure.run(["retention", "--events", f.events, "--cohort", "week", "--playbook", pb])
        #expect(fitted.status == 0 && !fitted.stderr.contains("warning: the day-1 alarm line"), "\(fitted.stderr)")
    }

    /// A burst of a new event after the latest cutoff (a flash sale) must not change the feature columns.
    @Test func eventCountVocabularyComesFromBeforeTheLatestCutoff() throws {
        let f = try ShopFixture.shared.get()
        var text = try String(contentsOfFile: f.events, encoding: .utf8)
        for u in 0..<4000 { text += "late\(u % 50),2026-04-20T12:\(String(format: "%02d", u % 60)):00Z,flash_sale_view,ios\n" }
        let leaky = try f.scratch.write("leaky.csv", text)
        func header(_ events: String) throws -> Substring {
            let out = f.scratch.path("h-\(UUID().uuidString).csv")
            let r = try Tenure.run(["features", "--events", events, "--cutoff", "2026-03-01,2026-04-05", "--out", out])
            #expect(r.status == 0, "\(r.stderr)")
            return try String(contentsOfFile: out, encoding: .utf8).prefix { $0 != "\n" }
        }
        let with = try header(leaky), without = try header(f.events)
        #expect(!with.contains("flash_sale_view"))
        #expect(with == without)
    }
}

@Suite("tenure profile: a spec and playbook that fit the log")
struct ProfileCommandTests {
    @Test func profileDescribesTheLogAndItsProposalsTrainAndScoreEndToEnd() throws {
        let f = try ShopFixture.shared.get()
        let spec = f.scratch.path("spec.json"), pb = f.scratch.path("pb.json")
        let p = try Tenure.run(["profile", "--events", f.events, "--spec-out", spec, "--playbook-out", pb])
        #expect(p.status == 0, "\(p.stderr)")
        for fact in ["event names (19):", "product_view", "value column: none", "extra columns", "platform (3 distinct: android, ios, web)",
                     "timestamps iso8601", "time of day (UTC)", "spending: purchase events ≥ 1 in 30 days", "interaction:"] {
            #expect(p.stdout.contains(fact), "profile says \(fact)")
        }
        // The proposals pass the checks unchanged.
        #expect(try Tenure.run(["playbook", "--check", pb]).status == 0)
        let specText = try String(contentsOfFile: spec, encoding: .utf8)
        #expect(specText.contains("\"purchase\"") && !specText.contains("\"post\""))
        let model = f.scratch.path("proposed.tenure")
        let train = try Tenure.run(["train", "--events", f.events, "--spec", spec, "--cutoff", ShopFixture.cutoffs, "--model", "gbdt",
                                    "--trees", "30", "--min-class-rows", "50", "--out", model])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(!train.stderr.contains("warning: genuine-activity rule 'spending'"), "the proposed spending rule fits the log")
        let inspect = try Tenure.run(["inspect", "--model", model, "--json"])
        #expect(inspect.stdout.contains("genuine_spending") && inspect.stdout.contains("count_purchase_30d"))
        let run = f.scratch.path("proposed-run") + "/"
        let score = try Tenure.run(["score", "--model", model, "--events", f.events, "--as-of", ShopFixture.asOf, "--playbook", pb,
                                    "--exclude-fake", "--out", run])
        #expect(score.status == 0, "\(score.stderr)")
        #expect(score.stderr.contains("ranked by risk"))
        #expect(try Tenure.run(["verify", run]).status == 0)
    }

    @Test func theDefaultSpecPrintsAndReadsBackAsTheDefault() throws {
        let scratch = try Scratch()
        let printed = try Tenure.run(["features", "--print-default-spec"])
        #expect(printed.status == 0 && printed.stdout.contains("\"genuineActivity\""))
        let path = try scratch.write("default-spec.json", printed.stdout)
        let a = try Tenure.run(["features", "--list"]), b = try Tenure.run(["features", "--list", "--spec", path])
        #expect(a.status == 0 && a.stdout == b.stdout)
        // A spec may leave out any signal: null removes it (and its genuine_ column).
        let without = try scratch.write("no-creation.json", #"{"genuineActivity": {"creation": null}}"#)
        let c = try Tenure.run(["features", "--list", "--spec", without])
        #expect(c.status == 0 && !c.stdout.contains("genuine_creation") && c.stdout.contains("genuine_interaction"))
    }
}
