// The README's Swift service example (examples/scoring-service, built by `swift build`/`swift test`) runs and
// prints sane numbers: probabilities in (0, 1), a lapsed user riskier than a daily one, threads = sequential.
import Foundation
import Testing

@Suite("Swift service example")
struct ServiceExampleTests {
    /// The number after `label` up to the next comma or end of line ("not eligible" → nil).
    static func probability(after label: String, in line: Substring) -> Double? {
        guard let r = line.range(of: label) else { return nil }
        return Double(line[r.upperBound...].prefix { $0 != "," && $0 != ";" && $0 != " " })
    }

    @Test("runs on each shipped demo model and prints sane scores", arguments: ["", "models/demo-churn-logistic.tenure"])
    func runs(model: String) throws {
        let r = try run(Paths.serviceExample, model.isEmpty ? [] : [model], in: Paths.root.path)
        try #require(r.status == 0, "exit \(r.status): \(r.stderr)")
        let lines = r.lines
        #expect(lines.first?.hasPrefix("model: \(model.isEmpty ? "gbdt" : "logistic"), ") == true)

        let row = try #require(lines.first { $0.hasPrefix("feature row") })
        let p = try #require(Self.probability(after: "probability ", in: row))
        #expect(p > 0 && p < 1)

        let history = try #require(lines.first { $0.hasPrefix("history as of") })
        let daily = try #require(Self.probability(after: "daily user ", in: history))
        let fading = try #require(Self.probability(after: "(quiet 20 days) ", in: history))
        #expect(daily > 0 && fading < 1 && daily < fading, "\(history)")
        #expect(history.hasSuffix("user quiet 45 days not eligible"), "a churn model only scores users active in the lookback")

        let concurrent = try #require(lines.first { $0.hasPrefix("concurrent:") })
        #expect(concurrent.contains(" 0 failed") && concurrent.hasSuffix("identical to sequential: yes"), "\(concurrent)")
        let eligible = try #require(Int(concurrent.split(separator: " ")[6]), "\(concurrent)")
        #expect(eligible > 100 && eligible < 240)
        #expect(lines.last?.hasPrefix("riskiest: user-") == true)
    }

    @Test("a missing model file is an error with exit 2, not a crash")
    func missingModel() throws {
        let r = try run(Paths.serviceExample, [Paths.scratch.appendingPathComponent("none.tenure").path])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("error: ") && r.stderr.contains("no such file"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }
}
