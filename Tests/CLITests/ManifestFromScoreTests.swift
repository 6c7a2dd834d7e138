// The manifest `tenure score --out DIR/` writes is the one `tenure report --manifest` reads: the report shows
// the run's split and says whether the run used the report's model (same SHA-256) or a different one.
import Foundation
import Testing
import TestSupport

@Suite("CLI score manifest into report")
struct ManifestFromScoreTests {
    @Test func theReportRecognisesTheRunsModel() throws {
        let scratch = try Scratch()
        let logistic = Repository.path("models/demo-churn-logistic.tenure"), gbdt = Repository.path("models/demo-churn-gbdt.tenure")
        let score = try Tenure.run(["score", "--model", logistic, "--events", Repository.path("datasets/demo/events.csv.gz"),
                                    "--as-of", "2026-06-28", "--out", scratch.path("tonight") + "/"])
        try #require(score.status == 0, "score: \(score.stderr)")
        let manifest = scratch.path("tonight/manifest.json")

        let same = try Tenure.run(["report", "--model", logistic, "--manifest", manifest, "--out", scratch.path("same.html")])
        #expect(same.status == 0, "\(same.stderr)")
        let sameHTML = String(decoding: try #require(scratch.bytes("same.html")), as: UTF8.self)
        #expect(sameHTML.contains("scored with this model") && !sameHTML.contains("DIFFERENT model"))
        #expect(sameHTML.contains("data-chart=\"run-tiers\"") && sameHTML.contains("data-chart=\"run-actions\""))
        #expect(sameHTML.contains("as of 2026-06-28"))

        let other = try Tenure.run(["report", "--model", gbdt, "--manifest", manifest, "--out", scratch.path("other.html")])
        #expect(other.status == 0, "\(other.stderr)")
        let otherHTML = String(decoding: try #require(scratch.bytes("other.html")), as: UTF8.self)
        #expect(otherHTML.contains("scored with a DIFFERENT model") && !otherHTML.contains("scored with this model"))
    }
}
