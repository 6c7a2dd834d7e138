// copyOut receives on a second thread and hands over batches of whole rows (CopyPipe): rows larger than a
// batch arrive whole and in order, many rows share one call, and a failing consumer still leaves the
// connection usable.
import Foundation
import Testing
import TestSupport
@testable import Postgres

@Suite("COPY receive pipe", .serialized)
struct CopyPipeTests {
    static func connect() throws -> PostgresConnection { try PostgresConnection(uri: try PostgresCluster.uri.get()) }

    @Test("rows larger than a batch arrive whole, in order, between small ones")
    func oversizedRows() throws {
        let c = try Self.connect()
        let big = CopyPipe.batchBytes * 3 + 7
        let sizes = [5, big, 1, CopyPipe.batchBytes, 3, CopyPipe.batchBytes - 20, big, 2]
        let query = "SELECT g AS k, repeat(chr(97 + g), (ARRAY[\(sizes.map(String.init).joined(separator: ","))])[g]) AS s "
            + "FROM generate_series(1, \(sizes.count)) g ORDER BY g"
        var decoder = CopyBinaryDecoder(columns: try c.describe(query))
        var seen: [(Int64, Int, Bool)] = []
        try c.copyOut(query) { chunk in
            try decoder.feed(chunk) { row in
                guard case .integer(let k) = row[0], case .text(let s) = row[1] else { return }
                seen.append((k, s.count, s.allSatisfy { $0 == UInt8(97 + k) }))
            }
        }
        #expect(seen.map(\.0) == (1...Int64(sizes.count)).map { $0 })
        #expect(seen.map(\.1) == sizes)
        let everyRowWhole = seen.allSatisfy { $0.2 }
        #expect(everyRowWhole)
    }

    @Test("many rows share one call of the consumer")
    func batches() throws {
        let c = try Self.connect()
        let query = "SELECT g::bigint AS k FROM generate_series(1, 200000) g"
        var decoder = CopyBinaryDecoder(columns: try c.describe(query))
        var calls = 0, rows = 0
        try c.copyOut(query) { chunk in
            calls += 1
            try decoder.feed(chunk) { _ in rows += 1 }
        }
        // 200,000 rows of 14 bytes fill about three 1 MiB batches; one call per row would be 200,001 calls.
        #expect(rows == 200_000 && calls <= 10)
    }

    @Test("a consumer that fails mid-stream gets its error; the stream is drained and the connection still works")
    func failingConsumer() throws {
        struct Stop: Error {}
        let c = try Self.connect()
        let query = "SELECT g::bigint AS k FROM generate_series(1, 2000000) g"
        var calls = 0
        #expect(throws: Stop.self) {
            try c.copyOut(query) { _ in calls += 1; throw Stop() }
        }
        #expect(calls == 1)
        #expect(try c.describe("SELECT 1 AS one").map(\.name) == ["one"])
        var decoder = CopyBinaryDecoder(columns: try c.describe(query))
        var rows = 0
        try c.copyOut(query) { chunk in try decoder.feed(chunk) { _ in rows += 1 } }
        #expect(rows == 2_000_000)
    }
}
