// The measurement's output schema, declared once: the CSV columns with their meaning (the README's table is
// rendered from it), the JSON document, and the table `tenure measure` prints.
import Evaluation
import EventLog
import Foundation
import TenureCore

public enum MeasurementTable {
    public struct Column: Sendable {
        public let name: String
        public let doc: String
        /// Written as a JSON number (or null when empty), not a string.
        public let numeric: Bool
        let value: @Sendable (MeasurementRow) -> String

        init(name: String, doc: String, value: @escaping @Sendable (MeasurementRow) -> String) {
            self.name = name; self.doc = doc; self.value = value
            numeric = !["campaign", "breakdown", "key"].contains(name)
        }
    }

    /// One cell of the JSON rows: the CSV's text, typed.
    enum Cell: Encodable {
        case text(String), number(Double), null
        func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .text(let s): try c.encode(s)
            case .number(let x): try c.encode(x)
            case .null: try c.encodeNil()
            }
        }
    }

    /// Doubles in full (shortest round-trip) precision: the file is for machines; "" = undefined.
    static func number(_ x: Double?) -> String { x.map { "\($0)" } ?? "" }

    public static let columns: [Column] = [
        Column(name: "campaign", doc: "the campaign's name, as in the contacts", value: { $0.campaign }),
        Column(name: "breakdown", doc: "`all` for the campaign's total, else `action`, `segment` or `tier`", value: { $0.breakdown }),
        Column(name: "key", doc: "the action, segment or tier (`all` on the total row)", value: { $0.key }),
        Column(name: "treated", doc: "contacted users whose outcome window has ended", value: { "\($0.treated)" }),
        Column(name: "treated_retained", doc: "of them, users with a qualifying event within the horizon after their contact", value: { "\($0.treatedRetained)" }),
        Column(name: "control", doc: "held-out users whose outcome window has ended", value: { "\($0.control)" }),
        Column(name: "control_retained", doc: "of them, users retained the same way", value: { "\($0.controlRetained)" }),
        Column(name: "treated_rate", doc: "treated_retained / treated", value: { number($0.comparison?.treatedRate) }),
        Column(name: "control_rate", doc: "control_retained / control", value: { number($0.comparison?.controlRate) }),
        Column(name: "lift", doc: "treated_rate − control_rate (absolute, in retention share)", value: { number($0.comparison?.difference) }),
        Column(name: "lift_lower", doc: "lower end of the lift's 95% interval (\(RateComparison.intervalMethod))", value: { number($0.comparison?.differenceLower) }),
        Column(name: "lift_upper", doc: "upper end of that interval", value: { number($0.comparison?.differenceUpper) }),
        Column(name: "relative_lift", doc: "lift / control_rate (empty when the control rate is 0)", value: { number($0.comparison?.relativeLift) }),
        Column(name: "p_value", doc: "two-sided p-value of no difference (\(RateComparison.testMethod))", value: { number($0.comparison?.pValue) }),
        Column(name: "incremental_retained", doc: "lift × treated: users kept who would otherwise have left", value: { number($0.incrementalRetained) }),
        Column(name: "incremental_lower", doc: "lift_lower × treated", value: { number($0.incrementalLower) }),
        Column(name: "incremental_upper", doc: "lift_upper × treated", value: { number($0.incrementalUpper) }),
        Column(name: "value_kept", doc: "retained treated users' value − retained control users' value × treated / control (each user's value over the playbook's value window before the contact)", value: { number($0.valueKept) }),
        Column(name: "cost", doc: "the treated users' actions at the playbook's costs (empty when an action is not in the playbook)", value: { number($0.cost) }),
        Column(name: "cost_per_incremental_retained", doc: "cost / incremental_retained (empty unless both are known and the increment is positive)", value: { number($0.costPerIncrementalRetained) }),
        Column(name: "pending", doc: "contacts whose outcome window had not ended by the data end, left out of every count", value: { "\($0.pending)" }),
        Column(name: "srm_p_value", doc: "sample-ratio check of the arms' sizes against the declared control share (total rows, when a share is declared)", value: { number($0.sampleRatio?.pValue) }),
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
        struct Document: Encodable {
            var horizon: String
            var dataEnd: String
            var level: Double
            var intervalMethod: String
            var testMethod: String
            var contacts: Int
            var usersNotInLog: Int
            var rows: [[String: Cell]]
        }
        let rows = m.rows.map { row in
            Dictionary(uniqueKeysWithValues: columns.map { column -> (String, Cell) in
                let text = column.value(row)
                guard column.numeric else { return (column.name, .text(text)) }
                return (column.name, Double(text).map { .number($0) } ?? .null)
            })
        }
        let doc = Document(horizon: horizon.description, dataEnd: formatTimestamp(m.dataEnd), level: level,
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
