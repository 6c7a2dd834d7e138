// Writing through a PostgresConnection: statements with bound parameters (values never spliced into SQL), small
// text results (catalog look-ups), `COPY … FROM STDIN` fed in chunks, and identifier quoting. The recall-list
// sink (PostgresSink) builds its one transaction from these.
import CTenurePQ
import Foundation

extension PostgresConnection {
    /// Runs `sql` with `$1…` bound to `parameters` (text; nil is NULL) and returns its rows as text (NULL as
    /// nil), for statements with small results. Statements without rows return [].
    @discardableResult
    public func query(_ sql: String, _ parameters: [String?] = []) throws -> [[String?]] {
        let copies = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { for p in copies { free(p) } }
        let values = copies.map { UnsafePointer<CChar>($0) }
        let result = values.withUnsafeBufferPointer { PQexecParams(conn, sql, Int32(values.count), nil, $0.baseAddress, nil, nil, 0) }
        guard let r = result else { throw PostgresError.query(sql, reason: Self.message(conn)) }
        defer { PQclear(r) }
        let status = PQresultStatus(r)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else { throw PostgresError.query(sql, reason: Self.message(conn)) }
        return (0..<PQntuples(r)).map { row in
            (0..<PQnfields(r)).map { col in PQgetisnull(r, row, col) == 1 ? nil : String(cString: PQgetvalue(r, row, col)) }
        }
    }

    /// Runs `copy` (a `COPY … FROM STDIN` statement) and feeds it the bytes `produce` sends; returns the rows
    /// the server stored. An error thrown by `produce` aborts the COPY (the server discards it) and is rethrown;
    /// a server that goes away mid-stream is an error, never a short write.
    @discardableResult
    public func copyIn(_ copy: String, _ produce: (_ send: (UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws -> Int {
        guard let start = PQexec(conn, copy) else { throw PostgresError.query(copy, reason: Self.message(conn)) }
        let status = PQresultStatus(start)
        PQclear(start)
        guard status == PGRES_COPY_IN else { throw PostgresError.query(copy, reason: Self.message(conn)) }
        var failure: Error?
        do {
            try produce { chunk in
                guard chunk.count > 0 else { return }
                guard PQputCopyData(conn, chunk.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(chunk.count)) == 1 else {
                    throw PostgresError.query(copy, reason: "the stream broke: \(Self.message(conn))")
                }
            }
        } catch { failure = error }
        let ended = PQputCopyEnd(conn, failure == nil ? nil : "the client stopped sending") == 1
        var serverError: String?, stored = 0
        while let r = PQgetResult(conn) {
            if PQresultStatus(r) == PGRES_COMMAND_OK { stored = Int(String(cString: PQcmdTuples(r))) ?? 0 } else { serverError = Self.message(conn) }
            PQclear(r)
        }
        if let f = failure { throw f }
        if let e = serverError { throw PostgresError.query(copy, reason: e) }
        guard ended else { throw PostgresError.query(copy, reason: "the stream broke: \(Self.message(conn))") }
        return stored
    }

    /// The server process serving this connection (what `pg_terminate_backend` and `pg_locks` name).
    public var backendPID: Int32 { PQbackendPID(conn) }

    /// `name` as a quoted SQL identifier: in double quotes, inner quotes doubled (any name is then one identifier,
    /// never SQL).
    public static func quoteIdentifier(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}

extension PostgresConnection {
    /// `value` as a quoted SQL string literal, escaped by libpq for this connection's encoding (for statements
    /// that take no parameters, such as COPY).
    public func literal(_ value: String) throws -> String {
        guard let p = PQescapeLiteral(conn, value, value.utf8.count) else { throw PostgresError.query("quoting '\(value)'", reason: Self.message(conn)) }
        defer { PQfreemem(p) }
        return String(cString: p)
    }
}
