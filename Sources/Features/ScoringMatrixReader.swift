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
    public static func read(_ path: String, features: [String], walk: MatrixWalk = .parallel(threads: 2)) throws -> ScoringMatrix {
        if isParquet(path) { return try readParquet(path, features: features) }
        var featureColumns: [Int] = [], passthroughColumns: [Int] = [], header: [String] = []
        let (parts, values) = try forEachRecord(path, walk: walk, header: { h in
            header = h
            (featureColumns, passthroughColumns) = try scoringLayout(h, features: features, path: path)
            return featureColumns.count
        }, record: { part, line, scan, fields in
            if part.passthrough.isEmpty && !passthroughColumns.isEmpty { part.passthrough = [[String]](repeating: [], count: passthroughColumns.count) }
            for k in featureColumns {
                guard let v = cell(scan.raw(fields[k])) else {
                    throw FeatureMatrixError.badCell(path: path, line: line, column: header[k], text: scan.text(fields[k]))
                }
                part.put(v)
            }
            for (j, k) in passthroughColumns.enumerated() { part.passthrough[j].append(scan.text(fields[k])) }
            part.rows += 1
        })
        return assemble(parts, values: values, header: header, passthroughColumns: passthroughColumns)
    }

    /// The model's features found by name (every missing one named), in the model's order; every other column,
    /// in file order, passed through as text. The one rule for CSV and Parquet matrices.
    static func scoringLayout(_ h: [String], features: [String], path: String) throws -> (features: [Int], passthrough: [Int]) {
        var at: [String: Int] = [:]
        for (k, name) in h.enumerated() where at[name] == nil { at[name] = k }
        let missing = features.filter { at[$0] == nil }
        guard missing.isEmpty else { throw FeatureMatrixError.missingFeatures(path: path, missing: missing, modelFeatures: features.count) }
        let featureColumns = features.map { at[$0]! }
        let used = Set(featureColumns)
        return (featureColumns, h.indices.filter { !used.contains($0) })
    }

    /// The parts' rows end to end as one matrix; `values` already joined (nil: the parts' own, joined here).
    static func assemble(_ parts: [MatrixPart], values: [Double]?, header: [String], passthroughColumns: [Int],
                         threads: Int = 1) -> ScoringMatrix {
        let passthrough = passthroughColumns.indices.map { j in concatenate(parts.map { $0.passthrough.isEmpty ? [] : $0.passthrough[j] }) }
        return ScoringMatrix(values: values ?? concatenate(parts.map(\.values), threads: threads), rows: parts.reduce(0) { $0 + $1.rows },
                             passthroughNames: passthroughColumns.map { header[$0] }, passthrough: passthrough)
    }
}
