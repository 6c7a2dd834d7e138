// `tenure train --features FILE --weight-col NAME` through the real binary, and training progress in a pipe
// (plain lines, no carriage returns) with the closing summary.
import Foundation
import Testing

@Suite("CLI train: sample weights and progress")
struct TrainWeightsTests {
    /// 480 rows over 3 cutoffs; label follows `a` with deterministic noise; weight column `w` (1 or 2, or
    /// `badWeight` on data row 100, which is file line 102).
    static func featureCSV(badWeight: String? = nil) -> String {
        var lines = ["user_id,cutoff,a,b,w,label"]
        for i in 0..<480 {
            let a = Double((i * 37) % 100) / 10 - 5, b = Double((i * 53) % 17)
            let label = (a > 0) != (i % 5 == 0) ? 1 : 0
            let w = i == 100 ? (badWeight ?? "2") : (i % 2 == 0 ? "2" : "1")
            lines.append("u\(i),\(["2026-03-01", "2026-03-08", "2026-03-15"][i % 3]),\(a),\(b),\(w),\(label)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("weights are used and recorded in the model's training settings", arguments: ["logistic", "gbdt"])
    func weighted(kind: String) throws {
        let scratch = try Scratch()
        let csv = try scratch.write("features.csv", Self.featureCSV())
        let model = scratch.path("m.tenure")
        let r = try Tenure.run(["train", "--features", csv, "--weight-col", "w", "--task", "churn", "--model", kind,
                                "--trees", "20", "--min-class-rows", "20", "--out", model])
        try #require(r.status == 0, "train: \(r.stderr)")
        #expect(r.stderr.contains("2 features, weights from column 'w'"))
        #expect(r.stderr.contains("sample weights sum 480.0 over 320 rows"))
        // A pipe gets plain lines: no in-place redraws, and the summary at the end.
        #expect(!r.stderr.contains("\r"))
        #expect(r.stderrLines.last?.hasPrefix("trained in ") == true)
        if kind == "gbdt" {
            #expect(r.stderrLines.filter { $0.hasPrefix("tree ") }.map { $0.prefix(10) } == ["tree 2/20:", "tree 4/20:",
                "tree 6/20:", "tree 8/20:", "tree 10/20:", "tree 12/20:", "tree 14/20:", "tree 16/20:", "tree 18/20:", "tree 20/20:"].map { $0.prefix(10) })
        } else {
            #expect(r.stderr.contains("logistic: newton converged"))
        }
        let inspect = try Tenure.run(["inspect", model])
        #expect(inspect.status == 0)
        #expect(inspect.stdout.contains("weight-col=w"))
        #expect(inspect.stdout.contains("sample-weights=sum 480.0 over 320 rows (min 1.0, max 2.0, 0 at zero)"))
        // The weight column is not a feature.
        let json = try Tenure.run(["inspect", model, "--json"])
        #expect(json.stdout.contains("\"a\"") && !json.stdout.contains("\"w\","))
    }

    @Test("a negative or missing weight exits 2 with file:line and writes no model", arguments: ["-1", ""])
    func badWeight(cell: String) throws {
        let scratch = try Scratch()
        let csv = try scratch.write("features.csv", Self.featureCSV(badWeight: cell))
        let r = try Tenure.run(["train", "--features", csv, "--weight-col", "w", "--task", "churn",
                                "--min-class-rows", "20", "--out", scratch.path("m.tenure")])
        #expect(r.status == 2)
        #expect(r.stderr.contains("tenure: error: \(csv):102: weight column 'w' is \(cell.isEmpty ? "missing" : "negative")"),
                "\(r.stderr)")
        #expect(!scratch.exists("m.tenure"))
    }

    @Test("--weight-col without --features is a usage error; an unknown column is bad data")
    func usage() throws {
        let scratch = try Scratch()
        let events = try scratch.write("events.csv", "user_id,timestamp,event\nu1,2026-01-01T00:00:00Z,open\n")
        let r = try Tenure.run(["train", "--events", events, "--cutoff", "2026-01-02", "--task", "churn",
                                "--weight-col", "w", "--out", scratch.path("m.tenure")])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--weight-col needs --features"))
        let csv = try scratch.write("features.csv", Self.featureCSV())
        let missing = try Tenure.run(["train", "--features", csv, "--weight-col", "nope", "--task", "churn",
                                      "--out", scratch.path("m.tenure")])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("'nope'"))
    }
}
