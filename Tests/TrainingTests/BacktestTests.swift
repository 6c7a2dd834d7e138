// The backtest `tenure evaluate` and `tenure report` share: scored at the model's own validation cutoff it
// reproduces the validation the trainer stored; each cutoff's rows are kept apart and together are all rows.
import Evaluation
import EventLog
import Features
import Testing
@testable import ModelFormat
@testable import Training

@Suite("Backtest")
struct BacktestTests {
    @Test("at the held-out cutoff it reproduces the stored validation metrics")
    func reproducesValidation() throws {
        let data = try TrainingData.get()
        let model = try ModelTrainer.train(data.rows, provenance: data.provenance, settings: TrainingData.settings(.logistic))
        let stored = try #require(model.validation)
        let cutoffs = model.training.validCutoffs.compactMap { parseTimestamp($0) }
        let backtest = try Backtest(model: model, features: try #require(model.features), store: data.store, cutoffs: cutoffs, threads: 2)
        let metrics = try backtest.metrics()
        #expect(metrics.rows == stored.rows && metrics.positives == stored.positives)
        #expect(metrics.rocAUC == stored.rocAUC && metrics.logLoss == stored.logLoss)
    }

    @Test("rows are split by cutoff, earliest first, and the split covers every row once")
    func perCutoff() throws {
        let data = try TrainingData.get()
        let model = try ModelTrainer.train(data.rows, provenance: data.provenance, settings: TrainingData.settings(.logistic))
        let cutoffs = try CutoffSchedule.parse(TrainingData.cutoffs)
        let backtest = try Backtest(model: model, features: try #require(model.features), store: data.store, cutoffs: cutoffs, threads: 2)
        #expect(backtest.cutoffs.map(\.cutoff) == Array(Set(backtest.table.cutoffs)).sorted())
        #expect(backtest.cutoffs.flatMap(\.rows).sorted() == Array(0..<backtest.table.rows))
        for c in backtest.cutoffs {
            #expect(c.rows.allSatisfy { backtest.table.cutoffs[$0] == c.cutoff })
            #expect(c.probabilities == c.rows.map { backtest.probabilities[$0] } && c.labels == c.rows.map { backtest.labels[$0] })
            #expect(backtest.featureRows(of: c).count == c.rows.count * backtest.table.width)
        }
        let perCutoff = try backtest.metricsPerCutoff()
        #expect(perCutoff.map(\.metrics.rows) == backtest.cutoffs.map(\.rows.count))
    }

    @Test("cutoffs without labelled rows are bad input, not a crash")
    func noLabelledRows() throws {
        let data = try TrainingData.get()
        let model = try ModelTrainer.train(data.rows, provenance: data.provenance, settings: TrainingData.settings(.logistic))
        let late = try #require(parseTimestamp("2027-01-01"))
        #expect(throws: FeaturesError.self) {
            try Backtest(model: model, features: try #require(model.features), store: data.store, cutoffs: [late], threads: 2)
        }
    }
}
