// The raw scores the booster keeps of its training rows are the model's own scores of those rows, bit for bit:
// the packed forest's lane sums for numeric trees, the tree-by-tree walk for categorical ones, with NaNs, more
// than eight trees, bagging; and nil when early stopping drops trees (the kept sums would include them).
import Testing
@testable import GradientBoosting

@Suite("Training scores kept by the booster")
struct TrainingScoresTests {
    static func kept(_ d: Dataset, _ config: GBDTConfig, categoryCounts: [Int] = [],
                     validation: (x: [Double], rows: Int, y: [Double])? = nil) throws -> (GBDTModel, [Double]?) {
        var scores: [Double]? = nil
        let model = try GBDTTrainer.train(x: d.x, rows: d.rows, cols: d.cols, y: d.y, validation: validation, config: config,
                                          categoryCounts: categoryCounts, trainingScores: &scores)
        return (model, scores)
    }

    @Test(arguments: [false, true])
    func numericTreesMatchScoring(bagging: Bool) throws {
        let d = TestData.planted(rows: 4000, seed: 21, nanRate: 0.2)
        var config = TestData.config { $0.trees = 19; $0.numLeaves = 7 }
        config.threads = 2
        if bagging { config.baggingFraction = 0.6; config.baggingFreq = 2 }
        let (model, scores) = try Self.kept(d, config)
        #expect(!model.hasCategoricalSplits)
        #expect(scores?.map { $0.bitPattern } == model.rawScoreBatch(x: d.x, rows: d.rows).map { $0.bitPattern })
    }

    @Test func categoricalTreesMatchScoring() throws {
        let d = CategoricalSplitTests.planted(rows: 3000, seed: 5)
        var config = TestData.config { $0.trees = 11; $0.numLeaves = 4; $0.minDataInLeaf = 20 }
        config.threads = 2
        let (model, scores) = try Self.kept(d, config, categoryCounts: [8, 0])
        #expect(model.hasCategoricalSplits)
        #expect(scores?.map { $0.bitPattern } == model.rawScoreBatch(x: d.x, rows: d.rows).map { $0.bitPattern })
    }

    @Test func earlyStoppingThatDropsTreesKeepsNone() throws {
        let d = TestData.planted(rows: 3000, seed: 8)
        let v = TestData.planted(rows: 800, seed: 9)
        let config = TestData.config { $0.trees = 300; $0.numLeaves = 31; $0.learningRate = 0.5; $0.earlyStoppingRounds = 3 }
        let (model, scores) = try Self.kept(d, config, validation: (v.x, v.rows, v.y))
        #expect(model.trees.count < model.trainingLog.trainLoss.count, "early stopping dropped trees")
        #expect(scores == nil)
    }
}
