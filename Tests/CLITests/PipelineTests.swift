// generate → features → train → score on a small generated log, through the real binary; score output is
// all-or-nothing and byte-identical on re-runs.
import Foundation
import Testing

@Suite("CLI end to end")
struct PipelineTests {
    static let cutoffs = "2026-02-15..2026-04-01/7d"

    /// Generates the log and trains a model into `scratch`; returns (events, model) paths.
    static func prepare(_ scratch: Scratch, model kind: String = "logistic") throws -> (String, String) {
        let events = scratch.path("events.csv"), model = scratch.path("model.tenure")
        let gen = try Tenure.run(["generate", "--users", "400", "--days", "120", "--seed", "7", "--out", events])
        try #require(gen.status == 0, "generate: \(gen.stderr)")
        var args = ["train", "--events", events, "--cutoff", cutoffs, "--min-class-rows", "20", "--model", kind, "--out", model]
        if kind == "gbdt" { args += ["--trees", "20"] }
        let train = try Tenure.run(args)
        try #require(train.status == 0, "train: \(train.stderr)")
        return (events, model)
    }

    @Test("generate → features → train → score", arguments: ["logistic", "gbdt"])
    func endToEnd(kind: String) throws {
        let scratch = try Scratch()
        let (events, model) = try Self.prepare(scratch, model: kind)
        #expect(scratch.exists("events.csv") && scratch.exists("model.tenure"))

        let features = try Tenure.run(["features", "--events", events, "--cutoff", Self.cutoffs, "--out", scratch.path("features.csv")])
        #expect(features.status == 0, "features: \(features.stderr)")
        let table = String(decoding: try #require(scratch.bytes("features.csv")), as: UTF8.self).split(separator: "\n")
        #expect(table.first?.hasPrefix("user_id,cutoff,") == true)
        #expect(table.first?.hasSuffix(",label") == true)
        #expect(table.count > 400)

        let score = try Tenure.run(["score", "--model", model, "--events", events, "--as-of", "2026-04-20", "--rank-by", "risk",
                                    "--reasons-for-all", "--out", scratch.path("scores.csv")])
        #expect(score.status == 0, "score: \(score.stderr)")
        let lines = String(decoding: try #require(scratch.bytes("scores.csv")), as: UTF8.self).split(separator: "\n")
        #expect(lines.first == "user_id,probability,score,percentile,tier,value,expected_loss,days_inactive,segment,action," + (1...3).map {
            "reason_\($0),reason_\($0)_feature,reason_\($0)_value,reason_\($0)_contribution" }.joined(separator: ","))
        let rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.count > 50)
        let probabilities = rows.compactMap { Double($0[1]) }
        #expect(probabilities.count == rows.count)
        #expect(probabilities.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(zip(probabilities, probabilities.dropFirst()).allSatisfy { $0 >= $1 }, "scores.csv is not sorted by probability")
        #expect(Set(rows.map { String($0[4]) }).isSubset(of: ["low", "medium", "high"]))
        #expect(Set(rows.map { $0[0] }).count == rows.count, "a user appears twice")
        #expect(score.stderr.contains("scored \(rows.count) eligible users"))
    }

    @Test("training twice from the CLI writes byte-identical models")
    func trainDeterministic() throws {
        let scratch = try Scratch()
        let (events, model) = try Self.prepare(scratch, model: "gbdt")
        let again = try Tenure.run(["train", "--events", events, "--cutoff", Self.cutoffs, "--min-class-rows", "20",
                                    "--model", "gbdt", "--trees", "20", "--out", scratch.path("again.tenure")])
        #expect(again.status == 0)
        #expect(scratch.bytes("again.tenure") == FileManager.default.contents(atPath: model))
    }

    @Test("score never leaves a partial file, and re-running gives identical bytes")
    func atomicAndIdempotent() throws {
        let scratch = try Scratch()
        let (events, model) = try Self.prepare(scratch)
        let out = scratch.path("scores.csv")
        let before = scratch.listing

        // Failing runs: missing events file, unreadable model, bad output format — nothing appears.
        for (args, code) in [(["--events", scratch.path("missing.csv"), "--model", model], Int32(2)),
                             (["--events", events, "--model", scratch.path("missing.tenure")], 2),
                             (["--events", events, "--model", model, "--output-format", "xml"], 64),
                             (["--events", events, "--model", events], 2)] {
            let r = try Tenure.run(["score", "--as-of", "2026-04-20", "--out", out] + args)
            #expect(r.status == code, "\(args) should exit \(code)")
            // Progress lines may come first (score checks --output-format after reading); the error is last.
            #expect(r.stderrLines.last?.hasPrefix("tenure: error: ") == true, "stderr: \(r.stderr)")
            #expect(!scratch.exists("scores.csv"), "\(args) left \(out)")
            #expect(scratch.listing == before, "\(args) left \(scratch.listing)")
        }

        let first = try Tenure.run(["score", "--as-of", "2026-04-20", "--out", out, "--events", events, "--model", model])
        #expect(first.status == 0, "score: \(first.stderr)")
        let bytes = try #require(scratch.bytes("scores.csv"))
        let second = try Tenure.run(["score", "--as-of", "2026-04-20", "--out", out, "--events", events, "--model", model])
        #expect(second.status == 0)
        #expect(scratch.bytes("scores.csv") == bytes)

        // A failing run over an existing output keeps the old file whole.
        let failing = try Tenure.run(["score", "--as-of", "2026-04-20", "--out", out, "--events", scratch.path("missing.csv"), "--model", model])
        #expect(failing.status == 2)
        #expect(scratch.bytes("scores.csv") == bytes)
        #expect(scratch.listing == (before + ["scores.csv"]).sorted())

        // JSON Lines: same users, same order.
        let jsonl = try Tenure.run(["score", "--as-of", "2026-04-20", "--out", scratch.path("scores.jsonl"), "--output-format", "jsonl",
                                    "--events", events, "--model", model])
        #expect(jsonl.status == 0)
        let ids = try String(decoding: try #require(scratch.bytes("scores.jsonl")), as: UTF8.self).split(separator: "\n").map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return try #require(object["user_id"] as? String)
        }
        let csvIDs = String(decoding: bytes, as: UTF8.self).split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[0]) }
        #expect(ids == csvIDs)
    }
}
