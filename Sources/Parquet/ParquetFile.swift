// A Parquet file opened for reading: magic bytes and footer first, then only the columns asked for, each row
// group decoded on its own core. Flat columns only: a needed column under a group or repeated is refused by
// name; the ones not asked for are never touched.
import Foundation
import TenureCore

/// A leaf of the schema: a column with values.
public struct LeafColumn: Sendable {
    /// Dotted path from the root ("user_id", or "a.b" for a nested leaf).
    public var name: String
    public var element: SchemaElement
    public var maxDefinition: Int
    public var maxRepetition: Int
    /// Index among the leaves, which is the column chunks' order in each row group.
    public var index: Int
    public var isFlat: Bool { !name.contains(".") && maxRepetition == 0 }
}

public struct ParquetFile: @unchecked Sendable {
    public static let magic: [UInt8] = Array("PAR1".utf8)
    /// Footers larger than this are refused before they are read.
    public static let maxFooterBytes = 256 << 20

    public let path: String
    public let metadata: FileMetadata
    public let columns: [LeafColumn]
    private let data: Data

    public init(path: String) throws {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
            throw FileReadError(path: path, reason: "cannot read the Parquet file")
        }
        try self.init(data: data, path: path)
    }

    public init(data: Data, path: String) throws {
        self.path = path; self.data = data
        do {
            (metadata, columns) = try data.withUnsafeBytes { p in
                let m = try Self.footer(p)
                return (m, try Self.leaves(m.schema))
            }
        } catch let e as ParquetError { throw e.at(path: path) }
    }

    /// Does `bytes` start like a Parquet file?
    public static func hasMagic(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 4 && Array(bytes.prefix(4)) == magic
    }

    static func footer(_ p: UnsafeRawBufferPointer) throws -> FileMetadata {
        guard p.count >= 12, hasMagic(p) else { throw ParquetError.corrupt("not a Parquet file (no PAR1 at its start)") }
        guard Array(p.suffix(4)) == magic else {
            throw ParquetError.corrupt("no PAR1 at its end: the file is truncated (or still being written)")
        }
        let n = p.count
        let length = Int(p[n - 8]) | Int(p[n - 7]) << 8 | Int(p[n - 6]) << 16 | Int(p[n - 5]) << 24
        guard length > 0, length <= min(maxFooterBytes, n - 12) else {
            throw ParquetError.corrupt("a footer length of \(length) bytes in a \(n)-byte file")
        }
        var reader = ThriftCompactReader(UnsafeRawBufferPointer(rebasing: p[(n - 8 - length)..<(n - 8)]))
        do { return try FileMetadata(try reader.readStruct()) } catch let e as ThriftError {
            throw ParquetError.corrupt("the footer at byte \(n - 8 - length + e.offset): \(e.reason)")
        }
    }

    /// Walks the depth-first schema, tracking each leaf's path and its definition and repetition levels.
    static func leaves(_ schema: [SchemaElement]) throws -> [LeafColumn] {
        var out: [LeafColumn] = []
        var i = 1
        func walk(prefix: String, definition: Int, repetition: Int, children: Int, depth: Int) throws {
            guard depth < 64 else { throw ParquetError.corrupt("a schema nested deeper than 64 levels") }
            guard children >= 0 else { throw ParquetError.corrupt("a schema element claims \(children) children") }
            for _ in 0..<children {
                guard i < schema.count else { throw ParquetError.corrupt("the schema tree claims more children than it has elements") }
                let e = schema[i]; i += 1
                let name = prefix.isEmpty ? e.name : prefix + "." + e.name
                let d = definition + (e.repetition == .required ? 0 : 1), r = repetition + (e.repetition == .repeated ? 1 : 0)
                if e.children > 0 {
                    try walk(prefix: name, definition: d, repetition: r, children: e.children, depth: depth + 1)
                } else {
                    guard e.type != nil else { throw ParquetError.corrupt("leaf '\(name)' has no physical type") }
                    out.append(LeafColumn(name: name, element: e, maxDefinition: d, maxRepetition: r, index: out.count))
                }
            }
        }
        guard let root = schema.first else { throw ParquetError.corrupt("the footer has no schema") }
        try walk(prefix: "", definition: 0, repetition: 0, children: root.children, depth: 0)
        guard i == schema.count else { throw ParquetError.corrupt("the schema has \(schema.count - i) elements outside its tree") }
        return out
    }

    public func column(named name: String) -> LeafColumn? { columns.first { $0.name == name } }

    /// Every row of one flat column in the row groups `groups` (all by default), in order (decoded `threads`
    /// at a time); `keepDictionary`: a dictionary-encoded text chunk stays a dictionary and indices (`.dictionary`).
    public func read(_ column: LeafColumn, groups selected: Range<Int>? = nil, threads: Int = 1,
                     keepDictionary: Bool = false) throws -> [ColumnValues] {
        guard column.isFlat else {
            throw ParquetError.unsupported("the column is nested or repeated; Tenure reads flat columns").at(path: path, column: column.name)
        }
        let groups = metadata.rowGroups
        let selected = selected ?? groups.indices
        var results = [Result<ColumnValues, Error>?](repeating: nil, count: selected.count)
        data.withUnsafeBytes { p in
            results.withUnsafeMutableBufferPointer { out in
                parallelChunks(selected.count, chunks: min(max(1, threads), max(1, selected.count))) { _, range in
                    for k in range {
                        let g = selected.lowerBound + k
                        out[k] = Result {
                            let group = groups[g]
                            guard column.index < group.columns.count else { throw ParquetError.corrupt("row group \(g) lacks the column") }
                            let chunk = group.columns[column.index]
                            guard chunk.type == column.element.type else { throw ParquetError.corrupt("row group \(g) stores the column as \(chunk.type)") }
                            guard group.rows >= 0, group.rows <= Int64(Int32.max) else { throw ParquetError.corrupt("row group \(g) claims \(group.rows) rows") }
                            return try ColumnDecoder(file: p, chunk: chunk, element: column.element, maxDefinition: column.maxDefinition,
                                                     rows: Int(group.rows), keepDictionary: keepDictionary).decode()
                        }
                    }
                }
            }
        }
        return try results.map { r in
            do { return try r!.get() } catch let e as ParquetError { throw e.at(path: path, column: column.name) }
        }
    }
}
