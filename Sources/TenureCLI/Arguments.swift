// Command-line parsing: each command declares its options once (name, value placeholder, default, help);
// the same table drives parsing, `--help` and validation. Unknown flags and missing values exit 64.
import Foundation

struct UsageError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

struct Option: Sendable {
    let name: String
    /// Placeholder for the value (`FILE`, `N`); nil for a boolean flag.
    let value: String?
    let help: String
    let defaultValue: String?

    init(_ name: String, _ value: String? = nil, default defaultValue: String? = nil, _ help: String) {
        self.name = name; self.value = value; self.help = help; self.defaultValue = defaultValue
    }

    /// A boolean flag: present or not.
    static func flag(_ name: String, _ help: String) -> Option { Option(name, nil, default: nil, help) }
}

struct Command: Sendable {
    let name: String
    let summary: String
    let usage: String
    let options: [Option]
    let run: @Sendable (Arguments) throws -> Void

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

/// Parsed values of one command line, with typed accessors that throw `UsageError`.
struct Arguments {
    private(set) var values: [String: String] = [:]
    private(set) var flags: Set<String> = []
    private(set) var positionals: [String] = []
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
        if let config = values["config"] { try merge(configFile: config, known: known) }
    }

    /// A JSON object of option names to values; the command line wins over the file.
    private mutating func merge(configFile path: String, known: [String: Option]) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw UsageError("cannot read --config file \(path)") }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw UsageError("--config \(path): expected a JSON object of option names to values")
        }
        for (key, raw) in object.sorted(by: { $0.key < $1.key }) {
            guard let option = known[key], key != "config" else { throw UsageError("--config \(path): unknown option '\(key)'") }
            if option.value == nil {
                guard let b = raw as? Bool else { throw UsageError("--config \(path): '\(key)' must be true or false") }
                if b { flags.insert(key) }
                continue
            }
            if values[key] != nil { continue }
            switch raw {
            case let s as String: values[key] = s
            case let n as NSNumber: values[key] = n.stringValue
            default: throw UsageError("--config \(path): '\(key)' must be a string or a number")
            }
        }
    }

    func has(_ name: String) -> Bool { flags.contains(name) || values[name] != nil }
    func flag(_ name: String) -> Bool { flags.contains(name) }

    func string(_ name: String) -> String? { values[name] ?? option(name)?.defaultValue }

    func required(_ name: String) throws -> String {
        guard let v = string(name) else { throw UsageError("'tenure \(command.name)' needs --\(name)") }
        return v
    }

    func int(_ name: String) throws -> Int? {
        guard let s = string(name) else { return nil }
        guard let v = Int(s) else { throw UsageError("--\(name) takes a whole number, not '\(s)'") }
        return v
    }

    func double(_ name: String) throws -> Double? {
        guard let s = string(name) else { return nil }
        guard let v = Double(s), v.isFinite else { throw UsageError("--\(name) takes a number, not '\(s)'") }
        return v
    }

    func list(_ name: String) -> [String]? {
        string(name).map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }

    /// Wraps a parse of a value so a bad value reads as a usage error naming the flag.
    func parsed<T>(_ name: String, _ parse: (String) throws -> T) throws -> T? {
        guard let s = string(name) else { return nil }
        do { return try parse(s) } catch { throw UsageError("--\(name): \(error)") }
    }

    private func option(_ name: String) -> Option? { command.options.first { $0.name == name } }
}
