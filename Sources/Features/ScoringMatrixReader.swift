// Reads a feature matrix to score (`tenure predict`): the model's feature columns found by name, in the model's
// order, and every other column (user_id, cutoff, label, anything else) kept as text to pass through.
import Foundation
import TenureCore

public struct ScoringMatrix: Sendable {
    /// Row-major, one column per requested feature, in the order requested.
    public var values: [Double]
    public var rows: Int
    /// The columns that are not requested features, in file order, with each row's text.
    public var passthroughNames: [String]
    public var passthrough: [[String]]
}

extension FeatureMatrixReader {
    /// Refuses a matrix lacking any of `features`, naming every missing column.
    public static func read(_ path: String, features: [String]) throws -> ScoringMatrix {
        guard let data = FileManager.default.contents(atPath: path) else { throw FeatureMatrixError.cannotRead(path: path) }
        return try data.withUnsafeBytes { (p: UnsafeRawBufferPointer) -> ScoringMatrix in
            var lines = LineCursor(p)
            guard let headerLine = lines.next() else { throw FeatureMatrixError.cannotRead(path: path) }
            let header = splitCSV(headerLine).map { unquoted(String(decoding: $0, as: UTF8.self)) }
            var at: [String: Int] = [:]
            for (k, name) in header.enumerated() where at[name] == nil { at[name] = k }
            let missing = features.filter { at[$0] == nil }
            guard missing.isEmpty else { throw FeatureMatrixError.missingFeatures(path: path, missing: missing, modelFeatures: features.count) }
            let featureColumns = features.map { at[$0]! }
            let used = Set(featureColumns)
            let passthroughColumns = header.indices.filter { !used.contains($0) }
            var values: [Double] = []
            var passthrough = [[String]](repeating: [], count: passthroughColumns.count)
            var rows = 0, line = 1
            while let text = lines.next() {
                line += 1
                if text.count == 0 { continue }
                let fields = splitCSV(text)
                guard fields.count == header.count else {
                    throw FeatureMatrixError.wrongFieldCount(path: path, line: line, expected: header.count, found: fields.count)
                }
                for k in featureColumns {
                    guard let v = cell(fields[k]) else {
                        throw FeatureMatrixError.badCell(path: path, line: line, column: header[k], text: String(decoding: fields[k], as: UTF8.self))
                    }
                    values.append(v)
                }
                for (j, k) in passthroughColumns.enumerated() { passthrough[j].append(unquoted(String(decoding: fields[k], as: UTF8.self))) }
                rows += 1
            }
            return ScoringMatrix(values: values, rows: rows, passthroughNames: passthroughColumns.map { header[$0] }, passthrough: passthrough)
        }
    }

    /// `splitCSV` leaves a quoted field's doubled quotes doubled; text passed through must have them single.
    static func unquoted(_ s: String) -> String { s.contains("\"\"") ? s.replacingOccurrences(of: "\"\"", with: "\"") : s }
}
