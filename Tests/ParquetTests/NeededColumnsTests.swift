// The reader touches only what it needs: with every page of an unneeded column overwritten, the event columns
// still read to the same values (and reading the damaged column itself is refused), so the footer's offsets,
// not a scan of the file, lead to the pages.
import Foundation
import Testing
@testable import Parquet

@Suite("Parquet reads only the needed columns")
struct NeededColumnsTests {
    @Test("damaging an unneeded column's chunks leaves the event columns readable and unchanged",
          arguments: ["pyarrow-none-v1.parquet", "pyarrow-zstd-v2.parquet", "duckdb-snappy.parquet"])
    func untouched(name: String) throws {
        let url = ParquetReaderTests.fixtures.appendingPathComponent(name)
        let good = try ParquetFile(path: url.path)
        var bytes = try Data(contentsOf: url)
        let victim = try #require(good.column(named: "count32"))
        for group in good.metadata.rowGroups {
            let chunk = group.columns[victim.index]
            for k in Int(chunk.start)..<Int(chunk.start + chunk.totalCompressedSize) { bytes[k] = 0xFF }
        }
        let damaged = try ParquetFile(data: bytes, path: name)
        func events(_ f: ParquetFile) throws -> EventColumns {
            try EventColumns(file: f, user: "user_id", time: "timestamp", event: "event", eventRequired: true,
                             value: "value", valueRequired: true, threads: 2)
        }
        let a = try events(good), b = try events(damaged)
        func texts(_ ids: EventColumns.Identifiers?) -> [[UInt8]] { ids.map { i in (0..<i.count).map { Array(i[$0]) } } ?? [] }
        #expect(a.rows == b.rows && a.rows > 0)
        #expect(texts(a.users) == texts(b.users) && texts(a.events) == texts(b.events))
        #expect(a.values == b.values && a.valueNull == b.valueNull)
        #expect(throws: ParquetError.self) { _ = try damaged.read(victim, threads: 2) }
    }

    @Test("text columns kept as dictionaries spell out to the rows a plain read gives", arguments: ParquetReaderTests.names)
    func dictionaries(name: String) throws {
        let f = try ParquetFile(path: ParquetReaderTests.fixtures.appendingPathComponent(name).path)
        for column in ["user_id", "event"] {
            let c = try #require(f.column(named: column))
            let plain = try f.read(c, threads: 2), kept = try f.read(c, threads: 2, keepDictionary: true)
            #expect(ParquetReaderTests.strings(kept.map(\.expanded)) == ParquetReaderTests.strings(plain), "\(name) \(column)")
        }
    }
}
