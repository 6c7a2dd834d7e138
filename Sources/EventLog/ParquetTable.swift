// A small Parquet table (a users file, a contact export) read as text cells, so the CSV readers' own checks
// (UserTable, ContactFile) apply to it unchanged: every flat column in schema order, a null as nil, numbers as
// a CSV export writes them, timestamps, dates and INT96 as ISO 8601 UTC. Nested columns are skipped (a table's
// reader cannot need them). One file or a directory of them (name order); rows are numbered from 1 per file.
import Foundation
import Parquet
import TenureCore

public struct ParquetTable: Sendable {
    /// Column names, from the first file; every other file must have the same ones.
    public var columns: [String]
    /// cells[c][r]: the text of column c in row r (rows of all files in order), nil for a null.
    public var cells: [[String?]]
    /// The files read and the first row (0-based, over all files) of each.
    public var files: [String]
    public var fileStarts: [Int]
    public var rowCount: Int { cells.first?.count ?? 0 }

    /// Rows as lines 1, 2, … over all files, mapped back to file and row for messages.
    public var places: LinePlaces { files.count > 1 ? LinePlaces(files: files, starts: fileStarts.map { $0 + 1 }) : LinePlaces() }

    /// Is `path` a Parquet table: a `.parquet` name, a file starting with PAR1, or a directory of Parquet files
    /// (`allowDirectory`; a contacts argument may also be a run directory)?
    public static func isParquet(_ path: String, allowDirectory: Bool = true) -> Bool {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return LogFormat.fromExtension(path) == .parquet }
        if isDir.boolValue { return allowDirectory && ((try? ParquetLogReader.files(path)) != nil) }
        return LogFormat.fromExtension(path) == .parquet || (LogFormat.fromExtension(path) == nil && ParquetLogReader.looksLikeParquet(path))
    }

    /// The files of a Parquet path: itself, or a directory's Parquet files in name order (as `--events` reads them).
    public static func files(_ path: String) throws -> [String] { try ParquetLogReader.files(path) }

    /// Reads every flat column of `path` (threads: row groups decoded at once). A damaged file or one whose
    /// columns differ from the first file's is an error naming the file.
    public static func read(_ path: String, threads: Int = 1) throws -> ParquetTable {
        var table = ParquetTable(columns: [], cells: [], files: [], fileStarts: [])
        for file in try ParquetLogReader.files(path) {
            do {
                let parquet = try ParquetFile(path: file)
                let flat = parquet.columns.filter(\.isFlat)
                if table.files.isEmpty {
                    guard !flat.isEmpty else { throw ParquetError.unsupported("no flat column (every column is nested or repeated)") }
                    table.columns = flat.map(\.name)
                    table.cells = Array(repeating: [], count: flat.count)
                } else if flat.map(\.name) != table.columns {
                    throw ParquetError.corrupt("its columns \(flat.map(\.name).joined(separator: ",")) are not \(table.files[0])'s \(table.columns.joined(separator: ","))")
                }
                table.fileStarts.append(table.rowCount); table.files.append(file)
                var rows: Int?
                for (k, column) in flat.enumerated() {
                    let texts = try parquet.read(column, threads: threads).flatMap { try text($0, column.element) }
                    if let n = rows, n != texts.count {
                        throw ParquetError.corrupt("column '\(column.name)' has \(texts.count) rows where '\(flat[0].name)' has \(n)")
                    }
                    rows = texts.count
                    table.cells[k].append(contentsOf: texts)
                }
            } catch let e as ParquetError {
                throw EventLogError.readFailed(path: file, reason: "\(e)")
            }
        }
        return table
    }

    /// One decoded column as text cells (as a CSV export writes them).
    public static func text(_ v: ColumnValues, _ element: SchemaElement) throws -> [String?] {
        func cell(_ i: Int, _ s: @autoclosure () -> String) -> String? { v.isNull?[i] == true ? nil : s() }
        if let ns = v.epochNanoseconds(element) {
            let dateOnly = element.logical == .date
            return ns.indices.map { i in cell(i, isoText(floorDiv(ns[i], 1_000_000), dateOnly: dateOnly)) }
        }
        switch v.storage {
        case .bytes(let b):
            if let d = v.doubles(element) { return d.indices.map { i in cell(i, numberText(d[i])) } }
            return (0..<b.count).map { i in cell(i, String(decoding: b[i], as: UTF8.self)) }
        case .integers(let ints):
            if element.type == .boolean { return ints.indices.map { i in cell(i, ints[i] != 0 ? "true" : "false") } }
            if case .decimal = element.logical, let d = v.doubles(element) { return d.indices.map { i in cell(i, numberText(d[i])) } }
            return ints.indices.map { i in cell(i, String(ints[i])) }
        case .doubles(let d):
            return d.indices.map { i in cell(i, numberText(d[i])) }
        case .int96Nanos:
            throw ParquetError.corrupt("an INT96 column without timestamps")
        case .dictionary:
            return try text(v.expanded, element)
        }
    }

    /// An instant as the CSV twin writes it: seconds, or milliseconds when they are not zero.
    static func isoText(_ ms: Int64, dateOnly: Bool) -> String {
        let text = formatTimestamp(ms, dateOnly: dateOnly)
        let fraction = ms - floorDiv(ms, 1000) * 1000
        guard !dateOnly, fraction != 0 else { return text }
        let digits = String(fraction)
        return text.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    /// Integral values without a fraction (as a CSV export writes 3, not 3.0); others in Swift's shortest
    /// round-tripping form, so the number read back is the one stored.
    public static func numberText(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : "\(d)"
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
}

/// Where a numbered line of a table read from several files is: `starts[f]` is the first line of `files[f]`.
/// Empty for a table read from one file, whose lines are its own.
public struct LinePlaces: Sendable, Equatable {
    public var files: [String] = []
    public var starts: [Int] = []
    public init() {}
    public init(files: [String], starts: [Int]) { self.files = files; self.starts = starts }

    /// The file and that file's own line (a Parquet row number) of `line`; `path` when there is one file.
    public func locate(_ line: Int, in path: String) -> (path: String, line: Int) {
        guard let f = starts.lastIndex(where: { $0 <= line }) else { return (path, line) }
        return (files[f], line - starts[f] + 1)
    }
}
