// `tenure report --measurement`: the "Did the recall work?" section shows the rows `tenure measure` wrote, with
// the numbers of its measurement.csv, a verdict per campaign and the sample-ratio warning when measure raised it.
// Before, measure's output had no report section.
import Foundation
import Testing
import TestSupport

@Suite("report --measurement: did the recall work?")
struct MeasurementReportTests {
    func pct(_ s: String?) -> String { Double(s ?? "").map { String(format: "%.1f%%", 100 * $0) } ?? "n/a" }
    func pp(_ s: String?) -> String { Double(s ?? "").map { String(format: "%+.2f", 100 * $0) } ?? "n/a" }
    func fixed(_ s: String?, _ d: Int) -> String { Double(s ?? "").map { String(format: "%.\(d)f", $0) } ?? "n/a" }

    /// The table cells the report must show for one measurement.csv row, from the CSV's own values.
    func expectedCells(_ r: [String: String]) -> String {
        let group = r["breakdown"] == "all" ? "all" : "\(r["breakdown"]!) = \(r["key"]!)"
        let cells = [group, r["treated"]!, r["treated_retained"]!, pct(r["treated_rate"]), r["control"]!, r["control_retained"]!,
                     pct(r["control_rate"]), "\(pp(r["lift"])) [\(pp(r["lift_lower"])), \(pp(r["lift_upper"]))]",
                     Double(r["relative_lift"] ?? "").map { String(format: "%+.1f%%", 100 * $0) } ?? "n/a",
                     Double(r["p_value"] ?? "").map { String(format: "%.3g", $0) } ?? "n/a",
                     "\(fixed(r["incremental_retained"], 1)) [\(fixed(r["incremental_lower"], 1)), \(fixed(r["incremental_upper"], 1))]",
                     fixed(r["value_kept"], 2), fixed(r["cost_per_incremental_retained"], 2)]
        return "<tr>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>"
    }

    @Test("each campaign's rows carry measurement.csv's numbers, a verdict, and the SRM warning only when the arms are lopsided")
    func section() throws {
        let scratch = try Scratch()
        let (events, contacts) = (scratch.path("events.csv"), scratch.path("contacts.csv"))
        let gen = try Tenure.run(["generate", "--users", "4000", "--days", "120", "--seed", "42", "--campaigns", "2",
                                  "--out", events, "--contacts-out", contacts])
        try #require(gen.status == 0, "generate: \(gen.stderr)")
        let model = Repository.path("models/demo-churn-gbdt.tenure")

        let m = try Tenure.run(["measure", "--events", events, "--contacts", contacts, "--horizon", "14d", "--out", scratch.path("M") + "/"])
        try #require(m.status == 0, "measure: \(m.stderr)")
        let report = scratch.path("R.html")
        let r = try Tenure.run(["report", "--model", model, "--events", events, "--cutoff", "2026-04-01", "--measurement", scratch.path("M/measurement.json"), "--out", report])
        try #require(r.status == 0, "report: \(r.stderr)")
        let html = String(decoding: try #require(scratch.bytes("R.html")), as: UTF8.self)
        #expect(html.contains("<h2 id=\"measurement\">Did the recall work?</h2>"))
        #expect(html.contains("Newcombe hybrid score"))
        let (_, rows) = CSV.table(scratch.bytes("M/measurement.csv"))
        let totals = rows.filter { $0["breakdown"] == "all" }
        #expect(totals.count == 2, "two campaigns generated")
        for row in rows {
            #expect(html.contains(expectedCells(row)), "row \(row) not in the report with the CSV's numbers")
        }
        for t in totals {
            let name = t["campaign"]!
            #expect(html.contains("<h3>\(name)</h3>"))
            let (lo, hi) = (Double(t["incremental_lower"]!)!, Double(t["incremental_upper"]!)!)
            let interval = "95% interval \(fixed(t["incremental_lower"], 0)) to \(fixed(t["incremental_upper"], 0))"
            if lo > 0 {
                #expect(html.contains("\(name) kept an estimated \(fixed(t["incremental_retained"], 0)) more users (\(interval)) at \(fixed(t["cost_per_incremental_retained"], 2)) per user kept."), "\(name)")
            } else if hi < 0 {
                #expect(html.contains("\(name) lost an estimated"), "\(name)")
            } else {
                #expect(html.contains("\(name): no detectable effect (\(interval) users kept)."), "\(name)")
            }
        }
        #expect(!html.contains("sample ratio mismatch"), "no share declared: no check, no warning")

        // The wrong declared share: measure flags a mismatch, the report says so loudly; the directory form works.
        let lopsided = try Tenure.run(["measure", "--events", events, "--contacts", contacts, "--horizon", "14d", "--control-share", "0.8",
                                       "--out", scratch.path("L") + "/"])
        try #require(lopsided.status == 0, "measure: \(lopsided.stderr)")
        #expect(lopsided.stderr.contains("sample ratio mismatch"))
        let r2 = try Tenure.run(["report", "--model", model, "--measurement", scratch.path("L") + "/," + scratch.path("M/measurement.json"),
                                 "--out", scratch.path("R2.html")])
        try #require(r2.status == 0, "report: \(r2.stderr)")
        let html2 = String(decoding: try #require(scratch.bytes("R2.html")), as: UTF8.self)
        let (_, lrows) = CSV.table(scratch.bytes("L/measurement.csv"))
        let flagged = lrows.filter { Double($0["srm_p_value"] ?? "").map { $0 < 0.001 } ?? false }
        #expect(flagged.count == 2, "both campaigns lopsided against 80% control")
        #expect(html2.components(separatedBy: "<p class=\"warning\">WARNING: sample ratio mismatch").count - 1 == flagged.count)
        for row in lrows + rows { #expect(html2.contains(expectedCells(row))) }
    }

    @Test("a measurement file that is not one is refused with exit 2 naming it and the field")
    func refusal() throws {
        let scratch = try Scratch()
        let bad = try scratch.write("m.json", #"{"horizon": "14d", "dataEnd": "2026-01-01", "level": 0.95, "intervalMethod": "x", "testMethod": "y", "contacts": 1, "usersNotInLog": 0, "rows": [{"campaign": "a"}]}"#)
        let r = try Tenure.run(["report", "--model", Repository.path("models/demo-churn-gbdt.tenure"), "--measurement", bad, "--out", scratch.path("R.html")])
        #expect(r.status == 2 && r.stderr.contains(bad) && r.stderr.contains("rows[0].breakdown is missing"), "\(r.stderr)")
        #expect(scratch.bytes("R.html") == nil, "nothing written")
    }
}
