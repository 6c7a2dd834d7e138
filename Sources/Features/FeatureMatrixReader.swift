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
    /// A label or cutoff that must have a value is null (Parquet; a CSV cell is never null).
    case nullCell(path: String, line: Int, column: String)
    /// A Parquet column whose type holds no number (a boolean, a timestamp, a nested column).
    case wrongType(path: String, column: String, type: String)
    /// A Parquet matrix that is damaged, truncated or not Parquet, or whose files disagree on the columns.
    case unreadable(path: String, reason: String)
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
        case let .nullCell(path, line, column): return "\(path):\(line): column '\(column)' is null (a label or cutoff needs a value)"
        case let .wrongType(path, column, type):
            return "\(path): column '\(column)' is \(type), which holds no number (a feature column holds numbers, or text that reads as one)"
        case let .unreadable(path, reason): return "\(path): cannot read the Parquet feature matrix: \(reason)"
        case let .missingFeatures(path, missing, modelFeatures):
            return "\(path): \(missing.count) of the model's \(modelFeatures) features have no column: \(missing.prefix(40).joined(separator: ", "))"
                + (missing.count > 40 ? ", …" : "") + " (write the matrix with `tenure features` and the model's feature spec)"
        }
    }
}

extension FeatureMatrixError {
    /// The error with its line moved by `lines` (a block's error, counted from the block's start).
    func shifted(by lines: Int) -> FeatureMatrixError {
        switch self {
        case let .badCell(path, line, column, text): return .badCell(path: path, line: line + lines, column: column, text: text)
        case let .wrongFieldCount(path, line, expected, found): return .wrongFieldCount(path: path, line: line + lines, expected: expected, found: found)
        case let .badQuoting(path, line): return .badQuoting(path: path, line: line + lines)
        case let .duplicateColumn(path, line, column): return .duplicateColumn(path: path, line: line + lines, column: column)
        case .cannotRead, .missingColumn, .missingFeatures, .nullCell, .wrongType, .unreadable: return self
        }
    }
}

/// How a matrix file is walked: in parallel blocks (the default), or in one scan from the start, the
/// reference the blocks are checked against (tests, the `matrix` fuzz target).
public enum MatrixWalk: Sendable, Equatable {
    case sequential
    /// About this many blocks, cut where `RecordBlocks` (the event reader's splitter) cuts, parsed in parallel.
    case blocks(Int)

    /// Blocks per thread, so a slow block does not leave a core idle.
    static let blocksPerThread = 4

    public static func parallel(threads: Int) -> MatrixWalk { .blocks(max(1, threads) * blocksPerThread) }

    /// The threads a walk reads with (for the steps around the parse: reading the file, joining the blocks).
    var threads: Int {
        switch self {
        case .sequential: return 1
        case .blocks(let n): return max(1, n / Self.blocksPerThread)
        }
    }
}

/// One block's rows, in file order; a reader fills the arrays it needs.
struct MatrixPart {
    var values: [Double] = []
    var labels: [Double] = []
    var cutoffs: [String] = []
    var passthrough: [[String]] = []
    var rows = 0
    /// The block's own stretch of the matrix `forEachRecord` joins, when it sized that matrix up front: `put`
    /// writes there instead of into `values`, so no block array is copied (and no fresh pages faulted in) after.
    var slots: UnsafeMutablePointer<Double>? = nil
    var slotCount = 0, slotRoom = 0

    /// Appends one matrix value: to the block's stretch of the joined matrix, or to `values`.
    @inline(__always) mutating func put(_ v: Double) {
        guard let slots else { values.append(v); return }
        precondition(slotCount < slotRoom, "a block holds more records than line feeds")
        slots[slotCount] = v
        slotCount &+= 1
    }

    /// Room for about `rows` rows in every array filled so far, at the per-row sizes of the rows read: a
    /// block's arrays then grow once, not by doubling (each doubling a copy and fresh pages to fault in).
    mutating func reserve(rows total: Int) {
        guard rows > 0, total > rows else { return }
        func room<T>(_ a: inout [T]) { if !a.isEmpty { a.reserveCapacity(a.count / rows * total) } }
        room(&values); room(&labels); room(&cutoffs); room(&passthrough)
    }
}

public enum FeatureMatrixReader {
    /// Columns `user_id` and `cutoff` are identifiers, never features; `nan`, `NaN` and empty cells are missing.
    /// Fields follow RFC 4180 (`CSVScanner`); blank lines are skipped.
    public static func read(_ path: String, labelColumn: String, walk: MatrixWalk = .parallel(threads: 2)) throws -> FeatureMatrix {
        if isParquet(path) { return try readParquet(path, labelColumn: labelColumn) }
        var featureColumns: [Int] = [], labelAt = 0, cutoffAt: Int?, header: [String] = []
        let (parts, values) = try forEachRecord(path, walk: walk, header: { h in
            header = h
            (labelAt, cutoffAt, featureColumns) = try trainingLayout(h, labelColumn: labelColumn, path: path)
            return featureColumns.count
        }, record: { part, line, scan, fields in
            func number(_ k: Int) throws -> Double {
                guard let v = cell(scan.raw(fields[k])) else {
                    throw FeatureMatrixError.badCell(path: path, line: line, column: header[k], text: scan.text(fields[k]))
                }
                return v
            }
            for k in featureColumns { part.put(try number(k)) }
            let y = try number(labelAt)
            guard y == 0 || y == 1 else {
                throw FeatureMatrixError.badCell(path: path, line: line, column: labelColumn, text: scan.text(fields[labelAt]))
            }
            part.labels.append(y)
            if let c = cutoffAt { part.cutoffs.append(scan.text(fields[c])) }
            part.rows += 1
        })
        return assemble(parts, values: values, names: featureColumns.map { header[$0] }, hasCutoffs: cutoffAt != nil)
    }

    /// The parts' rows end to end as one training matrix; `values` already joined (nil: the parts' own, joined here).
    static func assemble(_ parts: [MatrixPart], values: [Double]?, names: [String], hasCutoffs: Bool,
                         threads: Int = 1) -> FeatureMatrix {
        FeatureMatrix(names: names, rows: parts.reduce(0) { $0 + $1.rows },
                      values: values ?? concatenate(parts.map(\.values), threads: threads), labels: concatenate(parts.map(\.labels)),
                      cutoffs: hasCutoffs ? concatenate(parts.map(\.cutoffs)) : nil)
    }

    /// What each column of a training matrix is, CSV or Parquet: the label (required), `cutoff` (optional, the
    /// time split's key), `user_id` (an identifier, never a feature) and every other column a feature, in order.
    static func trainingLayout(_ h: [String], labelColumn: String, path: String) throws -> (label: Int, cutoff: Int?, features: [Int]) {
        guard let label = h.firstIndex(of: labelColumn) else { throw FeatureMatrixError.missingColumn(path: path, column: labelColumn, header: h) }
        let cutoff = h.firstIndex(of: "cutoff")
        let skip: Set<Int> = Set([label, cutoff, h.firstIndex(of: "user_id")].compactMap { $0 })
        return (label, cutoff, h.indices.filter { !skip.contains($0) })
    }

    /// A header that names a column twice is refused (one column would shadow the other).
    static func checkUnique(_ names: [String], path: String, line: Int) throws {
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted { throw FeatureMatrixError.duplicateColumn(path: path, line: line, column: name) }
    }

    /// The blocks' arrays end to end, copied once into an array of the exact size.
    static func concatenate<T>(_ arrays: [[T]]) -> [T] {
        if arrays.count == 1 { return arrays[0] }
        var all: [T] = []
        all.reserveCapacity(arrays.reduce(0) { $0 + $1.count })
        for a in arrays { all.append(contentsOf: a) }
        return all
    }

    /// The same for numbers, each block copied to its place by the workers (a matrix's values are hundreds of
    /// MB: one core's copy, and its page faults, were a third of a second).
    static func concatenate(_ arrays: [[Double]], threads: Int) -> [Double] {
        if arrays.count == 1 { return arrays[0] }
        var offsets = [0]
        for a in arrays { offsets.append(offsets.last! + a.count) }
        return [Double](unsafeUninitializedCapacity: offsets.last!) { buffer, count in
            nonisolated(unsafe) let base = buffer.baseAddress
            let workers = max(1, min(threads, arrays.count))
            parallelFor(workers) { w in
                var b = w
                while b < arrays.count {
                    arrays[b].withUnsafeBufferPointer { (base! + offsets[b]).initialize(from: $0.baseAddress!, count: $0.count) }
                    b += workers
                }
            }
            count = offsets.last!
        }
    }

    /// The one walk over a matrix file for every reader of matrices: the header (after any blank lines) goes to
    /// `header`, then every data record to `record` with its 1-based line, into the part of the block that holds
    /// it; blank lines are skipped, and a broken quote or a record whose field count differs from the header's is
    /// refused naming the line. Parts come back in file order; the first error in file order is thrown, so every
    /// walk reads the same rows and fails the same way.
    ///
    /// `header` returns how many values each record `put`s (0: none): the walk then sizes the joined matrix from
    /// each block's line feeds (a record ends at one, or at the end of the input), hands every block its stretch
    /// of it, and closes the gaps left by blank lines and quoted line feeds; that matrix comes back with the parts.
    static func forEachRecord(_ path: String, walk: MatrixWalk, header: ([String]) throws -> Int,
                              record: (_ part: inout MatrixPart, _ line: Int, _ scan: CSVScanner, _ fields: [CSVField]) throws -> Void) throws -> (parts: [MatrixPart], values: [Double]?) {
        guard let data = FileBytes.read(path, threads: walk.threads) else { throw FeatureMatrixError.cannotRead(path: path) }
        return try data.withUnsafeBytes { (p: UnsafeRawBufferPointer) -> ([MatrixPart], [Double]?) in
            var scan = CSVScanner(p, fileStart: true)
            var fields: [CSVField] = []
            var headerLine = 1
            var status = scan.record(into: &fields)
            while status == .blankLine { headerLine = scan.newlines + 1; status = scan.record(into: &fields) }
            guard status != .endOfInput else { throw FeatureMatrixError.cannotRead(path: path) }
            guard status == .record else { throw FeatureMatrixError.badQuoting(path: path, line: headerLine) }
            let names = fields.map { scan.text($0) }
            try checkUnique(names, path: path, line: headerLine)
            let width = try header(names)
            let dataStart = scan.position
            let body = UnsafeRawBufferPointer(rebasing: p[dataStart...])
            let cuts: [Int]
            switch walk {
            case .sequential: cuts = [0, body.count]
            case .blocks(let n): cuts = RecordBlocks.cuts(body, parts: n)
            }
            let blocks = cuts.count - 1
            var parts = [MatrixPart](repeating: MatrixPart(), count: blocks)
            var errors = [Error?](repeating: nil, count: blocks)
            func run(_ b: Int, _ part: inout MatrixPart) throws {
                let bytes = UnsafeRawBufferPointer(rebasing: body[cuts[b]..<cuts[b + 1]])
                var scan = CSVScanner(bytes, fileStart: false)
                var fields: [CSVField] = []
                fields.reserveCapacity(names.count)
                while true {
                    let line = scan.newlines + 1
                    let status = scan.record(into: &fields)
                    if status == .endOfInput { break }
                    if status == .blankLine { continue }
                    guard status == .record else { throw FeatureMatrixError.badQuoting(path: path, line: line) }
                    guard fields.count == names.count else {
                        throw FeatureMatrixError.wrongFieldCount(path: path, line: line, expected: names.count, found: fields.count)
                    }
                    try record(&part, line, scan, fields)
                    if part.rows == Self.sampleRows {
                        // The block's rows so far at their mean length, plus 1/8 for rows longer than the sample's.
                        let perRow = Double(scan.position) / Double(Self.sampleRows)
                        part.reserve(rows: Int(Double(bytes.count) / perRow * 1.125) + 1)
                    }
                }
            }
            func runAll() {
                parts.withUnsafeMutableBufferPointer { out in
                    errors.withUnsafeMutableBufferPointer { err in
                        let o = out, e = err
                        parallelFor(blocks) { b in
                            do { try run(b, &o[b]) } catch { e[b] = error }
                        }
                    }
                }
            }
            var values: [Double]? = nil
            if width > 0 {
                let room = recordBounds(body, cuts: cuts, threads: walk.threads).map { $0 * width }
                values = [Double](unsafeUninitializedCapacity: room.reduce(0, +)) { buffer, count in
                    var start = 0
                    for b in 0..<blocks {
                        parts[b].slots = buffer.baseAddress! + start
                        parts[b].slotRoom = room[b]
                        start += room[b]
                    }
                    runAll()
                    // Each block's values moved down to the end of the ones before it (no move in a file without
                    // blank lines or quoted line feeds, where every block fills its stretch).
                    var filled = 0
                    for b in 0..<blocks {
                        if let from = parts[b].slots, from != buffer.baseAddress! + filled {
                            (buffer.baseAddress! + filled).update(from: from, count: parts[b].slotCount)
                        }
                        filled += parts[b].slotCount
                        parts[b].slots = nil
                    }
                    count = filled
                }
            } else {
                runAll()
            }
            if let b = errors.firstIndex(where: { $0 != nil }) {
                // Lines before the block: every line feed up to its start (in a block that read cleanly, quoted
                // line feeds included, as the scanner counts them).
                let start = dataStart + cuts[b]
                var before = 0
                for byte in UnsafeRawBufferPointer(rebasing: p[..<start]) where byte == 10 { before += 1 }
                let error = errors[b]!
                throw (error as? FeatureMatrixError)?.shifted(by: before) ?? error
            }
            return (parts, values)
        }
    }

    /// Per block (`cuts` into `body`), the most records it can hold: its line feeds, plus one for a last line
    /// without one. Counted in parallel, line feed to line feed by `memchr`.
    static func recordBounds(_ body: UnsafeRawBufferPointer, cuts: [Int], threads: Int) -> [Int] {
        let blocks = cuts.count - 1
        var bounds = [Int](repeating: 0, count: blocks)
        bounds.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out
            parallelTasks(workers: threads, tasks: blocks) { _, b in
                let bytes = UnsafeRawBufferPointer(rebasing: body[cuts[b]..<cuts[b + 1]])
                guard let base = bytes.baseAddress, !bytes.isEmpty else { out[b] = 0; return }
                var lineFeeds = 0, at = base
                let end = base + bytes.count
                while at < end, let found = memchr(at, 10, end - at) {
                    lineFeeds += 1
                    at = UnsafeRawPointer(found) + 1
                }
                out[b] = lineFeeds + (bytes[bytes.count - 1] != 10 ? 1 : 0)
            }
        }
        return bounds
    }

    /// Rows a block reads before it sizes its arrays from their mean length.
    static let sampleRows = 256

    /// A numeric cell: `nan`, `NaN` and empty are missing (NaN); nil when it is not a number.
    static func cell(_ f: UnsafeRawBufferPointer) -> Double? {
        if f.count == 0 || (f.count == 3 && (f[0] | 0x20) == 110 && (f[1] | 0x20) == 97 && (f[2] | 0x20) == 110) { return .nan }
        return ByteParsing.double(f)
    }

    /// The 1-based file line where data row `row` (0-based, blank lines skipped, as `read` counts) starts.
    /// For error messages only: it rescans the file. A Parquet matrix's rows are their own numbers (from 1), as
    /// its readers name them.
    public static func lineNumber(ofRow row: Int, in path: String) -> Int? {
        if isParquet(path) { return row + 1 }
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
