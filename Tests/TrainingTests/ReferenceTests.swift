// What a trained model keeps about its data besides the fit: the training rows' feature histograms and score
// quantiles (drift, percentiles) and the validation scores by label (curves without the log).
import Evaluation
import ModelFormat
import Testing
@testable import Training

@Suite("Reference distribution and stored validation scores")
struct StoredDistributionTests {
    @Test("the model keeps one histogram per feature, sorted score quantiles, and validation counts that add up", arguments: [ModelKind.logistic, .gbdt])
    func stored(kind: ModelKind) throws {
        let data = try TrainingData.get()
        let model = try ModelTrainer.train(data.rows, provenance: data.provenance, settings: TrainingData.settings(kind))
        let reference = try #require(model.reference)
        #expect(reference.rows == model.training.trainRows)
        #expect(reference.features.map(\.name) == model.featureNames)
        for h in reference.features { #expect(abs(h.shares.reduce(0, +) - 1) < 1e-9, "\(h.name)") }
        #expect(zip(reference.scoreQuantiles, reference.scoreQuantiles.dropFirst()).allSatisfy { $0 <= $1 })

        let scores = try #require(model.validationScores)
        #expect(scores.positives.reduce(0, +) == model.training.validPositives)
        #expect(scores.positives.reduce(0, +) + scores.negatives.reduce(0, +) == model.training.validRows)
        // Curves redrawn from the bins give the stored AUC to the bin width.
        let rows = scores.expandedRows()
        let auc = try #require(try Metrics.evaluate(probabilities: rows.probabilities, labels: rows.labels).rocAUC)
        let stored = try #require(model.validation?.rocAUC)
        #expect(abs(auc - stored) < 0.005)
    }
}
