// The run manifest is one type: what `json()` writes, `decode` reads back whole; anything else is refused
// naming the key; the report orders its splits and says whether the run used the report's model.
import Foundation
import Manifest
import Testing
@testable import Report

@Suite struct ManifestReading {
    @Test func whatIsWrittenIsReadBack() throws {
        let m = ReportFixture.manifest
        #expect(try RunManifest.decode(Data(try m.json()), path: "m.json") == m)
    }

    @Test func splitsAreOrderedTiersHighToLowThenByCount() {
        let m = ReportFixture.manifest
        let tiers = RunManifest.displayOrder(m.counts.tier)
        #expect(tiers.map(\.name) == ["high", "medium", "low"] && tiers.map(\.count) == [176, 67, 715])
        #expect(RunManifest.displayOrder(m.counts.segment).map(\.name) == ["new user at risk", "silent high-value", "<b>fake</b> & co"])
    }

    @Test func theReportSaysWhetherTheRunUsedThisModel() {
        let m = ReportFixture.manifest
        #expect(m.modelMatch("00FF") == "scored with this model")
        #expect(m.modelMatch("abcd").contains("DIFFERENT model") && m.modelMatch("abcd").contains("00ff"))
    }

    @Test func notAManifestIsRefusedNamingTheKey() throws {
        #expect(throws: RunManifestError.notAManifest(path: "m.json", reason: "the top level has the wrong type")) {
            try RunManifest.decode(Data("[1,2]".utf8), path: "m.json")
        }
        // The shape the old reader invented (model.sha256, no users.in_log...) is not a manifest.
        #expect(throws: RunManifestError.self) {
            try RunManifest.decode(Data("{\"as_of\": \"2026-07-01\", \"model\": {\"sha256\": \"00ff\"}}".utf8), path: "m.json")
        }
        var object = try #require(try JSONSerialization.jsonObject(with: Data(try ReportFixture.manifest.json())) as? [String: Any])
        var users = try #require(object["users"] as? [String: Any])
        users["scored"] = "many"
        object["users"] = users
        #expect(throws: RunManifestError.notAManifest(path: "m.json", reason: "users.scored has the wrong type")) {
            try RunManifest.decode(try JSONSerialization.data(withJSONObject: object), path: "m.json")
        }
        object["users"] = nil
        #expect(throws: RunManifestError.notAManifest(path: "m.json", reason: "users is missing")) {
            try RunManifest.decode(try JSONSerialization.data(withJSONObject: object), path: "m.json")
        }
    }

    @Test func aNewerManifestIsRefused() throws {
        var m = ReportFixture.manifest
        m.manifestVersion = RunManifest.currentVersion + 1
        #expect(throws: RunManifestError.newerVersion(path: "m.json", found: m.manifestVersion, newestSupported: RunManifest.currentVersion)) {
            try RunManifest.decode(Data(try m.json()), path: "m.json")
        }
    }
}
