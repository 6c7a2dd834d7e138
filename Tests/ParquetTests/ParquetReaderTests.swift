// Every fixture written by pyarrow and DuckDB (each codec, both page versions, dictionaries, the delta and
// byte-stream-split encodings, every timestamp unit and INT96; Tests/ParquetTests/make_fixtures.py) decodes to
// the very values the script wrote; damaged, truncated and non-Parquet bytes are refused with a reason.
import Foundation
import Testing
@testable import Parquet

@Suite("Parquet reader")
struct ParquetReaderTests {
    static let fixtures: URL = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
    static let names: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? [])
        .filter { $0.hasSuffix(".parquet") }.sorted()

    struct Expected: Decodable {
        var rows: Int
        var user_id: [String]
        var event: [String]
        var timestamp_ns: [Int64]
        var value: [String?]
        var count32: [Int64]
        var big64: [Int64]
        var ratio: [String]
        var flag: [Int64]
        var price_unscaled: [Int64]
        var day: [Int64]
    }

    static let expected: Expected = try! JSONDecoder().decode(Expected.self, from: Data(contentsOf: fixtures.appendingPathComponent("expected.json")))

    static func strings(_ v: [ColumnValues]) -> [String] {
        v.flatMap { c -> [String] in
            guard case .bytes(let b) = c.storage else { return [] }
            return (0..<b.count).map { String(decoding: b[$0], as: UTF8.self) }
        }
    }

    @Test("the fixtures are all there") func fixturesPresent() {
        #expect(Self.names.count >= 24, "\(Self.names)")
    }

    @Test("each fixture decodes to the values that were written", arguments: names)
    func decodes(name: String) throws {
        let file = try ParquetFile(path: Self.fixtures.appendingPathComponent(name).path)
        let e = Self.expected
        #expect(file.metadata.rows == Int64(e.rows))
        func column(_ n: String) throws -> (LeafColumn, [ColumnValues]) {
            let c = try #require(file.column(named: n), "\(name) has no column \(n): \(file.columns.map(\.name))")
            return (c, try file.read(c, threads: 2))
        }
        #expect(Self.strings(try column("user_id").1) == e.user_id)
        #expect(Self.strings(try column("event").1) == e.event)

        let (tc, tv) = try column("timestamp")
        #expect(tv.flatMap { try! #require($0.epochNanoseconds(tc.element)) } == e.timestamp_ns, "\(name): timestamps (\(tc.element.logical))")

        let (vc, vv) = try column("value")
        #expect(vc.maxDefinition == 1)
        let values: [String?] = vv.flatMap { c -> [String?] in
            let d = c.doubles(vc.element)!
            return d.indices.map { i in c.isNull?[i] == true ? nil : "\(d[i])" }
        }
        #expect(values == e.value, "\(name): optional doubles with nulls")

        let (c32, v32) = try column("count32")
        #expect(v32.flatMap { $0.doubles(c32.element)!.map { Int64($0) } } == e.count32)
        let (c64, v64) = try column("big64")
        #expect(v64.flatMap { $0.doubles(c64.element)!.map { Int64($0) } } == e.big64)
        let (cr, vr) = try column("ratio")
        #expect(vr.flatMap { $0.doubles(cr.element)!.map { "\($0)" } } == e.ratio)
        let (cf, vf) = try column("flag")
        #expect(vf.flatMap { $0.doubles(cf.element)!.map { Int64($0) } } == e.flag)
        let (cp, vp) = try column("price")
        #expect(vp.flatMap { $0.doubles(cp.element)!.map { Int64(($0 * 100).rounded()) } } == e.price_unscaled, "\(name): DECIMAL as \(String(describing: cp.element.type))")
        let (cd, vd) = try column("day")
        #expect(vd.flatMap { $0.epochNanoseconds(cd.element)!.map { $0 / 86_400_000_000_000 } } == e.day)

        if let nested = file.columns.first(where: { $0.name.hasPrefix("nested.") }) {
            #expect(throws: ParquetError.self, "a nested column is refused by name") { try file.read(nested) }
        }
    }

    @Test("wrong magic, a truncated file and a damaged footer are refused with the reason")
    func damaged() throws {
        let good = try Data(contentsOf: Self.fixtures.appendingPathComponent("pyarrow-snappy-v1.parquet"))
        func message(_ data: Data) -> String {
            do { _ = try ParquetFile(data: data, path: "x.parquet"); return "accepted" } catch { return "\(error)" }
        }
        #expect(message(Data("user_id,timestamp\n".utf8)).contains("not a Parquet file"))
        #expect(message(good.prefix(good.count - 100)).contains("truncated"))
        var footer = good
        let n = footer.count
        footer[n - 8] = 0xFF; footer[n - 7] = 0xFF; footer[n - 6] = 0xFF; footer[n - 5] = 0x7F
        #expect(message(footer).contains("footer length"))
        #expect(message(Data()).contains("not a Parquet file"))
    }

    @Test("no single flipped byte crashes the reader: each is decoded or refused")
    func flippedBytes() throws {
        let good = try Data(contentsOf: Self.fixtures.appendingPathComponent("pyarrow-zstd-v2.parquet"))
        var rng = UInt64(12345)
        for _ in 0..<400 {
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            var bad = good
            let at = Int(rng >> 33) % bad.count
            bad[at] ^= UInt8(truncatingIfNeeded: rng >> 13) | 1
            guard let f = try? ParquetFile(data: bad, path: "x.parquet") else { continue }
            for c in f.columns where c.isFlat { _ = try? f.read(c) }
        }
    }
}

@Suite("Parquet event columns")
struct EventColumnsTests {
    @Test("user, time, event and value come out row-aligned across row groups, nulls marked, a missing column named")
    func eventColumns() throws {
        let e = ParquetReaderTests.expected
        for name in ["pyarrow-snappy-v1.parquet", "pyarrow-int96.parquet", "duckdb-zstd.parquet"] {
            let file = try ParquetFile(path: ParquetReaderTests.fixtures.appendingPathComponent(name).path)
            let c = try EventColumns(file: file, user: "user_id", time: "timestamp", event: "event", eventRequired: true,
                                     value: "value", valueRequired: false, threads: 2)
            #expect(c.rows == e.rows)
            #expect((0..<c.rows).map { String(decoding: c.users[$0], as: UTF8.self) } == e.user_id)
            guard case .epochNanoseconds(let ns) = c.times else { Issue.record("\(name): times not read as timestamps"); continue }
            #expect(ns == e.timestamp_ns)
            #expect(c.valueNull.map { $0.filter { $0 }.count } == e.value.filter { $0 == nil }.count)
            // Integer ids are rendered in decimal.
            let ints = try EventColumns(file: file, user: "count32", time: "timestamp", event: nil, eventRequired: false,
                                        value: nil, valueRequired: false, threads: 1)
            #expect(String(decoding: ints.users[0], as: UTF8.self) == "\(e.count32[0])")
        }
        let file = try ParquetFile(path: ParquetReaderTests.fixtures.appendingPathComponent("pyarrow-plain.parquet").path)
        #expect { try EventColumns(file: file, user: "uid", time: "timestamp", event: nil, eventRequired: false, value: nil, valueRequired: false, threads: 1) }
            throws: { "\($0)".contains("no column 'uid'") }
    }
}
