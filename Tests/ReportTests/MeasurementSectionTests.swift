// The "Did the recall work?" section from a hand-built measurement document: names from the contacts file are
// escaped, the verdict follows the incremental interval, the SRM warning follows measure's own threshold.
import Evaluation
import Foundation
import Testing
@testable import Report

@Suite struct MeasurementSectionTests {
    static func row(_ campaign: String, breakdown: String = "all", key: String = "all", inc: (Double, Double, Double)?,
                    srm: Double? = nil) -> MeasurementDocument.Row {
        var cells: [MeasurementColumn: MeasurementDocument.Cell] = [:]
        for c in MeasurementColumn.allCases { cells[c] = c.numeric ? .number(1) : .text("") }
        cells[.campaign] = .text(campaign); cells[.breakdown] = .text(breakdown); cells[.key] = .text(key)
        cells[.incrementalRetained] = inc.map { .number($0.0) } ?? .null
        cells[.incrementalLower] = inc.map { .number($0.1) } ?? .null
        cells[.incrementalUpper] = inc.map { .number($0.2) } ?? .null
        cells[.costPerIncrementalRetained] = .number(4.1)
        cells[.srmPValue] = srm.map { .number($0) } ?? .null
        return MeasurementDocument.Row(cells: cells)
    }

    static func file(_ rows: [MeasurementDocument.Row]) -> MeasurementFile {
        MeasurementFile(path: "m/<measurement>.json", document: MeasurementDocument(
            horizon: "14d", dataEnd: "2026-05-01T00:00:00Z", level: 0.95, intervalMethod: RateComparison.intervalMethod,
            testMethod: RateComparison.testMethod, contacts: 100, usersNotInLog: 0, rows: rows))
    }

    @Test func verdictsFollowTheInterval() {
        #expect(MeasurementSection.verdict(Self.row("recall-1", inc: (12.2, 3.4, 21)), level: "95%")
                == "recall-1 kept an estimated 12 more users (95% interval 3 to 21) at 4.10 per user kept.")
        #expect(MeasurementSection.verdict(Self.row("r", inc: (5, -3, 13)), level: "95%") == "r: no detectable effect (95% interval -3 to 13 users kept).")
        #expect(MeasurementSection.verdict(Self.row("r", inc: (-9, -15, -2)), level: "95%").hasPrefix("r lost an estimated 9 users"))
        #expect(MeasurementSection.verdict(Self.row("r", inc: nil), level: "95%").contains("cannot be measured"))
    }

    @Test func namesAreEscapedAndBreakdownsCollapsed() {
        let html = MeasurementSection.html([Self.file([Self.row("<b>\"x\"&", inc: (1, 0.5, 2), srm: 1e-5),
                                                        Self.row("<b>\"x\"&", breakdown: "segment", key: "<i>", inc: (1, 0.5, 2))])])
        #expect(!html.contains("<b>") && !html.contains("<i>") && !html.contains("<measurement>"))
        #expect(html.contains("<h3>&lt;b&gt;&quot;x&quot;&amp;</h3>"))
        #expect(html.contains("<details><summary>By segment and tier (1 rows)</summary>") && html.contains("segment = &lt;i&gt;"))
        #expect(html.contains("<p class=\"warning\">WARNING: sample ratio mismatch"))
        let calm = MeasurementSection.html([Self.file([Self.row("a", inc: (1, 0.5, 2), srm: SampleRatioCheck.alarmPValue)])])
        #expect(!calm.contains("sample ratio mismatch"), "at the threshold measure does not flag it either")
    }

    @Test func aRowMissingAColumnIsRefusedNamingIt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tenure-msr-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: dir) }
        var doc = try JSONSerialization.jsonObject(with: JSONEncoder().encode(Self.file([Self.row("a", inc: (1, 0, 2))]).document)) as! [String: Any]
        var rows = doc["rows"] as! [[String: Any]]
        rows[0]["lift"] = "high"
        doc["rows"] = rows
        try JSONSerialization.data(withJSONObject: doc).write(to: dir)
        #expect(throws: MeasurementFileError(path: dir.path, reason: "rows[0].lift has the wrong type")) { try MeasurementFile.read(dir.path) }
    }
}
