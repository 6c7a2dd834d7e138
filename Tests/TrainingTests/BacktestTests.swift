// The backtest `tenure evaluate` and `tenure report` share: scored at the model's own validation cutoff it
// reproduces the validation the trainer stored; each cutoff's rows are kept apart and together are all rows;
// its evaluation marks each cutoff against the model's own cutoffs and cannot flatter without saying so.
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

    static func info(train: [String], valid: [String]) -> TrainingInfo {
        TrainingInfo(source: "events", inputFile: "x.csv", trainCutoffs: train, validCutoffs: valid, trainRows: 0,
                     trainPositives: 0, validRows: 0, validPositives: 0, censoredRows: 0, settings: [:])
    }

    @Test("a cutoff's role: one of the training cutoffs, a validation cutoff, inside the training period, or after it")
    func roles() throws {
        let t = Self.info(train: ["2026-02-01", "2026-02-08"], valid: ["2026-02-15"])
        func role(_ d: String) throws -> CutoffRole { CutoffRole(try #require(parseTimestamp(d)), training: t) }
        #expect(try role("2026-02-08") == .inSample)
        #expect(try role("2026-02-15") == .heldOut)
        #expect(try role("2026-02-16") == .afterTraining)
        #expect(try role("2026-02-10") == .overlapsTraining)
        #expect(try role("2026-01-01") == .overlapsTraining)
        #expect(CutoffRole.allCases.filter(\.flatters) == [.inSample, .overlapsTraining])
    }

    @Test("a training cutoff is flagged in-sample with a warning; a row per cutoff plus the pooled row")
    func inSampleFlagged() throws {
        let data = try TrainingData.get()
        let model = try ModelTrainer.train(data.rows, provenance: data.provenance, settings: TrainingData.settings(.logistic))
        let trained = try #require(model.training.trainCutoffs.first), held = try #require(model.training.validCutoffs.first)
        let cutoffs = [trained, held].compactMap { parseTimestamp($0) }
        let backtest = try Backtest(model: model, features: try #require(model.features), store: data.store, cutoffs: cutoffs, threads: 2)
        let e = try backtest.evaluation(training: model.training)
        #expect(e.cutoffs.map(\.cutoff) == [trained, held])
        #expect(e.cutoffs.map(\.role) == [.inSample, .heldOut])
        #expect(e.pooled.role == nil && e.pooled.metrics.rows == e.cutoffs.map(\.metrics.rows).reduce(0, +))
        #expect(e.warnings.contains { $0.contains("cutoff \(trained)") && $0.contains("in-sample") })
        #expect(e.warnings.contains { $0.contains("pooled") && $0.contains("in-sample") })
        #expect(!e.warnings.contains { $0.contains("cutoff \(held)") && $0.contains("in-sample") })
        // Each row is exactly its cutoff's metrics; the held-out row is what the trainer stored.
        for (row, c) in zip(e.cutoffs, backtest.cutoffs) {
            #expect(row.metrics == (try Metrics.evaluateUnordered(probabilities: c.probabilities, labels: c.labels)))
            let ci = try #require(row.rocAUCInterval)
            #expect(ci.lower <= ci.auc && ci.auc <= ci.upper && ci.auc == row.metrics.rocAUC)
        }
        #expect(e.cutoffs[1].metrics == model.validation)
        #expect(e.intervalMethod == "DeLong")
    }

    @Test("a cutoff under 200 rows or 50 positives is marked and warned about; a big one is not")
    func smallSample() throws {
        let data = try TrainingData.get()
        let model = try ModelTrainer.train(data.rows, provenance: data.provenance, settings: TrainingData.settings(.logistic))
        let cutoffs = try CutoffSchedule.parse(TrainingData.cutoffs)
        let backtest = try Backtest(model: model, features: try #require(model.features), store: data.store, cutoffs: cutoffs, threads: 2)
        let e = try backtest.evaluation(training: model.training)
        for r in e.cutoffs {
            let small = r.metrics.rows < 200 || r.metrics.positives < 50
            #expect(r.smallSample == small)
            #expect(e.warnings.contains { $0.hasPrefix("cutoff \(r.cutoff) has") } == small, "\(r.cutoff): \(r.metrics.rows) rows")
        }
        #expect(e.cutoffs.contains { $0.smallSample }, "the fixture's cutoffs have about 200 rows and 60 positives each")
        #expect(!e.pooled.smallSample && e.pooled.metrics.rows > 1000)
        // The pooled interval is narrower than any single cutoff's: more rows, less noise.
        let pooledWidth = try #require(e.pooled.rocAUCInterval.map { $0.upper - $0.lower })
        #expect(e.cutoffs.allSatisfy { r in r.rocAUCInterval.map { $0.upper - $0.lower > pooledWidth } ?? true })
    }
}
