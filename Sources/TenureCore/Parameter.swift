// Parameter tables: each setting of a configuration type is declared once — its name (the kebab-case flag the
// user types), LightGBM's name where one exists, default, range check and one-line doc — the way LightGBM's
// config.h declares its parameters. Command-line options, --help, JSON decoding, validation messages, the
// settings a model stores, the LightGBM parameter block and the README tables are all read off the table.
import Foundation

/// A type a parameter can hold: read from the text a user types (a flag value, or a JSON value turned into
/// text), written back as text that reads back to the same value, and stored in model files as JSON.
public protocol ParameterValue: Codable, Sendable, Equatable {
    init?(parameterText: String)
    var parameterText: String { get }
    /// True for a setting that is not in force (an Optional's nil): left out of stored settings and files.
    var isUnset: Bool { get }
    /// What the text must look like, for messages: "a whole number".
    static var expectation: String { get }
}

extension ParameterValue {
    public var isUnset: Bool { false }
}

extension Int: ParameterValue {
    public init?(parameterText: String) { self.init(parameterText) }
    public var parameterText: String { String(self) }
    public static var expectation: String { "a whole number" }
}

extension UInt64: ParameterValue {
    public init?(parameterText: String) { self.init(parameterText) }
    public var parameterText: String { String(self) }
    public static var expectation: String { "a whole number ≥ 0" }
}

extension Double: ParameterValue {
    public init?(parameterText: String) {
        guard let v = Double(parameterText), v.isFinite else { return nil }
        self = v
    }
    /// Shortest round-trip text ("0.1", "1e-07", "20.0").
    public var parameterText: String { "\(self)" }
    public static var expectation: String { "a number" }
}

extension Array: ParameterValue where Element == Int {
    /// Comma-separated whole numbers, `+1` allowed ("1,0,-1"); empty text is the empty list.
    public init?(parameterText: String) {
        var out: [Int] = []
        for part in parameterText.split(separator: ",", omittingEmptySubsequences: false) {
            let t = part.trimmingCharacters(in: .whitespaces)
            guard let v = Int(t.hasPrefix("+") ? String(t.dropFirst()) : t) else {
                if parameterText.trimmingCharacters(in: .whitespaces).isEmpty { break }
                return nil
            }
            out.append(v)
        }
        self = out
    }
    public var parameterText: String { map(String.init).joined(separator: ",") }
    public static var expectation: String { "comma-separated whole numbers" }
}

extension Optional: ParameterValue where Wrapped: ParameterValue {
    /// nil stands for "not set" (a setting that only counts when given); it has no text.
    public init?(parameterText: String) {
        guard let w = Wrapped(parameterText: parameterText) else { return nil }
        self = .some(w)
    }
    public var parameterText: String { self?.parameterText ?? "" }
    public var isUnset: Bool { self == nil }
    public static var expectation: String { Wrapped.expectation }
}

/// A parameter whose values are a fixed set of names (an enum with string raw values).
public protocol ParameterChoice: ParameterValue, RawRepresentable, CaseIterable where RawValue == String {}

extension ParameterChoice {
    public init?(parameterText: String) { self.init(rawValue: parameterText) }
    public var parameterText: String { rawValue }
    public static var expectation: String {
        let names = allCases.map(\.rawValue)
        return names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " or " + names.last!
    }
}

/// A range check with the words that describe it ("in 2...65536"), shown in messages, --help and the README.
public struct Check<Value>: Sendable {
    public let text: String
    public let test: @Sendable (Value) -> Bool

    public init(_ text: String, _ test: @escaping @Sendable (Value) -> Bool) { self.text = text; self.test = test }

    public static var any: Check { Check("any") { _ in true } }
}

extension Check where Value: Comparable & Sendable {
    public static func within(_ r: ClosedRange<Value>) -> Check { Check("in \(r.lowerBound)...\(r.upperBound)") { r.contains($0) } }
    public static func atLeast(_ low: Value) -> Check { Check("≥ \(low)") { $0 >= low } }
}

extension Check where Value == Double {
    public static var positive: Check { Check("> 0") { $0 > 0 && $0.isFinite } }
    public static var nonNegative: Check { Check("≥ 0") { $0 >= 0 && $0.isFinite } }
    /// A share of rows or columns: (0, 1].
    public static var fraction: Check { Check("in (0, 1]") { $0 > 0 && $0 <= 1 } }
    public static var unitInterval: Check { Check("in [0, 1]") { $0 >= 0 && $0 <= 1 } }
}

extension Check {
    /// The check of a setting that may be unset: nil passes, a value must pass `wrapped`.
    public static func ifSet<W>(_ wrapped: Check<W>) -> Check where Value == W? {
        Check(wrapped.text) { $0.map(wrapped.test) ?? true }
    }
}

/// A parameter value that is malformed, out of range or in conflict with another; always worded with the
/// spelling the user gave (`--num-leaves`, `'num_leaves' in train.json`).
public struct ParameterError: CategorizedError, CustomStringConvertible, Sendable, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var category: ErrorCategory { .usage }
    public var description: String { message }

    public static func outOfRange(_ spelling: String, _ requirement: String, got: String) -> ParameterError {
        ParameterError("\(spelling) must be \(requirement), got \(got)")
    }
    public static func malformed(_ spelling: String, _ expectation: String, got: String) -> ParameterError {
        ParameterError("\(spelling) takes \(expectation), not '\(got)'")
    }
}

/// The coding key of a parameter in a JSON object: its name, an alias or a former name.
public struct ParameterKey: CodingKey, Hashable {
    public let stringValue: String
    public init(_ s: String) { stringValue = s }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public var intValue: Int? { nil }
    public init?(intValue: Int) { nil }
}

/// How a parameter is spelled in a message; by default its name, the CLI passes `--name`.
public typealias Spelling = @Sendable (_ name: String) -> String

/// One parameter of `Config`, type-erased so a table can list parameters of different value types.
public struct Parameter<Config>: Sendable {
    /// The kebab-case name: the flag (`--num-leaves`), the key of stored settings and of config files.
    public let name: String
    /// LightGBM's names for the same setting (the first is the canonical one, written in the export).
    public let lightGBM: [String]
    /// Its key in model files: the name, unless format 1 froze another spelling (GBDT's camelCase).
    public let storedAs: String
    /// The value placeholder in --help (`N`, `λ`).
    public let placeholder: String
    public let doc: String
    public let defaultText: String
    public let rangeText: String
    /// Parameters that must be given with this one (`l1-ratio` needs `alpha`).
    public let requires: [String]
    /// Parameters that cannot be given with this one (`l1` and `l2`).
    public let conflicts: [String]
    let applyText: @Sendable (inout Config, String, String) throws -> Void
    let textOf: @Sendable (Config) -> String?
    let checkValue: @Sendable (Config, String) throws -> Void
    let encodeValue: @Sendable (Config, inout KeyedEncodingContainer<ParameterKey>) throws -> Void
    let decodeValue: @Sendable (inout Config, KeyedDecodingContainer<ParameterKey>) throws -> Void
    let applyDefault: @Sendable (inout Config) -> Void

    /// A parameter read and written through `get`/`set` (for settings that are not one stored property).
    /// `parse` turns text into a value (nil = malformed; it may throw its own `ParameterError`, given the
    /// spelling); it defaults to `Value(parameterText:)`.
    public init<Value: ParameterValue>(
        _ name: String, lightGBM: [String] = [], storedAs: String? = nil, placeholder: String, default defaultValue: Value,
        check: Check<Value> = .any, requires: [String] = [], conflicts: [String] = [], doc: String,
        get: @escaping @Sendable (Config) -> Value, set: @escaping @Sendable (inout Config, Value) -> Void,
        parse: (@Sendable (String, String) throws -> Value?)? = nil
    ) {
        self.name = name; self.lightGBM = lightGBM; self.storedAs = storedAs ?? name; self.placeholder = placeholder
        self.doc = doc; self.rangeText = check.text; self.requires = requires; self.conflicts = conflicts
        self.defaultText = defaultValue.parameterText.isEmpty ? "none" : defaultValue.parameterText
        let parse = parse ?? { text, _ in Value(parameterText: text) }
        applyDefault = { set(&$0, defaultValue) }
        applyText = { config, text, spelling in
            guard let v = try parse(text, spelling) else { throw ParameterError.malformed(spelling, Value.expectation, got: text) }
            guard check.test(v) else { throw ParameterError.outOfRange(spelling, check.text, got: text) }
            set(&config, v)
        }
        textOf = { config in
            let v = get(config)
            return v.isUnset || v.parameterText.isEmpty ? nil : v.parameterText
        }
        checkValue = { config, spelling in
            let v = get(config)
            guard check.test(v) else { throw ParameterError.outOfRange(spelling, check.text, got: v.parameterText) }
        }
        let key = ParameterKey(storedAs ?? name)
        encodeValue = { config, c in
            let v = get(config)
            if !v.isUnset { try c.encode(v, forKey: key) }
        }
        let keys = ([key.stringValue, name] + lightGBM).map(ParameterKey.init)
        decodeValue = { config, c in
            for key in keys where c.contains(key) {
                set(&config, try c.decode(Value.self, forKey: key))
                return
            }
        }
    }

    /// A parameter that is one stored property of `Config`.
    public init<Value: ParameterValue>(
        _ name: String, _ keyPath: WritableKeyPath<Config, Value> & Sendable, lightGBM: [String] = [],
        storedAs: String? = nil, placeholder: String, default defaultValue: Value, check: Check<Value> = .any,
        requires: [String] = [], conflicts: [String] = [], doc: String, parse: (@Sendable (String, String) throws -> Value?)? = nil
    ) {
        self.init(name, lightGBM: lightGBM, storedAs: storedAs, placeholder: placeholder, default: defaultValue,
                  check: check, requires: requires, conflicts: conflicts, doc: doc, get: { $0[keyPath: keyPath] }, set: { $0[keyPath: keyPath] = $1 }, parse: parse)
    }

    /// Parses `text`, checks it and stores it; errors are worded with `spelling`.
    public func apply(_ text: String, to config: inout Config, spelling: String) throws {
        try applyText(&config, text, spelling)
    }

    /// The value's text, nil when the setting is unset.
    public func text(of config: Config) -> String? { textOf(config) }
}

/// The parameters of one configuration type, in the order --help and the README list them.
public struct ParameterTable<Config>: Sendable {
    public let parameters: [Parameter<Config>]
    /// A value whose every parameter is then set to its default (so each default is stated once, here).
    let blank: @Sendable () -> Config

    public init(blank: @escaping @Sendable () -> Config, _ parameters: [Parameter<Config>]) {
        self.blank = blank
        self.parameters = parameters
        precondition(Set(parameters.map(\.name)).count == parameters.count, "a parameter is declared twice")
    }

    /// The configuration with every parameter at its declared default.
    public var defaults: Config {
        var config = blank()
        for p in parameters { p.applyDefault(&config) }
        return config
    }

    public var names: [String] { parameters.map(\.name) }

    public subscript(name: String) -> Parameter<Config>? { parameters.first { $0.name == name } }

    /// Name of every LightGBM alias of this table.
    public var aliases: [String: String] {
        var out: [String: String] = [:]
        for p in parameters { for a in p.lightGBM { out[a] = p.name } }
        return out
    }

    /// The defaults with `given` (parameter name → text) applied in table order; names not in the table are
    /// ignored (they belong to another table). Each value is range-checked as it is applied.
    public func configuration(_ given: [String: String], over base: Config? = nil,
                              spelling: Spelling = { $0 }) throws -> Config {
        var config = base ?? defaults
        for p in parameters where given[p.name] != nil {
            for r in p.requires where given[r] == nil { throw ParameterError("\(spelling(p.name)) needs \(spelling(r))") }
            for c in p.conflicts where given[c] != nil { throw ParameterError("give \(spelling(c)) or \(spelling(p.name)), not both") }
        }
        for p in parameters {
            guard let text = given[p.name] else { continue }
            try p.apply(text, to: &config, spelling: spelling(p.name))
        }
        return config
    }

    /// Throws `ParameterError` for the first parameter out of its range.
    public func validate(_ config: Config, spelling: Spelling = { $0 }) throws {
        for p in parameters { try p.checkValue(config, spelling(p.name)) }
    }

    /// Every set parameter's value as text, keyed by name (what a model stores).
    public func settings(_ config: Config) -> [String: String] {
        var out: [String: String] = [:]
        for p in parameters { if let t = p.text(of: config) { out[p.name] = t } }
        return out
    }

    /// `[lightgbm_name: value]` lines for every set parameter with a LightGBM name, in table order.
    public func lightGBMBlock(_ config: Config) -> String {
        var out = ""
        for p in parameters {
            guard let alias = p.lightGBM.first, let t = p.text(of: config) else { continue }
            out += "[\(alias): \(t)]\n"
        }
        return out
    }

    /// Encodes every set parameter under its stored key (sorted keys keep model files byte-identical).
    public func encode(_ config: Config, to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: ParameterKey.self)
        for p in parameters { try p.encodeValue(config, &c) }
    }

    /// Decodes a JSON object of parameters (by stored key, name or LightGBM alias); absent keys keep the
    /// defaults, unknown keys are ignored (a newer file's additions still load).
    public func decode(from decoder: any Decoder, over base: Config? = nil) throws -> Config {
        let c = try decoder.container(keyedBy: ParameterKey.self)
        var config = base ?? defaults
        for p in parameters { try p.decodeValue(&config, c) }
        return config
    }

    /// The README's table: flag, LightGBM name, default, range, meaning.
    public var markdown: String {
        var lines = ["| flag | LightGBM | default | range | meaning |", "|---|---|---|---|---|"]
        for p in parameters {
            let alias = p.lightGBM.isEmpty ? "" : p.lightGBM.map { "`\($0)`" }.joined(separator: ", ")
            let cells = ["`--\(p.name)`", alias, "`\(p.defaultText)`", p.rangeText, p.doc]
            lines.append("| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }
}

/// Worker threads: one range and default for every command and trainer that fans out.
public enum WorkerThreads {
    public static let range: ClosedRange<Int> = 1...256
    public static let `default` = 2
    public static let doc = "parallel workers"
}
