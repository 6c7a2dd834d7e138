// The model report: one self-contained HTML page (inline CSS and SVG; no script, font or URL) with the
// summary, ROC/PR, calibration, gains/lift, score distributions, importance, backtest, retention and a run.
import EventLog
import Evaluation
import Foundation
import Manifest
import ModelFormat
import Retention
import TenureCore

public enum ModelReportPage {
    /// Renders the page. Deterministic: the same input gives the same bytes.
    public static func html(_ input: ReportInput) throws -> String {
        let evaluations = try input.scored.map { try CutoffEvaluation($0) }
        var body = verdict(input, evaluations)
        body += header(input, evaluations)
        body += upliftSection(input.model)
        body += MeasurementSection.html(input.measurements)
        body += try curves(input, evaluations)
        body += calibrationSection(input, evaluations)
        body += distributionSection(input, evaluations)
        body += importanceSection(input)
        body += backtestSection(evaluations, model: input.model)
        body += retentionSection(input.retention, Glossary(model: input.model))
        body += manifestSection(input)
        body += driftSection(input)
        if !input.footer.isEmpty { body += "<footer>\(HTMLText.escape(input.footer))</footer>" }
        let title = "Tenure model report: \(input.modelFile)"
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTMLText.escape(title))</title><style>\(ReportStyle.css)</style></head>
        <body><h1>\(HTMLText.escape(title))</h1>
        \(body)
        </body></html>

        """
    }

    /// Metrics and curves of one scored cutoff.
    struct CutoffEvaluation {
        let scored: ScoredCutoff
        let metrics: BinaryMetrics
        let roc: ROCCurve
        let pr: PRCurve
        let gains: GainsCurve

        init(_ s: ScoredCutoff) throws {
            guard s.probabilities.count == s.labels.count else {
                throw ReportError.mismatchedScores(cutoff: s.cutoff, probabilities: s.probabilities.count, labels: s.labels.count)
            }
            scored = s
            metrics = try Metrics.evaluate(probabilities: s.probabilities, labels: s.labels)
            roc = try Metrics.rocCurve(scores: s.probabilities, labels: s.labels)
            pr = try Metrics.prCurve(scores: s.probabilities, labels: s.labels)
            gains = try Metrics.cumulativeGains(scores: s.probabilities, labels: s.labels, steps: 200)
        }
    }

    /// Curves are drawn for at most this many cutoffs (the latest); the backtest shows all of them.
    static let maxCurveCutoffs = 6

    // MARK: - Summary

    static func labelNames(_ m: TenureModel) -> (negative: String, positive: String) {
        switch m.label.task {
        case .churn: return ("stayed (label 0)", "churned (label 1)")
        case .activation: return ("not activated (label 0)", "activated (label 1)")
        case .none: return ("label 0", "label 1")
        }
    }

    static func header(_ input: ReportInput, _ evals: [CutoffEvaluation]) -> String {
        let m = input.model, t = m.training
        var rows: [(String, String)] = [
            ("Task and label", m.label.summary),
            ("Model", "\(m.kind.rawValue), \(m.featureCount) features, format \(m.formatVersion), Tenure \(m.tenureVersion)"
                + (m.gbdt.map { ", \($0.trees.count) trees" } ?? "")),
            ("Model file", input.modelFile + (input.modelSHA256.map { " (SHA-256 \($0))" } ?? "")),
            ("Training data", "\(t.inputFile): \(t.trainRows) rows, \(t.trainPositives) positives (\(HTMLText.percent(t.trainRows > 0 ? Double(t.trainPositives) / Double(t.trainRows) : nil))) over \(t.trainCutoffs.count) cutoff(s) \(t.trainCutoffs.first ?? "") … \(t.trainCutoffs.last ?? "")"),
            ("Validation (held out by time)", t.validCutoffs.isEmpty ? "none held out" : "\(t.validCutoffs.joined(separator: ", ")): \(t.validRows) rows, \(t.validPositives) positives"),
        ]
        if let events = input.eventsFile {
            rows.append(("Event log", events + (input.dataPeriod.map { ": events from \($0.first) to \($0.last) (UTC)" } ?? "")))
        }
        if !evals.isEmpty {
            rows.append(("Scored here (backtest)", "\(evals.count) cutoff(s): \(evals.map(\.scored.cutoff).joined(separator: ", "))"))
        }
        var s = "<p class=\"lead\">What the model predicts, on what data, and how well it ranks and calibrates users. Judge it on cutoffs it was not trained on (held out or later): those are the backtest.</p>"
        s += "<h2 id=\"summary\">Summary</h2><table class=\"summary\"><tbody>"
        for (k, v) in rows { s += "<tr><th>\(HTMLText.escape(k))</th><td style=\"text-align:left\">\(HTMLText.escape(v))</td></tr>" }
        s += "</tbody></table>"
        var sources: [(String, BinaryMetrics)] = []
        if let v = m.validation { sources.append(("validation \(t.validCutoffs.joined(separator: ",")) (stored in the model)", v)) }
        for e in evals { sources.append(("cutoff \(e.scored.cutoff) (scored here, \(provenance(e.scored.cutoff, m)))", e.metrics)) }
        if sources.isEmpty {
            s += "<p class=\"note-box\">No metrics: the model holds no validation cutoff and no log was scored (pass --events and --cutoff).</p>"
            return s
        }
        s += "<h3>Headline metrics</h3><table class=\"metrics\"><thead><tr><th>data</th><th>rows</th><th>positives</th><th>base rate</th><th>ROC AUC</th><th>PR AUC</th><th>log loss</th><th>Brier</th><th>precision top 10%</th><th>lift top 10%</th><th>recall top 10%</th></tr></thead><tbody>"
        for (name, x) in sources {
            let top10 = top10(x)
            let cells = [String(x.rows), String(x.positives), HTMLText.percent(x.baseRate), HTMLText.fixed(x.rocAUC, 4), HTMLText.fixed(x.prAUC, 4),
                         HTMLText.fixed(x.logLoss, 4), HTMLText.fixed(x.brier, 4), HTMLText.percent(top10?.precision),
                         HTMLText.fixed(top10?.lift, 2), HTMLText.percent(top10?.recall)]
            s += "<tr><td>\(HTMLText.escape(name))</td>" + cells.map { "<td>\(HTMLText.escape($0))</td>" }.joined() + "</tr>"
        }
        s += "</tbody></table>"
        return s
    }

    /// Where a scored cutoff stands relative to the model's training: only cutoffs after the training ones
    /// measure how the model generalises; a training cutoff measures fit.
    static func provenance(_ cutoff: String, _ m: TenureModel) -> String {
        let t = m.training
        if t.trainCutoffs.contains(cutoff) { return "in the training data" }
        if t.validCutoffs.contains(cutoff) { return "held out (validation)" }
        if let last = t.trainCutoffs.max(), cutoff > last { return "after training" }
        return "not a training cutoff"
    }

    /// A chart with its caption and, under it, the line that explains its terms.
    static func figure(_ caption: String, _ detail: String, _ svg: String, _ glossary: Glossary, _ terms: [Term]) -> String {
        "<figure><figcaption>\(HTMLText.escape(caption)) <span>\(HTMLText.escape(detail))</span></figcaption>\(svg)\(glossary.line(terms))</figure>"
    }

    static func note(_ text: String) -> String { "<p class=\"note-box\">\(HTMLText.escape(text))</p>" }

    // MARK: - ROC, PR, gains and lift

    static func curves(_ input: ReportInput, _ evals: [CutoffEvaluation]) throws -> String {
        var s = "<h2 id=\"ranking\">Ranking: ROC, precision–recall, gains and lift</h2>"
        let shown = Array(evals.suffix(maxCurveCutoffs))
        if evals.count > shown.count {
            s += note("Curves show the latest \(shown.count) of \(evals.count) cutoffs; the backtest below covers all of them.")
        }
        let unit = ChartAxis(title: "", min: 0, max: 1, format: .percent)
        func axis(_ title: String) -> ChartAxis { var a = unit; a.title = title; return a }
        let g = Glossary(model: input.model)
        var figures: [String] = []
        if shown.isEmpty {
            s += note("The model file stores summary metrics only (AUCs, calibration bins, top-k precision, lift and recall), not curve points: ROC and precision–recall curves need the scored rows. Pass --events and --cutoff to draw them. The gains chart below is drawn from the stored top 1/5/10/20% recall.")
        } else {
            let roc = LineChart(x: axis("false positive rate (share of label 0 flagged)"), y: axis("true positive rate (recall)"),
                                series: shown.enumerated().map { i, e in
                                    LineSeries(name: "\(e.scored.cutoff) AUC \(HTMLText.fixed(e.metrics.rocAUC, 3))",
                                               points: e.roc.points.map { ($0.fpr, $0.tpr) }, style: .cycle(i))
                                } + [LineSeries(name: "chance", points: [(0, 0), (1, 1)], style: .reference, markerEvery: 1)])
            figures.append(figure("ROC curve", "one line per cutoff; higher and further left is better", roc.svg(id: "roc", title: "ROC curve"),
                                  g, [.label, .falsePositiveRate, .recall, .rocAUC]))
            let latest = shown[shown.count - 1]
            let pr = LineChart(x: axis("recall (share of label 1 found)"), y: axis("precision (share label 1)"),
                               series: shown.enumerated().map { i, e in
                                   LineSeries(name: "\(e.scored.cutoff) AP \(HTMLText.fixed(e.metrics.prAUC, 3))",
                                              points: e.pr.points.map { ($0.recall, $0.precision) }, style: .cycle(i))
                               },
                               references: [ReferenceLine(.horizontal, at: latest.metrics.baseRate,
                                                          label: "base rate \(latest.scored.cutoff): \(HTMLText.percent(latest.metrics.baseRate))")])
            figures.append(figure("Precision–recall curve", "the dashed line is what random targeting achieves", pr.svg(id: "pr", title: "Precision-recall curve"),
                                  g, [.precisionRecall, .precision, .recall, .baseRate]))
        }
        // Gains: full curves when scored, else the stored top-k recall points.
        var gainSeries: [LineSeries] = []
        var notes: [PointNote] = []
        let topK: [TopKResult]
        if let latest = shown.last {
            gainSeries = shown.enumerated().map { i, e in
                LineSeries(name: "cutoff \(e.scored.cutoff)", points: e.gains.points.map { ($0.fractionTargeted, $0.fractionOfPositives) }, style: .cycle(i))
            }
            topK = latest.metrics.topK
        } else if let v = input.model.validation {
            topK = v.topK
            gainSeries = [LineSeries(name: "validation (stored top-k points only)",
                                     points: [(0, 0)] + v.topK.map { (Double($0.k) / Double(max(1, v.rows)), $0.recall ?? 0) },
                                     style: .cycle(0), markerEvery: 1)]
        } else {
            topK = []
        }
        if !gainSeries.isEmpty {
            gainSeries.append(LineSeries(name: "random targeting", points: [(0, 0), (1, 1)], style: .reference, markerEvery: 1))
            for t in topK { notes.append(PointNote(x: t.fraction, y: t.recall ?? 0, text: "top \(Int((t.fraction * 100).rounded()))%: \(HTMLText.percent(t.recall, 0))")) }
            let gains = LineChart(x: axis("share of users targeted, by score (top k%)"), y: axis("share of all label-1 users found"),
                                  series: gainSeries,
                                  references: topK.map { ReferenceLine(.vertical, at: $0.fraction, label: "") },
                                  notes: notes)
            figures.append(figure("Cumulative gains", "top 1/5/10/20% marked (labels: recall of the latest data)", gains.svg(id: "gains", title: "Cumulative gains"),
                                  g, [.gains, .label, .recall]))
            // At most three sources, so each keeps a fill that stays distinct in black and white.
            var liftSources: [(String, [TopKResult])] = shown.suffix(3).map { ("cutoff \($0.scored.cutoff)", $0.metrics.topK) }
            if liftSources.isEmpty, let v = input.model.validation { liftSources = [("validation (stored)", v.topK)] }
            let maxLift = liftSources.flatMap { $0.1.compactMap(\.lift) }.max() ?? 1
            let lift = BarChart(categories: topK.map { "top \(Int(($0.fraction * 100).rounded()))%" },
                                series: liftSources.map { name, tk in BarSeries(name: name, values: tk.map { $0.lift ?? 0 }) },
                                valueAxis: .fromZero(title: "lift (× the base rate)", maxValue: maxLift * 1.1, format: .decimal(1)),
                                categoryTitle: "users targeted, by score", orientation: .vertical,
                                valueFormat: .decimal(liftSources.count <= 2 ? 2 : 1))
            figures.append(figure("Lift at the top k%", "how many times the base rate a recall budget of that size finds" + (shown.count > 3 ? " (latest 3 cutoffs)" : ""), lift.svg(id: "lift", title: "Lift at top k percent"),
                                  g, [.lift, .precision, .baseRate]))
        }
        return s + "<div class=\"grid2\">" + figures.joined() + "</div>"
    }

    // MARK: - Calibration

    static func calibrationSection(_ input: ReportInput, _ evals: [CutoffEvaluation]) -> String {
        let source: (String, BinaryMetrics)? = evals.last.map { ("cutoff \($0.scored.cutoff)", $0.metrics) }
            ?? input.model.validation.map { ("validation \(input.model.training.validCutoffs.joined(separator: ",")) (stored)", $0) }
        var s = "<h2 id=\"calibration\">Calibration</h2>"
        guard let (name, m) = source else { return s + note("No calibration: nothing was evaluated.") }
        let bins = m.calibration
        let unit = ChartAxis(title: "mean predicted probability in the bin", min: 0, max: 1, format: .percent)
        var yAxis = unit; yAxis.title = "observed share of label 1"
        let points = bins.compactMap { b in b.meanPredicted.flatMap { p in b.observedRate.map { (x: p, y: $0) } } }
        let plot = LineChart(x: unit, y: yAxis,
                             series: [LineSeries(name: name, points: points, style: .cycle(0), markerEvery: 1),
                                      LineSeries(name: "perfectly calibrated", points: [(0, 0), (1, 1)], style: .reference, markerEvery: 1)],
                             notes: bins.compactMap { b in b.meanPredicted.flatMap { p in b.observedRate.map { PointNote(x: p, y: $0, text: "n=\(b.count)") } } })
        let counts = Histogram(edges: [0] + bins.map(\.upper), series: [BarSeries(name: "rows", values: bins.map { Double($0.count) })],
                               x: ChartAxis(title: "predicted probability bin", min: 0, max: 1, format: .percent),
                               y: .fromZero(title: "rows in the bin", maxValue: Double(bins.map(\.count).max() ?? 1), format: .integer),
                               valueFormat: .integer, height: 260)
        let g = Glossary(model: input.model)
        s += "<div class=\"grid2\">"
        s += figure("Calibration: predicted vs observed", "\(name); each point is a 10%-wide bin, n = rows in it",
                    plot.svg(id: "calibration", title: "Calibration plot"), g, [.calibration, .label, .bin])
        s += figure("Rows per calibration bin", name, counts.svg(id: "calibration-counts", title: "Rows per calibration bin"), g, [.bin])
        s += "</div><table><thead><tr><th>bin</th><th>rows</th><th>mean predicted</th><th>observed</th></tr></thead><tbody>"
        for b in bins {
            s += "<tr><td>\(HTMLText.percent(b.lower, 0))–\(HTMLText.percent(b.upper, 0))</td><td>\(b.count)</td><td>\(HTMLText.percent(b.meanPredicted))</td><td>\(HTMLText.percent(b.observedRate))</td></tr>"
        }
        return s + "</tbody></table>"
    }

    // MARK: - Score distribution

    static func distributionSection(_ input: ReportInput, _ evals: [CutoffEvaluation]) -> String {
        let s = "<h2 id=\"distribution\">Score distribution by label</h2>"
        let (neg, pos) = labelNames(input.model)
        var edges: [Double], negatives: [Double], positives: [Double], detail: String
        if let e = evals.last {
            let bins = 20
            edges = (0...bins).map { Double($0) / Double(bins) }
            negatives = [Double](repeating: 0, count: bins); positives = negatives
            for (p, y) in zip(e.scored.probabilities, e.scored.labels) {
                let b = min(Int(p * Double(bins)), bins - 1)
                if y == 1 { positives[b] += 1 } else { negatives[b] += 1 }
            }
            detail = "cutoff \(e.scored.cutoff), 5%-wide bins"
        } else if let v = input.model.validation {
            // The stored calibration bins hold each bin's rows and observed positive share: the histogram per
            // label at 10% resolution (exact for unweighted training, which Tenure uses for validation).
            edges = [0] + v.calibration.map(\.upper)
            positives = v.calibration.map { Double($0.count) * ($0.observedRate ?? 0) }.map { $0.rounded() }
            negatives = zip(v.calibration, positives).map { Double($0.count) - $1 }
            detail = "validation (stored), from the 10 calibration bins"
        } else {
            return s + note("No score distribution: nothing was evaluated.")
        }
        let nNeg = max(1, negatives.reduce(0, +)), nPos = max(1, positives.reduce(0, +))
        let shareNeg = negatives.map { $0 / nNeg }, sharePos = positives.map { $0 / nPos }
        let hist = Histogram(edges: edges, series: [BarSeries(name: "\(neg), \(Int(nNeg)) rows", values: shareNeg),
                                                    BarSeries(name: "\(pos), \(Int(nPos)) rows", values: sharePos)],
                             x: ChartAxis(title: "predicted probability", min: 0, max: 1, format: .percent),
                             y: .fromZero(title: "share of the label's rows", maxValue: (shareNeg + sharePos).max() ?? 1, format: .percent),
                             valueFormat: .percent)
        return s + "<div class=\"grid2\">" + figure("Predicted probability per label", "\(detail); each label sums to 100%", hist.svg(id: "distribution", title: "Score distribution per label"),
                                                     Glossary(model: input.model), [.label]) + "</div>"
    }

    // MARK: - Importance

    static func importanceSection(_ input: ReportInput) -> String {
        let m = input.model, names = m.featureNames, top = 15
        var s = "<h2 id=\"importance\">Feature importance</h2><div class=\"grid2\">"
        let gl = Glossary(model: m)
        func ranked(_ v: [Double]) -> [Int] { Array((0..<v.count).filter { v[$0] > 0 }.sorted { v[$0] != v[$1] ? v[$0] > v[$1] : $0 < $1 }.prefix(top)) }
        if let g = m.gbdt {
            let total = g.importance.gain.reduce(0, +)
            let share = g.importance.gain.map { total > 0 ? $0 / total : 0 }
            let idx = ranked(share)
            let chart = BarChart(categories: idx.map { names[$0] }, series: [BarSeries(name: "gain share", values: idx.map { share[$0] })],
                                 valueAxis: .fromZero(title: "share of total split gain", maxValue: idx.first.map { share[$0] } ?? 1, format: .percent),
                                 categoryTitle: "feature", valueFormat: .percent)
            s += figure("Split gain per feature", "top \(idx.count) of \(names.count); \(g.trees.count) trees",
                        chart.svg(id: "importance", title: "Feature importance by split gain"), gl, [.splitGain])
        } else if let lr = m.logistic {
            let coef = lr.coefficients.map(abs)
            let idx = ranked(coef)
            let chart = BarChart(categories: idx.map { names[$0] }, series: [BarSeries(name: "|coefficient|", values: idx.map { coef[$0] })],
                                 valueAxis: .fromZero(title: "|coefficient| per standard deviation (log-odds)", maxValue: idx.first.map { coef[$0] } ?? 1, format: .decimal(2)),
                                 categoryTitle: "feature", valueFormat: .decimal(3))
            s += figure("Coefficient size per feature", "standardised inputs, top \(idx.count) of \(names.count)",
                        chart.svg(id: "importance", title: "Feature importance by coefficient size"), gl, [.coefficient, .logOdds])
        }
        if let last = input.scored.last, let contrib = last.meanAbsContribution, contrib.count == names.count {
            let idx = ranked(contrib)
            let method = m.kind == .gbdt ? "TreeSHAP" : "coefficient × standardised value"
            let chart = BarChart(categories: idx.map { names[$0] }, series: [BarSeries(name: "mean |contribution|", values: idx.map { contrib[$0] })],
                                 valueAxis: .fromZero(title: "mean |contribution| to the score (log-odds)", maxValue: idx.first.map { contrib[$0] } ?? 1, format: .decimal(2)),
                                 categoryTitle: "feature", valueFormat: .decimal(3))
            s += figure("Mean absolute contribution per feature", "\(method) on cutoff \(last.cutoff), top \(idx.count)",
                        chart.svg(id: "contributions", title: "Mean absolute contribution per feature"), gl, [.meanAbsContribution, .logOdds])
        } else {
            s += "</div>" + note("Per-user contributions need scored rows: pass --events and --cutoff to add the mean absolute contribution per feature.") + "<div>"
        }
        return s + "</div>"
    }

    // MARK: - Backtest

    static func dateAxis(_ title: String, days: [Double]) -> ChartAxis {
        let lo = (days.min() ?? 0), hi = (days.max() ?? 1)
        let pad = max(1, (hi - lo) * 0.04)
        let wanted = min(days.count, 6)
        let sorted = days.sorted()
        let ticks = (0..<wanted).map { i -> Tick in
            let d = sorted[wanted == 1 ? 0 : i * (sorted.count - 1) / (wanted - 1)]
            return Tick(d, formatTimestamp(Int64(d) * CohortRetention.dayMillis, dateOnly: true))
        }
        return ChartAxis(title: title, min: lo - pad, max: hi + pad, ticks: ticks)
    }

    static func day(_ date: String) -> Double? { parseTimestamp(date).map { Double($0 / CohortRetention.dayMillis) } }

    static func backtestSection(_ evals: [CutoffEvaluation], model: TenureModel) -> String {
        var s = "<h2 id=\"backtest\">Backtest over time</h2>"
        guard evals.count >= 2 else {
            return s + note("Pass several cutoffs (--cutoff d1,d2,... or a range) to see AUC and base rate per cutoff over time.")
        }
        let pts = evals.compactMap { e in day(e.scored.cutoff).map { (d: $0, e: e) } }
        let chart = LineChart(x: dateAxis("cutoff date (UTC)", days: pts.map(\.d)),
                              y: ChartAxis(title: "value (AUC or share)", min: 0, max: 1, format: .percent),
                              series: [LineSeries(name: "ROC AUC", points: pts.map { ($0.d, $0.e.metrics.rocAUC ?? 0) }, style: .cycle(0), markerEvery: 1),
                                       LineSeries(name: "PR AUC", points: pts.map { ($0.d, $0.e.metrics.prAUC ?? 0) }, style: .cycle(1), markerEvery: 1),
                                       LineSeries(name: "base rate", points: pts.map { ($0.d, $0.e.metrics.baseRate) }, style: .cycle(2), markerEvery: 1)],
                              references: [ReferenceLine(.horizontal, at: Glossary.weakAUC, label: "ROC AUC \(Glossary.weakAUC): barely better than random")])
        s += "<div class=\"grid2\">" + figure("AUC and base rate per cutoff", "each cutoff scored with the saved model", chart.svg(id: "backtest", title: "Backtest per cutoff"),
                                              Glossary(model: model), [.rocAUC, .baseRate, .inSample])
        s += "</div><table><thead><tr><th>cutoff</th><th>rows</th><th>base rate</th><th>ROC AUC</th><th>PR AUC</th><th>lift top 10%</th><th>cutoff is</th></tr></thead><tbody>"
        for e in evals {
            let m = e.metrics, inSample = model.training.trainCutoffs.contains(e.scored.cutoff)
            let weak = !inSample && (m.rocAUC ?? 1) < Glossary.weakAUC
            let auc = HTMLText.fixed(m.rocAUC, 4) + (weak ? " (barely better than random)" : "")
            let where_ = provenance(e.scored.cutoff, model) + (inSample ? ": trained on this cutoff" : "")
            s += "<tr><td>\(HTMLText.escape(e.scored.cutoff))</td><td>\(m.rows)</td><td>\(HTMLText.percent(m.baseRate))</td><td\(weak ? " class=\"warning\"" : "")>\(HTMLText.escape(auc))</td><td>\(HTMLText.fixed(m.prAUC, 4))</td><td>\(HTMLText.fixed(top10(m)?.lift, 2))</td><td\(inSample ? " class=\"warning\"" : "")>\(HTMLText.escape(where_))</td></tr>"
        }
        return s + "</tbody></table>"
    }

    static func top10(_ m: BinaryMetrics) -> TopKResult? { m.topK.first { abs($0.fraction - 0.10) < 1e-9 } }

    // MARK: - Retention

    static func retentionSection(_ table: RetentionTable?, _ g: Glossary) -> String {
        var s = "<h2 id=\"retention\">Signup-cohort retention</h2>"
        guard let t = table, !t.cohorts.isEmpty else { return s + note("Pass --events to add signup-cohort retention (day 1, 7, 30) with the alarm line.") }
        let days = t.cohorts.map { Double($0.start / CohortRetention.dayMillis) }
        let series = t.options.days.enumerated().map { j, n in
            LineSeries(name: "day \(n)", points: zip(days, t.cohorts).compactMap { d, c in c.cells[j].rate.map { (d, $0) } },
                       style: .cycle(j), markerEvery: t.cohorts.count > 40 ? 7 : 1)
        }
        let maxRate = t.cohorts.flatMap { $0.cells.compactMap(\.rate) }.max() ?? 1
        let lines = t.options.alarmLines.sorted { $0.key < $1.key }
        let chart = LineChart(x: dateAxis("signup cohort (\(t.options.period == .week ? "ISO week starting" : "UTC day"))", days: days),
                              y: .fromZero(title: "share of the cohort active on day N", maxValue: max(maxRate, lines.map(\.value).max() ?? 0) * 1.05, format: .percent),
                              series: series,
                              references: lines.map { ReferenceLine(.horizontal, at: $0.value, label: "alarm: day \($0.key) under \(HTMLText.percent($0.value, 0))") },
                              width: 760, height: 420)
        let flagged = t.flaggedCohorts
        let definition = "A user's cohort is the \(t.options.period == .week ? "ISO week" : "UTC day") of their \(t.options.signupEvents.isEmpty ? "first event" : "first " + t.options.signupEvents.joined(separator: "/") + " event"); retained on day N = any event on the N-th UTC calendar day after the signup day. Cohorts too young to have reached day N are left out of that line (not counted as 0)."
        s += figure("Day 1, 7 and 30 retention per cohort", definition, chart.svg(id: "retention", title: "Signup-cohort retention"), g, [.retention, .alarm])
        s += "<p><strong>\(flagged.count) of \(t.cohorts.count) cohorts</strong> are under an alarm line (\(HTMLText.escape(lines.map { "day \($0.key) under \(HTMLText.percent($0.value, 0))" }.joined(separator: ", ")))).\(t.usersWithoutSignup > 0 ? " \(t.usersWithoutSignup) users without a signup event are left out." : "")\(t.cohorts.first?.startsWithLog == true ? " The first cohort begins with the log, so it also holds users who were active before it began." : "")</p>"
        let listed = flagged.isEmpty ? [] : Array(flagged.suffix(12))
        if !listed.isEmpty {
            s += "<table><thead><tr><th>flagged cohort\(flagged.count > listed.count ? " (latest \(listed.count))" : "")</th><th>users</th>" + t.options.days.map { "<th>day \($0)</th>" }.joined() + "</tr></thead><tbody>"
            for c in listed {
                s += "<tr><td>\(HTMLText.escape(c.label))</td><td>\(c.size)</td>" + c.cells.map { cell in
                    "<td\(cell.underAlarm ? " class=\"flag\"" : "")>\(cell.rate.map { HTMLText.percent($0) + (cell.underAlarm ? " (alarm)" : "") } ?? "not yet")</td>"
                }.joined() + "</tr>"
            }
            s += "</tbody></table>"
        }
        return s
    }

    // MARK: - Verdict

    /// The page's first lines, for the operations team: what the top 10% of scores catches on data the model
    /// was not trained on, whether that is barely better than random, and which scored cutoffs it was
    /// trained on (their numbers flatter it).
    static func verdict(_ input: ReportInput, _ evals: [CutoffEvaluation]) -> String {
        let m = input.model, t = m.training
        // Out of sample: the latest cutoff scored from the log that the model did not train on, else the
        // validation metrics the model stores (exact, where curves redrawn from its bins are binned).
        let honest = input.eventsFile == nil ? [] : evals.filter { !t.trainCutoffs.contains($0.scored.cutoff) }
        let source: (cutoffs: [String], metrics: BinaryMetrics)? = honest.last.map { ([$0.scored.cutoff], $0.metrics) }
            ?? m.validation.map { (t.validCutoffs, $0) }
        var lines: [(text: String, warning: Bool)] = []
        if let (cutoffs, x) = source {
            let after = "in the \(spelled(m.label.horizon)) after \(cutoffs.joined(separator: " or "))"
            let who: String
            switch m.label.task {
            case .churn: who = "Of the users who left \(after)"
            case .activation: who = "Of the new users who activated \(after)"
            case .none: who = "Of the label-1 users \(after)"
            }
            if let top = top10(x), let recall = top.recall {
                lines.append(("\(who), the top 10% of scores held \(HTMLText.percent(recall, 0))" + (top.lift.map { " — \(HTMLText.fixed($0, 1)) times random." } ?? "."), false))
            }
            let auc = x.rocAUC
            let on = "\(x.rows) users the model was not trained on, \(HTMLText.percent(x.baseRate, 0)) of them label 1"
            if let auc, auc < Glossary.weakAUC {
                lines.append(("That is barely better than random: ROC AUC \(HTMLText.fixed(auc, 2)) on \(on), where 0.5 is a coin toss. Do not pick users by this model's ranking alone.", true))
            } else {
                lines.append(("ROC AUC \(HTMLText.fixed(auc, 2)) on \(on).", false))
            }
        } else {
            lines.append(("Nothing here says how well the model predicts: it holds no validation cutoff and every cutoff scored here was in its training data.", true))
        }
        let inSample = evals.filter { t.trainCutoffs.contains($0.scored.cutoff) }
        if !inSample.isEmpty {
            let aucs = inSample.compactMap(\.metrics.rocAUC)
            let range = aucs.isEmpty ? "" : " (ROC AUC \(HTMLText.fixed(aucs.min(), 2))\(aucs.count > 1 ? "–" + HTMLText.fixed(aucs.max(), 2) : ""))"
            lines.append(("\(inSample.map(\.scored.cutoff).joined(separator: ", ")): trained on these cutoffs, so their numbers\(range) measure fit, not prediction.", false))
        }
        // The latest honest cutoff is judged above; earlier ones that are no better than chance are named.
        let weak = honest.dropLast().filter { ($0.metrics.rocAUC ?? 1) < Glossary.weakAUC }
        if !weak.isEmpty {
            lines.append(("Backtest: " + weak.map { "\($0.scored.cutoff) has ROC AUC \(HTMLText.fixed($0.metrics.rocAUC, 2))" }.joined(separator: ", ") + " — barely better than random.", true))
        }
        return "<div class=\"verdict\" id=\"verdict\">" + lines.map { "<p\($0.warning ? " class=\"warning\"" : "")>\(HTMLText.escape($0.text))</p>" }.joined() + "</div>"
    }

    /// "14d" → "14 days", "2w" → "2 weeks" (how the label spec's spans read in a sentence).
    static func spelled(_ span: TimeSpan) -> String {
        let text = span.description
        guard let unit = text.last, let n = Int(text.dropLast()) else { return text }
        let word = ["d": "day", "w": "week", "h": "hour", "m": "minute"][String(unit)] ?? String(unit)
        return "\(n) \(word)\(n == 1 ? "" : "s")"
    }

    // MARK: - Drift

    static func driftSection(_ input: ReportInput) -> String {
        var s = "<h2 id=\"drift\">Drift since training</h2>"
        guard let m = input.manifest else { return s + note("Pass --manifest DIR/manifest.json to show how far each feature moved between the training rows and the latest run (PSI).") }
        let d = m.drift
        guard !d.psi.isEmpty else { return s + note("The run recorded no drift: its model file holds no training reference to compare with.") }
        let threshold = HTMLText.fixed(d.threshold, 2)
        if d.moved.isEmpty {
            s += "<p>No feature moved past PSI \(threshold) between the training rows and the run as of \(HTMLText.escape(m.asOf)) (\(d.psi.count) features compared).</p>"
        } else {
            let named = d.moved.map { "\($0) (\(HTMLText.fixed(d.psi[$0], 2)))" }
            s += "<p class=\"note-box\"><strong>\(d.moved.count) of \(d.psi.count) features moved</strong> past PSI \(threshold) between the training rows and the run as of \(HTMLText.escape(m.asOf)): \(HTMLText.escape(named.joined(separator: ", "))). Scores lean on what these features meant in training; check the data feed, or retrain.</p>"
        }
        let top = 15
        let ranked = d.psi.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(top)
        let chart = BarChart(categories: ranked.map(\.key), series: [BarSeries(name: "PSI", values: ranked.map(\.value))],
                             valueAxis: .fromZero(title: "PSI (dashed line: drift threshold \(threshold))", maxValue: max(d.threshold, ranked.first?.value ?? 0) * 1.05, format: .decimal(2)),
                             categoryTitle: "feature", valueFormat: .decimal(2), marks: [d.threshold])
        s += "<div class=\"grid2\">" + figure("PSI per feature", "the run's eligible users against the model's training rows; top \(ranked.count) of \(d.psi.count)",
                                              chart.svg(id: "drift", title: "PSI per feature"), Glossary(model: input.model), [.psi]) + "</div>"
        return s
    }

    // MARK: - Uplift

    /// An uplift model's held-out campaign: how well its ranking found the users a contact changes (nothing for
    /// churn and activation models). The rest of the page reads the model as the churn risk if not contacted.
    static func upliftSection(_ m: TenureModel) -> String {
        guard let u = m.uplift else { return "" }
        var s = "<h2 id=\"uplift\">Uplift (\(u.learner == .t ? "T-learner" : "X-learner"))</h2>"
        s += "<p>Uplift = P(retained | contacted) − P(retained | not contacted) within \(HTMLText.escape(m.label.horizon.description)). The sections below read the model as the churn risk if not contacted (its control arm's model).</p>"
        guard let v = u.validation else { return s + note("Trained on one campaign: no later campaign was held out to judge the ranking on.") }
        let f = { (x: Double?) in HTMLText.fixed(x, 4) }
        s += "<p>\(HTMLText.escape("Held-out campaign \(v.campaign): \(v.treated) treated, \(v.control) control. Qini coefficient \(f(v.metrics.qiniCoefficient)) (ranking the same users by churn risk: \(f(v.churnRiskQiniCoefficient))); AUUC \(f(v.metrics.auuc)); uplift at the top "))"
            + v.metrics.upliftAtK.map { "\(Int(($0.share * 100).rounded()))% \(f($0.uplift))" }.joined(separator: ", ") + ".</p>"
        return s
    }

    // MARK: - Scoring run

    static func manifestSection(_ input: ReportInput) -> String {
        var s = "<h2 id=\"run\">Latest scoring run</h2>"
        guard let m = input.manifest else { return s + note("Pass --manifest DIR/manifest.json (written by 'tenure score --out DIR/') to show the list the latest run wrote, by tier, segment and action, and what it left out.") }
        let u = m.users
        s += "<p>\(HTMLText.escape("As of \(m.asOf), the run wrote a list of \(u.written) users (of \(u.scored) scored); \(m.modelMatch(input.modelSHA256)).")) Who was left off and why:</p>"
        s += "<table class=\"funnel\"><tbody>"
        for (step, n) in runFunnel(m) { s += "<tr><td>\(HTMLText.escape(step))</td><td>\(n)</td></tr>" }
        s += "</tbody></table><div class=\"grid2\">"
        let activation = m.model.isActivation
        let g = Glossary(model: input.model, activation: activation)
        for (key, title, rows, term) in [("tiers", activation ? "On the list per activation tier" : "On the list per risk tier", m.listed.tier, Term.tier),
                                        ("segments", "On the list per segment", m.listed.segment, .segment),
                                        ("actions", activation ? "On the list per nudge" : "On the list per recall action", m.listed.action, .action)] {
            let rows = RunManifest.displayOrder(rows)
            guard !rows.isEmpty else { s += "<p>\(HTMLText.escape(title)): nobody on the list.</p>"; continue }
            let chart = BarChart(categories: rows.map(\.name), series: [BarSeries(name: "users on the list", values: rows.map { Double($0.count) })],
                                 valueAxis: .fromZero(title: "users on the list", maxValue: Double(rows.map(\.count).max() ?? 1), format: .integer),
                                 categoryTitle: String(key.dropLast()), valueFormat: .integer)
            s += figure(title, "the \(u.written) users written to the list", chart.svg(id: "run-\(key)", title: title), g, [term])
        }
        return s + "</div>"
    }

    /// From every user in the log to the written list: each step that removed users, with how many.
    static func runFunnel(_ m: RunManifest) -> [(String, Int)] {
        let u = m.users
        var steps: [(String, Int)] = [("users in the log", u.inLog)]
        if u.outsidePartition > 0 { steps.append(("outside this partition (\(m.settings["partition"] ?? "--partition"))", u.outsidePartition)) }
        let activation = m.model.isActivation
        steps.append((activation ? "not eligible (not a new user in the model's signup window before the as-of, or already activated)"
                      : "not eligible (not active in the model's lookback before the as-of)", max(0, u.inLog - u.outsidePartition - u.scored)))
        steps.append(("scored", u.scored))
        if m.settings["exclude_fake"] == "true" || u.excludedFake > 0 { steps.append(("excluded: suspected fake accounts (--exclude-fake)", u.excludedFake)) }
        if let c = m.settings["cooldown"] { steps.append(("excluded: contacted within the cooldown (\(c))", u.excludedCooldown)) }
        else if u.excludedCooldown > 0 { steps.append(("excluded: contacted within the cooldown", u.excludedCooldown)) }
        if let b = m.settings["budget"] {
            steps.append(("left off by the budget of \(Double(b).map(TickFormat.rounded.text) ?? b) (\(TickFormat.rounded.text(m.budgetSpent)) spent; users with no \(activation ? "nudge" : "recall action") are not listed under a budget)", u.cutByLimit))
        } else if let n = m.settings["top"] {
            steps.append(("cut by --top \(n)", u.cutByLimit))
        } else if u.cutByLimit > 0 {
            steps.append(("cut by the list limit", u.cutByLimit))
        }
        steps.append(("on the list", u.written))
        return steps
    }
}
