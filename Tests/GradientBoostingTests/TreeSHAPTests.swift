// TreeSHAP: contributions sum to the raw score and equal brute-force Shapley values of the
// path-dependent conditional expectation.
import Foundation
import Testing
@testable import GradientBoosting

@Suite("TreeSHAP")
struct TreeSHAPTests {
    /// E[f(x) | x_S] for one tree, path-dependent: follow x at splits on features in S, otherwise
    /// average the children weighted by cover (hessian sums).
    static func conditional(_ t: GBDTTree, _ x: [Double], _ s: Set<Int>, node: Int = 0) -> Double {
        if t.numLeaves == 1 { return t.leafValue[0] }
        if node < 0 { return t.leafValue[~node] }
        let l = t.leftChild[node], r = t.rightChild[node]
        let f = t.splitFeature[node]
        if s.contains(f) {
            let v = x[f]
            let left = v.isNaN ? t.defaultLeft[node] : v <= t.threshold[node]
            return conditional(t, x, s, node: left ? l : r)
        }
        func cover(_ c: Int) -> Double { c >= 0 ? t.internalWeight[c] : t.leafWeight[~c] }
        return (cover(l) * conditional(t, x, s, node: l) + cover(r) * conditional(t, x, s, node: r))
            / t.internalWeight[node]
    }

    static func bruteForce(_ m: GBDTModel, _ x: [Double]) -> [Double] {
        let n = m.featureCount
        func v(_ s: Set<Int>) -> Double { m.initScore + m.trees.map { conditional($0, x, s) }.reduce(0, +) }
        func factorial(_ k: Int) -> Double { k <= 1 ? 1 : Double(k) * factorial(k - 1) }
        var phi = [Double](repeating: 0, count: n + 1)
        for i in 0..<n {
            let others = (0..<n).filter { $0 != i }
            for mask in 0..<(1 << others.count) {
                let s = Set(others.enumerated().filter { mask >> $0.offset & 1 == 1 }.map(\.element))
                let w = factorial(s.count) * factorial(n - s.count - 1) / factorial(n)
                phi[i] += w * (v(s.union([i])) - v(s))
            }
        }
        phi[n] = v([])
        return phi
    }

    @Test("equals brute-force Shapley values on a 5-feature model, and sums to the raw score")
    func bruteForceAgreement() throws {
        let d = TestData.planted(rows: 800, cols: 5, seed: 41, nanRate: 0.2)
        let model = try TestData.train(d, TestData.config { $0.trees = 4; $0.numLeaves = 8; $0.minDataInLeaf = 5 })
        #expect(model.trees.allSatisfy { $0.numLeaves > 3 })
        for r in 0..<12 {
            let x = d.row(r)
            let phi = x.withUnsafeBufferPointer { model.contributions($0) }
            let brute = Self.bruteForce(model, x)
            for i in phi.indices { #expect(abs(phi[i] - brute[i]) < 1e-9, "row \(r) feature \(i)") }
            #expect(abs(phi.reduce(0, +) - TestData.raw(model, x)) < 1e-9)
        }
    }

    @Test("sums to the raw score on a larger model (repeated features on paths, NaN rows)")
    func additivity() throws {
        let d = TestData.planted(rows: 2000, seed: 42, nanRate: 0.3)
        let model = try TestData.train(d, TestData.config { $0.trees = 30; $0.numLeaves = 31 })
        for r in 0..<50 {
            let x = d.row(r)
            let phi = x.withUnsafeBufferPointer { model.contributions($0) }
            #expect(phi.count == d.cols + 1)
            #expect(abs(phi.reduce(0, +) - TestData.raw(model, x)) < 1e-9)
        }
        // The bias is the cover-weighted mean prediction: same for every row.
        let b0 = d.row(0).withUnsafeBufferPointer { model.contributions($0) }.last!
        let b1 = d.row(1).withUnsafeBufferPointer { model.contributions($0) }.last!
        #expect(b0 == b1)
    }
}
