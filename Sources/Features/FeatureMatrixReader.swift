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
    case badQuoting(path: String, line: Int)
    /// The header names a column twice (one would shadow the other: a second label read as a feature, or two
    /// features of one name).
    case duplicateColumn(path: String, line: Int, column: String)
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
        case let .badQuoting(path, line):
            return "\(path):\(line): a quoted field must end with a quote followed by a comma or the line end"
        case let .duplicateColumn(path, line, column): return "\(path):\(line): the header names column '\(column)' twice"
        case let .missingFeatures(path, missing, modelFeatures):
            return "\(path): \(missing.count) of the model's \(modelFeatures) features have no column: \(missing.prefix(40).joined(separator: ", "))"
                + (missing.count > 40 ? ", …" : "") + " (write the matrix with `tenure features` and the model's feature spec)"
        }
    }
}

public enum FeatureMatrixReader {
    /// Columns `user_id` and `cutoff` are identifiers, never features; `nan`, `NaN` and empty cells are missing.
    /// Fields follow RFC 4180 (`CSVScanner`); blank lines are skipped.
    public static func read(_ path: String, labelColumn: String) throws -> FeatureMatrix {
        var featureColumns: [Int] = [], labelAt = 0, cutoffAt: Int?, header: [String] = []
        var values: [Double] = []
        var labels: [Double] = []
        var cutoffs: [String]?
        try forEachRecord(path, header: { h in
            header = h
            guard let at = h.firstIndex(of: labelColumn) else { throw FeatureMatrixError.missingColumn(path: path, column: labelColumn, header: h) }
            labelAt = at
            cutoffAt = h.firstIndex(of: "cutoff")
            let skip: Set<Int> = Set([labelAt, cutoffAt, h.firstIndex(of: "user_id")].compactMap { $0 })
            featureColumns = h.indices.filter { !skip.contains($0) }
            cutoffs = cutoffAt == nil ? nil : []
        }, record: { line, scan, fields in
            func number(_ k: Int) throws -> Double {
                guard let v = cell(scan.raw(fields[k])) else {
                    throw FeatureMatrixError.badCell(path: path, line: line, column: header[k], text: scan.text(fields[k]))
                }
                return v
            }
            for k in featureColumns { values.append(try number(k)) }
            let y = try number(labelAt)
            guard y == 0 || y == 1 else {
                throw FeatureMatrixError.badCell(path: path, line: line, column: labelColumn, text: scan.text(fields[labelAt]))
            }
            labels.append(y)
            if let c = cutoffAt { cutoffs!.append(scan.text(fields[c])) }
        })
        return FeatureMatrix(names: featureColumns.map { header[$0] }, rows: labels.count, values: values, labels: labels, cutoffs: cutoffs)
    }

    /// The one walk over a matrix file for every reader of matrices: the header (after any blank lines) goes to
    /// `header`, then every data record to `record` with its 1-based line; blank lines are skipped, and a broken
    /// quote or a record whose field count differs from the header's is refused naming the line.
    static func forEachRecord(_ path: String, header: ([String]) throws -> Void,
                              record: (_ line: Int, _ scan: CSVScanner, _ fields: [CSVField]) throws -> Void) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw FeatureMatrixError.cannotRead(path: path) }
        try data.withUnsafeBytes { (p: UnsafeRawBufferPointer) in
            var scan = CSVScanner(p, fileStart: true)
            var fields: [CSVField] = []
            var headerLine = 1
            var status = scan.record(into: &fields)
            while status == .blankLine { headerLine = scan.newlines + 1; status = scan.record(into: &fields) }
            guard status != .endOfInput else { throw FeatureMatrixError.cannotRead(path: path) }
            guard status == .record else { throw FeatureMatrixError.badQuoting(path: path, line: headerLine) }
            let names = fields.map { scan.text($0) }
            var seen = Set<String>()
            for name in names where !seen.insert(name).inserted { throw FeatureMatrixError.duplicateColumn(path: path, line: headerLine, column: name) }
            try header(names)
            while true {
                let line = scan.newlines + 1
                status = scan.record(into: &fields)
                if status == .endOfInput { break }
                if status == .blankLine { continue }
                guard status == .record else { throw FeatureMatrixError.badQuoting(path: path, line: line) }
                guard fields.count == names.count else {
                    throw FeatureMatrixError.wrongFieldCount(path: path, line: line, expected: names.count, found: fields.count)
                }
                try record(line, scan, fields)
            }
        }
    }

    /// A numeric cell: `nan`, `NaN` and empty are missing (NaN); nil when it is not a number.
    static func cell(_ f: UnsafeRawBufferPointer) -> Double? {
        if f.count == 0 || (f.count == 3 && (f[0] | 0x20) == 110 && (f[1] | 0x20) == 97 && (f[2] | 0x20) == 110) { return .nan }
        return ByteParsing.double(f)
    }

    /// The 1-based file line where data row `row` (0-based, blank lines skipped, as `read` counts) starts.
    /// For error messages only: it rescans the file.
    public static func lineNumber(ofRow row: Int, in path: String) -> Int? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return data.withUnsafeBytes { p -> Int? in
            var scan = CSVScanner(p, fileStart: true)
            var fields: [CSVField] = []
            var dataRow = -1   // the header
            while true {
                let line = scan.newlines + 1
                switch scan.record(into: &fields) {
                case .endOfInput: return nil
                case .blankLine: continue
                case .record, .badQuote:
                    if dataRow == row { return line }
                    dataRow += 1
                }
            }
        }
    }
}
