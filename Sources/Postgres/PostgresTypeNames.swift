// Type names for messages: a column Tenure cannot read is named by its SQL type, not its OID.
extension PostgresType {
    public static func name(_ oid: UInt32) -> String {
        switch oid {
        case bool: return "boolean"
        case int2: return "smallint"
        case int4: return "integer"
        case int8: return "bigint"
        case text: return "text"
        case float4: return "real"
        case float8: return "double precision"
        case bpchar: return "character"
        case varchar: return "character varying"
        case name: return "name"
        case date: return "date"
        case timestamp: return "timestamp"
        case timestamptz: return "timestamptz"
        case numeric: return "numeric"
        case 114: return "json"
        case 3802: return "jsonb"
        case 2950: return "uuid"
        case 17: return "bytea"
        case 1083: return "time"
        case 1186: return "interval"
        default: return "OID \(oid)"
        }
    }
}
