// The nightly list as bytes: CSV (one column per field, then four per reason) or JSON Lines (one object per
// user, reasons as an array), written straight into an AtomicOutput so a million rows cost no extra copy.
import Features
import Foundation
import Scoring
import TenureCore

public enum RecallListWriter {
    public static let csvHeader = ["user_id", "probability", "score", "percentile", "tier", "value", "expected_loss", "days_inactive", "segment", "action"]

    public static func writeCSV(_ entries: [RecallEntry], reasonCount: Int, to out: AtomicOutput) throws {
        var header = csvHeader
        for k in stride(from: 1, through: reasonCount, by: 1) {
            header += ["reason_\(k)", "reason_\(k)_feature", "reason_\(k)_value", "reason_\(k)_contribution"]
        }
        out.write(header.joined(separator: ",") + "\n")
        // Straight into the output buffer: AtomicOutput's number writer (integers bare, others shortest
        // round-trip, NaN as nan) is the one the other CSV outputs use.
        for e in entries {
            let u = e.scored
            out.write(FeatureTableCSV.csvField(u.userID)); out.write(byte: 44)
            out.write(AtomicNumber.fixed6(u.probability)); out.write(byte: 44)
            out.write(number: u.score); out.write(byte: 44)
            out.write(number: u.percentile); out.write(byte: 44)
            out.write(u.tier); out.write(byte: 44)
            out.write(number: AtomicNumber.cents(e.activity.value)); out.write(byte: 44)
            out.write(number: AtomicNumber.cents(e.expectedLoss)); out.write(byte: 44)
            out.write(number: Double(e.activity.daysInactive)); out.write(byte: 44)
            out.write(e.segment.rawValue); out.write(byte: 44)
            out.write(e.action)
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

    public static func writeJSONL(_ entries: [RecallEntry], to out: AtomicOutput) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        struct JSONReason: Encodable { let text, feature: String; let value, contribution: Double }
        struct Line: Encodable {
            let user_id: String; let probability, score, percentile: Double; let tier: String
            let value, expected_loss: Double; let days_inactive: Int; let segment, action: String; let reasons: [JSONReason]
        }
        for e in entries {
            let u = e.scored
            let reasons = zip(e.reasons, e.reasonTexts).map { JSONReason(text: $1, feature: $0.feature, value: $0.value, contribution: $0.contribution) }
            let line = Line(user_id: u.userID, probability: u.probability, score: u.score, percentile: u.percentile, tier: u.tier,
                            value: e.activity.value, expected_loss: e.expectedLoss, days_inactive: e.activity.daysInactive,
                            segment: e.segment.rawValue, action: e.action, reasons: reasons)
            out.write(bytes: try encoder.encode(line)); out.write(byte: 10)
            try out.flushIfLarge()
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
