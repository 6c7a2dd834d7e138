// TreeSHAPExplainer: the linear-time explainer gives Algorithm 2's numbers (kept as `referenceContributions`)
// on trained models and on random, deep and unbalanced trees with NaN rows, for both covers; it equals
// brute-force Shapley values on small random trees and sums to the raw score.
import Foundation
import Testing
@_spi(TreeSHAPReference) @testable import GradientBoosting

/// Random trees and models built directly (not trained), to reach shapes training rarely makes.
enum RandomTrees {
    /// A tree with `leaves` leaves in LightGBM's layout (internal nodes in preorder, root 0). `chain` makes
    /// every split put one leaf on a random side (depth = leaves − 1). Covers are additive: leaf hessians in
    /// [0.05, 5], leaf counts in 1...40, internal = sum of the children.
    static func tree(leaves: Int, features: Int, chain: Bool, rng: inout SeededGenerator) -> GBDTTree {
        var t = GBDTTree(splitFeature: [], threshold: [], defaultLeft: [], leftChild: [], rightChild: [],
                         splitGain: [], internalValue: [], internalWeight: [], internalCount: [], leafValue: [],
                         leafWeight: [], leafCount: [])
        if leaves == 1 {
            t.leafValue = [TestData.uniform(&rng) * 2 - 1]
            t.leafWeight = [1]
            t.leafCount = [1]
            return t
        }
        /// Returns the child index of a subtree with `k` leaves and its (hessian, count) cover.
        func grow(_ k: Int) -> (Int, Double, Int) {
            if k == 1 {
                t.leafValue.append(TestData.uniform(&rng) * 2 - 1)
                t.leafWeight.append(0.05 + 4.95 * TestData.uniform(&rng))
                t.leafCount.append(1 + Int(rng.next() % 40))
                return (~(t.leafValue.count - 1), t.leafWeight.last!, t.leafCount.last!)
            }
            let node = t.splitFeature.count
            t.splitFeature.append(Int(rng.next() % UInt64(features)))
            t.threshold.append(TestData.uniform(&rng))
            t.defaultLeft.append(rng.next() % 2 == 0)
            t.splitGain.append(TestData.uniform(&rng))
            t.internalValue.append(0)
            t.leftChild.append(0)
            t.rightChild.append(0)
            t.internalWeight.append(0)
            t.internalCount.append(0)
            let left = chain ? (rng.next() % 2 == 0 ? 1 : k - 1) : 1 + Int(rng.next() % UInt64(k - 1))
            let (l, lw, lc) = grow(left)
            let (r, rw, rc) = grow(k - left)
            t.leftChild[node] = l
            t.rightChild[node] = r
            t.internalWeight[node] = lw + rw
            t.internalCount[node] = lc + rc
            return (node, lw + rw, lc + rc)
        }
        _ = grow(leaves)
        return t
    }

    /// The tree with every internal hessian sum recomputed as the sum of its children's.
    static func withSummedWeights(_ t: GBDTTree) -> GBDTTree {
        var t = t
        func sum(_ c: Int) -> Double {
            if c < 0 { return t.leafWeight[~c] }
            t.internalWeight[c] = sum(t.leftChild[c]) + sum(t.rightChild[c])
            return t.internalWeight[c]
        }
        _ = sum(0)
        return t
    }

    static func model(trees: [GBDTTree], featureCount: Int, initScore: Double = -0.3) -> GBDTModel {
        GBDTModel(featureCount: featureCount, binUpperBounds: [[Double]](repeating: [], count: featureCount),
                  featureMin: [Double](repeating: 0, count: featureCount),
                  featureMax: [Double](repeating: 1, count: featureCount),
                  featureHasValues: [Bool](repeating: true, count: featureCount), initScore: initScore, trees: trees,
                  bestIteration: trees.count, trainingLog: GBDTTrainingLog(trainLoss: [], validLoss: []),
                  config: GBDTConfig())
    }

    /// Uniform(0,1) rows with `nanRate` NaNs; one value in ten is copied from a threshold of the model (ties).
    static func rows(_ count: Int, model: GBDTModel, nanRate: Double, rng: inout SeededGenerator) -> [[Double]] {
        let thresholds = model.trees.flatMap(\.threshold)
        return (0..<count).map { _ in
            (0..<model.featureCount).map { _ in
                let u = TestData.uniform(&rng)
                if u < nanRate { return .nan }
                if u < nanRate + 0.1, !thresholds.isEmpty { return thresholds[Int(rng.next() % UInt64(thresholds.count))] }
                return TestData.uniform(&rng)
            }
        }
    }

    /// Largest |a − b| / max(1, |b|) over two contribution vectors.
    static func relativeGap(_ a: [Double], _ b: [Double]) -> Double {
        precondition(a.count == b.count)
        return zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
    }
}

@Suite("TreeSHAP explainer equals Algorithm 2")
struct TreeSHAPExplainerAgreementTests {
    static let tolerance = 1e-9

    /// Worst relative gap between the explainer and the reference over `rows`, for one cover.
    static func worstGap(_ model: GBDTModel, _ rows: [[Double]], _ cover: TreeSHAPCover) -> Double {
        let explainer = model.shapExplainer(cover: cover)
        var worst = 0.0
        for x in rows {
            let fast = x.withUnsafeBufferPointer { explainer.contributions($0) }
            let slow = x.withUnsafeBufferPointer { model.referenceContributions($0, cover: cover) }
            worst = max(worst, RandomTrees.relativeGap(fast, slow))
        }
        return worst
    }

    @Test("trained 30-tree, 31-leaf model with NaN rows", arguments: [TreeSHAPCover.hessian, .rowCount])
    func trainedModel(cover: TreeSHAPCover) throws {
        let d = TestData.planted(rows: 2000, seed: 42, nanRate: 0.3)
        let model = try TestData.train(d, TestData.config { $0.trees = 30; $0.numLeaves = 31 })
        let gap = Self.worstGap(model, (0..<100).map(d.row), cover)
        #expect(gap <= Self.tolerance, "worst relative gap \(gap)")
    }

    @Test("random bushy trees, 3 features (many repeats), 20% NaN", arguments: [TreeSHAPCover.hessian, .rowCount])
    func randomBushy(cover: TreeSHAPCover) {
        var rng = SeededGenerator(seed: 2024)
        let trees = (0..<25).map { i in RandomTrees.tree(leaves: 1 + i % 31, features: 3, chain: false, rng: &rng) }
        let model = RandomTrees.model(trees: trees, featureCount: 3)
        let gap = Self.worstGap(model, RandomTrees.rows(60, model: model, nanRate: 0.2, rng: &rng), cover)
        #expect(gap <= Self.tolerance, "worst relative gap \(gap)")
    }

    @Test("deep unbalanced chains: depth 40 over 6 features, and over 45 distinct features",
          arguments: [TreeSHAPCover.hessian, .rowCount])
    func deepChains(cover: TreeSHAPCover) {
        var rng = SeededGenerator(seed: 77)
        for features in [6, 45] {
            let trees = (0..<4).map { _ in RandomTrees.tree(leaves: 41, features: features, chain: true, rng: &rng) }
            #expect(trees.allSatisfy { $0.maxDepth == 40 })
            let model = RandomTrees.model(trees: trees, featureCount: features)
            let gap = Self.worstGap(model, RandomTrees.rows(40, model: model, nanRate: 0.25, rng: &rng), cover)
            #expect(gap <= Self.tolerance, "\(features) features: worst relative gap \(gap)")
        }
    }

    @Test("non-additive covers (internal weight ≠ sum of children) still match the reference")
    func nonAdditiveCovers() {
        var rng = SeededGenerator(seed: 5)
        let trees = (0..<10).map { _ in
            var t = RandomTrees.tree(leaves: 15, features: 5, chain: false, rng: &rng)
            t.internalWeight = t.internalWeight.map { $0 * (0.9 + 0.2 * TestData.uniform(&rng)) }
            return t
        }
        let model = RandomTrees.model(trees: trees, featureCount: 5)
        let gap = Self.worstGap(model, RandomTrees.rows(40, model: model, nanRate: 0.2, rng: &rng), .hessian)
        #expect(gap <= Self.tolerance, "worst relative gap \(gap)")
    }

    @Test("the model-level API, the array API and the buffer API give the same numbers")
    func apisAgree() throws {
        let d = TestData.planted(rows: 600, seed: 9, nanRate: 0.2)
        let model = try TestData.train(d, TestData.config { $0.trees = 10; $0.numLeaves = 15 })
        let explainer = model.shapExplainer(cover: .rowCount)
        var out = [Double](repeating: .infinity, count: explainer.outputCount)
        for r in 0..<20 {
            let x = d.row(r)
            let viaModel = x.withUnsafeBufferPointer { model.contributions($0, cover: .rowCount) }
            let viaArray = x.withUnsafeBufferPointer { explainer.contributions($0) }
            x.withUnsafeBufferPointer { xb in out.withUnsafeMutableBufferPointer { explainer.contributions(xb, into: $0) } }
            #expect(viaModel == viaArray)
            #expect(out == viaArray, "row \(r): a reused buffer must be fully overwritten")
        }
    }
}

@Suite("TreeSHAP plan cache behind GBDTModel.contributions")
struct TreeSHAPExplainerCacheTests {
    static func models() -> [GBDTModel] {
        var rng = SeededGenerator(seed: 64)
        return (0..<3).map { _ in
            RandomTrees.model(trees: (0..<6).map { _ in RandomTrees.tree(leaves: 12, features: 5, chain: false, rng: &rng) },
                              featureCount: 5)
        }
    }

    @Test("alternating models and covers: every call equals that model's own explainer")
    func alternating() {
        let models = Self.models()
        var rng = SeededGenerator(seed: 65)
        let rows = RandomTrees.rows(4, model: models[0], nanRate: 0.2, rng: &rng)
        for _ in 0..<2 {
            for m in models {
                for cover in [TreeSHAPCover.hessian, .rowCount] {
                    let fresh = TreeSHAPExplainer(model: m, cover: cover)
                    for x in rows {
                        let viaModel = x.withUnsafeBufferPointer { m.contributions($0, cover: cover) }
                        #expect(viaModel == x.withUnsafeBufferPointer { fresh.contributions($0) })
                    }
                }
            }
        }
    }

    @Test("a model rebuilt with one leaf changed gets new numbers, not the cached plan")
    func changedTrees() {
        let model = Self.models()[0]
        var trees = model.trees
        trees[0].leafValue[0] += 1
        let changed = RandomTrees.model(trees: trees, featureCount: 5)
        let x = [Double](repeating: 0.3, count: 5)
        let before = x.withUnsafeBufferPointer { model.contributions($0) }
        let after = x.withUnsafeBufferPointer { changed.contributions($0) }
        #expect(after == x.withUnsafeBufferPointer { TreeSHAPExplainer(model: changed).contributions($0) })
        #expect(before != after)
        #expect(abs(after.reduce(0, +) - TestData.raw(changed, x)) <= 1e-9)
    }

    @Test("holds at most its capacity, and a hit returns the same plan")
    func capacity() {
        let cache = TreeSHAPExplainerCache(capacity: 2)
        let models = Self.models()
        for m in models { _ = cache.explainer(for: m, cover: .hessian) }
        #expect(cache.count == 2)
        let a = cache.explainer(for: models[2], cover: .hessian)
        let b = cache.explainer(for: models[2], cover: .hessian)
        #expect(a.nodes.withUnsafeBufferPointer { $0.baseAddress } == b.nodes.withUnsafeBufferPointer { $0.baseAddress })
    }
}

@Suite("TreeSHAP explainer: Shapley values and additivity on random trees")
struct TreeSHAPExplainerShapleyTests {
    /// The same trees with cover = row counts, so the hessian-cover brute force checks the `.rowCount` mode.
    static func countCovered(_ t: GBDTTree) -> GBDTTree {
        var c = t
        c.internalWeight = t.internalCount.map(Double.init)
        c.leafWeight = t.leafCount.map(Double.init)
        return c
    }

    @Test("equals brute-force Shapley values (5 features, repeats on paths, NaN)",
          arguments: [TreeSHAPCover.hessian, .rowCount])
    func bruteForce(cover: TreeSHAPCover) {
        var rng = SeededGenerator(seed: 31)
        let trees = (0..<5).map { i in RandomTrees.tree(leaves: 4 + 3 * i, features: 5, chain: i == 4, rng: &rng) }
        let model = RandomTrees.model(trees: trees, featureCount: 5)
        let oracle = cover == .hessian ? model : RandomTrees.model(trees: trees.map(Self.countCovered), featureCount: 5)
        let explainer = model.shapExplainer(cover: cover)
        for x in RandomTrees.rows(15, model: model, nanRate: 0.2, rng: &rng) {
            let phi = x.withUnsafeBufferPointer { explainer.contributions($0) }
            let brute = TreeSHAPTests.bruteForce(oracle, x)
            #expect(RandomTrees.relativeGap(phi, brute) <= 1e-9, "\(phi) vs \(brute)")
        }
    }

    @Test("sums to the raw score and the bias is the same for every row", arguments: [TreeSHAPCover.hessian, .rowCount])
    func additivity(cover: TreeSHAPCover) {
        var rng = SeededGenerator(seed: 12)
        let trees = (0..<40).map { i in RandomTrees.tree(leaves: 1 + i % 40, features: 8, chain: i % 5 == 0, rng: &rng) }
        let model = RandomTrees.model(trees: trees, featureCount: 8)
        let explainer = model.shapExplainer(cover: cover)
        for x in RandomTrees.rows(50, model: model, nanRate: 0.2, rng: &rng) {
            let phi = x.withUnsafeBufferPointer { explainer.contributions($0) }
            #expect(abs(phi.reduce(0, +) - TestData.raw(model, x)) <= 1e-9)
            #expect(phi.last == explainer.expectedValue)
        }
    }

    @Test("a zero-hessian leaf (cover 0) contributes nothing and the rest still equals brute force")
    func zeroCoverLeaf() {
        var rng = SeededGenerator(seed: 8)
        var trees = (0..<3).map { _ in RandomTrees.tree(leaves: 9, features: 4, chain: false, rng: &rng) }
        for i in trees.indices {
            trees[i].leafWeight[i] = 0
            trees[i] = RandomTrees.withSummedWeights(trees[i])
        }
        let model = RandomTrees.model(trees: trees, featureCount: 4)
        let explainer = model.shapExplainer()
        for x in RandomTrees.rows(20, model: model, nanRate: 0.2, rng: &rng) {
            let phi = x.withUnsafeBufferPointer { explainer.contributions($0) }
            #expect(phi.allSatisfy { $0.isFinite })
            #expect(RandomTrees.relativeGap(phi, TreeSHAPTests.bruteForce(model, x)) <= 1e-9)
        }
    }

    @Test("a model of single-leaf trees: every feature gets 0, the bias is the score")
    func stumpsOnly() {
        var rng = SeededGenerator(seed: 3)
        let model = RandomTrees.model(trees: (0..<3).map { _ in RandomTrees.tree(leaves: 1, features: 2, chain: false, rng: &rng) },
                                      featureCount: 2)
        let phi = [0.5, Double.nan].withUnsafeBufferPointer { model.contributions($0) }
        #expect(phi[0] == 0 && phi[1] == 0)
        #expect(abs(phi[2] - TestData.raw(model, [0.5, .nan])) <= 1e-12)
    }
}

@Suite("TreeSHAP quadrature")
struct TreeSHAPQuadratureTests {
    @Test("n-point Gauss–Legendre on [0,1] integrates tᵏ(1−t)^(m−k) exactly for m ≤ 2n−1", arguments: [1, 2, 3, 7, 20, 40])
    func betaIntegrals(points: Int) {
        let (t, s, w) = TreeSHAPQuadrature.gaussLegendre01(points: points)
        #expect(t.count == points && zip(t, s).allSatisfy { abs($0 + $1 - 1) <= 1e-15 })
        for m in 0...(2 * points - 1) {
            for k in 0...m {
                let exact = exp(lgamma(Double(k + 1)) + lgamma(Double(m - k + 1)) - lgamma(Double(m + 2)))
                var sum = 0.0
                for q in 0..<points { sum += w[q] * pow(t[q], Double(k)) * pow(s[q], Double(m - k)) }
                #expect(abs(sum - exact) <= 1e-12 * exact, "n=\(points) m=\(m) k=\(k): \(sum) vs \(exact)")
            }
        }
    }
}
