// Booster: the training loop (GBDTTrainer.train) — input checks, binning, second-order boosting of
// log loss with bagging, feature sampling and early stopping on a validation set.
import Foundation
import Dispatch
import TenureCore

/// Trains gradient-boosted trees for binary classification.
public enum GBDTTrainer {
    /// Trains a model on a row-major matrix `x` (`rows × cols`, NaN = missing) with 0/1 labels `y`.
    ///
    /// Each iteration computes log-loss gradients/hessians at the current scores, grows one tree
    /// leaf-wise on the histogram of binned features (see `TreeGrower`) and adds it with `learningRate`.
    /// With `validation` and `earlyStoppingRounds > 0`, stops after that many iterations without a lower
    /// validation log loss and keeps the trees up to the best one.
    /// `progress(iteration, trainLoss, validLoss)` is called after every iteration (1-based).
    /// Cost: O(rows·cols·log bins) binning + O(trees · (rows·cols + splits·bins·cols)).
    /// `categoryCounts` (one per feature, 0 = numeric) marks categorical features, whose values are codes
    /// 0..<count or NaN; they are split by category (see `GainModel.bestCategoricalSplit`).
    /// With `trainingScores`, it receives the model's raw scores of the training rows, bit for bit what
    /// `rawScoreBatch` of `x` returns (the booster keeps them as it goes, so nobody scores the rows again), or nil
    /// when early stopping dropped trees.
    ///
    /// With a distributed `collective`, `x`, `y`, `weights` and `validation` are this rank's rows (every rank
    /// needs at least one training row; validation rows may be absent on some ranks but not on all), and every
    /// rank returns the model a single process would train on all ranks' rows together: bins from the same
    /// sample, histograms, totals, counts and losses summed exactly over the ranks. Bagging is not offered
    /// there (its row sample is drawn by index over one process's rows).
    public static func train(x: [Double], rows: Int, cols: Int, y: [Double], weights: [Double]? = nil,
                             validation: (x: [Double], rows: Int, y: [Double])? = nil, config: GBDTConfig,
                             categoryCounts: [Int] = [], fractionalLabels: Bool = false,
                             collective: Collective = SingleProcess.shared,
                             trainingScores: UnsafeMutablePointer<[Double]?>? = nil,
                             progress: ((_ iteration: Int, _ trainLoss: Double, _ validLoss: Double?) -> Void)? = nil)
        throws -> GBDTModel {
        try checkInputs(x: x, rows: rows, cols: cols, y: y, weights: weights, fractional: fractionalLabels, what: "training")
        if let v = validation {
            guard v.rows >= 1 || collective.isDistributed else { throw GradientBoostingError.emptyData(what: "validation data") }
            if v.rows > 0 {
                try checkInputs(x: v.x, rows: v.rows, cols: cols, y: v.y, weights: nil, fractional: fractionalLabels, what: "validation")
            }
        }
        try config.validate(featureCount: cols)
        precondition(rows < Int(Int32.max), "row indices are Int32")
        let threads = config.threads
        let useBagging = config.baggingFreq > 0 && config.baggingFraction < 1
        if useBagging && collective.isDistributed { throw GradientBoostingError.baggingNotDistributed }

        if !categoryCounts.isEmpty {
            guard categoryCounts.count == cols, categoryCounts.allSatisfy({ (0...(GBDTTree.maxCategoryCode)).contains($0) }) else {
                throw GradientBoostingError.shapeMismatch(what: "categoryCounts", expected: cols, found: categoryCounts.count)
            }
            for f in 0..<cols where categoryCounts[f] > 0 {
                for r in 0..<rows {
                    let v = x[r * cols + f]
                    guard v.isNaN || (v >= 0 && v < Double(categoryCounts[f]) && v == v.rounded(.down)) else {
                        throw GradientBoostingError.invalidModel(reason: "categorical feature \(f) holds \(v), not a code below \(categoryCounts[f])")
                    }
                }
            }
        }
        let binned = x.withUnsafeBufferPointer {
            BinnedMatrix(x: $0, rows: rows, cols: cols, maxBin: config.maxBin, seed: config.seed, threads: threads,
                         categoryCounts: categoryCounts, collective: collective)
        }
        // Validation rows coded once under the training bins, so every tree routes 1-byte codes (a few MB that
        // stay in cache) instead of reading each row's values; categorical splits route raw values (a code
        // outside the training categories has no bin of its own).
        let validationCodes: [UInt8]? = validation.flatMap { v in
            categoryCounts.contains { $0 > 0 } || v.rows == 0 ? nil
                : v.x.withUnsafeBufferPointer { binned.codes(of: $0, rows: v.rows, threads: threads) }
        }
        let initScore = LogLoss.initScore(y: y, weights: weights, collective: collective)
        var scores = [Double](repeating: initScore, count: rows)
        // The packed forest's sum, kept alongside: tree t in lane t mod 8, the lanes joined as it joins them.
        let lanes = PackedForest.lanes
        var laneScores = [Double](repeating: 0, count: trainingScores == nil ? 0 : lanes * rows)
        var validScores = [Double](repeating: initScore, count: validation?.rows ?? 0)
        var grad = [Int64](repeating: 0, count: rows)
        var hess = [Int64](repeating: 0, count: rows)
        let quantiser = GradientQuantiser(rows: collective.sum(rows),
                                          maxWeight: collective.maximum(weights?.max() ?? 1),
                                          scalePosWeight: config.scalePosWeight)
        let grower = TreeGrower(binned: binned, config: config, quantiser: quantiser, collective: collective)
        var rng = SeededGenerator(seed: config.seed)
        var bag: [Int32]? = nil
        let allFeatures = Array(0..<cols)

        var trees: [GBDTTree] = []
        var trainLog: [Double] = []
        var validLog: [Double] = []
        var bestValid = Double.infinity
        var bestCount = 0

        /// Gradients/hessians at the current scores; returns the mean training loss (all ranks) at those scores.
        func computeGradients() -> Double {
            let sums = scores.withUnsafeBufferPointer { s in
                y.withUnsafeBufferPointer { yb in
                    grad.withUnsafeMutableBufferPointer { g in
                        hess.withUnsafeMutableBufferPointer { h in
                            withOptionalPointer(weights) { w in
                                LogLoss.gradients(scores: s.baseAddress!, y: yb.baseAddress!, weights: w,
                                                  scalePosWeight: config.scalePosWeight, n: rows, quantiser: quantiser,
                                                  grad: g.baseAddress!, hess: h.baseAddress!, threads: threads)
                            }
                        }
                    }
                }
            }
            return LogLoss.mean(sums, collective: collective)
        }
        _ = computeGradients()

        for iteration in 0..<config.trees {
            if useBagging && iteration % config.baggingFreq == 0 {
                let k = max(1, Int((config.baggingFraction * Double(rows)).rounded()))
                bag = rng.sample(k, of: rows).map { Int32(truncatingIfNeeded: $0) }
            }
            var features = allFeatures
            if config.featureFraction < 1 {
                let k = max(1, Int((config.featureFraction * Double(cols)).rounded()))
                features = rng.sample(k, of: cols)
            }
            let grown = grad.withUnsafeBufferPointer { g in
                hess.withUnsafeBufferPointer { h in
                    grower.grow(grad: g.baseAddress!, hess: h.baseAddress!, bag: bag, features: features)
                }
            }
            // A tree that cannot split ends training (LightGBM does the same), except the very first.
            if grown.tree.numLeaves == 1 && iteration > 0 { break }
            trees.append(grown.tree)
            scores.withUnsafeMutableBufferPointer { s in
                laneScores.withUnsafeMutableBufferPointer { l in
                    let lane = (trees.count - 1) % lanes
                    updateTrainScores(s, lane: trainingScores == nil ? nil : l.baseAddress! + lane * rows, grown: grown,
                                      binned: binned, bagged: bag != nil, rowOrder: grower.rowOrder, threads: threads)
                }
            }
            // Next iteration's gradients, and this iteration's training loss from the same pass.
            let trainLoss = computeGradients()
            trainLog.append(trainLoss)
            var validLoss: Double? = nil
            if let v = validation {
                var sums = (loss: FixedPoint.Sum(), weight: FixedPoint.Sum())
                if v.rows > 0 {
                    // Each row's score moves by its own leaf's value: row chunks in parallel give the same sums.
                    let tree = grown.tree
                    v.x.withUnsafeBufferPointer { xb in
                        validScores.withUnsafeMutableBufferPointer { sb in
                            let xb = xb, sb = sb
                            parallelChunks(v.rows, chunks: v.rows < 16_384 ? 1 : threads) { _, range in
                                if let validationCodes {
                                    validationCodes.withUnsafeBufferPointer { codes in
                                        for r in range {
                                            let row = codes.baseAddress! + r * cols
                                            sb[r] += tree.leafValue[grown.leaf(binned: binned) { Int(row[$0]) }]
                                        }
                                    }
                                } else {
                                    for r in range {
                                        let row = UnsafeBufferPointer(rebasing: xb[(r * cols)..<((r + 1) * cols)])
                                        sb[r] += tree.leafValue[tree.leafIndex(row)]
                                    }
                                }
                            }
                        }
                    }
                    sums = validScores.withUnsafeBufferPointer { s in
                        v.y.withUnsafeBufferPointer { yb in
                            LogLoss.lossSums(scores: s.baseAddress!, y: yb.baseAddress!, weights: nil, n: v.rows, threads: threads)
                        }
                    }
                }
                let loss = LogLoss.mean(sums, collective: collective)
                validLog.append(loss)
                validLoss = loss
                if loss < bestValid { bestValid = loss; bestCount = trees.count }
            }
            progress?(iteration + 1, trainLoss, validLoss)
            if config.earlyStoppingRounds > 0, validation != nil, trees.count - bestCount >= config.earlyStoppingRounds {
                break
            }
        }
        let kept = config.earlyStoppingRounds > 0 && validation != nil && bestCount > 0 ? bestCount : trees.count
        let keptAll = kept == trees.count
        trees.removeLast(trees.count - kept)
        let model = GBDTModel(featureCount: cols, binUpperBounds: binned.features.map(\.upperBounds),
                         featureMin: binned.features.map(\.minValue), featureMax: binned.features.map(\.maxValue),
                         featureHasValues: binned.features.map(\.hasValues), initScore: initScore, trees: trees,
                         bestIteration: trees.count,
                         trainingLog: GBDTTrainingLog(trainLoss: trainLog, validLoss: validLog), config: config)
        if let trainingScores {
            if !keptAll {
                trainingScores.pointee = nil
            } else if model.hasCategoricalSplits {
                trainingScores.pointee = scores   // the tree-by-tree walk: the initial score, then each tree in order
            } else {
                laneScores.withUnsafeBufferPointer { l in
                    trainingScores.pointee = (0..<rows).map { r in
                        @inline(__always) func at(_ k: Int) -> Double { l[k * rows + r] }
                        return initScore + PackedForest.join(at(0), at(1), at(2), at(3), at(4), at(5), at(6), at(7))
                    }
                }
            }
        }
        return model
    }

    /// Adds the new tree's leaf values to the training scores, and to the packed forest's `lane` of them when
    /// given, in the same pass. Without bagging every row sits in a leaf segment of the grower's partition; with
    /// bagging all rows are routed through the binned tree.
    private static func updateTrainScores(_ s: UnsafeMutableBufferPointer<Double>, lane: UnsafeMutablePointer<Double>?,
                                          grown: GrownTree, binned: BinnedMatrix, bagged: Bool, rowOrder: [Int32],
                                          threads: Int) {
        let tree = grown.tree
        let s = s.baseAddress!
        if !bagged {
            // Leaves own disjoint rows, so workers can take them in any order; leaves vary in size, so as they free up.
            let workers = binned.rows < 65536 ? 1 : threads
            rowOrder.withUnsafeBufferPointer { order in
                parallelTasks(workers: workers, tasks: tree.numLeaves) { _, leaf in
                    let v = tree.leafValue[leaf]
                    let b = grown.leafBegin[leaf], e = b + grown.localLeafCount[leaf]
                    if let lane {
                        for i in b..<e { let r = Int(order[i]); s[r] += v; lane[r] += v }
                    } else {
                        for i in b..<e { s[Int(order[i])] += v }
                    }
                }
            }
            return
        }
        let rows = binned.rows
        if tree.numLeaves == 1 {
            for r in 0..<rows { s[r] += tree.leafValue[0]; lane?[r] += tree.leafValue[0] }
            return
        }
        binned.codes.withUnsafeBufferPointer { codes in
            for r in 0..<rows {
                let v = tree.leafValue[grown.leaf(binned: binned) { Int(codes[$0 * rows + r]) }]
                s[r] += v; lane?[r] += v
            }
        }
    }

    private static func checkInputs(x: [Double], rows: Int, cols: Int, y: [Double], weights: [Double]?,
                                    fractional: Bool = false, what: String) throws {
        guard rows >= 1 else { throw GradientBoostingError.emptyData(what: "\(what) rows") }
        guard cols >= 1 else { throw GradientBoostingError.emptyData(what: "\(what) features") }
        guard x.count == rows * cols else {
            throw GradientBoostingError.shapeMismatch(what: "\(what) x", expected: rows * cols, found: x.count)
        }
        guard y.count == rows else {
            throw GradientBoostingError.shapeMismatch(what: "\(what) y", expected: rows, found: y.count)
        }
        // Fractional labels in [0, 1]: log loss with soft labels is minimised by E[y | x], so the same booster
        // regresses a bounded outcome (the X-learner's rescaled imputed effects).
        for (i, v) in y.enumerated() where fractional ? !(v >= 0 && v <= 1) : (v != 0 && v != 1) {
            throw GradientBoostingError.invalidLabel(row: i, value: v)
        }
        if let weights {
            guard weights.count == rows else {
                throw GradientBoostingError.shapeMismatch(what: "\(what) weights", expected: rows, found: weights.count)
            }
            for (i, w) in weights.enumerated() where !(w >= 0 && w.isFinite) {
                throw GradientBoostingError.invalidWeight(row: i, value: w)
            }
        }
        if let bad = x.firstIndex(where: { $0.isInfinite }) {
            throw GradientBoostingError.infiniteFeatureValue(what: "\(what) x", row: bad / cols, feature: bad % cols)
        }
    }
}

/// Calls `body` with the base address of `array`, or nil when there is no array.
@inline(__always)
func withOptionalPointer<R>(_ array: [Double]?, _ body: (UnsafePointer<Double>?) -> R) -> R {
    guard let array else { return body(nil) }
    return array.withUnsafeBufferPointer { body($0.baseAddress) }
}
