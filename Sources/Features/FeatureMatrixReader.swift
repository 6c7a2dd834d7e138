// Reads a precomputed feature matrix CSV (what `tenure features` writes, or any numeric CSV) for training.
import EventLog
import Foundation
import TenureCore

public struct FeatureMatrix: Sendable {
    public var names: [String]
    public var rows: Int
    public var values: [Double]
    public var labels: [Double]
    /// Text of the `cutoff` column per row, when the file has one (used for the time split).
    public var cutoffs: [String]?
}

public enum FeatureMatrixError: CategorizedError, CustomStringConvertible, Sendable {
    case cannotRead(path: String)
    case missingColumn(path: String, column: String, header: [String])
    case badCell(path: String, line: Int, column: String, text: String)
    case wrongFieldCount(path: String, line: Int, expected: Int, found: Int)
    /// A matrix to score lacks some of the model's features.
    case missingFeatures(path: String, missing: [String], modelFeatures: Int)

    /// Every case is a feature matrix that cannot be read or parsed.
    public var category: ErrorCategory { .badInput }

    public var description: String {
        switch self {
        case let .cannotRead(path): return "\(path): cannot read the feature matrix"
        case let .missingColumn(path, column, header):
            return "\(path): no column '\(column)'; the header has: \(header.prefix(40).joined(separator: ", "))"
        case let .badCell(path, line, column, text): return "\(path):\(line): column '\(column)': '\(text)' is not a number"
        case let .wrongFieldCount(path, line, expected, found): return "\(path):\(line): expected \(expected) fields, found \(found)"
        case let .missingFeatures(path, missing, modelFeatures):
            return "\(path): \(missing.count) of the model's \(modelFeatures) features have no column: \(missing.prefix(40).joined(separator: ", "))"
                + (missing.count > 40 ? ", …" : "") + " (write the matrix with `tenure features` and the model's feature spec)"
        }
    }
}

public enum FeatureMatrixReader {
    /// Columns `user_id` and `cutoff` are identifiers, never features; `nan`, `NaN` and empty cells are missing.
    public static func read(_ path: String, labelColumn: String) throws -> FeatureMatrix {
        guard let data = FileManager.default.contents(atPath: path) else { throw FeatureMatrixError.cannotRead(path: path) }
        return try data.withUnsafeBytes { (p: UnsafeRawBufferPointer) -> FeatureMatrix in
            var lines = LineCursor(p)
            guard let headerLine = lines.next() else { throw FeatureMatrixError.cannotRead(path: path) }
            let header = splitCSV(headerLine).map { String(decoding: $0, as: UTF8.self) }
            guard let labelAt = header.firstIndex(of: labelColumn) else {
                throw FeatureMatrixError.missingColumn(path: path, column: labelColumn, header: header)
            }
            let cutoffAt = header.firstIndex(of: "cutoff")
            let skip: Set<Int> = Set([labelAt, cutoffAt, header.firstIndex(of: "user_id")].compactMap { $0 })
            let featureColumns = header.indices.filter { !skip.contains($0) }
            var values: [Double] = []
            var labels: [Double] = []
            var cutoffs: [String]? = cutoffAt == nil ? nil : []
            var line = 1
            while let text = lines.next() {
                line += 1
                if text.count == 0 { continue }
                let fields = splitCSV(text)
                guard fields.count == header.count else {
                    throw FeatureMatrixError.wrongFieldCount(path: path, line: line, expected: header.count, found: fields.count)
                }
                func number(_ k: Int) throws -> Double {
                    guard let v = cell(fields[k]) else {
                        throw FeatureMatrixError.badCell(path: path, line: line, column: header[k], text: String(decoding: fields[k], as: UTF8.self))
                    }
                    return v
                }
                for k in featureColumns { values.append(try number(k)) }
                let y = try number(labelAt)
                guard y == 0 || y == 1 else {
                    throw FeatureMatrixError.badCell(path: path, line: line, column: labelColumn, text: String(decoding: fields[labelAt], as: UTF8.self))
                }
                labels.append(y)
                if let c = cutoffAt { cutoffs!.append(String(decoding: fields[c], as: UTF8.self)) }
            }
            return FeatureMatrix(names: featureColumns.map { header[$0] }, rows: labels.count, values: values, labels: labels, cutoffs: cutoffs)
        }
    }

    /// A numeric cell: `nan`, `NaN` and empty are missing (NaN); nil when it is not a number.
    static func cell(_ f: UnsafeRawBufferPointer) -> Double? {
        if f.count == 0 || (f.count == 3 && (f[0] | 0x20) == 110 && (f[1] | 0x20) == 97 && (f[2] | 0x20) == 110) { return .nan }
        return ByteParsing.double(f)
    }

    /// Splits one CSV line; quoted fields keep their content without the quotes (doubled quotes stay doubled,
    /// which only matters for identifier columns).
    static func splitCSV(_ line: UnsafeRawBufferPointer) -> [UnsafeRawBufferPointer] {
        var out: [UnsafeRawBufferPointer] = []
        var i = 0
        let n = line.count
        while true {
            if i < n && line[i] == 34 {
                let start = i + 1
                i += 1
                while i < n { if line[i] == 34 { if i + 1 < n && line[i + 1] == 34 { i += 2; continue }; break }; i += 1 }
                out.append(UnsafeRawBufferPointer(rebasing: line[start..<min(i, n)]))
                i += 1
            } else {
                let start = i
                while i < n && line[i] != 44 { i += 1 }
                out.append(UnsafeRawBufferPointer(rebasing: line[start..<i]))
            }
            if i >= n { break }
            i += 1
        }
        return out
    }
}

/// Lines of a buffer without their `\n` / `\r\n`.
struct LineCursor {
    let p: UnsafeRawBufferPointer
    var i = 0
    init(_ p: UnsafeRawBufferPointer) { self.p = p }
    mutating func next() -> UnsafeRawBufferPointer? {
        guard i < p.count else { return nil }
        let start = i
        while i < p.count && p[i] != 10 { i += 1 }
        var end = i
        if end > start && p[end - 1] == 13 { end -= 1 }
        i += 1
        return UnsafeRawBufferPointer(rebasing: p[start..<end])
    }
}
