// A libpq connection for reading a query's rows through `COPY (…) TO STDOUT (FORMAT binary)`. Passwords come
// from libpq's usual places (PGPASSWORD, ~/.pgpass, the URI); they never appear in a message: every error and
// every recorded URI goes through `PostgresURI.redacted`.
import CTenurePQ
import Foundation
import TenureCore

public enum PostgresError: CategorizedError, CustomStringConvertible, Sendable, Equatable {
    case connection(uri: String, reason: String)
    case query(String, reason: String)
    case protocolError(String)
    case badValue(row: Int, column: String, reason: String)

    /// The database is where the data lives: a refused connection or a bad query is bad input (exit 2).
    public var category: ErrorCategory { .badInput }

    public var description: String {
        switch self {
        case let .connection(uri, reason): return "\(uri): cannot connect: \(reason)"
        case let .query(q, reason): return "query '\(q)': \(reason)"
        case let .protocolError(m): return "COPY stream: \(m)"
        case let .badValue(row, column, reason): return "row \(row), column '\(column)': \(reason)"
        }
    }
}

public enum PostgresURI {
    /// Does `--events` name a database rather than a file?
    public static func isURI(_ s: String) -> Bool { s.hasPrefix("postgresql://") || s.hasPrefix("postgres://") }

    /// The URI without a password (userinfo `user:secret@` → `user@`, `password=` parameters dropped), for
    /// messages and manifests.
    public static func redacted(_ uri: String) -> String {
        guard let scheme = uri.range(of: "://") else { return uri }
        var rest = String(uri[scheme.upperBound...])
        let hostEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        if let at = rest[..<hostEnd].lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") {
            rest.removeSubrange(colon..<at)
        }
        if let q = rest.firstIndex(of: "?") {
            let params = rest[rest.index(after: q)...].split(separator: "&").filter { !$0.lowercased().hasPrefix("password=") }
            rest = String(rest[..<q]) + (params.isEmpty ? "" : "?" + params.joined(separator: "&"))
        }
        return String(uri[..<scheme.upperBound]) + rest
    }
}

public final class PostgresConnection {
    let conn: OpaquePointer
    public let uri: String

    public init(uri: String) throws {
        self.uri = PostgresURI.redacted(uri)
        guard let c = PQconnectdb(uri) else { throw PostgresError.connection(uri: self.uri, reason: "libpq could not allocate a connection") }
        conn = c
        // Every stored property is set, so a throw from here runs deinit, which finishes the connection.
        guard PQstatus(c) == CONNECTION_OK else { throw PostgresError.connection(uri: self.uri, reason: Self.message(c)) }
    }

    deinit { PQfinish(conn) }

    static func message(_ c: OpaquePointer) -> String {
        String(cString: PQerrorMessage(c)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The result columns of `query` (names and type OIDs), without running it: prepared and described.
    public func describe(_ query: String) throws -> [(name: String, oid: UInt32)] {
        guard let prepared = PQprepare(conn, "", query, 0, nil) else { throw PostgresError.query(query, reason: Self.message(conn)) }
        defer { PQclear(prepared) }
        guard PQresultStatus(prepared) == PGRES_COMMAND_OK else { throw PostgresError.query(query, reason: Self.message(conn)) }
        guard let d = PQdescribePrepared(conn, "") else { throw PostgresError.query(query, reason: Self.message(conn)) }
        defer { PQclear(d) }
        guard PQresultStatus(d) == PGRES_COMMAND_OK else { throw PostgresError.query(query, reason: Self.message(conn)) }
        return (0..<PQnfields(d)).map { (String(cString: PQfname(d, $0)), PQftype(d, $0)) }
    }

    /// Runs a statement that returns no rows (DDL, INSERT, BEGIN/COMMIT).
    public func execute(_ sql: String) throws {
        guard let r = PQexec(conn, sql) else { throw PostgresError.query(sql, reason: Self.message(conn)) }
        defer { PQclear(r) }
        let s = PQresultStatus(r)
        guard s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK else { throw PostgresError.query(sql, reason: Self.message(conn)) }
    }

    /// Streams `COPY (query) TO STDOUT (FORMAT binary)`: the stream goes to `body` in order, in batches of whole
    /// CopyData messages (rows; the header with the first) received on a second thread (`CopyPipe`). A server
    /// that dies mid-stream or a failing query ends in an error, never a short read.
    public func copyOut(_ query: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let copy = "COPY (\(query)) TO STDOUT (FORMAT binary)"
        guard let start = PQexec(conn, copy) else { throw PostgresError.query(query, reason: Self.message(conn)) }
        let status = PQresultStatus(start)
        PQclear(start)
        guard status == PGRES_COPY_OUT else { throw PostgresError.query(query, reason: Self.message(conn)) }
        let pipe = CopyPipe(conn)
        let failure = pipe.run(body)
        if let broken = pipe.brokenStream { throw PostgresError.query(query, reason: "the stream broke: \(broken)") }
        var serverError: String?
        while let r = PQgetResult(conn) {
            if PQresultStatus(r) != PGRES_COMMAND_OK { serverError = Self.message(conn) }
            PQclear(r)
        }
        if let f = failure { throw f }
        if let e = serverError { throw PostgresError.query(query, reason: e) }
    }
}
