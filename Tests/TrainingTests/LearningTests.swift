// The generated log plants a churn signal; both trainers must find it on the time-held-out cutoff, and the
// same inputs and settings must give byte-identical model files.
import Testing
@testable import ModelFormat
@testable import Training

@Suite("Planted signal and determinism")
struct LearningTests {
    /// Measured (400 users × 120 days, seed 11, 6 training cutoffs, 2026-03-29 held out, 235 rows): logistic
    /// AUC 0.915 (log loss 0.357), GBDT 30 trees × 15 leaves AUC 0.909 (log loss 0.281). Bounds leave margin.
    @Test("validation ROC AUC > 0.8", arguments: [ModelKind.logistic, .gbdt])
    func plantedSignal(kind: ModelKind) throws {
        let data = try TrainingData.get()
        let model = try ModelTrainer.train(data.rows, provenance: data.provenance, settings: TrainingData.settings(kind))
        let metrics = try #require(model.validation)
        let auc = try #require(metrics.rocAUC)
        #expect(auc > 0.8, "\(kind) validation ROC AUC \(auc)")
        #expect(metrics.logLoss < 0.5)
        #expect(model.kind == kind)
        #expect((kind == .logistic) == (model.logistic != nil))
        #expect((kind == .gbdt) == (model.gbdt != nil))
    }

    @Test("training twice gives byte-identical model files", arguments: [ModelKind.logistic, .gbdt])
    func deterministic(kind: ModelKind) throws {
        let data = try TrainingData.get()
        var settings = TrainingData.settings(kind)
        settings.gbdt.baggingFraction = 0.8
        settings.gbdt.baggingFreq = 1
        settings.gbdt.featureFraction = 0.8
        settings.recorded = ["model": kind.rawValue, "trees": "30"]
        let a = try ModelFile.encode(try ModelTrainer.train(data.rows, provenance: data.provenance, settings: settings))
        let b = try ModelFile.encode(try ModelTrainer.train(data.rows, provenance: data.provenance, settings: settings))
        #expect(a == b)
        // And the file records what it was trained with.
        let model = try ModelFile.decode(a)
        #expect(model.training.settings == settings.recorded)
        #expect(model.training.inputFile == "train.csv")
        if kind == .gbdt {
            // A different seed with bagging on is a different model: the bytes really depend on the inputs.
            settings.gbdt.seed = 7
            let c = try ModelFile.encode(try ModelTrainer.train(data.rows, provenance: data.provenance, settings: settings))
            #expect(c != a)
        }
    }
}
