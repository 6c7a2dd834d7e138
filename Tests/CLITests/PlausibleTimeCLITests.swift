// The reproduction through the binary: one row dated 9999-12-31 turned censored rows into labelled ones
// by moving the data end. Now it is a bad row of its own kind, and the labels are those of the clean log.
import Foundation
import Testing
import TestSupport

@Suite("Plausible time through tenure features")
struct PlausibleTimeCLITests {
    /// The line of the summary that carries the positives, censored rows and the data end.
    static func labelLine(_ stderr: String) -> String? {
        stderr.split(separator: "\n").first { $0.contains("censored") }.map(String.init)
    }

    @Test("a row dated 9999-12-31 (skipped) leaves labels, censoring and the printed data end as they are")
    func farFutureRow() throws {
        let f = try CronFixture.shared.get()
        let scratch = try Scratch()
        let text = try String(contentsOfFile: f.events, encoding: .utf8)
        let hostile = try scratch.write("hostile.csv", text + "u000001,9999-12-31T00:00:00Z,login,\n")
        // A cutoff whose horizon reaches past the log's end, so some rows are censored.
        let cutoff = ISO8601DateFormatter().string(from: f.last.addingTimeInterval(-10 * 86_400)).prefix(10)
        func features(_ events: String) throws -> ProcessOutput {
            try Tenure.run(["features", "--events", events, "--cutoff", String(cutoff), "--bad-rows", "skip",
                            "--out", scratch.path("f-\(UUID().uuidString).csv")])
        }
        let clean = try features(f.events), dirty = try features(hostile)
        #expect(clean.status == 0 && dirty.status == 0, "\(dirty.stderr)")
        let line = try #require(Self.labelLine(clean.stderr))
        #expect(line.contains("data end ") && line.contains(" censored"), "\(line)")
        #expect(Self.labelLine(dirty.stderr) == line)
        #expect(dirty.stderr.contains("bad rows, timestamp outside --time-range: 1"), "\(dirty.stderr)")
        // Without skip, the run stops at that row, naming its line.
        let failing = try Tenure.run(["features", "--events", hostile, "--cutoff", String(cutoff), "--out", scratch.path("g.csv")])
        let lineNumber = text.split(separator: "\n").count + 1
        #expect(failing.status == 2 && failing.stderr.contains("hostile.csv:\(lineNumber): timestamp outside --time-range"), "\(failing.stderr)")
    }
}
