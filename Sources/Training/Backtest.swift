// A backtest: a saved model scored at cutoffs of a log whose outcomes are known, the rows of each cutoff
// kept apart. `tenure evaluate` (a row per cutoff, each marked against the model's own cutoffs, plus the
// pooled row) and `tenure report` (curves per cutoff) both use it.
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
    /// How the users file met the rows (nil for a model without attributes).
    public let coverage: AttributeCoverage?

    /// Builds features and labels at `cutoffs` with the model's own spec and label, and scores them.
    /// Cutoffs whose horizon runs past the data have no labelled rows; none at all is bad input.
    /// A model trained with `--users` needs `users` (encoded with its schema).
    public init(model: TenureModel, features: ResolvedFeatureSpec, store: EventStore, cutoffs: [Int64], threads: Int,
                users: UserAttributes? = nil) throws {
        let plan = FeaturePlan(features, store: store)
        let (events, summary) = try TrainingSetBuilder.build(store: store, plan: plan, label: model.label, cutoffs: cutoffs, threads: threads)
        let (table, coverage) = try AttributeJoin.apply(model.attributes, users, to: events, userIDs: store.userIDs)
        self.coverage = coverage
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
    public func metrics() throws -> BinaryMetrics { try Metrics.evaluateUnordered(probabilities: probabilities, labels: labels) }

    /// The metrics of each cutoff's rows, earliest first.
    public func metricsPerCutoff() throws -> [(cutoff: Int64, metrics: BinaryMetrics)] {
        try cutoffs.map { ($0.cutoff, try Metrics.evaluateUnordered(probabilities: $0.probabilities, labels: $0.labels)) }
    }

    /// A row per cutoff, earliest first, and the pooled row: each with its role against the model's own
    /// cutoffs, a DeLong interval on ROC AUC and the reasons not to trust it.
    public func evaluation(training: TrainingInfo) throws -> BacktestEvaluation {
        let rows = try cutoffs.map { c -> BacktestEvaluation.Row in
            let role = CutoffRole(c.cutoff, training: training)
            return try .init(cutoff: formatTimestamp(c.cutoff, dateOnly: c.cutoff % millisPerDay == 0), role: role,
                             probabilities: c.probabilities, labels: c.labels)
        }
        let pooled = try BacktestEvaluation.Row(cutoff: "pooled", role: nil, probabilities: probabilities, labels: labels)
        return BacktestEvaluation(cutoffs: rows, pooled: pooled)
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

/// Where a backtest cutoff sits against the cutoffs the model was fitted and validated on.
public enum CutoffRole: String, Codable, Sendable, CaseIterable {
    /// One of the model's validation cutoffs: the honest estimate the trainer reported.
    case heldOut = "held-out"
    /// One of its training cutoffs: the model has seen these very rows, so the metrics flatter it.
    case inSample = "in-sample"
    /// Not one of its cutoffs but not later than all of them: the features and outcomes overlap the rows
    /// it was fitted on.
    case overlapsTraining = "overlaps-training"
    /// Later than every cutoff the model saw: a true backtest.
    case afterTraining = "after-training"

    public init(_ cutoff: Int64, training: TrainingInfo) {
        let fitted = training.trainCutoffs.compactMap { parseTimestamp($0) }
        let validated = training.validCutoffs.compactMap { parseTimestamp($0) }
        if fitted.contains(cutoff) { self = .inSample }
        else if validated.contains(cutoff) { self = .heldOut }
        else if (fitted + validated).allSatisfy({ cutoff > $0 }) { self = .afterTraining }
        else { self = .overlapsTraining }
    }

    /// Metrics on such a cutoff overstate how the model does on users it has not seen.
    public var flatters: Bool { self == .inSample || self == .overlapsTraining }
}

/// What `tenure evaluate` reports: the metrics of each cutoff and of all rows pooled.
public struct BacktestEvaluation: Codable, Sendable {
    /// Under these, a cutoff's metrics are noise more than signal (the interval says how much).
    public static let minimumRows = 200
    public static let minimumPositives = 50
    public static let intervalLevel = 0.95

    public struct Row: Codable, Sendable {
        /// The cutoff as a date (or timestamp), or `pooled`.
        public var cutoff: String
        /// nil for the pooled row.
        public var role: CutoffRole?
        public var metrics: BinaryMetrics
        /// nil when a class has fewer than two rows.
        public var rocAUCInterval: AUCInterval?
        /// True when the rows are too few for the metrics to mean much.
        public var smallSample: Bool

        init(cutoff: String, role: CutoffRole?, probabilities: [Double], labels: [Double]) throws {
            self.cutoff = cutoff; self.role = role
            metrics = try Metrics.evaluateUnordered(probabilities: probabilities, labels: labels)
            rocAUCInterval = try AUCInterval.delong(scores: probabilities, labels: labels, level: BacktestEvaluation.intervalLevel)
            smallSample = metrics.rows < BacktestEvaluation.minimumRows || metrics.positives < BacktestEvaluation.minimumPositives
        }
    }

    public var intervalMethod = AUCInterval.method
    public var cutoffs: [Row]
    /// Every row of every cutoff as one sample. Users recur across cutoffs, so its interval is narrower
    /// than the data warrant.
    public var pooled: Row

    /// One line per reason to distrust a row, for stderr.
    public var warnings: [String] {
        var out: [String] = []
        for r in cutoffs {
            switch r.role {
            case .inSample?: out.append("cutoff \(r.cutoff) is one of the model's training cutoffs: its metrics are in-sample and flatter the model")
            case .overlapsTraining?: out.append("cutoff \(r.cutoff) lies inside the model's training period: its rows overlap what the model was fitted on")
            default: break
            }
        }
        for r in cutoffs + [pooled] where r.smallSample {
            out.append("\(r.role == nil ? "the pooled rows" : "cutoff \(r.cutoff)") \(r.role == nil ? "have" : "has") \(r.metrics.rows) rows and \(r.metrics.positives) positives "
                       + "(under \(Self.minimumRows) rows or \(Self.minimumPositives) positives): the metrics are noisy, read the interval")
        }
        let flattering = cutoffs.filter { $0.role?.flatters == true }
        if cutoffs.count > 1 && !flattering.isEmpty {
            out.append("the pooled row includes \(flattering.count) in-sample cutoff(s): report the after-training or held-out rows instead")
        }
        return out
    }
}
