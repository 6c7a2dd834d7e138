// TreeSHAPMemoExplainer: sharing a tree's contributions between rows that go the same way through it gives the
// per-row explainer's numbers bit for bit, for trained, categorical, random and big (unshared) trees, whether the
// memo has room or is full; and it does share (rows alike replay trees instead of walking them).
import Foundation
import Testing
@_spi(TreeSHAPReference) @testable import GradientBoosting

@Suite("TreeSHAP memo explainer equals the per-row explainer")
struct TreeSHAPMemoExplainerTests {
    /// Explains `rows` with both explainers; every output must be identical (bit patterns, so −0 ≠ +0 counts).
    static func expectSameBits(_ model: GBDTModel, _ rows: [[Double]], cover: TreeSHAPCover = .hessian,
                               budgetBytes: Int = 64 << 20) -> TreeSHAPMemoExplainer {
        let explainer = model.shapExplainer(cover: cover)
        let memo = TreeSHAPMemoExplainer(explainer, budgetBytes: budgetBytes)
        var out = [Double](repeating: .infinity, count: explainer.outputCount)
        for (r, x) in rows.enumerated() {
            let plain = x.withUnsafeBufferPointer { explainer.contributions($0) }
            x.withUnsafeBufferPointer { xb in out.withUnsafeMutableBufferPointer { memo.contributions(xb, into: $0) } }
            #expect(out.map(\.bitPattern) == plain.map(\.bitPattern), "row \(r)")
        }
        return memo
    }

    /// `rows` rows drawn with replacement from `distinct` generated ones (so patterns repeat), NaN included.
    static func repeatedRows(_ d: Dataset, distinct: Int, rows: Int, seed: UInt64) -> [[Double]] {
        var rng = SeededGenerator(seed: seed)
        return (0..<rows).map { _ in d.row(Int(rng.next() % UInt64(distinct))) }
    }

    @Test("trained 40-tree, 31-leaf model: repeated and fresh rows, both covers", arguments: [TreeSHAPCover.hessian, .rowCount])
    func trained(cover: TreeSHAPCover) throws {
        let d = TestData.planted(rows: 2000, seed: 77, nanRate: 0.2)
        let model = try TestData.train(d, TestData.config { $0.trees = 40; $0.numLeaves = 31 })
        let rows = Self.repeatedRows(d, distinct: 60, rows: 300, seed: 3) + (0..<200).map(d.row)
        let memo = Self.expectSameBits(model, rows, cover: cover)
        let trees = model.trees.filter { $0.numLeaves > 1 }.count
        #expect(memo.walks + memo.replays == rows.count * trees)
        // At most one walk per tree for each distinct row of the repeated part.
        #expect(memo.replays >= (300 - 60) * trees, "replays \(memo.replays)")
    }

    @Test("a memo with no room walks every tree and still gives the same bits")
    func noBudget() throws {
        let d = TestData.planted(rows: 1000, seed: 78, nanRate: 0.1)
        let model = try TestData.train(d, TestData.config { $0.trees = 15; $0.numLeaves = 15 })
        let rows = Self.repeatedRows(d, distinct: 20, rows: 100, seed: 4)
        let memo = Self.expectSameBits(model, rows, budgetBytes: 0)
        #expect(memo.replays == 0)
        // A small budget fills part-way: sharing stops, numbers do not change.
        let partial = Self.expectSameBits(model, (0..<400).map(d.row), budgetBytes: 40_000)
        #expect(partial.heldBytes <= 40_000)
    }

    @Test("random trees (bushy, chains, over 64 internal nodes) with NaN and threshold ties")
    func randomTrees() {
        var rng = SeededGenerator(seed: 79)
        let trees = (0..<24).map { i in
            RandomTrees.tree(leaves: i % 6 == 5 ? 90 : 1 + i % 31, features: 5, chain: i % 4 == 0, rng: &rng)
        }
        let model = RandomTrees.model(trees: trees, featureCount: 5)
        let fresh = RandomTrees.rows(80, model: model, nanRate: 0.2, rng: &rng)
        let rows = fresh + (0..<200).map { _ in fresh[Int(rng.next() % 80)] }
        let memo = Self.expectSameBits(model, rows)
        #expect(memo.replays > 0)
        // Trees of more than 64 internal nodes have no 64-bit pattern: walked for every row.
        let big = trees.filter { $0.numLeaves > 65 }.count
        #expect(big > 0 && memo.walks >= big * rows.count)
    }

    @Test("categorical splits: shared rows equal brute-force Shapley values and sum to the raw score")
    func categorical() throws {
        let d = CategoricalSplitTests.planted(rows: 3000, seed: 6)
        let config = TestData.config { $0.trees = 6; $0.numLeaves = 6; $0.minDataInLeaf = 20; $0.threads = 2 }
        let model = try GBDTTrainer.train(x: d.x, rows: d.rows, cols: d.cols, y: d.y, config: config, categoryCounts: [8, 0])
        #expect(model.hasCategoricalSplits)
        let rows = Self.repeatedRows(d, distinct: 40, rows: 120, seed: 5) + [[2.5, 0.3], [-1, 0.7], [.nan, .nan]]
        let memo = Self.expectSameBits(model, rows)
        #expect(memo.replays > 0)
        var out = [Double](repeating: 0, count: 3)
        for x in rows.prefix(20) {
            x.withUnsafeBufferPointer { xb in out.withUnsafeMutableBufferPointer { memo.contributions(xb, into: $0) } }
            let brute = CategoricalSplitTests.bruteShapley(model, x)
            for i in out.indices { #expect(abs(out[i] - brute[i]) < 1e-9) }
            #expect(abs(out.reduce(0, +) - TestData.raw(model, x)) < 1e-9)
        }
    }
}
