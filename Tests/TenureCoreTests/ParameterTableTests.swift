// The parameter-table facility on a small configuration: defaults applied once, values checked as they are
// applied, requires/conflicts, messages in the caller's spelling, JSON by stored key, name or LightGBM alias.
import Foundation
import TenureCore
import Testing

private struct Demo: Codable, Equatable, Sendable {
    var leaves = 0
    var rate = 0.0
    var mode = Mode.fast
    var extra: Double? = nil

    enum Mode: String, Codable, Sendable, CaseIterable, ParameterChoice { case fast, exact }

    init() { self = Demo.table.defaults }
    private init(blank: Void) {}

    init(from decoder: any Decoder) throws { self = try Demo.table.decode(from: decoder) }
    func encode(to encoder: any Encoder) throws { try Demo.table.encode(self, to: encoder) }

    static let table = ParameterTable<Demo>(blank: { Demo(blank: ()) }, [
        Parameter("num-leaves", \.leaves, lightGBM: ["num_leaves"], storedAs: "numLeaves", placeholder: "N", default: 31,
                  check: .within(2...64), doc: "leaves | per tree"),
        Parameter("rate", \.rate, placeholder: "R", default: 0.1, check: .positive, doc: "rate"),
        Parameter("mode", \.mode, placeholder: "M", default: .fast, doc: "mode"),
        Parameter("extra", \.extra, placeholder: "X", default: nil, check: .ifSet(.unitInterval), requires: ["rate"],
                  conflicts: ["mode"], doc: "extra"),
    ])
}

@Suite("Parameter tables")
struct ParameterTableTests {
    @Test("defaults come from the table; given values are parsed, checked and applied")
    func apply() throws {
        let d = Demo()
        #expect(d.leaves == 31 && d.rate == 0.1 && d.mode == .fast && d.extra == nil)
        let c = try Demo.table.configuration(["num-leaves": "8", "mode": "exact", "unrelated": "x"])
        #expect(c.leaves == 8 && c.mode == .exact && c.rate == 0.1)
        #expect(throws: ParameterError("--num-leaves must be in 2...64, got 1")) {
            try Demo.table.configuration(["num-leaves": "1"], spelling: { "--\($0)" })
        }
        #expect(throws: ParameterError("mode takes fast or exact, not 'slow'")) { try Demo.table.configuration(["mode": "slow"]) }
        #expect(throws: ParameterError("rate takes a number, not 'nan'")) { try Demo.table.configuration(["rate": "nan"]) }
        #expect(throws: ParameterError("extra needs rate")) { try Demo.table.configuration(["extra": "0.5"]) }
        #expect(throws: ParameterError("give mode or extra, not both")) {
            try Demo.table.configuration(["extra": "0.5", "rate": "1", "mode": "fast"])
        }
        var bad = Demo()
        bad.rate = -1
        #expect(throws: ParameterError("rate must be > 0, got -1.0")) { try Demo.table.validate(bad) }
    }

    @Test("settings leave unset values out; JSON is stored by its stored key and read by any name")
    func coding() throws {
        #expect(Demo.table.settings(Demo()) == ["num-leaves": "31", "rate": "0.1", "mode": "fast"])
        var c = Demo()
        c.leaves = 9; c.extra = 0.25
        let json = String(decoding: try JSONEncoder().encode(c), as: UTF8.self)
        #expect(json.contains("\"numLeaves\":9") && json.contains("\"extra\":0.25") && !json.contains("num-leaves"))
        #expect(try JSONDecoder().decode(Demo.self, from: Data(json.utf8)) == c)
        #expect(try JSONDecoder().decode(Demo.self, from: Data(#"{"num_leaves": 9, "extra": 0.25}"#.utf8)) == c)
        #expect(try JSONDecoder().decode(Demo.self, from: Data(#"{"num-leaves": 9, "extra": 0.25}"#.utf8)) == c)
        #expect(try JSONDecoder().decode(Demo.self, from: Data("{}".utf8)) == Demo())
        #expect(Demo.table.lightGBMBlock(c) == "[num_leaves: 9]\n")
    }

    @Test("the markdown table has one row per parameter, pipes escaped")
    func markdown() {
        let lines = Demo.table.markdown.split(separator: "\n")
        #expect(lines.count == 2 + 4)
        #expect(lines[2] == "| `--num-leaves` | `num_leaves` | `31` | in 2...64 | leaves \\| per tree |")
        #expect(lines[5].hasPrefix("| `--extra` |  | `none` | in [0, 1] |"))
    }
}
