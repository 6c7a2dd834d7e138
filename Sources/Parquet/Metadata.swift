// The parts of Parquet's footer (parquet.thrift's FileMetaData) and page headers the reader uses, decoded from
// the compact-protocol tree. Field ids are parquet.thrift's.

public enum PhysicalType: Int64, Sendable {
    case boolean = 0, int32 = 1, int64 = 2, int96 = 3, float = 4, double = 5, byteArray = 6, fixedLenByteArray = 7
}

public enum Repetition: Int64, Sendable { case required = 0, optional = 1, repeated = 2 }

public enum Codec: Int64, Sendable, CustomStringConvertible {
    case uncompressed = 0, snappy = 1, gzip = 2, lzo = 3, brotli = 4, lz4 = 5, zstd = 6, lz4Raw = 7
    public var description: String {
        ["UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW"][Int(rawValue)]
    }
}

public enum Encoding: Int64, Sendable, CustomStringConvertible {
    case plain = 0, plainDictionary = 2, rle = 3, bitPacked = 4, deltaBinaryPacked = 5, deltaLengthByteArray = 6,
         deltaByteArray = 7, rleDictionary = 8, byteStreamSplit = 9
    public var description: String {
        switch self {
        case .plain: return "PLAIN"
        case .plainDictionary: return "PLAIN_DICTIONARY"
        case .rle: return "RLE"
        case .bitPacked: return "BIT_PACKED"
        case .deltaBinaryPacked: return "DELTA_BINARY_PACKED"
        case .deltaLengthByteArray: return "DELTA_LENGTH_BYTE_ARRAY"
        case .deltaByteArray: return "DELTA_BYTE_ARRAY"
        case .rleDictionary: return "RLE_DICTIONARY"
        case .byteStreamSplit: return "BYTE_STREAM_SPLIT"
        }
    }
}

public enum TimeUnit: Sendable, Equatable { case millis, micros, nanos }

/// What a column's values mean, from the logical type (or the legacy converted type).
public enum LogicalKind: Sendable, Equatable {
    case none
    case string
    case date
    case timestamp(TimeUnit, adjustedToUTC: Bool)
    case decimal(scale: Int, precision: Int)
    case integer(bits: Int, signed: Bool)
    case other(String)
}

public struct SchemaElement: Sendable {
    public var name: String
    public var type: PhysicalType?
    public var typeLength: Int
    public var repetition: Repetition
    public var children: Int
    public var logical: LogicalKind

    init(_ s: ThriftStruct) throws {
        name = s.string(4) ?? ""
        type = try s.int(1).map { try enumValue(PhysicalType.self, $0, "a column's physical type") }
        typeLength = Int(s.int(2) ?? 0)
        repetition = try s.int(3).map { try enumValue(Repetition.self, $0, "a repetition type") } ?? .required
        children = Int(s.int(5) ?? 0)
        logical = SchemaElement.logicalKind(s)
    }

    static func logicalKind(_ s: ThriftStruct) -> LogicalKind {
        if let l = s.structure(10), let id = l.unionField {
            switch id {
            case 1: return .string
            case 5:
                let d = l.structure(5)
                return .decimal(scale: Int(d?.int(1) ?? 0), precision: Int(d?.int(2) ?? 0))
            case 6: return .date
            case 8:
                let t = l.structure(8)
                let unit: TimeUnit = { switch t?.structure(2)?.unionField { case 1: return .millis; case 3: return .nanos; default: return .micros } }()
                return .timestamp(unit, adjustedToUTC: t?.bool(1) ?? false)
            case 10:
                let i = l.structure(10)
                return .integer(bits: Int(i?.int(1) ?? 0), signed: i?.bool(2) ?? true)
            default: return .other("logical type \(id)")
            }
        }
        switch s.int(6) {
        case 0?: return .string
        case 5?: return .decimal(scale: Int(s.int(7) ?? 0), precision: Int(s.int(8) ?? 0))
        case 6?: return .date
        case 9?: return .timestamp(.millis, adjustedToUTC: true)
        case 10?: return .timestamp(.micros, adjustedToUTC: true)
        case let c?: return .other("converted type \(c)")
        case nil: return .none
        }
    }
}

public struct ColumnChunkMeta: Sendable {
    public var path: [String]
    public var type: PhysicalType
    public var codec: Codec
    public var valueCount: Int64
    public var dataPageOffset: Int64
    public var dictionaryPageOffset: Int64?
    public var totalCompressedSize: Int64

    init(_ chunk: ThriftStruct) throws {
        guard chunk.string(1) == nil else { throw ParquetError.unsupported("column chunks stored in other files") }
        guard let m = chunk.structure(3) else { throw ParquetError.corrupt("a column chunk without metadata (an encrypted file?)") }
        path = (m.list(3) ?? []).compactMap { if case .binary(let b) = $0 { return String(decoding: b, as: UTF8.self) }; return nil }
        guard let t = m.int(1) else { throw ParquetError.corrupt("a column chunk without a type") }
        type = try enumValue(PhysicalType.self, t, "a column chunk's type")
        codec = try enumValue(Codec.self, m.int(4) ?? 0, "a compression codec")
        valueCount = m.int(5) ?? 0
        guard let data = m.int(9) else { throw ParquetError.corrupt("a column chunk without a data page offset") }
        dataPageOffset = data
        dictionaryPageOffset = m.int(11)
        totalCompressedSize = m.int(7) ?? 0
    }

    /// Where the chunk's first page starts (its dictionary page when it has one).
    public var start: Int64 {
        if let d = dictionaryPageOffset, d > 0, d < dataPageOffset { return d }
        return dataPageOffset
    }
}

public struct RowGroupMeta: Sendable {
    public var rows: Int64
    public var columns: [ColumnChunkMeta]
}

public struct FileMetadata: Sendable {
    public var rows: Int64
    /// The flattened schema tree, root first (depth-first, as stored).
    public var schema: [SchemaElement]
    public var rowGroups: [RowGroupMeta]
    public var createdBy: String?

    init(_ s: ThriftStruct) throws {
        rows = s.int(3) ?? 0
        schema = try s.structs(2).map(SchemaElement.init)
        guard !schema.isEmpty else { throw ParquetError.corrupt("the footer has no schema") }
        rowGroups = try s.structs(4).map { g in
            RowGroupMeta(rows: g.int(3) ?? 0, columns: try g.structs(1).map(ColumnChunkMeta.init))
        }
        createdBy = s.string(6)
    }
}

enum PageType: Int64 { case dataPage = 0, indexPage = 1, dictionaryPage = 2, dataPageV2 = 3 }

struct PageHeader {
    var type: PageType
    var uncompressedSize: Int
    var compressedSize: Int
    var valueCount: Int
    var encoding: Encoding
    // v1: levels' encodings; v2: levels' byte lengths and whether the values are compressed.
    var definitionLevelsBytes = 0
    var repetitionLevelsBytes = 0
    var nullCount: Int?
    var valuesCompressed = true

    init(_ s: ThriftStruct) throws {
        type = try enumValue(PageType.self, s.int(1) ?? -1, "a page type")
        uncompressedSize = Int(s.int(2) ?? -1)
        compressedSize = Int(s.int(3) ?? -1)
        guard uncompressedSize >= 0, compressedSize >= 0 else { throw ParquetError.corrupt("a page header without sizes") }
        switch type {
        case .dataPage:
            guard let h = s.structure(5) else { throw ParquetError.corrupt("a data page without its header") }
            valueCount = Int(h.int(1) ?? 0)
            encoding = try enumValue(Encoding.self, h.int(2) ?? 0, "an encoding")
        case .dataPageV2:
            guard let h = s.structure(8) else { throw ParquetError.corrupt("a v2 data page without its header") }
            valueCount = Int(h.int(1) ?? 0)
            nullCount = Int(h.int(2) ?? 0)
            encoding = try enumValue(Encoding.self, h.int(4) ?? 0, "an encoding")
            definitionLevelsBytes = Int(h.int(5) ?? 0)
            repetitionLevelsBytes = Int(h.int(6) ?? 0)
            valuesCompressed = h.bool(7) ?? true
            guard definitionLevelsBytes >= 0, repetitionLevelsBytes >= 0,
                  definitionLevelsBytes + repetitionLevelsBytes <= compressedSize else {
                throw ParquetError.corrupt("a v2 data page whose level lengths exceed the page")
            }
        case .dictionaryPage:
            guard let h = s.structure(7) else { throw ParquetError.corrupt("a dictionary page without its header") }
            valueCount = Int(h.int(1) ?? 0)
            encoding = try enumValue(Encoding.self, h.int(2) ?? 0, "an encoding")
        case .indexPage:
            valueCount = 0; encoding = .plain
        }
        guard valueCount >= 0 else { throw ParquetError.corrupt("a page with a negative value count") }
    }
}

func enumValue<E: RawRepresentable>(_: E.Type, _ raw: Int64, _ what: String) throws -> E where E.RawValue == Int64 {
    guard let e = E(rawValue: raw) else { throw ParquetError.unsupported("\(what) \(raw)") }
    return e
}
