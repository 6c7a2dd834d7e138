// Feature tables as CSV: `user_id,cutoff,<features...>[,label]`, NaN written `nan` (pandas and LightGBM read it).
import EventLog
import Foundation
import TenureCore

public enum FeatureTableCSV {
    public static func write(_ t: FeatureTable, userIDs: [String], to out: AtomicOutput) throws {
        writeHeader(t, to: out)
        try writeRows(t, userIDs: userIDs, to: out)
    }

    /// The header of `t`'s columns (its names, and `label` when it has labels).
    public static func writeHeader(_ t: FeatureTable, to out: AtomicOutput) {
        out.write("user_id,cutoff,")
        out.write(t.names.joined(separator: ","))
        out.write(t.labels == nil ? "\n" : ",label\n")
    }

    /// `t`'s rows without a header: chunks of one table written one after another make that table's CSV.
    public static func writeRows(_ t: FeatureTable, userIDs: [String], to out: AtomicOutput) throws {
        var cutoffText: (Int64, String) = (Int64.min, "")
        try t.values.withUnsafeBufferPointer { v in
            for r in 0..<t.rows {
                out.write(csvField(userIDs[Int(t.users[r])]))
                out.write(byte: 44)
                if cutoffText.0 != t.cutoffs[r] { cutoffText = (t.cutoffs[r], formatTimestamp(t.cutoffs[r], dateOnly: t.cutoffs[r] % millisPerDay == 0)) }
                out.write(cutoffText.1)
                let base = r * t.width
                for j in 0..<t.width { out.write(byte: 44); out.write(number: v[base + j]) }
                if let labels = t.labels { out.write(byte: 44); out.write(number: labels[r]) }
                out.write(byte: 10)
                try out.flushIfLarge()
            }
        }
    }

    /// Quotes a field when it holds a comma, quote or line break (RFC 4180).
    public static func csvField(_ s: String) -> String { CSVScanner.quoted(s) }
}
