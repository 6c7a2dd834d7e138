// Command-line parsing: each command declares its options once (name, value placeholder, help, and the default
// for --help, read off the library's declaration); the same list drives parsing, `--help` and `--config FILE`.
// `Arguments` holds only what was given: a flag not given reads as nil, and the default comes from the
// declaration that owns it (a parameter table, or the library type's own default). Unknown flags, missing
// values and values out of range exit 64 naming the flag as the user spelled it.
import Foundation
import TenureCore

struct UsageError: CategorizedError, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
    var category: ErrorCategory { .usage }
}

struct Option: Sendable {
    let name: String
    /// Placeholder for the value (`FILE`, `N`); nil for a boolean flag.
    let value: String?
    let help: String
    /// Shown in --help only; the value used when the flag is absent comes from the owning declaration.
    let defaultValue: String?
    /// Other names accepted as keys of a `--config` file (LightGBM's parameter names).
    let aliases: [String]
    /// A whole-number range checked when the command line is parsed, before the command does any work.
    let range: Check<Int>?

    init(_ name: String, _ value: String? = nil, default defaultValue: String? = nil, _ help: String, aliases: [String] = [],
         range: Check<Int>? = nil) {
        self.name = name; self.value = value; self.help = help; self.defaultValue = defaultValue; self.aliases = aliases
        self.range = range
    }

    /// A boolean flag: present or not.
    static func flag(_ name: String, _ help: String) -> Option { Option(name, nil, default: nil, help) }

    /// The option of a declared parameter: its doc, default and range.
    init<Config>(_ p: Parameter<Config>, prefix: String = "", range check: Check<Int>? = nil) {
        let range = p.rangeText == "any" ? "" : "; \(p.rangeText)"
        let lightGBM = p.lightGBM.first.map { "; LightGBM \($0)" } ?? ""
        self.init(p.name, p.placeholder, default: p.defaultText + range + lightGBM, prefix + p.doc, aliases: p.lightGBM, range: check)
    }

    /// The options of a parameter table, leaving out `excluding` (declared by another option list).
    static func of<Config>(_ table: ParameterTable<Config>, prefix: String = "", excluding: Set<String> = []) -> [Option] {
        table.parameters.filter { !excluding.contains($0.name) }.map { Option($0, prefix: prefix) }
    }

    /// Every command reads a JSON config file of option names to values.
    static let config = Option("config", "FILE", "JSON object of option names to values (LightGBM's names too); flags win over it")
}

struct Command: Sendable {
    let name: String
    let summary: String
    let usage: String
    let options: [Option]
    let run: @Sendable (Arguments) throws -> Void

    init(name: String, summary: String, usage: String, options: [Option], run: @escaping @Sendable (Arguments) throws -> Void) {
        self.name = name; self.summary = summary; self.usage = usage
        self.options = options.contains { $0.name == "config" } ? options : options + [Option.config]
        precondition(Set(self.options.map(\.name)).count == self.options.count, "tenure \(name) declares an option twice")
        // A parameter out of range is a usage error like any other.
        self.run = { a in
            do { try run(a) } catch let e as ParameterError { throw UsageError(e.message) }
        }
    }

    var help: String {
        var lines = ["usage: tenure \(name) \(usage)", "", summary, "", "options:"]
        let all = options + [Option.flag("help", "show this help")]
        let width = all.map { "--\($0.name)\($0.value.map { " " + $0 } ?? "")".count }.max() ?? 10
        for o in all {
            let flag = "--\(o.name)\(o.value.map { " " + $0 } ?? "")"
            let pad = String(repeating: " ", count: width - flag.count + 2)
            lines.append("  \(flag)\(pad)\(o.help)\(o.defaultValue.map { " (default: \($0))" } ?? "")")
        }
        return lines.joined(separator: "\n")
    }
}

/// Parsed values of one command line (and its `--config` file), with typed accessors that throw `UsageError`.
/// Every accessor returns nil for an option that was not given.
struct Arguments {
    private(set) var values: [String: String] = [:]
    private(set) var flags: Set<String> = []
    private(set) var positionals: [String] = []
    /// How each given value was spelled, for messages: `--num-leaves`, or `'num_leaves' in train.json`.
    private var origins: [String: String] = [:]
    let command: Command

    init(_ argv: [String], command: Command) throws {
        self.command = command
        let known = Dictionary(command.options.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var i = 0
        while i < argv.count {
            let arg = argv[i]
            if arg == "--help" || arg == "-h" { flags.insert("help"); i += 1; continue }
            guard arg.hasPrefix("--"), arg.count > 2 else {
                if arg.hasPrefix("-") && arg != "-" { throw UsageError("unknown option '\(arg)' for 'tenure \(command.name)' (see --help)") }
                positionals.append(arg); i += 1; continue
            }
            var name = String(arg.dropFirst(2))
            var inline: String?
            if let eq = name.firstIndex(of: "=") { inline = String(name[name.index(after: eq)...]); name = String(name[..<eq]) }
            guard let option = known[name] else { throw UsageError("unknown option '--\(name)' for 'tenure \(command.name)' (see --help)") }
            if option.value == nil {
                guard inline == nil else { throw UsageError("--\(name) takes no value") }
                flags.insert(name)
                i += 1
                continue
            }
            if let inline { values[name] = inline; i += 1; continue }
            guard i + 1 < argv.count, !(argv[i + 1].hasPrefix("--") && argv[i + 1].count > 2) else {
                throw UsageError("--\(name) needs a value (\(option.value!))")
            }
            values[name] = argv[i + 1]
            i += 2
        }
        for name in values.keys { origins[name] = "--\(name)" }
        if let config = values["config"] { try merge(configFile: config) }
        for o in command.options { if let range = o.range { _ = try int(o.name, range) } }
    }

    /// A JSON object of option names (or LightGBM aliases) to values; the command line wins over the file.
    private mutating func merge(configFile path: String) throws {
        var byKey: [String: Option] = [:]
        for o in command.options where o.name != "config" {
            byKey[o.name] = o
            for a in o.aliases { byKey[a] = o }
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw UsageError("cannot read --config file \(path)") }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw UsageError("--config \(path): expected a JSON object of option names to values")
        }
        var fromFile: [String: String] = [:]
        for (key, raw) in object.sorted(by: { $0.key < $1.key }) {
            guard let option = byKey[key] else {
                throw UsageError("--config \(path): unknown option '\(key)' for 'tenure \(command.name)' (see --help)")
            }
            if let other = fromFile[option.name] {
                throw UsageError("--config \(path): '\(key)' and '\(other)' are the same option")
            }
            fromFile[option.name] = key
            if option.value == nil {
                guard let b = raw as? Bool else { throw UsageError("--config \(path): '\(key)' must be true or false") }
                if b && !flags.contains(option.name) { flags.insert(option.name) }
                continue
            }
            guard values[option.name] == nil else { continue }
            guard let text = Self.text(raw) else {
                throw UsageError("--config \(path): '\(key)' must be a string, a number or a list of them")
            }
            values[option.name] = text
            origins[option.name] = "'\(key)' in \(path)"
        }
    }

    /// A JSON value as the text a flag would take; lists become comma-separated.
    private static func text(_ raw: Any) -> String? {
        switch raw {
        case let s as String: return s
        case let n as NSNumber:
            if String(cString: n.objCType) == "c" { return nil }   // true/false: not a value
            return n.stringValue
        case let list as [Any]:
            let parts = list.map { text($0) }
            guard parts.allSatisfy({ $0 != nil && !$0!.contains(",") }) else { return nil }
            return parts.map { $0! }.joined(separator: ",")
        default: return nil
        }
    }

    func has(_ name: String) -> Bool { flags.contains(name) || values[name] != nil }
    func flag(_ name: String) -> Bool { flags.contains(name) }

    /// The value given for `name`, nil when it was not given.
    func string(_ name: String) -> String? { values[name] }

    /// The value given, or else the default this command's option declares (for options whose default no
    /// library type owns, such as `--out -` or a command's own `--cohort`).
    func stringOrDefault(_ name: String) -> String? {
        values[name] ?? command.options.first { $0.name == name }?.defaultValue
    }

    /// How the user spelled the option, for messages.
    func spelling(_ name: String) -> String { origins[name] ?? "--\(name)" }

    func required(_ name: String) throws -> String {
        guard let v = string(name) else { throw UsageError("'tenure \(command.name)' needs --\(name)") }
        return v
    }

    func int(_ name: String, orDefault: Bool = false) throws -> Int? {
        guard let s = orDefault ? stringOrDefault(name) : string(name) else { return nil }
        guard let v = Int(s) else { throw UsageError("\(spelling(name)) takes a whole number, not '\(s)'") }
        return v
    }

    func double(_ name: String, orDefault: Bool = false) throws -> Double? {
        guard let s = orDefault ? stringOrDefault(name) : string(name) else { return nil }
        guard let v = Double(s), v.isFinite else { throw UsageError("\(spelling(name)) takes a number, not '\(s)'") }
        return v
    }

    /// A whole number that passes `check` (checked before any work).
    func int(_ name: String, _ check: Check<Int>) throws -> Int? { try checked(name, try int(name), check) }

    /// A finite number that passes `check`.
    func double(_ name: String, _ check: Check<Double>) throws -> Double? { try checked(name, try double(name), check) }

    private func checked<T>(_ name: String, _ value: T?, _ check: Check<T>) throws -> T? {
        guard let value else { return nil }
        guard check.test(value) else { throw UsageError("\(spelling(name)) must be \(check.text), got \(value)") }
        return value
    }

    func list(_ name: String) -> [String]? {
        string(name).map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }

    /// Wraps a parse of a value so a bad value reads as a usage error naming the flag.
    func parsed<T>(_ name: String, _ parse: (String) throws -> T) throws -> T? {
        guard let s = string(name) else { return nil }
        do { return try parse(s) } catch { throw UsageError("\(spelling(name)): \(error)") }
    }

    /// The given values of a table's parameters, applied over the table's defaults (or `base`).
    func configuration<Config>(_ table: ParameterTable<Config>, over base: Config? = nil) throws -> Config {
        var given: [String: String] = [:]
        for name in table.names { if let v = values[name] { given[name] = v } }
        let origins = self.origins
        do { return try table.configuration(given, over: base, spelling: { origins[$0] ?? "--\($0)" }) } catch let e as ParameterError {
            throw UsageError(e.message)
        }
    }

    /// Options given, by name (flags as "true"): what a model records of its command line.
    var given: [String: String] {
        var out = values
        for f in flags where f != "help" { out[f] = "true" }
        return out
    }
}
