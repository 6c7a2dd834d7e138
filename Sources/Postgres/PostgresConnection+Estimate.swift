// The planner's row estimate of a query (EXPLAIN, not run), so a reader can size its columns once instead of
// growing them (each doubling copies every event read so far and faults its pages in again).
import CTenurePQ

extension PostgresConnection {
    /// The top plan node's `rows=` estimate, or nil when the plan cannot be had (the COPY then reports the
    /// query's real error).
    public func estimatedRows(_ query: String) -> Int? {
        guard let r = PQexec(conn, "EXPLAIN " + query) else { return nil }
        defer { PQclear(r) }
        guard PQresultStatus(r) == PGRES_TUPLES_OK, PQntuples(r) > 0, let line = PQgetvalue(r, 0, 0) else { return nil }
        let text = String(cString: line)
        guard let at = text.range(of: " rows=") else { return nil }
        return Int(text[at.upperBound...].prefix { $0.isNumber })
    }
}
