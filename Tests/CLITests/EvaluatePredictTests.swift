// `tenure evaluate` cannot flatter (a row per cutoff, in-sample flagged, an interval, a predictions file) and
// `tenure predict` scores a feature matrix for models trained either way, through the real binary.
import Foundation
import Testing

@Suite("CLI evaluate and predict")
struct EvaluatePredictTests {
    /// Rows of a CSV without quoted fields (what these tests read), header first.
    static func csv(_ data: Data?) throws -> [[String]] {
        let text = String(decoding: try #require(data), as: UTF8.self)
        return text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    static func column(_ table: [[String]], _ name: String) throws -> [String] {
        let at = try #require(table[0].firstIndex(of: name), "no column \(name) in \(table[0].prefix(8))")
        return table.dropFirst().map { $0[at] }
    }

    /// ROC AUC by counting every positive/negative pair (ties ½): the definition, independent of the product.
    static func pairwiseAUC(_ p: [Double], _ y: [Double]) -> Double {
        let pos = p.indices.filter { y[$0] == 1 }.map { p[$0] }, neg = p.indices.filter { y[$0] == 0 }.map { p[$0] }
        var sum = 0.0
        for a in pos { for b in neg { sum += a > b ? 1 : a == b ? 0.5 : 0 } }
        return sum / Double(pos.count * neg.count)
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("a training cutoff is flagged in-sample (table, JSON and stderr); a row per cutoff plus pooled; an interval")
    func inSampleFlagged() throws {
        let scratch = try Scratch()
        let (events, model) = try PipelineTests.prepare(scratch)
        // 2026-03-01 is a training cutoff of PipelineTests' model, 2026-03-29 its validation cutoff, 2026-04-12 later.
        let cutoffs = "2026-03-01,2026-03-29,2026-04-12"
        let table = try Tenure.run(["evaluate", "--model", model, "--events", events, "--cutoff", cutoffs])
        try #require(table.status == 0, "\(table.stderr)")
        #expect(table.stderr.contains("warning: cutoff 2026-03-01 is one of the model's training cutoffs"))
        #expect(!table.stderr.contains("cutoff 2026-04-12 is one"))
        let line = { (prefix: String) in table.lines.first { $0.hasPrefix(prefix) }.map(String.init) ?? "" }
        #expect(line("2026-03-01").contains("in-sample") && line("2026-03-01").contains("IN-SAMPLE"))
        #expect(line("2026-03-29").contains("held-out") && !line("2026-03-29").contains("IN-SAMPLE"))
        #expect(line("2026-04-12").contains("after-training"))
        #expect(line("all 3").contains("pooled"))
        #expect(table.stdout.contains("95%, DeLong's method"))

        let out = try Tenure.run(["evaluate", "--model", model, "--events", events, "--cutoff", cutoffs, "--output-format", "json"])
        try #require(out.status == 0, "\(out.stderr)")
        let e = try Self.json(out.stdout)
        #expect(e["intervalMethod"] as? String == "DeLong")
        let rows = try #require(e["cutoffs"] as? [[String: Any]])
        #expect(rows.map { $0["cutoff"] as? String } == ["2026-03-01", "2026-03-29", "2026-04-12"])
        #expect(rows.map { $0["role"] as? String } == ["in-sample", "held-out", "after-training"])
        let pooled = try #require(e["pooled"] as? [String: Any])
        let pooledRows = try #require((pooled["metrics"] as? [String: Any])?["rows"] as? Int)
        #expect(pooledRows == rows.compactMap { ($0["metrics"] as? [String: Any])?["rows"] as? Int }.reduce(0, +))
        for r in rows + [pooled] {
            let auc = try #require((r["metrics"] as? [String: Any])?["rocAUC"] as? Double)
            let ci = try #require(r["rocAUCInterval"] as? [String: Any])
            let lower = try #require(ci["lower"] as? Double), upper = try #require(ci["upper"] as? Double)
            #expect(lower <= auc && auc <= upper && upper - lower < 0.5)
        }
    }

    @Test("a cutoff with few rows is warned about")
    func smallSampleWarning() throws {
        let scratch = try Scratch()
        let (events, model) = try PipelineTests.prepare(scratch)
        let r = try Tenure.run(["evaluate", "--model", model, "--events", events, "--cutoff", "2026-04-01", "--output-format", "json"])
        try #require(r.status == 0, "\(r.stderr)")
        let row = try #require((try Self.json(r.stdout)["cutoffs"] as? [[String: Any]])?.first)
        let m = try #require(row["metrics"] as? [String: Any])
        let rows = try #require(m["rows"] as? Int), positives = try #require(m["positives"] as? Int)
        try #require(rows < 200 || positives < 50, "the fixture log is small: \(rows) rows, \(positives) positives")
        #expect(row["smallSample"] as? Bool == true)
        #expect(r.stderr.contains("warning: cutoff 2026-04-01 has \(rows) rows and \(positives) positives (under 200 rows or 50 positives)"))
    }

    @Test("--predictions writes user_id, cutoff, probability, label for every row; the AUC of the file is the reported one")
    func predictionsFile() throws {
        let scratch = try Scratch()
        let (events, model) = try PipelineTests.prepare(scratch)
        let r = try Tenure.run(["evaluate", "--model", model, "--events", events, "--cutoff", "2026-03-29,2026-04-12",
                                "--output-format", "json", "--predictions", scratch.path("pred.csv")])
        try #require(r.status == 0, "\(r.stderr)")
        let pooled = try #require(try Self.json(r.stdout)["pooled"] as? [String: Any])
        let metrics = try #require(pooled["metrics"] as? [String: Any])
        let table = try Self.csv(scratch.bytes("pred.csv"))
        #expect(table[0] == ["user_id", "cutoff", "probability", "label"])
        #expect(table.count - 1 == metrics["rows"] as? Int)
        let cutoffs = try Self.column(table, "cutoff")
        #expect(Set(cutoffs) == ["2026-03-29", "2026-04-12"])
        #expect(Set(zip(try Self.column(table, "user_id"), cutoffs).map { "\($0)@\($1)" }).count == table.count - 1, "a (user, cutoff) appears twice")
        let p = try Self.column(table, "probability").compactMap(Double.init), y = try Self.column(table, "label").compactMap(Double.init)
        #expect(p.count == table.count - 1 && y.count == p.count && p.allSatisfy { $0 >= 0 && $0 <= 1 } && Set(y).isSubset(of: [0, 1]))
        #expect(Int(y.reduce(0, +)) == metrics["positives"] as? Int)
        #expect(abs(Self.pairwiseAUC(p, y) - (try #require(metrics["rocAUC"] as? Double))) < 1e-12)

        // An unwritable predictions path fails before the log is read, and leaves nothing.
        let bad = try Tenure.run(["evaluate", "--model", model, "--events", events, "--cutoff", "2026-03-29",
                                  "--predictions", scratch.path("missing-dir/pred.csv")])
        #expect(bad.status != 0 && bad.stdout.isEmpty)
        #expect(!bad.stderr.contains("rows read"), "read the log before failing: \(bad.stderr)")
    }

    @Test("predict with an events-trained model on `tenure features` output gives `tenure score`'s probabilities and reasons")
    func predictEqualsScore() throws {
        let scratch = try Scratch()
        let (events, model) = try PipelineTests.prepare(scratch, model: "gbdt")
        let asOf = "2026-04-01"
        let features = try Tenure.run(["features", "--events", events, "--cutoff", asOf, "--out", scratch.path("f.csv")])
        try #require(features.status == 0, "\(features.stderr)")
        let predict = try Tenure.run(["predict", "--model", model, "--features", scratch.path("f.csv"), "--reasons", "2", "--out", scratch.path("p.csv")])
        try #require(predict.status == 0, "\(predict.stderr)")
        let score = try Tenure.run(["score", "--model", model, "--events", events, "--as-of", asOf, "--reasons", "2",
                                    "--reasons-for-all", "--out", scratch.path("s.csv")])
        try #require(score.status == 0, "\(score.stderr)")

        let p = try Self.csv(scratch.bytes("p.csv")), s = try Self.csv(scratch.bytes("s.csv"))
        #expect(Array(p[0].prefix(4)) == ["user_id", "cutoff", "label", "probability"])
        #expect(Array(p[0].suffix(8)) == ["reason_1", "reason_1_feature", "reason_1_value", "reason_1_contribution",
                                          "reason_2", "reason_2_feature", "reason_2_value", "reason_2_contribution"])
        func byUser(_ t: [[String]], _ col: String) throws -> [String: String] {
            Dictionary(uniqueKeysWithValues: zip(try Self.column(t, "user_id"), try Self.column(t, col)))
        }
        let predicted = try byUser(p, "probability"), scored = try byUser(s, "probability")
        #expect(predicted.count > 100)
        #expect(Set(predicted.keys).isSubset(of: Set(scored.keys)), "predict has users score did not list")
        for (user, text) in predicted {
            // score writes six decimals.
            let a = try #require(Double(text)), b = try #require(scored[user].flatMap(Double.init))
            #expect(abs(a - b) <= 5e-7, "\(user): predict \(a), score \(b)")
        }
        // The same reason machinery on the same feature values: the same top reason for every user.
        let pReason = try byUser(p, "reason_1_feature"), sReason = try byUser(s, "reason_1_feature")
        let same = predicted.keys.filter { pReason[$0] == sReason[$0] }.count
        #expect(same == predicted.count, "\(predicted.count - same) users have a different top reason")
    }

    @Test("train from --features, then predict: rows and identifiers pass through, columns matched by name, missing ones named")
    func trainFromFeaturesThenPredict() throws {
        let scratch = try Scratch()
        let (events, _) = try PipelineTests.prepare(scratch)
        let matrix = scratch.path("f.csv")
        let features = try Tenure.run(["features", "--events", events, "--cutoff", PipelineTests.cutoffs, "--out", matrix])
        try #require(features.status == 0, "\(features.stderr)")
        let model = scratch.path("m.tenure")
        let train = try Tenure.run(["train", "--features", matrix, "--min-class-rows", "20", "--out", model])
        try #require(train.status == 0, "\(train.stderr)")

        // The old message sent people to a command that did not exist.
        let evaluate = try Tenure.run(["evaluate", "--model", model, "--events", events, "--cutoff", "2026-04-12"])
        #expect(evaluate.status == 2 && evaluate.stderr.contains("tenure predict"))

        let r = try Tenure.run(["predict", "--model", model, "--features", matrix, "--out", scratch.path("p.csv")])
        try #require(r.status == 0, "\(r.stderr)")
        let input = try Self.csv(scratch.bytes("f.csv")), out = try Self.csv(scratch.bytes("p.csv"))
        #expect(out[0] == ["user_id", "cutoff", "label", "probability"])
        #expect(out.count == input.count)
        for name in ["user_id", "cutoff", "label"] { #expect(try Self.column(out, name) == (try Self.column(input, name))) }
        let p = try Self.column(out, "probability").compactMap(Double.init)
        #expect(p.count == out.count - 1 && p.allSatisfy { $0 >= 0 && $0 <= 1 })

        // The held-out cutoff's AUC from predict's file is the validation AUC the trainer stored.
        let inspect = try Tenure.run(["inspect", model, "--json"])
        let stored = try #require((try Self.json(inspect.stdout)["validation"] as? [String: Any])?["rocAUC"] as? Double)
        let valid = try #require((try Self.json(inspect.stdout)["training"] as? [String: Any])?["validCutoffs"] as? [String])
        let cutoffs = try Self.column(out, "cutoff"), labels = try Self.column(out, "label").compactMap(Double.init)
        let rows = cutoffs.indices.filter { valid.contains(cutoffs[$0]) }
        #expect(!rows.isEmpty)
        #expect(abs(Self.pairwiseAUC(rows.map { p[$0] }, rows.map { labels[$0] }) - stored) < 1e-12)

        // Columns in another order: the same probabilities (matched by name, not position).
        let reversed = input.map { Array($0.reversed()) }.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
        let shuffled = try scratch.write("reversed.csv", reversed)
        let again = try Tenure.run(["predict", "--model", model, "--features", shuffled, "--out", scratch.path("p2.csv")])
        try #require(again.status == 0, "\(again.stderr)")
        #expect(try Self.column(try Self.csv(scratch.bytes("p2.csv")), "probability") == (try Self.column(out, "probability")))

        // A matrix lacking model features: exit 2 naming them, no output.
        let dropped = ["recency_days", "tenure_days"].filter { input[0].contains($0) }
        try #require(dropped.count == 2)
        let keep = input[0].indices.filter { !dropped.contains(input[0][$0]) }
        let partial = try scratch.write("partial.csv", input.map { row in keep.map { row[$0] }.joined(separator: ",") }.joined(separator: "\n") + "\n")
        let missing = try Tenure.run(["predict", "--model", model, "--features", partial, "--out", scratch.path("p3.csv")])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("2 of the model's") && dropped.allSatisfy { missing.stderr.contains($0) }, "\(missing.stderr)")
        #expect(!scratch.exists("p3.csv"))

        // Usage errors are 64.
        #expect(try Tenure.run(["predict", "--model", model, "--out", scratch.path("p4.csv")]).status == 64)
        #expect(try Tenure.run(["predict", "--model", model, "--features", matrix, "--reasons", "-1"]).status == 64)
    }
}
