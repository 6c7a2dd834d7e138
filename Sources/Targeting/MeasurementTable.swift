// The measurement's output schema, declared once: the CSV columns with their meaning (the README's table is
// rendered from it), the JSON document, and the table `tenure measure` prints.
import Evaluation
import EventLog
import Foundation
import TenureCore

public enum MeasurementTable {
    public struct Column: Sendable {
        /// The name and type (MeasurementColumn, Evaluation) shared with the JSON document and its readers.
        public let id: MeasurementColumn
        public let doc: String
        let value: @Sendable (MeasurementRow) -> String

        public var name: String { id.rawValue }
        /// Written as a JSON number (or null when empty), not a string.
        public var numeric: Bool { id.numeric }

        init(_ id: MeasurementColumn, doc: String, value: @escaping @Sendable (MeasurementRow) -> String) {
            self.id = id; self.doc = doc; self.value = value
        }
    }

    /// Doubles in full (shortest round-trip) precision: the file is for machines; "" = undefined.
    static func number(_ x: Double?) -> String { x.map { "\($0)" } ?? "" }

    public static let columns: [Column] = [
        Column(.campaign, doc: "the campaign's name, as in the contacts", value: { $0.campaign }),
        Column(.breakdown, doc: "`all` for the campaign's total, else `action`, `segment` or `tier`", value: { $0.breakdown }),
        Column(.key, doc: "the action, segment or tier (`all` on the total row)", value: { $0.key }),
        Column(.treated, doc: "contacted users whose outcome window has ended", value: { "\($0.treated)" }),
        Column(.treatedRetained, doc: "of them, users with a qualifying event within the horizon after their contact", value: { "\($0.treatedRetained)" }),
        Column(.control, doc: "held-out users whose outcome window has ended", value: { "\($0.control)" }),
        Column(.controlRetained, doc: "of them, users retained the same way", value: { "\($0.controlRetained)" }),
        Column(.treatedRate, doc: "treated_retained / treated", value: { number($0.comparison?.treatedRate) }),
        Column(.controlRate, doc: "control_retained / control", value: { number($0.comparison?.controlRate) }),
        Column(.lift, doc: "treated_rate − control_rate (absolute, in retention share)", value: { number($0.comparison?.difference) }),
        Column(.liftLower, doc: "lower end of the lift's 95% interval (\(RateComparison.intervalMethod))", value: { number($0.comparison?.differenceLower) }),
        Column(.liftUpper, doc: "upper end of that interval", value: { number($0.comparison?.differenceUpper) }),
        Column(.relativeLift, doc: "lift / control_rate (empty when the control rate is 0)", value: { number($0.comparison?.relativeLift) }),
        Column(.pValue, doc: "two-sided p-value of no difference (\(RateComparison.testMethod))", value: { number($0.comparison?.pValue) }),
        Column(.incrementalRetained, doc: "lift × treated: users kept who would otherwise have left", value: { number($0.incrementalRetained) }),
        Column(.incrementalLower, doc: "lift_lower × treated", value: { number($0.incrementalLower) }),
        Column(.incrementalUpper, doc: "lift_upper × treated", value: { number($0.incrementalUpper) }),
        Column(.valueKept, doc: "retained treated users' value − retained control users' value × treated / control (each user's value over the playbook's value window before the contact)", value: { number($0.valueKept) }),
        Column(.cost, doc: "the treated users' actions at the playbook's costs (empty when an action is not in the playbook)", value: { number($0.cost) }),
        Column(.costPerIncrementalRetained, doc: "cost / incremental_retained (empty unless both are known and the increment is positive)", value: { number($0.costPerIncrementalRetained) }),
        Column(.pending, doc: "contacts whose outcome window had not ended by the data end, left out of every count", value: { "\($0.pending)" }),
        Column(.srmPValue, doc: "sample-ratio check of the arms' sizes against the declared control share (total rows, when a share is declared)", value: { number($0.sampleRatio?.pValue) }),
    ]

    public static var header: String { columns.map(\.name).joined(separator: ",") }

    /// RFC 4180: names and keys come from the contacts file and may hold commas or quotes.
    public static func csv(_ m: CampaignMeasurement) -> String {
        var text = header + "\n"
        for row in m.rows {
            text += columns.map { quoted($0.value(row)) }.joined(separator: ",") + "\n"
        }
        return text
    }

    static func quoted(_ s: String) -> String { CSVScanner.quoted(s) }

    /// The README's table of the CSV columns.
    public static var markdown: String {
        (["| column | meaning |", "|---|---|"] + columns.map { "| `\($0.name)` | \($0.doc) |" }).joined(separator: "\n")
    }

    /// The JSON document: the settings that define the numbers, then the rows with every CSV column.
    public static func json(_ m: CampaignMeasurement, horizon: TimeSpan, level: Double) throws -> Data {
        let rows = m.rows.map { row in
            MeasurementDocument.Row(cells: Dictionary(uniqueKeysWithValues: columns.map { column -> (MeasurementColumn, MeasurementDocument.Cell) in
                let text = column.value(row)
                guard column.numeric else { return (column.id, .text(text)) }
                return (column.id, Double(text).map { .number($0) } ?? .null)
            }))
        }
        let doc = MeasurementDocument(horizon: horizon.description, dataEnd: formatTimestamp(m.dataEnd), level: level,
                                      intervalMethod: RateComparison.intervalMethod, testMethod: RateComparison.testMethod,
                                      contacts: m.contacts, usersNotInLog: m.usersNotInLog, rows: rows)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(doc) + Data("\n".utf8)
    }

    /// The human table for stdout: one line per row, rates in percent.
    public static func text(_ m: CampaignMeasurement) -> String {
        func pct(_ x: Double?) -> String { x.map { String(format: "%.1f%%", 100 * $0) } ?? "-" }
        func pp(_ x: Double?) -> String { x.map { String(format: "%+.1f", 100 * $0) } ?? "-" }
        var table = [["campaign", "breakdown", "treated", "rate", "control", "rate", "lift pp [95% CI]", "p", "increment", "cost/inc"]]
        for r in m.rows {
            let c = r.comparison
            let lift = c.map { "\(pp($0.difference)) [\(pp($0.differenceLower)), \(pp($0.differenceUpper))]" } ?? "-"
            table.append([r.campaign, r.breakdown == "all" ? "all" : "\(r.breakdown)=\(r.key)", "\(r.treated)", pct(c?.treatedRate),
                          "\(r.control)", pct(c?.controlRate), lift, c.map { String(format: "%.3g", $0.pValue) } ?? "-",
                          r.incrementalRetained.map { String(format: "%.1f", $0) } ?? "-",
                          r.costPerIncrementalRetained.map { String(format: "%.2f", $0) } ?? "-"])
        }
        // Names and the interval left-aligned, numbers right-aligned, each column as wide as its widest cell.
        let widths = table[0].indices.map { k in table.map { $0[k].count }.max() ?? 0 }
        let lines = table.map { cells in
            cells.enumerated().map { k, cell in
                let pad = String(repeating: " ", count: widths[k] - cell.count)
                return k < 2 || k == 6 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
