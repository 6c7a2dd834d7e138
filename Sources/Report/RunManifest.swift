// The fields of a scoring run's manifest.json (written by `tenure score --out DIR/`) the report shows;
// every other field is ignored and each of these may be missing.
import Foundation

public struct RunManifest: Sendable, Equatable {
    public var asOf: String?
    public var usersScored: Int?
    /// name → count, in display order (tiers high → low when named so, otherwise by count descending).
    public var tiers: [(name: String, count: Int)]
    public var segments: [(name: String, count: Int)]
    public var actions: [(name: String, count: Int)]
    public var modelSHA256: String?

    public static func == (a: RunManifest, b: RunManifest) -> Bool {
        a.asOf == b.asOf && a.usersScored == b.usersScored && a.modelSHA256 == b.modelSHA256
            && a.tiers.map(\.name) == b.tiers.map(\.name) && a.tiers.map(\.count) == b.tiers.map(\.count)
            && a.segments.map(\.name) == b.segments.map(\.name) && a.segments.map(\.count) == b.segments.map(\.count)
            && a.actions.map(\.name) == b.actions.map(\.name) && a.actions.map(\.count) == b.actions.map(\.count)
    }

    /// Reads `as_of`, `users.scored`, `counts.tier|segment|action` and `model.sha256`; a field of the wrong
    /// type is an error (it means the file is not what the caller thinks), a missing one is not.
    public static func parse(_ data: Data, path: String) throws -> RunManifest {
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ReportError.badManifest(path: path, reason: "not a JSON object")
        }
        func object(_ o: [String: Any], _ key: String, _ where_: String) throws -> [String: Any]? {
            guard let v = o[key], !(v is NSNull) else { return nil }
            guard let d = v as? [String: Any] else { throw ReportError.badManifest(path: path, reason: "\(where_) is not an object") }
            return d
        }
        func int(_ v: Any?, _ where_: String) throws -> Int? {
            guard let v, !(v is NSNull) else { return nil }
            guard let n = v as? NSNumber, n.doubleValue == n.doubleValue.rounded(), n.doubleValue >= 0 else {
                throw ReportError.badManifest(path: path, reason: "\(where_) is not a whole number")
            }
            return n.intValue
        }
        func string(_ v: Any?, _ where_: String) throws -> String? {
            guard let v, !(v is NSNull) else { return nil }
            guard let s = v as? String else { throw ReportError.badManifest(path: path, reason: "\(where_) is not a string") }
            return s
        }
        let counts = try object(root, "counts", "counts")
        func table(_ key: String) throws -> [(name: String, count: Int)] {
            guard let counts, let o = try object(counts, key, "counts.\(key)") else { return [] }
            var rows: [(name: String, count: Int)] = []
            for (k, v) in o { rows.append((k, try int(v, "counts.\(key).\(k)") ?? 0)) }
            let tierOrder = ["high", "medium", "low"]
            return rows.sorted { a, b in
                let ia = tierOrder.firstIndex(of: a.name.lowercased()), ib = tierOrder.firstIndex(of: b.name.lowercased())
                if let ia, let ib { return ia < ib }
                if (ia == nil) != (ib == nil) { return ia != nil }
                return a.count != b.count ? a.count > b.count : a.name < b.name
            }
        }
        return RunManifest(
            asOf: try string(root["as_of"], "as_of"),
            usersScored: try int(try object(root, "users", "users")?["scored"], "users.scored"),
            tiers: try table("tier"), segments: try table("segment"), actions: try table("action"),
            modelSHA256: try string(try object(root, "model", "model")?["sha256"], "model.sha256"))
    }
}
