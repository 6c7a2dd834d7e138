// "Did the recall work?": the campaigns `tenure measure --out DIR/` measured (its measurement.json, the one
// MeasurementDocument of module Evaluation), one table per campaign and a plain-language verdict for the
// operations team. The numbers are the file's; nothing is recomputed here.
import Evaluation
import Foundation
import Manifest
import TenureCore

/// A measurement.json as read: where it came from and what it says.
public struct MeasurementFile: Sendable {
    public var path: String
    public var document: MeasurementDocument

    public init(path: String, document: MeasurementDocument) { self.path = path; self.document = document }

    /// Reads and checks a measurement.json: every row has every column with its type, and there is a row.
    public static func read(_ path: String) throws -> MeasurementFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileReadError(path: path, reason: FileManager.default.fileExists(atPath: path) ? "unreadable" : "no such file")
        }
        let document: MeasurementDocument
        do {
            document = try JSONDecoder().decode(MeasurementDocument.self, from: data)
        } catch let e as DecodingError {
            throw MeasurementFileError(path: path, reason: RunManifest.explain(e, spelling: { $0 }))
        }
        guard !document.rows.isEmpty else { throw MeasurementFileError(path: path, reason: "it has no rows") }
        return MeasurementFile(path: path, document: document)
    }
}

public struct MeasurementFileError: CategorizedError, CustomStringConvertible, Equatable, Sendable {
    public var path: String
    public var reason: String
    public var category: ErrorCategory { .badInput }
    public var description: String {
        "\(path): not a campaign measurement (\(reason)); pass the measurement.json written by 'tenure measure --out DIR/'"
    }
}

enum MeasurementSection {
    typealias Row = MeasurementDocument.Row

    static func html(_ files: [MeasurementFile]) -> String {
        var s = "<h2 id=\"measurement\">Did the recall work?</h2>"
        guard !files.isEmpty else {
            return s + ModelReportPage.note("Pass --measurement DIR/measurement.json (written by 'tenure measure --out DIR/') to show whether past campaigns kept users, against their control groups.")
        }
        for file in files {
            let d = file.document
            let level = "\(Int((100 * d.level).rounded()))%"
            s += "<p>\(HTMLText.escape("From \(file.path): \(d.contacts) contacts; retained = a qualifying event within \(d.horizon) after the contact; data end \(d.dataEnd). Treated users were contacted, control users were held out at random. Lift = treated rate − control rate with its \(level) interval (\(d.intervalMethod)); p-value: \(d.testMethod)."))</p>"
            if d.usersNotInLog > 0 {
                s += ModelReportPage.note("\(d.usersNotInLog) of \(d.contacts) contacted users have no event in the log (counted as not retained); if that is many, the contacts' user ids may not be the log's.")
            }
            var campaigns: [String] = []
            for r in d.rows where !campaigns.contains(r.text(.campaign)) { campaigns.append(r.text(.campaign)) }
            for campaign in campaigns {
                let rows = d.rows.filter { $0.text(.campaign) == campaign }
                s += "<h3>\(HTMLText.escape(campaign))</h3>"
                if let total = rows.first(where: { $0.text(.breakdown) == "all" }) {
                    s += "<div class=\"verdict\"><p>\(HTMLText.escape(verdict(total, level: level)))</p>"
                    if let warning = sampleRatioWarning(total) { s += "<p class=\"warning\">\(HTMLText.escape(warning))</p>" }
                    s += "</div>"
                    if let p = total.number(.pending), p > 0 {
                        s += ModelReportPage.note("\(Int(p)) contacts are not yet measurable (their \(d.horizon) window ends after the data end) and are left out of every count.")
                    }
                }
                let main = rows.filter { ["all", "action"].contains($0.text(.breakdown)) }
                let more = rows.filter { !["all", "action"].contains($0.text(.breakdown)) }
                s += table(main, level: level)
                if !more.isEmpty {
                    s += "<details><summary>\(HTMLText.escape("By segment and tier (\(more.count) rows)"))</summary>\(table(more, level: level))</details>"
                }
            }
        }
        return s
    }

    static let headers = ["group", "treated", "treated retained", "treated rate", "control", "control retained", "control rate",
                          "lift (pp) [LEVEL interval]", "relative lift", "p-value", "incremental retained users [LEVEL interval]",
                          "value kept", "cost per incremental retained user"]

    static func table(_ rows: [Row], level: String) -> String {
        var s = "<table class=\"measurement\"><thead><tr>"
        s += headers.map { "<th>\(HTMLText.escape($0.replacingOccurrences(of: "LEVEL", with: level)))</th>" }.joined() + "</tr></thead><tbody>"
        for r in rows { s += "<tr>" + cells(r).map { "<td>\(HTMLText.escape($0))</td>" }.joined() + "</tr>" }
        return s + "</tbody></table>"
    }

    /// One table row's cells in `headers` order.
    static func cells(_ r: Row) -> [String] {
        let breakdown = r.text(.breakdown)
        return [breakdown == "all" ? "all" : "\(breakdown) = \(r.text(.key))",
                count(r.number(.treated)), count(r.number(.treatedRetained)), HTMLText.percent(r.number(.treatedRate)),
                count(r.number(.control)), count(r.number(.controlRetained)), HTMLText.percent(r.number(.controlRate)),
                "\(points(r.number(.lift))) [\(points(r.number(.liftLower))), \(points(r.number(.liftUpper)))]",
                signedPercent(r.number(.relativeLift)), pValue(r.number(.pValue)),
                "\(HTMLText.fixed(r.number(.incrementalRetained), 1)) [\(HTMLText.fixed(r.number(.incrementalLower), 1)), \(HTMLText.fixed(r.number(.incrementalUpper), 1))]",
                HTMLText.fixed(r.number(.valueKept), 2), HTMLText.fixed(r.number(.costPerIncrementalRetained), 2)]
    }

    static func count(_ x: Double?) -> String { x.map { String(Int($0)) } ?? "n/a" }
    /// A share as signed percentage points.
    static func points(_ x: Double?) -> String { x.map { String(format: "%+.2f", 100 * $0) } ?? "n/a" }
    static func signedPercent(_ x: Double?) -> String { x.map { String(format: "%+.1f%%", 100 * $0) } ?? "n/a" }
    static func pValue(_ x: Double?) -> String { x.map { String(format: "%.3g", $0) } ?? "n/a" }

    /// The campaign in one sentence for the operations team, from its total row.
    static func verdict(_ r: Row, level: String) -> String {
        let name = r.text(.campaign)
        guard let inc = r.number(.incrementalRetained), let lo = r.number(.incrementalLower), let hi = r.number(.incrementalUpper) else {
            return "\(name): cannot be measured yet: an arm has no user whose outcome window has ended."
        }
        let users = { (x: Double) in String(format: "%.0f", x) }
        let interval = "\(level) interval \(users(lo)) to \(users(hi))"
        if lo > 0 {
            let cost = r.number(.costPerIncrementalRetained).map { String(format: " at %.2f per user kept", $0) } ?? " (cost unknown: an action is not in the playbook)"
            return "\(name) kept an estimated \(users(inc)) more users (\(interval))\(cost)."
        }
        if hi < 0 {
            return "\(name) lost an estimated \(users(-inc)) users (\(interval) users kept): the contact did harm."
        }
        return "\(name): no detectable effect (\(interval) users kept)."
    }

    /// Loud when measure's sample-ratio check failed (the same threshold: SampleRatioCheck.alarmPValue).
    static func sampleRatioWarning(_ r: Row) -> String? {
        guard let p = r.number(.srmPValue), p < SampleRatioCheck.alarmPValue else { return nil }
        return String(format: "WARNING: sample ratio mismatch: the arms' sizes do not match the declared control share (χ² p = %.2g < %g). The arms were not assigned or logged as declared; do not trust this campaign's lift until that is explained.",
                      p, SampleRatioCheck.alarmPValue)
    }
}
