// An activation model's list through the real binary, on the generated demo log (which plants activation):
// ranked by the chance of activating, likely / possible / unlikely tiers, no value or expected loss, the
// playbook's activation nudges, reasons that say which way they move the chance, a manifest that records
// the task and a report worded for activation. Before, the list was a churn list: churn tiers,
// `expected_loss`, `fading` segments, `lapsed_survey` steps and a report about risk.
import Foundation
import Testing
import TestSupport

@Suite("Activation list")
struct ActivationListTests {
    static let asOf = "2026-04-20"
    static let cutoffs = "2026-02-01..2026-04-05/7d"

    /// A generated log and an activation model trained on it (gbdt: reasons are exact TreeSHAP).
    static func prepare(_ scratch: Scratch) throws -> (events: String, model: String) {
        let events = scratch.path("events.csv"), model = scratch.path("activation.tenure")
        let gen = try Tenure.run(["generate", "--users", "1500", "--days", "120", "--seed", "11", "--out", events])
        try #require(gen.status == 0, "generate: \(gen.stderr)")
        let train = try Tenure.run(["train", "--events", events, "--task", "activation", "--cutoff", cutoffs, "--min-class-rows", "20",
                                    "--model", "gbdt", "--trees", "30", "--out", model])
        try #require(train.status == 0, "train: \(train.stderr)")
        return (events, model)
    }

    static func score(_ p: (events: String, model: String), _ extra: [String]) throws -> ProcessOutput {
        try Tenure.run(["score", "--model", p.model, "--events", p.events, "--as-of", asOf] + extra)
    }

    @Test("score: activation columns and tiers, ranked by chance, activation nudges, reasons both ways, the task in the manifest")
    func list() throws {
        let scratch = try Scratch()
        let p = try Self.prepare(scratch)
        let run = try Self.score(p, ["--reasons-for-all", "--out", scratch.path("run") + "/"])
        #expect(run.status == 0, "\(run.stderr)")
        let (header, rows) = CSV.table(scratch.bytes("run/scores.csv"))
        #expect(Array(header.prefix(9)) == ["user_id", "probability", "score", "percentile", "tier", "days_since_signup", "days_inactive", "segment", "action"])
        #expect(!header.contains("expected_loss") && !header.contains("value"))
        try #require(rows.count >= 50, "only \(rows.count) new users scored")

        // Ranked by probability of activating, the tiers cut at 50 and 75 and named for the chance.
        let probabilities = rows.compactMap { $0["probability"].flatMap(Double.init) }
        #expect(probabilities == probabilities.sorted(by: >))
        for r in rows {
            let score = try #require(r["score"].flatMap(Double.init))
            #expect(r["tier"] == (score >= 75 ? "likely" : score >= 50 ? "possible" : "unlikely"), "\(r)")
            #expect(Int(r["days_since_signup"] ?? "") ?? 99 < 14, "an activation model scores users first seen in its 14-day signup window")
        }
        #expect(Set(rows.map { $0["tier"]! }).isSuperset(of: ["likely", "unlikely"]))

        let segments = Set(rows.map { $0["segment"]! }), actions = Set(rows.map { $0["action"]! })
        #expect(segments.isSubset(of: ["stalled_after_signup", "close_to_activating", "just_signed_up", "not_yet_activated"]), "\(segments)")
        #expect(segments.count >= 3, "\(segments)")
        #expect(actions.isSubset(of: ["none", "onboarding_reminder", "guided_tour", "first_purchase_coupon"]), "\(actions)")
        #expect(actions.isSuperset(of: ["onboarding_reminder", "first_purchase_coupon"]), "\(actions)")
        for r in rows where r["segment"] == "stalled_after_signup" { #expect(r["action"] == "onboarding_reminder") }

        // Each reason says which way it moves the chance, and the sign agrees with its contribution.
        var raising = 0, lowering = 0
        for r in rows {
            for k in 1...3 {
                guard let text = r["reason_\(k)"], !text.isEmpty, let c = r["reason_\(k)_contribution"].flatMap(Double.init) else { continue }
                if c > 0 { #expect(text.hasPrefix("raises the chance: "), "\(text)"); raising += 1 }
                else { #expect(text.hasPrefix("lowers the chance: "), "\(text)"); lowering += 1 }
            }
        }
        #expect(raising > 0 && lowering > 0, "raising \(raising), lowering \(lowering)")

        let summary = run.stderr
        #expect(summary.contains("likely ") && summary.contains("possible ") && summary.contains("unlikely "), "\(summary)")
        #expect(summary.contains("nudges in the list: ") && !summary.contains("medium "), "\(summary)")

        let manifestBytes = try #require(scratch.bytes("run/manifest.json"))
        let manifest = try #require(try JSONSerialization.jsonObject(with: manifestBytes) as? [String: Any])
        #expect((manifest["model"] as? [String: Any])?["task"] as? String == "activation")
        let settings = try #require(manifest["settings"] as? [String: String])
        #expect(settings["rank_by"] == "probability" && settings["tier_likely"] == "75.0" && settings["tier_possible"] == "50.0")
        #expect(settings["tier_high"] == nil)
        let counted = try #require((manifest["counts"] as? [String: [String: Int]])?["tier"])
        #expect(Set(counted.keys).isSubset(of: ["likely", "possible", "unlikely"]))

        // JSON Lines: the same columns, no expected loss.
        let jsonl = try Self.score(p, ["--output-format", "jsonl", "--out", scratch.path("list.jsonl")])
        #expect(jsonl.status == 0, "\(jsonl.stderr)")
        let jsonlBytes = try #require(scratch.bytes("list.jsonl"))
        let line = try #require(String(decoding: jsonlBytes, as: UTF8.self).split(separator: "\n").first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["user_id", "probability", "score", "percentile", "tier", "days_since_signup", "days_inactive", "segment", "action", "reasons"])

        // The activation tiers come from the playbook.
        let playbook = try scratch.write("pb.json", #"{"activation": {"tiers": {"possible": 5, "likely": 10}}}"#)
        let lowered = try Self.score(p, ["--playbook", playbook, "--out", scratch.path("lowered.csv")])
        #expect(lowered.status == 0, "\(lowered.stderr)")
        for r in CSV.table(scratch.bytes("lowered.csv")).rows {
            let score = try #require(r["score"].flatMap(Double.init))
            #expect(r["tier"] == (score >= 10 ? "likely" : score >= 5 ? "possible" : "unlikely"))
        }

        // The report of the run is worded for activation: no risk, churn or expected loss anywhere.
        let report = try Tenure.run(["report", "--model", p.model, "--events", p.events, "--cutoff", "2026-03-29,2026-04-05",
                                     "--manifest", scratch.path("run/manifest.json"), "--out", scratch.path("report.html")])
        #expect(report.status == 0, "\(report.stderr)")
        let htmlBytes = try #require(scratch.bytes("report.html"))
        let html = String(decoding: htmlBytes, as: UTF8.self).lowercased()
        for word in ["risk", "churn", "expected loss", "expected_loss", "recall action", "lapsed"] {
            #expect(!html.contains(word), "the activation report says '\(word)'")
        }
        #expect(html.contains("on the list per activation tier") && html.contains("on the list per nudge"))
        #expect(html.contains("not a new user in the model") && html.contains("likely, possible or unlikely"))
    }

    @Test("a churn list ignores the activation section: the same bytes with or without it")
    func churnUnchanged() throws {
        let scratch = try Scratch()
        let events = scratch.path("events.csv")
        let gen = try Tenure.run(["generate", "--users", "400", "--days", "120", "--seed", "7", "--out", events])
        try #require(gen.status == 0, "generate: \(gen.stderr)")
        let model = Repository.path("models/demo-churn-gbdt.tenure")
        let playbook = try scratch.write("pb.json", #"{"activation": {"tiers": {"possible": 1, "likely": 2}, "rules": []}}"#)
        let plain = try Tenure.run(["score", "--model", model, "--events", events, "--as-of", Self.asOf, "--out", scratch.path("plain.csv")])
        let with = try Tenure.run(["score", "--model", model, "--events", events, "--as-of", Self.asOf, "--playbook", playbook, "--out", scratch.path("with.csv")])
        #expect(plain.status == 0 && with.status == 0, "\(plain.stderr)\(with.stderr)")
        #expect(scratch.bytes("plain.csv") == scratch.bytes("with.csv"))
        let (header, rows) = CSV.table(scratch.bytes("plain.csv"))
        #expect(Array(header.prefix(10)) == ["user_id", "probability", "score", "percentile", "tier", "value", "expected_loss", "days_inactive", "segment", "action"])
        #expect(Set(rows.map { $0["tier"]! }).isSubset(of: ["low", "medium", "high"]))
        #expect(plain.stderr.contains("recall steps in the list: "))
    }
}
