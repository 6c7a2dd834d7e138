// Feature spec files: any field may be left out, nested ones too (merged over the defaults), and every value
// is range-checked when the file is read, the error naming the field. Before, a partial genuineActivity was
// refused, and 65 groups, huge windows or session gaps and maxEventCounts -1 were accepted (then crashed).
import Foundation
import Testing
@testable import Features

@Suite("Feature spec: partial files merge over the defaults")
struct SpecMergeTests {
    func decode(_ json: String) throws -> FeatureSpec { try JSONDecoder().decode(FeatureSpec.self, from: Data(json.utf8)) }

    @Test("one signal field: the rest of the signal and the other signals keep their defaults")
    func nestedSignal() throws {
        let spec = try decode(#"{"genuineActivity": {"spending": {"minValue": 50}}}"#)
        var expected = FeatureSpec.default
        expected.genuineActivity.spending?.minValue = 50
        #expect(spec == expected)
    }

    @Test("a spec that leaves out the social-app signals keeps the default ones")
    func onlySpending() throws {
        let spec = try decode(#"{"windows": [7, 28], "genuineActivity": {"spending": {"windowDays": 60}}}"#)
        #expect(spec.windows == [7, 28])
        #expect(spec.genuineActivity.spending?.windowDays == 60 && spec.genuineActivity.spending?.minValue == 100)
        #expect(spec.genuineActivity.creation == FeatureSpec.default.genuineActivity.creation)
        #expect(spec.genuineActivity.interaction == FeatureSpec.default.genuineActivity.interaction)
    }

    @Test("giving minCount replaces the default minValue (exactly one of them)")
    func exclusiveThreshold() throws {
        let spec = try decode(#"{"genuineActivity": {"spending": {"minCount": 2}}}"#)
        #expect(spec.genuineActivity.spending?.minCount == 2 && spec.genuineActivity.spending?.minValue == nil)
    }

    @Test("an empty file is the default; the default round-trips")
    func defaults() throws {
        #expect(try decode("{}") == .default)
        #expect(try JSONDecoder().decode(FeatureSpec.self, from: JSONEncoder().encode(FeatureSpec.default)) == .default)
    }

    @Test("a wrong type names its field")
    func typeError() {
        #expect { try decode(#"{"segments": 1, "sessionGapMinutes": "thirty"}"#) } throws: { error in
            "\(error)".contains("sessionGapMinutes")
        }
    }
}

@Suite("Feature spec: every value is range-checked, naming the field")
struct SpecRangeTests {
    static let groups65 = "[" + (0..<65).map { #"{"name": "g\#($0)", "events": ["e\#($0)"]}"# }.joined(separator: ",") + "]"

    static let cases: [(json: String, field: String)] = [
        (#"{"groups": \#(groups65)}"#, "groups"),
        (#"{"windows": [7, 999999999999999]}"#, "windows[1]"),
        (#"{"windows": [0]}"#, "windows[0]"),
        (#"{"windows": [-7]}"#, "windows[0]"),
        (#"{"windows": []}"#, "windows"),
        (#"{"sessionGapMinutes": 999999999999999}"#, "sessionGapMinutes"),
        (#"{"sessionGapMinutes": 0}"#, "sessionGapMinutes"),
        (#"{"maxEventCounts": -1}"#, "maxEventCounts"),
        (#"{"genuineActivity": {"creation": {"windowDays": 999999999999}}}"#, "genuineActivity.creation.windowDays"),
        (#"{"genuineActivity": {"interaction": {"windowDays": 0}}}"#, "genuineActivity.interaction.windowDays"),
        (#"{"genuineActivity": {"spending": {"minValue": -5}}}"#, "genuineActivity.spending.minValue"),
        (#"{"genuineActivity": {"creation": {"minCount": -1}}}"#, "genuineActivity.creation.minCount"),
        (#"{"groups": [{"name": "purchase", "events": ["purchase"]}]}"#, "genuineActivity.creation.group"),
        (#"{"version": 0}"#, "version"),
    ]

    @Test("refused with FeaturesError.invalidSpec naming the field", arguments: cases)
    func refused(_ c: (json: String, field: String)) {
        #expect { try JSONDecoder().decode(FeatureSpec.self, from: Data(c.json.utf8)) } throws: { error in
            guard case let FeaturesError.invalidSpec(why) = error else { return false }
            return why.hasPrefix(c.field + ":")
        }
    }

    @Test("NaN and infinity (only reachable from code) are refused by validate")
    func nonFinite() {
        for v in [Double.nan, .infinity] {
            var spec = FeatureSpec.default
            spec.genuineActivity.spending?.minValue = v
            #expect(throws: FeaturesError.self) { try spec.validate() }
        }
    }

    @Test("a spec file's error names the file and the field")
    func fileError() throws {
        let path = NSTemporaryDirectory() + "tenure-spec-\(UUID().uuidString).json"
        try Data(#"{"maxEventCounts": -1}"#.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect { try FeatureSpec.load(path: path) } throws: { "\($0)".contains(path) && "\($0)".contains("maxEventCounts") }
    }
}
