// Partial JSON files over built-in defaults (feature specs, playbooks): the file is a JSON merge patch
// (RFC 7396) applied to the default's JSON, field by field and into nested objects; arrays and scalars
// replace, `null` removes. The merged document is then decoded strictly, so every field is checked once.
import Foundation

/// Any JSON value, as far as merging needs to see it.
public enum JSONValue: Codable, Equatable, Sendable {
    case null, bool(Bool), int(Int), double(Double), string(String)
    case array([JSONValue]), object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null } else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) } else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) } else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case let .bool(b): try c.encode(b)
        case let .int(i): try c.encode(i)
        case let .double(d): try c.encode(d)
        case let .string(s): try c.encode(s)
        case let .array(a): try c.encode(a)
        case let .object(o): try c.encode(o)
        }
    }

    /// `patch` applied over `self` (RFC 7396). When a patch object sets one key of an `exclusive` set, the
    /// base's other keys of that set are dropped (e.g. a signal given `minCount` loses the default `minValue`).
    public func merged(with patch: JSONValue, exclusive: [Set<String>] = []) -> JSONValue {
        guard case let .object(p) = patch else { return patch }
        var base: [String: JSONValue] = [:]
        if case let .object(b) = self { base = b }
        for set in exclusive where !set.isDisjoint(with: p.keys) { for k in set where p[k] == nil { base[k] = nil } }
        for (k, v) in p {
            if v == .null { base[k] = nil } else { base[k] = (base[k] ?? .null).merged(with: v, exclusive: exclusive) }
        }
        return .object(base)
    }
}

/// Set in `userInfo` while a merged document is decoded, so a type's `init(from:)` decodes it strictly
/// instead of merging again.
public let mergedOverDefaultsKey = CodingUserInfoKey(rawValue: "tenure.mergedOverDefaults")!

extension Decoder {
    /// True when this value comes from a document already merged over the defaults.
    public var isMergedOverDefaults: Bool { userInfo[mergedOverDefaultsKey] as? Bool == true }

    /// The value this decoder holds, read as a patch over `defaults` and decoded strictly (see the file comment).
    public func decodeMerged<T: Codable>(over defaults: T, exclusive: [Set<String>] = []) throws -> T {
        let patch = try JSONValue(from: self)
        let base = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(defaults))
        let decoder = JSONDecoder()
        decoder.userInfo[mergedOverDefaultsKey] = true
        return try decoder.decode(T.self, from: JSONEncoder().encode(base.merged(with: patch, exclusive: exclusive)))
    }
}

/// The JSON path a decoding error is about (`segments.newUserDays`, `windows[2]`) and why, for messages that
/// name the field the user wrote.
public func describeDecodingError(_ error: Error) -> String {
    func path(_ keys: [CodingKey]) -> String {
        keys.reduce("") { s, k in k.intValue.map { "\(s)[\($0)]" } ?? (s.isEmpty ? k.stringValue : "\(s).\(k.stringValue)") }
    }
    guard let e = error as? DecodingError else { return "\(error)" }
    switch e {
    case let .typeMismatch(_, c), let .valueNotFound(_, c), let .dataCorrupted(c):
        let at = path(c.codingPath)
        return (at.isEmpty ? "" : "\(at): ") + c.debugDescription
    case let .keyNotFound(key, c):
        return "\(path(c.codingPath + [key])): missing"
    @unknown default: return "\(e)"
    }
}
