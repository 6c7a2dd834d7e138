// Reads a feature matrix to score (`tenure predict`): the model's feature columns found by name, in the model's
// order, and every other column (user_id, cutoff, label, anything else) kept as text to pass through.
import EventLog
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
            var scan = CSVScanner(p, fileStart: true)
            var fields: [CSVField] = []
            var headerLine = 1
            var status = scan.record(into: &fields)
            while status == .blankLine { headerLine = scan.newlines + 1; status = scan.record(into: &fields) }
            guard status != .endOfInput else { throw FeatureMatrixError.cannotRead(path: path) }
            guard status == .record else { throw FeatureMatrixError.badQuoting(path: path, line: headerLine) }
            let header = fields.map { scan.text($0) }
            var at: [String: Int] = [:]
            for (k, name) in header.enumerated() where at[name] == nil { at[name] = k }
            let missing = features.filter { at[$0] == nil }
            guard missing.isEmpty else { throw FeatureMatrixError.missingFeatures(path: path, missing: missing, modelFeatures: features.count) }
            let featureColumns = features.map { at[$0]! }
            let used = Set(featureColumns)
            let passthroughColumns = header.indices.filter { !used.contains($0) }
            var values: [Double] = []
            var passthrough = [[String]](repeating: [], count: passthroughColumns.count)
            var rows = 0
            while true {
                let line = scan.newlines + 1
                status = scan.record(into: &fields)
                if status == .endOfInput { break }
                if status == .blankLine { continue }
                guard status == .record else { throw FeatureMatrixError.badQuoting(path: path, line: line) }
                guard fields.count == header.count else {
                    throw FeatureMatrixError.wrongFieldCount(path: path, line: line, expected: header.count, found: fields.count)
                }
                for k in featureColumns {
                    guard let v = cell(scan.raw(fields[k])) else {
                        throw FeatureMatrixError.badCell(path: path, line: line, column: header[k], text: scan.text(fields[k]))
                    }
                    values.append(v)
                }
                for (j, k) in passthroughColumns.enumerated() { passthrough[j].append(scan.text(fields[k])) }
                rows += 1
            }
            return ScoringMatrix(values: values, rows: rows, passthroughNames: passthroughColumns.map { header[$0] }, passthrough: passthrough)
        }
    }
}
