// The HTML page: every section's chart when its input is given, an honest note when not, escaping,
// determinism and nothing that points outside the file.
import Foundation
import ModelFormat
import Testing
@testable import Report

/// `data-chart` ids of the page's SVG charts, in order.
func chartIDs(_ html: String) -> [String] {
    html.components(separatedBy: "data-chart=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
}

/// References that would make the page load something: URLs, src/href attributes, imports, scripts.
func externalReferences(_ html: String) -> [String] {
    var found: [String] = []
    for pattern in ["http://", "https://", "//www.", "src=", "href=", "@import", "<script", "<link", "<iframe", "<object", "<embed", "<img"]
    where html.range(of: pattern, options: .caseInsensitive) != nil { found.append(pattern) }
    for part in html.components(separatedBy: "url(").dropFirst() where !part.hasPrefix("#") { found.append("url(" + part.prefix(20)) }
    return found
}

@Suite struct FullReport {
    @Test func everySectionHasItsChart() throws {
        let html = try ModelReportPage.html(try ReportFixture.fullInput())
        #expect(chartIDs(html) == ["roc", "pr", "gains", "lift", "calibration", "calibration-counts", "distribution",
                                   "importance", "contributions", "backtest", "retention", "run-tiers", "run-segments", "run-actions", "drift"])
        for id in ["summary", "ranking", "calibration", "distribution", "importance", "backtest", "retention", "run", "drift"] {
            #expect(html.contains("<h2 id=\"\(id)\""), "section \(id)")
        }
        #expect(html.contains("scored with this model"))                       // SHA compare ignores case
        #expect(html.contains("in the training data") && html.contains("held out (validation)"))
        #expect(html.contains("&lt;b&gt;fake&lt;/b&gt; &amp; co") && !html.contains("<b>fake"))
        #expect(html.contains("alarm: day 1 under 18%"))
    }

    @Test func theFlaggedCohortCountIsTheTables() throws {
        let input = try ReportFixture.fullInput()
        let html = try ModelReportPage.html(input)
        let t = try #require(input.retention)
        #expect(t.flaggedCohorts.count > 0 && t.flaggedCohorts.count < t.cohorts.count)
        #expect(html.contains("<strong>\(t.flaggedCohorts.count) of \(t.cohorts.count) cohorts</strong>"))
    }

    @Test func sameInputSameBytesAndNothingExternal() throws {
        let a = try ModelReportPage.html(try ReportFixture.fullInput())
        let b = try ModelReportPage.html(try ReportFixture.makeFullInput())
        #expect(a == b)
        #expect(externalReferences(a) == [])
        #expect(externalReferences("<img src=\"http://x/y.png\">") == ["http://", "src=", "<img"])   // the check can fail
    }

    @Test func mismatchedColumnsThrow() throws {
        var input = try ReportFixture.fullInput()
        input.scored[0].labels.removeLast()
        #expect(throws: ReportError.mismatchedScores(cutoff: "2026-05-31", probabilities: 800, labels: 799)) {
            try ModelReportPage.html(input)
        }
    }
}

@Suite struct ModelOnlyReport {
    @Test func usesTheStoredMetricsAndSaysWhatIsMissing() throws {
        for name in ["demo-churn-gbdt.tenure", "demo-churn-logistic.tenure"] {
            let model = try ReportFixture.model(name)
            let html = try ModelReportPage.html(ReportInput(model: model, modelFile: name))
            #expect(chartIDs(html) == ["gains", "lift", "calibration", "calibration-counts", "distribution", "importance"])
            #expect(html.contains("not curve points"))
            #expect(html.contains("Per-user contributions need scored rows"))
            #expect(html.contains("Pass --events to add signup-cohort retention"))
            #expect(html.contains(String(format: "%.4f", try #require(model.validation?.rocAUC))))
            #expect(externalReferences(html) == [])
        }
    }

    @Test func storedCalibrationBinsRecoverThePositives() throws {
        // The model-only score distribution splits each calibration bin into label 1 = count × observed rate.
        let v = try #require(try ReportFixture.model().validation)
        let positives = v.calibration.map { (Double($0.count) * ($0.observedRate ?? 0)).rounded() }.reduce(0, +)
        #expect(Int(positives) == v.positives)
    }
}

@Suite struct Attribution {
    @Test func meanAbsoluteContributionMatchesARowByRowSum() throws {
        let model = try ReportFixture.model()
        let w = model.featureCount
        let x = ReportFixture.rows(10, width: w, seed: 9)
        let mean = try FeatureAttribution.meanAbsoluteContribution(model: model, x: x, rows: 10)
        var expected = [Double](repeating: 0, count: w)
        for r in 0..<10 {
            let phi = Array(x[(r * w)..<((r + 1) * w)]).withUnsafeBufferPointer { model.contributions($0) }
            for j in 0..<w { expected[j] += abs(phi[j]) / 10 }
        }
        for j in 0..<w { #expect(abs(mean[j] - expected[j]) < 1e-12) }
        #expect(mean.contains { $0 > 0 })
        #expect(throws: ReportError.badFeatureRows(expected: w, got: 5)) {
            try FeatureAttribution.meanAbsoluteContribution(model: model, x: [1, 2, 3, 4, 5], rows: 1)
        }
    }
}
