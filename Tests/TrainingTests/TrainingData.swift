// A small generated log (400 users × 120 days, seed 11) turned into labelled churn rows at 7 weekly cutoffs,
// built once per test process and shared by every suite.
import EventLog
import Features
import Foundation
import ModelFormat
import Synthetic
import Testing
@testable import Training

enum TrainingData {
    struct Built: Sendable {
        var rows: LabelledRows
        var provenance: ModelProvenance
        var cutoffKeys: [String]
        /// The log the rows were built from (backtests build them again).
        var store: EventStore
    }

    static let cutoffs = "2026-02-15..2026-04-01/7d"

    /// Built once per process; a generator or reader failure surfaces in every test that asks for it.
    static let built: Result<Built, any Error> = Result { try build() }

    static func get() throws -> Built { try built.get() }

    private static func build() throws -> Built {
        let (bytes, _) = try SyntheticLog.csv(config: SyntheticLogConfig(users: 400, days: 120, seed: 11))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tenure-training-\(getpid()).csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        let (store, report) = try EventLogReader.read(path)
        let resolved = ResolvedFeatureSpec.resolve(.default, for: store)
        let plan = FeaturePlan(resolved, store: store)
        let label = LabelSpec(task: .churn)
        let (table, summary) = try TrainingSetBuilder.build(store: store, plan: plan, label: label,
                                                            cutoffs: try CutoffSchedule.parse(cutoffs))
        let rows = LabelledRows(table: table)
        let provenance = ModelProvenance(label: label, features: resolved, columns: ColumnMapping(), inputFormat: report.format,
                                         timeFormat: report.timeFormat, source: "events", inputFile: "train.csv",
                                         censoredRows: summary.censored)
        return Built(rows: rows, provenance: provenance, cutoffKeys: Array(Set(rows.cutoffKeys)).sorted(), store: store)
    }

    static func settings(_ kind: ModelKind, validCutoffs: Int = 1, minClassRows: Int = 20) -> TrainSettings {
        var s = TrainSettings(kind: kind, validCutoffs: validCutoffs, minClassRows: minClassRows)
        s.gbdt.trees = 30
        s.gbdt.numLeaves = 15
        return s
    }
}
