// The run manifest: the five fields read, the rest ignored, missing fields tolerated, wrong types refused.
import Foundation
import Testing
@testable import Report

@Suite struct ManifestReading {
    @Test func readsTheFieldsAndOrdersTiersHighToLow() throws {
        let m = try RunManifest.parse(Data(ReportFixture.manifestJSON.utf8), path: "m.json")
        #expect(m.asOf == "2026-07-01T00:00:00Z" && m.usersScored == 958 && m.modelSHA256 == "00ff")
        #expect(m.tiers.map(\.name) == ["high", "medium", "low"] && m.tiers.map(\.count) == [176, 67, 715])
        #expect(m.segments.map(\.name) == ["new user at risk", "silent high-value", "<b>fake</b> & co"])
        #expect(m.actions.count == 2)
    }

    @Test func missingFieldsAreFine() throws {
        let m = try RunManifest.parse(Data("{\"counts\": {\"tier\": {\"high\": 1}}}".utf8), path: "m.json")
        #expect(m.asOf == nil && m.usersScored == nil && m.segments.isEmpty && m.tiers.count == 1)
    }

    @Test func wrongTypesAndNonObjectsAreErrors() {
        #expect(throws: ReportError.badManifest(path: "m.json", reason: "not a JSON object")) {
            try RunManifest.parse(Data("[1,2]".utf8), path: "m.json")
        }
        #expect(throws: ReportError.badManifest(path: "m.json", reason: "users.scored is not a whole number")) {
            try RunManifest.parse(Data("{\"users\": {\"scored\": \"many\"}}".utf8), path: "m.json")
        }
        #expect(throws: ReportError.self) { try RunManifest.parse(Data("{\"counts\": {\"tier\": [1]}}".utf8), path: "m.json") }
    }
}
