// Shared fixture: a generated log (400 users × 120 days, seed 5), a logistic and a GBDT churn model trained
// on its weekly cutoffs (directly with the trainers, as Training is not a dependency of Scoring), built once.
import EventLog
import Features
import Foundation
import GradientBoosting
import LinearModels
import Synthetic
import Testing
@testable import ModelFormat
@testable import Scoring

enum ScoringData {
    struct Built: Sendable {
        var store: EventStore
        var training: FeatureTable
        var logistic: Scorer
        var gbdt: Scorer
        func scorer(_ kind: ModelKind) -> Scorer { kind == .logistic ? logistic : gbdt }
    }

    /// Scoring time: after every training cutoff, with events on both sides of it.
    static let asOf = parseTimestamp("2026-04-20")!
    static let built: Result<Built, any Error> = Result { try build() }
    static func get() throws -> Built { try built.get() }

    private static func build() throws -> Built {
        let (bytes, _) = try SyntheticLog.csv(config: SyntheticLogConfig(users: 400, days: 120, seed: 5))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tenure-scoring-\(getpid()).csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let (store, report) = try EventLogReader.read(path)
        let resolved = ResolvedFeatureSpec.resolve(.default, for: store)
        let label = LabelSpec(task: .churn)
        let (table, summary) = try TrainingSetBuilder.build(store: store, plan: FeaturePlan(resolved, store: store), label: label,
                                                            cutoffs: try CutoffSchedule.parse("2026-02-15..2026-04-01/7d"))
        let y = try #require(table.labels)
        let info = TrainingInfo(source: "events", inputFile: "scoring.csv", trainCutoffs: [], validCutoffs: [],
                                trainRows: table.rows, trainPositives: Int(y.reduce(0, +)), validRows: 0, validPositives: 0,
                                censoredRows: summary.censored, settings: [:])
        func model(_ payload: ModelPayload) -> Scorer {
            Scorer(model: TenureModel(payload: payload, label: label, features: resolved, featureNames: table.names,
                                      columns: ColumnMapping(), inputFormat: report.format, timeFormat: report.timeFormat,
                                      training: info, validation: nil))
        }
        let lr = try LogisticRegression.fit(x: table.values, rows: table.rows, cols: table.width, y: y)
        var config = GBDTConfig()
        config.trees = 25
        config.numLeaves = 15
        let trees = try GBDTTrainer.train(x: table.values, rows: table.rows, cols: table.width, y: y, config: config)
        return Built(store: store, training: table, logistic: model(.logistic(lr)), gbdt: model(.gbdt(trees)))
    }

    /// Every event of a store as flat columns (user index per event), to rebuild or extend it.
    static func columns(_ s: EventStore) -> (users: [Int32], times: [Int64], events: [UInt32], values: [Double]) {
        var users = [Int32](repeating: 0, count: s.eventCount)
        for u in 0..<s.userCount { for i in s.range(ofUser: u) { users[i] = Int32(u) } }
        return (users, Array(s.times), Array(s.events), Array(s.values))
    }
}
