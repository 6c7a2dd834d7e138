// Learning: the booster recovers planted signal, learns NaN default directions and respects
// monotone constraints.
import Foundation
import Testing
@testable import GradientBoosting

@Suite("GBDT learns planted signal")
struct LearningTests {
    @Test("holdout AUC close to the oracle AUC of the true logits")
    func plantedSignal() throws {
        let train = TestData.planted(rows: 3000, seed: 1)
        let test = TestData.planted(rows: 2000, seed: 2)
        let model = try TestData.train(train, TestData.config())
        let auc = TestData.auc(model.scoreBatch(x: test.x, rows: test.rows), test.y)
        let oracle = TestData.auc(test.logit, test.y)
        let constant = 0.5
        // Learned AUC must be well above chance and within 0.04 of the Bayes-optimal ranking.
        #expect(auc > oracle - 0.04, "auc \(auc) oracle \(oracle)")
        #expect(auc > constant + 0.2)
        // Training loss decreases.
        let log = model.trainingLog.trainLoss
        #expect(log.count == 40 && log.last! < log.first!)
        // Importance: the planted features dominate the noise feature 5.
        #expect(model.importance.gain[0] > model.importance.gain[5])
        #expect(model.importance.splitCount.reduce(0, +) == model.trees.map { $0.numLeaves - 1 }.reduce(0, +))
    }

    @Test("missingness that predicts the label is learned as a default direction")
    func nanDefaultDirection() throws {
        // x0: NaN for 80% of positives and 10% of negatives, otherwise uniform noise.
        var rng = SeededGenerator(seed: 11)
        let rows = 2000, cols = 2
        var x = [Double](repeating: 0, count: rows * cols), y = [Double](repeating: 0, count: rows)
        for r in 0..<rows {
            y[r] = TestData.uniform(&rng) < 0.5 ? 1 : 0
            let missing = TestData.uniform(&rng) < (y[r] == 1 ? 0.8 : 0.1)
            x[r * cols] = missing ? .nan : TestData.uniform(&rng)
            x[r * cols + 1] = TestData.uniform(&rng)
        }
        let model = try GBDTTrainer.train(x: x, rows: rows, cols: cols, y: y, config: TestData.config())
        #expect(model.trees[0].splitFeature[0] == 0)
        for v in stride(from: 0.0, through: 1.0, by: 0.05) {
            for other in [0.1, 0.5, 0.9] {
                let missing = TestData.raw(model, [.nan, other]), present = TestData.raw(model, [v, other])
                #expect(missing > present + 1, "NaN raw \(missing) vs value \(v): \(present)")
            }
        }
    }

    @Test("monotone +1 constraint gives non-decreasing predictions along the feature")
    func monotone() throws {
        // y depends on sin(6·x0): strongly non-monotone without the constraint.
        var rng = SeededGenerator(seed: 5)
        let rows = 3000, cols = 3
        var x = [Double](repeating: 0, count: rows * cols), y = [Double](repeating: 0, count: rows)
        for r in 0..<rows {
            for c in 0..<cols { x[r * cols + c] = TestData.uniform(&rng) }
            let z = 2 * sin(6 * x[r * cols]) + x[r * cols] + x[r * cols + 1] - 0.5
            y[r] = TestData.uniform(&rng) < 1 / (1 + exp(-z)) ? 1 : 0
        }
        func maxDrop(_ m: GBDTModel) -> Double {
            var worst = 0.0
            for other in [0.05, 0.3, 0.6, 0.95] {
                var prev = -Double.infinity
                for v in stride(from: -0.1, through: 1.1, by: 0.005) {
                    let s = TestData.raw(m, [v, other, 1 - other])
                    worst = max(worst, prev - s)
                    prev = s
                }
            }
            return worst
        }
        let free = try GBDTTrainer.train(x: x, rows: rows, cols: cols, y: y, config: TestData.config())
        #expect(maxDrop(free) > 0.1, "the unconstrained model should be non-monotone")
        for threads in [1, 2] {
            let constrained = try GBDTTrainer.train(
                x: x, rows: rows, cols: cols, y: y,
                config: TestData.config { $0.monotone = [1, 0, 0]; $0.threads = threads; $0.lambdaL2 = 1 })
            #expect(maxDrop(constrained) <= 1e-12)
        }
        let decreasing = try GBDTTrainer.train(
            x: x.enumerated().map { $0.offset % cols == 0 ? 1 - $0.element : $0.element }, rows: rows, cols: cols,
            y: y, config: TestData.config { $0.monotone = [-1, 0, 0] })
        var prev = Double.infinity
        for v in stride(from: -0.1, through: 1.1, by: 0.01) {
            let s = TestData.raw(decreasing, [v, 0.5, 0.5])
            #expect(s <= prev + 1e-12); prev = s
        }
    }
}
