// Training behaviour: determinism under threads/bagging, early stopping, and leaf statistics that
// agree with routing the training rows through the finished tree.
import Foundation
import Testing
@testable import GradientBoosting

@Suite("Determinism")
struct DeterminismTests {
    @Test("same seed and settings give identical models; thread count does not change the trees")
    func identical() throws {
        let d = TestData.planted(rows: 3000, seed: 3, nanRate: 0.2)
        let cfg = TestData.config { $0.baggingFraction = 0.7; $0.baggingFreq = 1; $0.featureFraction = 0.7 }
        let a = try TestData.train(d, cfg)
        let b = try TestData.train(d, cfg)
        #expect(a == b)
        let single = try TestData.train(d, TestData.config {
            $0.baggingFraction = 0.7; $0.baggingFreq = 1; $0.featureFraction = 0.7; $0.threads = 1
        })
        #expect(single.trees == a.trees)
        let other = try TestData.train(d, TestData.config {
            $0.baggingFraction = 0.7; $0.baggingFreq = 1; $0.featureFraction = 0.7; $0.seed = 8
        })
        #expect(other.trees.map(\.threshold) != a.trees.map(\.threshold), "a different seed must change bagging/feature sampling")
    }
}

@Suite("Early stopping")
struct EarlyStoppingTests {
    @Test("stops after the patience window and keeps the best iteration")
    func keepsBest() throws {
        // Tiny, noisy training set and an aggressive learning rate: validation loss turns up early.
        let train = TestData.planted(rows: 300, seed: 21)
        let valid = TestData.planted(rows: 500, seed: 22)
        let cfg = TestData.config { $0.trees = 300; $0.learningRate = 0.5; $0.minDataInLeaf = 2
            $0.earlyStoppingRounds = 5 }
        var seen: [Double] = []
        let model = try GBDTTrainer.train(x: train.x, rows: train.rows, cols: train.cols, y: train.y,
                                          validation: (x: valid.x, rows: valid.rows, y: valid.y), config: cfg) {
            _, _, v in seen.append(v ?? .nan)
        }
        let log = model.trainingLog.validLoss
        #expect(log == seen)
        let best = log.indices.min { log[$0] < log[$1] }!
        #expect(model.bestIteration == best + 1)
        #expect(model.trees.count == model.bestIteration)
        #expect(log.count == best + 1 + 5, "trained exactly 5 iterations past the best")
        #expect(log.count < 300)
        // The kept model's validation loss equals the best logged loss.
        let p = model.scoreBatch(x: valid.x, rows: valid.rows)
        var loss = 0.0
        for i in 0..<valid.rows { loss -= valid.y[i] == 1 ? log1p(p[i] - 1) : log1p(-p[i]) }
        #expect(abs(loss / Double(valid.rows) - log[best]) < 1e-9)
    }
}

@Suite("Leaf statistics")
struct LeafStatisticsTests {
    @Test("leaf counts and hessian sums match routing the training rows through the raw-threshold tree",
          arguments: [2000, 300_000])
    func leafCountsMatchRouting(rows: Int) throws {
        // 300k rows exercises the chunked (parallel) partition and 4-chunk histograms.
        let d = TestData.planted(rows: rows, seed: 4, nanRate: 0.3)
        let model = try TestData.train(d, TestData.config { $0.trees = rows > 10000 ? 1 : 3 })
        let tree = model.trees[0]
        var counts = [Int](repeating: 0, count: tree.numLeaves)
        for r in 0..<d.rows { d.row(r).withUnsafeBufferPointer { counts[tree.leafIndex($0)] += 1 } }
        #expect(counts == tree.leafCount)
        // First iteration: every row has p = base rate, so hessian = p(1−p) per row.
        let p = 1 / (1 + exp(-model.initScore))
        for l in 0..<tree.numLeaves {
            #expect(abs(tree.leafWeight[l] - Double(counts[l]) * p * (1 - p)) < 1e-9 * Double(d.rows))
        }
    }

    @Test("sample weights and scalePosWeight change the model as specified")
    func weights() throws {
        let d = TestData.planted(rows: 1000, seed: 9)
        let w = [Double](repeating: 2, count: d.rows)
        let a = try TestData.train(d, TestData.config { $0.trees = 5; $0.minHessianInLeaf = 0 })
        let b = try GBDTTrainer.train(x: d.x, rows: d.rows, cols: d.cols, y: d.y, weights: w,
                                      config: TestData.config { $0.trees = 5; $0.minHessianInLeaf = 0 })
        // Uniform weights scale G and H alike: same outputs (λ = 0), doubled leaf weights.
        #expect(a.trees[0].splitFeature == b.trees[0].splitFeature)
        for (x, y) in zip(a.trees[0].leafValue, b.trees[0].leafValue) { #expect(abs(x - y) < 1e-12) }
        let spw = try TestData.train(d, TestData.config { $0.trees = 5; $0.scalePosWeight = 3 })
        let meanA = a.scoreBatch(x: d.x, rows: d.rows).reduce(0, +), meanS = spw.scoreBatch(x: d.x, rows: d.rows).reduce(0, +)
        #expect(meanS > meanA, "up-weighting positives raises predicted probabilities")
    }
}
