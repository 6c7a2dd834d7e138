// The nightly list as bytes: CSV (one column per field, then four per reason) or JSON Lines (one object per
// user, reasons as an array), written straight into an AtomicOutput so a million rows cost no extra copy.
import Features
import Foundation
import Scoring
import TenureCore

public enum RecallListWriter {
    /// The churn list's columns before the reasons (`ListSchema` declares every task's).
    public static let csvHeader = ListSchema.of(.churn).columns.map(\.rawValue)

    public static func writeCSV(_ entries: [RecallEntry], schema: ListSchema, reasonCount: Int, to out: AtomicOutput) throws {
        var header = schema.columns.map(\.rawValue)
        for k in stride(from: 1, through: reasonCount, by: 1) { header += ListSchema.reasonColumns(k) }
        out.write(header.joined(separator: ",") + "\n")
        // Straight into the output buffer: AtomicOutput's number writer (integers bare, others shortest
        // round-trip, NaN as nan) is the one the other CSV outputs use.
        for e in entries {
            for (j, c) in schema.columns.enumerated() {
                if j > 0 { out.write(byte: 44) }
                c.writeCSV(e, to: out)
            }
            for k in 0..<reasonCount {
                guard k < e.reasons.count else { out.write(",,,,"); continue }
                let r = e.reasons[k]
                out.write(byte: 44); out.write(FeatureTableCSV.csvField(e.reasonTexts[k]))
                out.write(byte: 44); out.write(r.feature)
                out.write(byte: 44); out.write(number: (r.value * 1e4).rounded() / 1e4)
                out.write(byte: 44); out.write(String(format: "%.4f", r.contribution))
            }
            out.write(byte: 10)
            try out.flushIfLarge()
        }
    }

    public static func writeJSONL(_ entries: [RecallEntry], schema: ListSchema, to out: AtomicOutput) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        for e in entries {
            out.write(bytes: try encoder.encode(JSONLine(entry: e, columns: schema.columns))); out.write(byte: 10)
            try out.flushIfLarge()
        }
    }

    /// One user as a JSON object: the schema's columns, then `reasons` as an array.
    struct JSONLine: Encodable {
        let entry: RecallEntry
        let columns: [ListColumn]

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        struct JSONReason: Encodable { let text, feature: String; let value, contribution: Double }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: Key.self)
            for column in columns {
                let key = Key(stringValue: column.rawValue)
                switch column.json(entry) {
                case .text(let v): try c.encode(v, forKey: key)
                case .number(let v): try c.encode(v, forKey: key)
                case .integer(let v): try c.encode(v, forKey: key)
                }
            }
            let reasons = zip(entry.reasons, entry.reasonTexts).map { JSONReason(text: $1, feature: $0.feature, value: $0.value, contribution: $0.contribution) }
            try c.encode(reasons, forKey: Key(stringValue: "reasons"))
        }
    }
}

/// A column's value in JSON Lines.
enum ListField { case text(String), number(Double), integer(Int) }

extension ListColumn {
    /// The CSV cell: probability to six decimals, money to the cent, ids quoted when they need it.
    func writeCSV(_ e: RecallEntry, to out: AtomicOutput) {
        let u = e.scored
        switch self {
        case .userID: out.write(FeatureTableCSV.csvField(u.userID))
        case .probability: out.write(AtomicNumber.fixed6(u.probability))
        case .score: out.write(number: u.score)
        case .percentile: out.write(number: u.percentile)
        case .tier: out.write(u.tier)
        case .value: out.write(number: AtomicNumber.cents(e.activity.value))
        case .expectedLoss: out.write(number: AtomicNumber.cents(e.expectedLoss))
        case .daysInactive: out.write(number: Double(e.activity.daysInactive))
        case .daysSinceSignup: out.write(number: Double(e.activity.tenureDays))
        case .segment: out.write(e.segment.rawValue)
        case .action: out.write(e.action)
        case .group: out.write(e.group.rawValue)
        case .plannedAction: out.write(e.plannedAction)
        case .uplift: out.write(number: Self.round6(e.uplift?.uplift))
        case .pRetainedTreated: out.write(AtomicNumber.fixed6(e.uplift?.treated ?? .nan))
        case .pRetainedControl: out.write(AtomicNumber.fixed6(e.uplift?.control ?? .nan))
        case .incrementalValue: out.write(number: AtomicNumber.cents(e.incrementalValue))
        }
    }

    /// An uplift (in [-1, 1]) to six decimals.
    static func round6(_ v: Double?) -> Double { v.map { ($0 * 1e6).rounded() / 1e6 } ?? .nan }

    /// The JSON value: numbers unrounded.
    func json(_ e: RecallEntry) -> ListField {
        let u = e.scored
        switch self {
        case .userID: return .text(u.userID)
        case .probability: return .number(u.probability)
        case .score: return .number(u.score)
        case .percentile: return .number(u.percentile)
        case .tier: return .text(u.tier)
        case .value: return .number(e.activity.value)
        case .expectedLoss: return .number(e.expectedLoss)
        case .daysInactive: return .integer(e.activity.daysInactive)
        case .daysSinceSignup: return .integer(e.activity.tenureDays)
        case .segment: return .text(e.segment.rawValue)
        case .action: return .text(e.action)
        case .group: return .text(e.group.rawValue)
        case .plannedAction: return .text(e.plannedAction)
        case .uplift: return .number(e.uplift?.uplift ?? .nan)
        case .pRetainedTreated: return .number(e.uplift?.treated ?? .nan)
        case .pRetainedControl: return .number(e.uplift?.control ?? .nan)
        case .incrementalValue: return .number(e.incrementalValue)
        }
    }
}

/// Number helpers for the list that AtomicOutput's writer does not cover.
enum AtomicNumber {
    /// Money to the cent.
    static func cents(_ v: Double) -> Double { (v * 100).rounded() / 100 }

    /// A probability in [0, 1] with six decimals, without printf (which costs seconds on a million rows).
    static func fixed6(_ p: Double) -> String {
        guard p.isFinite, p >= 0, p <= 1 else { return String(format: "%.6f", p) }
        let micro = Int((p * 1_000_000).rounded())
        let fraction = String(micro % 1_000_000)
        return "\(micro / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}
