// A feature matrix stored as Parquet (one file, or a directory of them as `--events` takes): the columns a reader
// needs, decoded row group by row group on every core, into the same matrix the CSV readers make from the CSV twin.
// A feature cell is a number of any width or DECIMAL, or text holding a number as the CSV reader takes it; a null
// is missing (NaN). A null label or cutoff is refused naming its file and row (rows counted from 1 in each file).
import EventLog
import Foundation
import Parquet
import TenureCore

extension FeatureMatrixReader {
    /// A Parquet matrix is recognised as every Parquet input is: `.parquet`/`.parq`, the PAR1 magic, or a directory.
    public static func isParquet(_ path: String) -> Bool { ParquetTable.isParquet(path) }

    static func readParquet(_ path: String, labelColumn: String) throws -> FeatureMatrix {
        var layout: (label: Int, cutoff: Int?, features: [Int]) = (0, nil, []), header: [String] = []
        let parts = try ParquetMatrixWalk.forEachGroup(path, header: { h, file in
            header = h
            layout = try trainingLayout(h, labelColumn: labelColumn, path: file)
            return layout.features + [layout.label] + (layout.cutoff.map { [$0] } ?? [])
        }, group: { part, g in
            part.values = try g.rowMajor(layout.features)
            let labels = try g.numbers(layout.label, nullIsMissing: false)
            for (r, y) in labels.enumerated() where !(y == 0 || y == 1) {
                throw FeatureMatrixError.badCell(path: g.path, line: g.row(r), column: labelColumn, text: ParquetTable.numberText(y))
            }
            part.labels = labels
            if let c = layout.cutoff { part.cutoffs = try g.texts(c, nullable: false).map { $0! } }
            part.rows = g.rows
        })
        return assemble(parts, values: nil, names: layout.features.map { header[$0] }, hasCutoffs: layout.cutoff != nil)
    }

    static func readParquet(_ path: String, features: [String]) throws -> ScoringMatrix {
        var layout: (features: [Int], passthrough: [Int]) = ([], []), header: [String] = []
        let parts = try ParquetMatrixWalk.forEachGroup(path, header: { h, file in
            header = h
            layout = try scoringLayout(h, features: features, path: file)
            return layout.features + layout.passthrough
        }, group: { part, g in
            part.values = try g.rowMajor(layout.features)
            // A null passes through as the empty cell a CSV export writes for it.
            part.passthrough = try layout.passthrough.map { k in try g.texts(k, nullable: true).map { $0 ?? "" } }
            part.rows = g.rows
        })
        return assemble(parts, values: nil, header: header, passthroughColumns: layout.passthrough)
    }
}

/// One row group's needed columns, decoded.
struct ParquetMatrixGroup {
    let path: String
    /// The group's first row in its file (0-based).
    let firstRow: Int
    let rows: Int
    let names: [String]
    /// Decoded columns by header index (only the needed ones).
    let columns: [Int: (values: ColumnValues, element: SchemaElement)]

    /// Row `r` of the group as its file's row number (from 1), as messages name it.
    func row(_ r: Int) -> Int { firstRow + r + 1 }

    /// Column `k` as numbers: a null is NaN when `nullIsMissing` (a feature), else refused (a label).
    func numbers(_ k: Int, nullIsMissing: Bool = true) throws -> [Double] {
        let (v, e) = columns[k]!
        var out: [Double]
        if e.type == .boolean { throw FeatureMatrixError.wrongType(path: path, column: names[k], type: "BOOLEAN") }
        if v.epochNanoseconds(e) != nil { throw FeatureMatrixError.wrongType(path: path, column: names[k], type: "a timestamp or date") }
        if let d = v.doubles(e) {
            out = d
        } else if case .bytes(let b) = v.expanded.storage {
            // Text cells read as the CSV reader reads them: empty, nan and NaN are missing.
            out = [Double](repeating: .nan, count: b.count)
            for i in 0..<b.count where v.isNull?[i] != true {
                guard let x = b[i].withUnsafeBytes({ FeatureMatrixReader.cell($0) }) else {
                    throw FeatureMatrixError.badCell(path: path, line: row(i), column: names[k], text: String(decoding: b[i], as: UTF8.self))
                }
                out[i] = x
            }
        } else {
            throw FeatureMatrixError.wrongType(path: path, column: names[k], type: "\(e.type.map { "\($0)" } ?? "untyped")")
        }
        if let nulls = v.isNull {
            for i in nulls.indices where nulls[i] {
                guard nullIsMissing else { throw FeatureMatrixError.nullCell(path: path, line: row(i), column: names[k]) }
                out[i] = .nan
            }
        }
        return out
    }

    /// The feature columns `ks` interleaved row by row, as the CSV readers store them.
    func rowMajor(_ ks: [Int]) throws -> [Double] {
        let width = ks.count
        var out = [Double](repeating: 0, count: rows * width)
        for (j, k) in ks.enumerated() {
            let column = try numbers(k)
            out.withUnsafeMutableBufferPointer { o in for r in 0..<rows { o[r * width + j] = column[r] } }
        }
        return out
    }

    /// Column `k` as text, as the CSV twin holds it; a `cutoff` instant as `tenure features` writes it (a date
    /// when it is midnight UTC), so keys and passed-through cutoffs are the CSV's. A null is nil, or refused
    /// when the column is not `nullable` (a cutoff, the time split's key).
    func texts(_ k: Int, nullable: Bool) throws -> [String?] {
        let (v, e) = columns[k]!
        var out: [String?]
        if names[k] == "cutoff", let ns = v.epochNanoseconds(e) {
            out = ns.indices.map { i in
                let ms = ns[i] >= 0 ? ns[i] / 1_000_000 : -((-ns[i] + 999_999) / 1_000_000)
                return v.isNull?[i] == true ? nil : formatTimestamp(ms, dateOnly: ms % millisPerDay == 0)
            }
        } else {
            do { out = try ParquetTable.text(v, e) } catch { throw FeatureMatrixError.unreadable(path: path, reason: "column '\(names[k])': \(error)") }
        }
        if !nullable, let r = out.firstIndex(where: { $0 == nil }) { throw FeatureMatrixError.nullCell(path: path, line: row(r), column: names[k]) }
        return out
    }
}

enum ParquetMatrixWalk {
    /// The one walk over a Parquet matrix: `header` gets the flat columns' names (from the first file; every other
    /// file must have the same) and returns the columns it needs, the only ones decoded; each row group then goes,
    /// decoded, to `group` on whichever core runs it. Parts come back in file order and the first error in file
    /// order is thrown, so the result does not depend on the thread count.
    static func forEachGroup(_ path: String, header: (_ names: [String], _ file: String) throws -> [Int],
                             group: (_ part: inout MatrixPart, _ g: ParquetMatrixGroup) throws -> Void) throws -> [MatrixPart] {
        var names: [String]?, needed: [Int] = [], parts: [MatrixPart] = []
        for file in try ParquetTable.files(path) {
            let parquet: ParquetFile
            do { parquet = try ParquetFile(path: file) } catch let e as ParquetError {
                throw FeatureMatrixError.unreadable(path: file, reason: "\(e)")
            } catch let e as FileReadError { throw FeatureMatrixError.unreadable(path: file, reason: e.reason) }
            let leaves = parquet.columns
            // A matrix is flat: a nested column would be a feature or passthrough silently left out.
            if let nested = leaves.first(where: { !$0.isFlat }) {
                throw FeatureMatrixError.wrongType(path: file, column: nested.name, type: "a nested or repeated column")
            }
            let flat = leaves.map(\.name)
            if let first = names {
                guard flat == first else {
                    throw FeatureMatrixError.unreadable(path: file, reason: "its columns \(flat.joined(separator: ",")) are not the first file's \(first.joined(separator: ","))")
                }
            } else {
                try FeatureMatrixReader.checkUnique(flat, path: file, line: 1)
                names = flat
                needed = try header(flat, file)
            }
            let columns = needed.map { leaves[$0] }
            let groups = parquet.metadata.rowGroups
            var firstRows = [0]
            for g in groups { firstRows.append(firstRows.last! + Int(g.rows)) }
            var out = [MatrixPart](repeating: MatrixPart(), count: groups.count)
            var errors = [Error?](repeating: nil, count: groups.count)
            let header = flat
            out.withUnsafeMutableBufferPointer { o in
                errors.withUnsafeMutableBufferPointer { e in
                    let o = o, e = e
                    parallelFor(groups.count) { g in
                        do {
                            var decoded: [Int: (values: ColumnValues, element: SchemaElement)] = [:]
                            for (k, column) in zip(needed, columns) {
                                let v: ColumnValues
                                do { v = try parquet.read(column, groups: g..<(g + 1))[0] } catch let error as ParquetError {
                                    throw FeatureMatrixError.unreadable(path: file, reason: "\(error)")
                                }
                                guard v.count == Int(groups[g].rows) else {
                                    throw FeatureMatrixError.unreadable(path: file, reason: "row group \(g): column '\(column.name)' has \(v.count) rows, not \(groups[g].rows)")
                                }
                                decoded[k] = (v, column.element)
                            }
                            try group(&o[g], ParquetMatrixGroup(path: file, firstRow: firstRows[g], rows: Int(groups[g].rows),
                                                                 names: header, columns: decoded))
                        } catch { e[g] = error }
                    }
                }
            }
            if let error = errors.first(where: { $0 != nil }) { throw error! }
            parts += out
        }
        if names == nil { throw FeatureMatrixError.cannotRead(path: path) }
        return parts
    }
}
