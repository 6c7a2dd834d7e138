// The report for the operations team: a verdict in words at the top, honest about in-sample and weak
// results; the run's list rather than everyone scored; drift named; every chart's terms explained; labels
// placed clear of each other; tooltips rounded.
import Foundation
import Evaluation
import ModelFormat
import Testing
@testable import Report

/// The SVG of chart `id` in `html`.
func chart(_ id: String, in html: String) throws -> String {
    let start = try #require(html.range(of: "data-chart=\"\(id)\""), "chart \(id) missing")
    let end = try #require(html.range(of: "</svg>", range: start.upperBound..<html.endIndex))
    return String(html[start.lowerBound..<end.upperBound])
}

/// The verdict block at the top of the page.
func verdict(_ html: String) throws -> String {
    let start = try #require(html.range(of: "<div class=\"verdict\""))
    let end = try #require(html.range(of: "</div>", range: start.upperBound..<html.endIndex))
    return String(html[start.lowerBound..<end.upperBound])
}

@Suite struct Verdict {
    @Test func theStoredValidationSaysWhatTheTopTenPercentHolds() throws {
        let model = try ReportFixture.model()
        let v = try #require(model.validation)
        let top = try #require(v.topK.first { abs($0.fraction - 0.1) < 1e-9 })
        let html = try ModelReportPage.html(ReportInput(model: model, modelFile: "m.tenure"))
        let text = try verdict(html)
        let days = model.label.horizon.millis / 86_400_000
        let expected = "Of the users who left in the \(days) days after \(model.training.validCutoffs.joined(separator: " or ")), the top 10% of scores held "
            + String(format: "%.0f%%", 100 * (top.recall ?? 0)) + " — " + String(format: "%.1f", top.lift ?? 0) + " times random."
        #expect(text.contains(expected), "\(text)")
        #expect(html.range(of: "class=\"verdict\"")!.lowerBound < html.range(of: "id=\"summary\"")!.lowerBound)   // first
        #expect(!text.contains("barely better than random"))
    }

    @Test func inSampleCutoffsAreSaidToBeTrainedOn() throws {
        let input = try ReportFixture.fullInput()
        let text = try verdict(try ModelReportPage.html(input))
        // 2026-05-31 and 2026-06-07 are training cutoffs of the demo model; 2026-06-14 is its validation cutoff.
        #expect(input.model.training.trainCutoffs.contains("2026-05-31") && input.model.training.validCutoffs == ["2026-06-14"])
        #expect(text.contains("2026-05-31, 2026-06-07: trained on these cutoffs"))
        #expect(text.contains("after 2026-06-14, the top 10% of scores held"))
    }

    @Test func aHeldOutAUCUnderPointSixIsBarelyBetterThanRandom() throws {
        var input = try ReportFixture.fullInput()
        // Scores that know nothing about the labels: AUC near 0.5.
        var noise = ReportFixture.scored("2026-06-14", rows: 900, seed: 3)
        noise.probabilities = ReportFixture.scored("x", rows: 900, seed: 77).probabilities
        input.scored[2] = noise
        input.scored.append(ReportFixture.scored("2026-06-21", rows: 900, seed: 5))
        input.scored[2].meanAbsContribution = nil
        let html = try ModelReportPage.html(input)
        let text = try verdict(html)
        let auc = try #require(try Metrics.evaluate(probabilities: noise.probabilities, labels: noise.labels).rocAUC)
        #expect(auc < 0.6)
        #expect(!text.contains("That is barely better than random"), "the latest held-out cutoff (06-21) is fine")
        // An earlier held-out cutoff under 0.6 is named in the verdict and flagged in the backtest table.
        #expect(text.contains("Backtest: 2026-06-14 has ROC AUC \(String(format: "%.2f", auc)) — barely better than random."))
        #expect(html.contains("\(String(format: "%.4f", auc)) (barely better than random)</td>"))

        input.scored.removeLast()
        let weak = try verdict(try ModelReportPage.html(input))
        #expect(weak.contains("That is barely better than random: ROC AUC \(String(format: "%.2f", auc))"))
    }
}

@Suite struct RunAndDrift {
    @Test func theRunSectionShowsTheWrittenListAndWhatWasLeftOff() throws {
        let input = try ReportFixture.fullInput()
        let m = try #require(input.manifest)
        let html = try ModelReportPage.html(input)
        let actions = try chart("run-actions", in: html)
        #expect(actions.contains(">\(m.listed.action["day 7 lapsed-user survey"]!)</text>"))
        #expect(!actions.contains(">\(m.counts.action["day 7 lapsed-user survey"]!)</text>"))   // not everyone scored
        #expect(html.contains("a list of \(m.users.written) users (of \(m.users.scored) scored)"))
        let funnel = ModelReportPage.runFunnel(m)
        #expect(funnel.map(\.1) == [1000, 42, 958, 12, 30, 861, 55])
        #expect(funnel[3].0.contains("fake") && funnel[4].0.contains("cooldown (7d)") && funnel[5].0.contains("budget of 60"))
        for (step, n) in funnel { #expect(html.contains("<tr><td>\(HTMLText.escape(step))</td><td>\(n)</td></tr>")) }
    }

    @Test func theDriftSectionNamesTheMovedFeatures() throws {
        let html = try ModelReportPage.html(try ReportFixture.fullInput())
        #expect(html.contains("<strong>2 of 4 features moved</strong> past PSI 0.25"))
        #expect(html.contains("days_since_last_event (0.41), sessions_7d (0.30)"))
        let drift = try chart("drift", in: html)
        #expect(count("class=\"bar\"", in: drift) == 4)
        #expect(drift.contains("a_very_long_feature_name…") || drift.contains("…<title>a_very_long"))   // cut, full name in the tooltip
        var quiet = try ReportFixture.fullInput()
        quiet.manifest?.drift.moved = []
        #expect(try ModelReportPage.html(quiet).contains("No feature moved past PSI 0.25"))
    }
}

@Suite struct Readability {
    @Test func everyFigureExplainsItsTerms() throws {
        for input in [try ReportFixture.fullInput(), ReportInput(model: try ReportFixture.model("demo-churn-logistic.tenure"), modelFile: "l.tenure")] {
            let html = try ModelReportPage.html(input)
            let figures = html.components(separatedBy: "<figure>").dropFirst()
            #expect(figures.count == chartIDs(html).count)
            for f in figures { #expect(f.contains("<p class=\"glossary\">"), "\(f.prefix(80))") }
        }
        let full = try ModelReportPage.html(try ReportFixture.fullInput())
        for term in ["label 1 / label 0", "log-odds", "mean |contribution|", "lift", "PR curve, AP", "ROC AUC", "PSI", "base rate"] {
            #expect(full.contains("<dfn>\(HTMLText.escape(term))</dfn>: "), "\(term) is not explained")
        }
    }

    @Test func tooltipsAndLabelsAreRounded() throws {
        let html = try ModelReportPage.html(try ReportFixture.fullInput())
        // Coordinates have 2 decimals; no number anywhere has 5 or more.
        #expect(html.range(of: "[0-9]\\.[0-9]{5,}", options: .regularExpression) == nil)
        #expect(TickFormat.rounded.text(1.1410581460209634) == "1.141" && TickFormat.rounded.text(2) == "2"
                && TickFormat.rounded.text(12345.6) == "12,346")
    }

    @Test func liftKeepsItsValueLabelsWithThreeCutoffs() throws {
        let html = try ModelReportPage.html(try ReportFixture.fullInput())
        #expect(try ReportFixture.fullInput().scored.count == 3)
        #expect(count("class=\"value\"", in: try chart("lift", in: html)) == 3 * 4)
    }

    @Test func labelsArePlacedClearOfEachOtherAndOfLines() {
        var placer = LabelPlacer(bounds: Box(x0: 0, y0: 0, x1: 600, y1: 400))
        // Four labels for points a few pixels apart near the origin (the gains chart's top 1%/5%).
        var boxes: [Box] = []
        for (i, text) in ["top 1%: 4%", "top 5%: 19%", "top 10%: 33%", "top 20%: 55%"].enumerated() {
            let spot = placer.place(text, LabelPlacer.around(x: 10 + 4 * Double(i), y: 380 - 10 * Double(i)))
            boxes.append(ChartText.box(text, x: spot.x, y: spot.y, anchor: spot.anchor))
        }
        for i in boxes.indices { #expect(boxes[i].inside(placer.bounds)) }
        for i in boxes.indices { for j in boxes.indices where j > i { #expect(!boxes[i].overlaps(boxes[j]), "\(i) and \(j)") } }
        // A line through the first spot pushes the label to the next one.
        var crossed = LabelPlacer(bounds: Box(x0: 0, y0: 0, x1: 600, y1: 400))
        crossed.addPolyline([(0, 200), (600, 200)])
        let first = LabelPlacer.Spot(x: 300, y: 205, anchor: .middle), second = LabelPlacer.Spot(x: 300, y: 150, anchor: .middle)
        let spot = crossed.place("base rate 20%", [first, second])
        #expect(spot.y == second.y)
        #expect(Box(x0: 0, y0: 0, x1: 10, y1: 10).hits((-5, 5), (20, 5)) && !Box(x0: 0, y0: 0, x1: 10, y1: 10).hits((-5, 15), (20, 15)))
    }
}
