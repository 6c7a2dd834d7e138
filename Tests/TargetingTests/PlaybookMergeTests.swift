// Playbook files: any field may be left out, nested ones too (merged over the built-in playbook), and every
// value is range-checked when the file is read, so `playbook --check` refuses what scoring would (both read
// through Playbook.load). Before, `{"segments": {"newUserDays": 14}}` was refused and a huge windowDays or an
// infinite cost accepted.
import Foundation
import Testing
@testable import Targeting

@Suite("Playbook: partial files merge over the default")
struct PlaybookMergeTests {
    func decode(_ json: String) throws -> Playbook { try JSONDecoder().decode(Playbook.self, from: Data(json.utf8)) }

    @Test("one segment parameter: every other field keeps its default")
    func oneSegmentField() throws {
        var expected = Playbook.default
        expected.segments.newUserDays = 14
        #expect(try decode(#"{"segments": {"newUserDays": 14}}"#) == expected)
    }

    @Test("the value window alone keeps the default events")
    func valueWindow() throws {
        let p = try decode(#"{"value": {"windowDays": 30}}"#)
        #expect(p.value == ValueDefinition(windowDays: 30, events: ["*"]))
        #expect(p.rules == Playbook.default.rules)
    }

    @Test("arrays replace: a file with its own actions and rules uses exactly those")
    func arraysReplace() throws {
        let p = try decode(#"{"actions": [{"id": "none", "description": "no", "cost": 0}], "rules": []}"#)
        #expect(p.actions.map(\.id) == ["none"] && p.rules.isEmpty)
        #expect(p.segments == Playbook.default.segments)
    }

    @Test("the default round-trips through its own JSON")
    func roundTrip() throws {
        #expect(try decode(Playbook.default.json()) == .default)
        #expect(try decode("{}") == .default)
    }
}

@Suite("Playbook: every value is range-checked, naming the field")
struct PlaybookRangeTests {
    static let cases: [(json: String, field: String)] = [
        (#"{"value": {"windowDays": 999999999999}}"#, "value.windowDays"),
        (#"{"value": {"windowDays": 0}}"#, "value.windowDays"),
        (#"{"value": {"events": []}}"#, "value.events"),
        (#"{"segments": {"newUserDays": -1}}"#, "segments.newUserDays"),
        (#"{"segments": {"newUserDays": 999999999999}}"#, "segments.newUserDays"),
        (#"{"segments": {"highValueTopShare": 1.5}}"#, "segments.highValueTopShare"),
        (#"{"segments": {"highValueMinimum": -1}}"#, "segments.highValueMinimum"),
        (#"{"segments": {"fallingActivityRatio": -0.5}}"#, "segments.fallingActivityRatio"),
        (#"{"actions": [{"id": "none", "description": "", "cost": 0}, {"id": "a", "description": "", "cost": -1}]}"#, "actions[1].cost"),
        (#"{"actions": [{"id": "x", "description": "", "cost": 0}], "rules": []}"#, "actions"),
        (#"{"rules": [{"when": {"minDaysInactive": -3}, "action": "none"}]}"#, "rules[0].when.minDaysInactive"),
        (#"{"rules": [{"when": {"minDaysInactive": 7, "maxDaysInactive": 3}, "action": "none"}]}"#, "rules[0].when"),
        (#"{"rules": [{"when": {"minScore": 2}, "action": "none"}]}"#, "rules[0].when.minScore"),
        (#"{"rules": [{"when": {}, "action": "call"}]}"#, "rules[0].action"),
        (#"{"rules": [{"when": {"tiers": ["urgent"]}, "action": "none"}]}"#, "rules[0].when.tiers"),
        (#"{"version": 0}"#, "version"),
    ]

    @Test("refused with TargetingError.invalidPlaybook naming the field", arguments: cases)
    func refused(_ c: (json: String, field: String)) {
        #expect { try JSONDecoder().decode(Playbook.self, from: Data(c.json.utf8)) } throws: { error in
            guard case let TargetingError.invalidPlaybook(why) = error else { return false }
            return why.hasPrefix(c.field + ":")
        }
    }

    @Test("NaN and infinity (only reachable from code) are refused by validate")
    func nonFinite() {
        for v in [Double.nan, .infinity, -.infinity] {
            var p = Playbook.default
            p.actions[1].cost = v
            #expect(throws: TargetingError.self) { try p.validate() }
            p = .default
            p.segments.highValueMinimum = v
            #expect(throws: TargetingError.self) { try p.validate() }
        }
    }

    @Test("Playbook.load (behind both --check and scoring) names the file and the field")
    func loadNamesFileAndField() throws {
        let path = NSTemporaryDirectory() + "tenure-playbook-\(UUID().uuidString).json"
        try Data(#"{"value": {"windowDays": 999999999999}}"#.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect { try Playbook.load(path: path) } throws: { "\($0)".contains(path) && "\($0)".contains("value.windowDays") }
    }
}
