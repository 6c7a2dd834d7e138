// `tenure retention` and `tenure report` through the real binary: formats, the flagged count, the HTML file,
// and exit codes for bad options (64) and a bad manifest (2).
import Foundation
import Testing
import TestSupport

@Suite("CLI retention and report")
struct RetentionReportTests {
    /// Two daily cohorts of 5 users on 2026-03-02/03: day-1 retention 1/5 (flagged) and 2/5.
    static func log(_ scratch: Scratch) throws -> String {
        var lines = ["user_id,timestamp,event"]
        for (day, kept) in [(2, 1), (3, 2)] {
            for k in 0..<5 {
                lines.append("d\(day)u\(k),2026-03-0\(day)T10:00:00Z,signup")
                if k < kept { lines.append("d\(day)u\(k),2026-03-0\(day + 1)T10:00:00Z,view") }
            }
        }
        lines.append("late,2026-04-20T10:00:00Z,view")
        return try scratch.write("events.csv", lines.joined(separator: "\n") + "\n")
    }

    @Test func retentionTableCSVAndFlaggedCount() throws {
        let scratch = try Scratch()
        let events = try Self.log(scratch)
        let table = try Tenure.run(["retention", "--events", events])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("2026-03-02") && table.stdout.contains("20.0% (1) ") && !table.stdout.contains("ALARM"))
        #expect(table.stderr.contains("3 day cohort(s), 0 flagged under the alarm line (day 1 under 18.0%)"))
        let strict = try Tenure.run(["retention", "--events", events, "--alarm-day1", "0.25", "--output-format", "csv"])
        #expect(strict.status == 0)
        #expect(strict.stderr.contains("3 day cohort(s), 1 flagged under the alarm line (day 1 under 25.0%): 2026-03-02"))
        #expect(strict.stdout.split(separator: "\n")[1].hasPrefix("2026-03-02,5,1,0.200000,true,"))
        let week = try Tenure.run(["retention", "--events", events, "--cohort", "week", "--output-format", "json"])
        #expect(week.status == 0 && week.stdout.contains("\"period\" : \"week\""))
    }

    @Test func badRetentionOptionsAreUsageErrors() throws {
        let scratch = try Scratch()
        let events = try Self.log(scratch)
        #expect(try Tenure.run(["retention", "--events", events, "--cohort", "month"]).status == 64)
        #expect(try Tenure.run(["retention", "--events", events, "--alarm-day1", "18"]).status == 64)
        #expect(try Tenure.run(["retention", "--events", events, "--output-format", "xml"]).status == 64)
        #expect(try Tenure.run(["retention", "--events", events, "--signup-event", "register"]).status == 64)
    }

    @Test func reportFromTheShippedModelWritesOnePage() throws {
        let scratch = try Scratch()
        let model = Repository.path("models/demo-churn-logistic.tenure")
        // A real run's manifest in the report: ManifestFromScoreTests.
        let r = try Tenure.run(["report", "--model", model, "--out", scratch.path("report.html")])
        #expect(r.status == 0, "\(r.stderr)")
        let html = String(decoding: try #require(scratch.bytes("report.html")), as: UTF8.self)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("data-chart=\"calibration\""))

        let bad = try scratch.write("bad.json", "[1, 2]")
        let b = try Tenure.run(["report", "--model", model, "--manifest", bad, "--out", scratch.path("bad.html")])
        #expect(b.status == 2 && b.stderr.contains("not a run manifest"))
        #expect(!scratch.exists("bad.html"))
        #expect(try Tenure.run(["report", "--model", model, "--cutoff", "2026-06-01", "--out", scratch.path("x.html")]).status == 64)
        #expect(try Tenure.run(["report", "--model", model]).status == 64)
    }
}
