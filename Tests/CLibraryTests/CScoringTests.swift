// A C program linked against libtenurec scores the demo feature rows exactly as the Swift Scorer does, and
// as `tenure score` does end to end; single-row, batch and 4-thread scoring agree bit for bit.
import Foundation
import Scoring
import Testing
import TestSupport

@Suite("C ABI scores with Tenure's numbers")
struct CScoringTests {
    static let models = ["demo-churn-logistic", "demo-churn-gbdt"]

    /// Runs examples/c/score_csv on `csv`; returns user → probability (printed %.17g, so exact).
    static func scoreFromC(model: String, csv: String) throws -> [String: Double] {
        let r = try run(try CProgram.scoreCSV.get(), [model, csv, "4"])
        // Exit 0 also means single-row, batch and all 4 threads gave identical bits.
        try #require(r.status == 0, "score_csv: \(r.stderr)")
        return try parse(r)
    }

    /// `user_id,probability` lines → user → probability.
    static func parse(_ r: ProcessOutput) throws -> [String: Double] {
        #expect(r.lines.first == "user_id,probability")
        var out: [String: Double] = [:]
        for line in r.lines.dropFirst() {
            let f = line.split(separator: ",")
            let p = try #require(f.count == 2 ? Double(f[1]) : nil, "bad line \(line)")
            out[String(f[0])] = p
        }
        return out
    }

    @Test("bit-identical to Scorer, with and without missing values", arguments: models)
    func matchesScorer(name: String) throws {
        let model = Paths.repo("models/\(name).tenure")
        let scorer = try Scorer(path: model)
        let plain = try FeatureCSV.demo.get()
        let holey = try plain.withMissingValues(at: Paths.scratch.appendingPathComponent("holey-\(name).csv").path)
        #expect(holey.rows.contains { $0.contains { $0.isEmpty } })
        for table in [plain, holey] {
            let fromC = try Self.scoreFromC(model: model, csv: table.path)
            #expect(fromC.count == table.rows.count && table.rows.count > 500)
            var differ = 0
            for r in table.rows.indices {
                let swift = try scorer.probability(features: try table.values(row: r, columns: scorer.featureNames))
                if fromC[table.userIDs[r]]?.bitPattern != swift.bitPattern { differ += 1 }
            }
            #expect(differ == 0, "\(differ) of \(table.rows.count) rows differ from Scorer in \(table.path)")
        }
    }

    /// python3 on PATH, if any (the Python example is checked only where Python exists).
    static let python: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        .map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test("the Python ctypes example prints the same doubles as the C program", .enabled(if: python != nil), arguments: models)
    func pythonMatchesC(name: String) throws {
        let model = Paths.repo("models/\(name).tenure")
        let features = try FeatureCSV.demo.get()
        let r = try run(try #require(Self.python), [Paths.repo("examples/python/score.py"), model, features.path],
                        environment: ["TENURE_LIB": Paths.library])
        try #require(r.status == 0, "score.py: \(r.stderr)")
        let fromPython = try Self.parse(r)
        let fromC = try Self.scoreFromC(model: model, csv: features.path)
        #expect(fromPython.count == features.rows.count)
        #expect(fromPython.allSatisfy { fromC[$0.key]?.bitPattern == $0.value.bitPattern })
        let bad = try run(try #require(Self.python), [Paths.repo("examples/python/score.py"), features.path, features.path],
                          environment: ["TENURE_LIB": Paths.library])
        #expect(bad.status == 2 && bad.stderr.contains("not a Tenure model file"), "\(bad.stderr)")
    }

    @Test("agrees with `tenure score` on the same users (6 printed decimals)", arguments: models)
    func matchesTenureScore(name: String) throws {
        let model = Paths.repo("models/\(name).tenure")
        let features = try FeatureCSV.demo.get()
        let fromC = try Self.scoreFromC(model: model, csv: features.path)
        let out = Paths.scratch.appendingPathComponent("scores-\(name).csv").path
        let r = try run(Paths.tenure, ["score", "--model", model, "--events", FeatureCSV.events, "--as-of", FeatureCSV.cutoff,
                                       "--reasons", "0", "--out", out])
        try #require(r.status == 0, "tenure score: \(r.stderr)")
        let lines = String(decoding: try Data(contentsOf: URL(fileURLWithPath: out)), as: UTF8.self).split(separator: "\n").dropFirst()
        var worst = 0.0, missing = 0
        for line in lines {
            let f = line.split(separator: ",")
            let printed = try #require(Double(String(f[1])))
            guard let c = fromC[String(f[0])] else { missing += 1; continue }
            worst = max(worst, abs(c - printed))
        }
        #expect(lines.count == fromC.count && missing == 0, "users scored by tenure score but not in the feature rows: \(missing)")
        // %.6f rounds to within half a unit in the 6th decimal.
        #expect(worst <= 5e-7 + 1e-12, "largest difference \(worst)")
    }
}
