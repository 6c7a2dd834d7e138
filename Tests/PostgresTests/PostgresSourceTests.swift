// Binary COPY from a real (throwaway) PostgreSQL server: every type the event reader takes arrives with its
// value, NULLs as NULL; a refused connection, a bad query and a server killed mid-stream are clear errors;
// passwords never reach a message.
import Foundation
import Testing
import TestSupport
@testable import Postgres

@Suite("PostgreSQL source", .serialized)
struct PostgresSourceTests {
    static func connect() throws -> PostgresConnection { try PostgresConnection(uri: try PostgresCluster.uri.get()) }

    @Test("each supported type arrives through binary COPY with its value; NULL stays NULL")
    func types() throws {
        let c = try Self.connect()
        try c.execute("DROP TABLE IF EXISTS t_types")
        try c.execute("""
            CREATE TABLE t_types (u text, v varchar(20), ts timestamp, tz timestamptz, d date, i2 smallint, i4 int,
                                  i8 bigint, f4 real, f8 double precision, n numeric(12, 4), b boolean)
            """)
        try c.execute("""
            INSERT INTO t_types VALUES
              ('u1', 'é', '2026-03-01 10:00:00.123456', '2026-03-01 10:00:00+02', '2026-03-01', -3, 2000000000,
               -9000000000000, 1.5, 2.25, -1234.5678, true),
              (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
              ('u3', '', '1969-12-31 23:59:59', '1999-12-31 23:59:59.999999+00', '1999-12-31', 0, 0, 0, 0, 0, 0.0001, false)
            """)
        let query = "SELECT * FROM t_types"
        let columns = try c.describe(query)
        #expect(columns.map(\.name) == ["u", "v", "ts", "tz", "d", "i2", "i4", "i8", "f4", "f8", "n", "b"])
        var decoder = CopyBinaryDecoder(columns: columns)
        var rows: [[PostgresValue]] = []
        try c.copyOut(query) { chunk in try decoder.feed(chunk) { rows.append($0) } }
        #expect(decoder.finished && rows.count == 3)
        let march1 = Int64(1_772_359_200) // 2026-03-01T10:00:00Z
        #expect(rows[0] == [.text(Array("u1".utf8)), .text(Array("é".utf8)), .timestampMicros(march1 * 1_000_000 + 123_456),
                            .timestampMicros((march1 - 7200) * 1_000_000), .date(20_513), .integer(-3), .integer(2_000_000_000),
                            .integer(-9_000_000_000_000), .double(1.5), .double(2.25), .double(-1234.5678), .bool(true)])
        #expect(rows[1] == [PostgresValue](repeating: .null, count: 12))
        #expect(rows[2][2] == .timestampMicros(-1_000_000) && rows[2][3] == .timestampMicros(946_684_799_999_999))
        #expect(rows[2][4] == .date(10_956) && rows[2][10] == .double(0.0001))
    }

    @Test("a million rows stream through in order")
    func stream() throws {
        let c = try Self.connect()
        let query = "SELECT g::bigint AS k, 'user' || (g % 1000) AS u FROM generate_series(1, 1000000) g"
        var decoder = CopyBinaryDecoder(columns: try c.describe(query))
        var sum: Int64 = 0, count = 0
        try c.copyOut(query) { chunk in
            try decoder.feed(chunk) { row in
                if case .integer(let k) = row[0] { sum += k }
                count += 1
            }
        }
        #expect(count == 1_000_000 && sum == 500_000_500_000)
    }

    @Test("a refused connection and a bad query are clear errors; the password is never shown")
    func failures() throws {
        let uri = try PostgresCluster.uri.get()
        let dead = "postgresql://tenure:s3cret@/tenure?host=/nonexistent-socket-dir&password=s3cret"
        #expect { try PostgresConnection(uri: dead) } throws: { e in
            let m = "\(e)"
            return m.contains("cannot connect") && !m.contains("s3cret") && m.contains("postgresql://tenure@/tenure?host=/nonexistent-socket-dir")
        }
        let c = try PostgresConnection(uri: uri)
        #expect { try c.describe("SELECT nope FROM missing_table") } throws: { "\($0)".contains("missing_table") }
        #expect { try c.copyOut("SELECT 1/0") { _ in } } throws: { "\($0)".contains("division by zero") }
        // The connection is still usable after a failed COPY.
        #expect(try c.describe("SELECT 1 AS one").map(\.name) == ["one"])
    }

    @Test("a server that ends mid-stream is an error, not a short read")
    func killedMidStream() throws {
        let c = try Self.connect()
        let victim = try Self.connect()
        // Terminate the streaming backend from another session after the first rows arrived.
        let pidQuery = "SELECT pg_backend_pid()::bigint AS pid"
        var decoder = CopyBinaryDecoder(columns: try victim.describe(pidQuery))
        var pid: Int64 = 0
        try victim.copyOut(pidQuery) { chunk in try decoder.feed(chunk) { if case .integer(let p) = $0[0] { pid = p } } }
        let big = "SELECT g::bigint FROM generate_series(1, 50000000) g"
        var d = CopyBinaryDecoder(columns: try victim.describe(big))
        var seen = 0, killed = false
        #expect(throws: PostgresError.self) {
            try victim.copyOut(big) { chunk in
                try d.feed(chunk) { _ in seen += 1 }
                if seen > 10_000 && !killed { killed = true; try c.execute("SELECT pg_terminate_backend(\(pid))") }
            }
        }
        #expect(killed && seen < 50_000_000)
    }

    @Test("URIs lose their password however it is given")
    func redaction() {
        #expect(PostgresURI.redacted("postgresql://ops:pw@db.example:5432/events?sslmode=require&password=pw") == "postgresql://ops@db.example:5432/events?sslmode=require")
        #expect(PostgresURI.redacted("postgres://db/events") == "postgres://db/events")
        #expect(PostgresURI.isURI("postgres://db/x") && PostgresURI.isURI("postgresql://db/x") && !PostgresURI.isURI("events.csv"))
    }
}
