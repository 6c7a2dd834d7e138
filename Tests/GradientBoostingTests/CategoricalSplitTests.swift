// Categorical splits (LightGBM's sorted many-vs-many scan): the scan finds the same best gain as a brute-force
// search over every subset of categories; trees trained on a planted categorical feature split it by category,
// score through `goesLeft`, round-trip through JSON, and TreeSHAP matches brute-force Shapley values.
import Foundation
import Testing
@_spi(TreeSHAPReference) @testable import GradientBoosting

@Suite("Categorical splits")
struct CategoricalSplitTests {
    /// No regularisation or floors, so the sorted scan is exact (Fisher 1958: for Σ G²/H the best two-way
    /// partition is contiguous in the order of G/H) and must equal the brute force.
    static let exact = GainModel(lambdaL1: 0, lambdaL2: 0, minDataInLeaf: 0, minHessianInLeaf: 0, minGain: 0, unit: unit)
    /// Histograms hold fixed-point sums; the tests build them from Doubles at this resolution.
    static let unit = 0x1p-30
    static func fixed(_ hist: [Double]) -> [Int64] { hist.map { Int64(($0 / unit).rounded()) } }
    /// The Doubles a fixed-point histogram stands for.
    static func rounded(_ hist: [Double]) -> [Double] { fixed(hist).map { Double($0) * unit } }
    static let exactSettings = CategoricalSplitSettings(smoothing: 0, extraL2: 0, minDataPerGroup: 0, maxThreshold: 64)

    /// The best gain over every left subset of the value bins plus the NaN bin (both sides non-empty).
    static func bruteForce(_ hist: [Double], valueBins: Int) -> Double {
        let k = valueBins + 1
        let G = stride(from: 0, to: hist.count, by: 2).map { hist[$0] }.reduce(0, +)
        let H = stride(from: 1, to: hist.count, by: 2).map { hist[$0] }.reduce(0, +)
        var best = -Double.infinity
        for mask in 1..<((1 << k) - 1) {
            var gl = 0.0, hl = 0.0
            for b in 0..<k where mask >> b & 1 == 1 { gl += hist[2 * b]; hl += hist[2 * b + 1] }
            let gr = G - gl, hr = H - hl
            guard hl > 0, hr > 0 else { continue }
            best = max(best, gl * gl / hl + gr * gr / hr - G * G / H)
        }
        return best
    }

    @Test("the sorted scan's best gain equals the brute force over all category subsets (200 random leaves)")
    func bruteForceAgreement() {
        var rng = SeededGenerator(seed: 77)
        for trial in 0..<200 {
            let valueBins = 2 + Int(rng.next() % 7)
            var hist: [Double] = []
            for b in 0...valueBins {
                // Some leaves have no NaN rows; every value bin has rows.
                let h = b == valueBins && trial % 3 == 0 ? 0 : 0.5 + TestData.uniform(&rng) * 20
                hist += [(TestData.uniform(&rng) - 0.5) * 2 * h, h]
            }
            hist = Self.rounded(hist)
            let total = NodeStats(g: stride(from: 0, to: hist.count, by: 2).map { hist[$0] }.reduce(0, +),
                                  h: stride(from: 1, to: hist.count, by: 2).map { hist[$0] }.reduce(0, +), count: 1000)
            let found = Self.fixed(hist).withUnsafeBufferPointer {
                Self.exact.bestCategoricalSplit(feature: 0, hist: $0.baseAddress!, valueBins: valueBins, total: total,
                                                settings: Self.exactSettings)
            }
            let brute = Self.bruteForce(hist, valueBins: valueBins)
            #expect(abs(found.gain - brute) <= 1e-9 * max(1, abs(brute)), "trial \(trial): scan \(found.gain), brute force \(brute)")
            // The reported sides are the ones the gain was computed from.
            var gl = hist[2 * valueBins] * (found.defaultLeft ? 1 : 0), hl = hist[2 * valueBins + 1] * (found.defaultLeft ? 1 : 0)
            for c in found.leftCodes ?? [] { gl += hist[2 * c]; hl += hist[2 * c + 1] }
            #expect(abs(gl - found.left.g) < 1e-9 && abs(hl - found.left.h) < 1e-9, "trial \(trial)")
        }
    }

    @Test("rare categories (fewer rows than min_data_per_group) join the missing bucket and share its side")
    func rareBucket() {
        // Bins 0 and 1 frequent and opposite; bin 2 rare (h = 1 of 201): it must follow the NaN bin.
        let hist: [Double] = [-50, 100, 50, 100, -1, 1, 3, 5]
        let total = NodeStats(g: 2, h: 206, count: 206)
        let model = GainModel(lambdaL1: 0, lambdaL2: 1, minDataInLeaf: 1, minHessianInLeaf: 0, minGain: 0, unit: Self.unit)
        let s = Self.fixed(hist).withUnsafeBufferPointer {
            model.bestCategoricalSplit(feature: 3, hist: $0.baseAddress!, valueBins: 3, total: total,
                                       settings: CategoricalSplitSettings(minDataPerGroup: 10))
        }
        #expect(s.isValid)
        let codes = s.leftCodes ?? []
        #expect(codes.contains(2) == s.defaultLeft, "rare bin 2 and NaN on one side: left \(codes), default left \(s.defaultLeft)")
        #expect(codes.contains(0) != codes.contains(1))
    }

    /// Feature 0: 8 categories, those in {1, 4, 6} raise the odds (no order of the codes separates them);
    /// feature 1: noise; 10% of feature 0 missing.
    static func planted(rows: Int, seed: UInt64) -> Dataset {
        var rng = SeededGenerator(seed: seed)
        var x: [Double] = [], y: [Double] = [], logit: [Double] = []
        for _ in 0..<rows {
            let code = Double(rng.next() % 8)
            let c = TestData.uniform(&rng) < 0.1 ? Double.nan : code
            let z = [1.0, 4, 6].contains(c) ? 1.5 : -1.5
            x += [c, TestData.uniform(&rng)]
            logit.append(z)
            y.append(TestData.uniform(&rng) < 1 / (1 + exp(-z)) ? 1 : 0)
        }
        return Dataset(x: x, rows: rows, cols: 2, y: y, logit: logit)
    }

    @Test("a planted categorical feature: split by category, scored and explained exactly, JSON round trip")
    func trainedModel() throws {
        let d = Self.planted(rows: 3000, seed: 5)
        var config = TestData.config { $0.trees = 5; $0.numLeaves = 4; $0.minDataInLeaf = 20 }
        config.threads = 2
        let model = try GBDTTrainer.train(x: d.x, rows: d.rows, cols: d.cols, y: d.y, config: config, categoryCounts: [8, 0])
        let root = try #require(model.trees.first)
        #expect(root.isCategorical?[0] == true && root.splitFeature[0] == 0)
        #expect(Set(root.categoryLeft![0]) == [1, 4, 6] || Set(root.categoryLeft![0]) == [0, 2, 3, 5, 7],
                "root left codes \(root.categoryLeft![0])")
        #expect(model.hasCategoricalSplits)
        // Scoring walks the trees; the batch path agrees with the single-row path.
        let batch = model.rawScoreBatch(x: d.x, rows: d.rows)
        for r in 0..<50 { #expect(batch[r] == TestData.raw(model, d.row(r))) }
        #expect(TestData.auc(batch, d.y) > 0.75)
        // A value that is no code (a fraction, a negative) goes to the default side, like NaN. (An unseen
        // category never reaches a tree as a new code: the attribute encoder gives it the rare bucket's code.)
        let nanScore = TestData.raw(model, [.nan, 0.5])
        for odd in [2.5, -1] { #expect(TestData.raw(model, [odd, 0.5]) == nanScore) }
        // JSON round trip keeps the categorical nodes.
        let data = try JSONEncoder().encode(model)
        let back = try JSONDecoder().decode(GBDTModel.self, from: data)
        #expect(back == model)
        // TreeSHAP (the fast explainer and the reference) equals brute-force Shapley values.
        for r in 0..<10 {
            let x = d.row(r)
            let phi = x.withUnsafeBufferPointer { model.contributions($0) }
            let reference = x.withUnsafeBufferPointer { model.referenceContributions($0) }
            let brute = Self.bruteShapley(model, x)
            for i in phi.indices {
                #expect(abs(phi[i] - brute[i]) < 1e-9, "row \(r) feature \(i)")
                #expect(abs(reference[i] - brute[i]) < 1e-9, "row \(r) feature \(i) (reference)")
            }
        }
    }

    @Test("the categorical scan beats threshold splits on codes when the signal is not ordered")
    func beatsCodesAsNumbers() throws {
        let d = Self.planted(rows: 3000, seed: 6), test = Self.planted(rows: 3000, seed: 7)
        let config = TestData.config { $0.trees = 3; $0.numLeaves = 2; $0.minDataInLeaf = 20 }
        let native = try GBDTTrainer.train(x: d.x, rows: d.rows, cols: d.cols, y: d.y, config: config, categoryCounts: [8, 0])
        let numeric = try GBDTTrainer.train(x: d.x, rows: d.rows, cols: d.cols, y: d.y, config: config)
        let a = TestData.auc(native.rawScoreBatch(x: test.x, rows: test.rows), test.y)
        let b = TestData.auc(numeric.rawScoreBatch(x: test.x, rows: test.rows), test.y)
        #expect(a > b + 0.05, "held-out AUC with categorical splits \(a), codes as numbers \(b) (3 stumps)")
    }

    /// Path-dependent Shapley values by enumeration, following `goesLeft` at categorical nodes.
    static func bruteShapley(_ m: GBDTModel, _ x: [Double]) -> [Double] {
        func conditional(_ t: GBDTTree, _ s: Set<Int>, _ node: Int) -> Double {
            if t.numLeaves == 1 { return t.leafValue[0] }
            if node < 0 { return t.leafValue[~node] }
            let l = t.leftChild[node], r = t.rightChild[node], f = t.splitFeature[node]
            if s.contains(f) { return conditional(t, s, t.goesLeft(node, x[f]) ? l : r) }
            func cover(_ c: Int) -> Double { c >= 0 ? t.internalWeight[c] : t.leafWeight[~c] }
            return (cover(l) * conditional(t, s, l) + cover(r) * conditional(t, s, r)) / t.internalWeight[node]
        }
        let n = m.featureCount
        func v(_ s: Set<Int>) -> Double { m.initScore + m.trees.map { conditional($0, s, 0) }.reduce(0, +) }
        var phi = [Double](repeating: 0, count: n + 1)
        // Two features: φ_i = ½[(v({i}) − v(∅)) + (v({0,1}) − v({j}))].
        for i in 0..<n {
            let j = 1 - i
            phi[i] = 0.5 * ((v([i]) - v([])) + (v([0, 1]) - v([j])))
        }
        phi[n] = v([])
        return phi
    }
}
