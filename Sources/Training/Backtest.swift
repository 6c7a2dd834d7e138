// A backtest: a saved model scored at cutoffs of a log whose outcomes are known, the rows of each cutoff
// kept apart. `tenure evaluate` (metrics over all rows) and `tenure report` (curves per cutoff) both use it.
import EventLog
import Evaluation
import Features
import ModelFormat
import TenureCore

public struct Backtest: Sendable {
    /// The rows of one cutoff: their probabilities and labels, and where they sit in `table`.
    public struct Cutoff: Sendable {
        public var cutoff: Int64
        public var rows: [Int]
        public var probabilities: [Double]
        public var labels: [Double]
    }

    /// Features and labels of every labelled (user, cutoff) row.
    public let table: FeatureTable
    public let summary: BuildSummary
    public let probabilities: [Double]
    public let labels: [Double]
    /// Cutoffs with labelled rows, earliest first.
    public let cutoffs: [Cutoff]

    /// Builds features and labels at `cutoffs` with the model's own spec and label, and scores them.
    /// Cutoffs whose horizon runs past the data have no labelled rows; none at all is bad input.
    public init(model: TenureModel, features: ResolvedFeatureSpec, store: EventStore, cutoffs: [Int64], threads: Int) throws {
        let plan = FeaturePlan(features, store: store)
        let (table, summary) = try TrainingSetBuilder.build(store: store, plan: plan, label: model.label, cutoffs: cutoffs, threads: threads)
        guard let labels = table.labels, table.rows > 0 else {
            throw FeaturesError.noLabelledRows(cutoffs: cutoffs.map { formatTimestamp($0, dateOnly: true) })
        }
        let p = model.probabilities(x: table.values, rows: table.rows)
        var byCutoff: [Int64: [Int]] = [:]
        for r in 0..<table.rows { byCutoff[table.cutoffs[r], default: []].append(r) }
        self.table = table; self.summary = summary; self.probabilities = p; self.labels = labels
        self.cutoffs = byCutoff.keys.sorted().map { c in
            let rows = byCutoff[c]!
            return Cutoff(cutoff: c, rows: rows, probabilities: rows.map { p[$0] }, labels: rows.map { labels[$0] })
        }
    }

    /// The metrics over every labelled row of every cutoff.
    public func metrics() throws -> BinaryMetrics { try Metrics.evaluate(probabilities: probabilities, labels: labels) }

    /// The metrics of each cutoff's rows, earliest first.
    public func metricsPerCutoff() throws -> [(cutoff: Int64, metrics: BinaryMetrics)] {
        try cutoffs.map { ($0.cutoff, try Metrics.evaluate(probabilities: $0.probabilities, labels: $0.labels)) }
    }

    /// The feature rows of one cutoff, row-major.
    public func featureRows(of c: Cutoff) -> [Double] {
        let width = table.width
        var x: [Double] = []
        x.reserveCapacity(c.rows.count * width)
        for r in c.rows { x += table.values[(r * width)..<((r + 1) * width)] }
        return x
    }
}
