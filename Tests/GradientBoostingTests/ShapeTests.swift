// Awkward shapes: row and column counts that are not multiples of the padding, tile, chunk or scoring-lane
// sizes, tree counts below and above the lane count, single rows, all-missing and constant columns, sampling on. Every buffer the trainer and the
// scorer index must stay in bounds (run under `--sanitize=address`), and the results must agree with
// the plain reference paths (leaf routing through the raw-threshold trees, serial histograms).
import Foundation
import Testing
@testable import GradientBoosting

@Suite("Awkward shapes")
struct ShapeTests {
    /// Uniform features with a planted signal on column 0; column `cols - 1` is all NaN when `allMissing`,
    /// column 1 (if any) is constant when `constant`, every third value of the rest is NaN with `nanRate`.
    static func data(rows: Int, cols: Int, seed: UInt64, nanRate: Double, allMissing: Bool, constant: Bool) -> Dataset {
        var rng = SeededGenerator(seed: seed)
        var x = [Double](repeating: 0, count: rows * cols)
        var y = [Double](repeating: 0, count: rows)
        for r in 0..<rows {
            for c in 0..<cols {
                var v = TestData.uniform(&rng)
                if c == 1 && constant { v = 3 }
                if c == cols - 1 && allMissing { v = .nan }
                if c != 0 && TestData.uniform(&rng) < nanRate { v = .nan }
                x[r * cols + c] = v
            }
            let z = 4 * (x[r * cols] - 0.5)
            y[r] = TestData.uniform(&rng) < 1 / (1 + exp(-z)) ? 1 : 0
        }
        // Both classes present so there is something to learn (a single row keeps its one label).
        if rows > 1 { y[0] = 0; y[1] = 1 }
        return Dataset(x: x, rows: rows, cols: cols, y: y, logit: [])
    }

    struct Shape: CustomStringConvertible, Sendable {
        var rows: Int, cols: Int, threads: Int
        var allMissing = false, constant = false, sampling = false, nanRate = 0.2
        /// 9: lane 0 of the scoring walk chains two trees, the other lanes one each.
        var trees = 9
        var description: String {
            "\(rows)x\(cols) \(trees) trees threads \(threads)\(allMissing ? " all-NaN col" : "")\(constant ? " const col" : "")\(sampling ? " sampled" : "")"
        }
    }

    static let shapes: [Shape] = [
        Shape(rows: 1, cols: 1, threads: 2),
        Shape(rows: 2, cols: 3, threads: 2, allMissing: true),
        Shape(rows: 7, cols: 9, threads: 3, constant: true),
        Shape(rows: 9, cols: 8, threads: 2, allMissing: true, sampling: true),
        Shape(rows: 257, cols: 13, threads: 2, allMissing: true, constant: true),
        Shape(rows: 1000, cols: 1, threads: 1, nanRate: 0),
        // Fewer trees than scoring lanes (idle lanes start on the end node), and chains of three.
        Shape(rows: 500, cols: 4, threads: 2, trees: 3),
        Shape(rows: 600, cols: 5, threads: 2, allMissing: true, trees: 19),
        Shape(rows: 4099, cols: 7, threads: 2, allMissing: true, sampling: true),
        Shape(rows: 8_195, cols: 17, threads: 3, constant: true, sampling: true),
        // Wider than the single-row stack buffer (PackedForest.inlineCols), so the heap-staged path runs.
        Shape(rows: 300, cols: PackedForest.inlineCols + 3, threads: 2, allMissing: true),
        // Above the parallel-partition (65,536) and 2-chunk histogram thresholds, odd everywhere.
        Shape(rows: 70_001, cols: 3, threads: 2, allMissing: true, nanRate: 0.3),
    ]

    @Test("training and scoring stay in bounds and agree with the reference paths", arguments: shapes)
    func awkward(shape: Shape) throws {
        let d = Self.data(rows: shape.rows, cols: shape.cols, seed: UInt64(shape.rows * 31 + shape.cols),
                          nanRate: shape.nanRate, allMissing: shape.allMissing, constant: shape.constant)
        let config = TestData.config {
            $0.trees = shape.trees
            $0.numLeaves = 31
            $0.minDataInLeaf = 1
            $0.minHessianInLeaf = 0
            $0.threads = shape.threads
            if shape.sampling { $0.baggingFraction = 0.6; $0.baggingFreq = 1; $0.featureFraction = 0.6 }
        }
        let model = try TestData.train(d, config)
        #expect(model.trees.count >= 1)
        // Leaf counts of the first tree equal routing every training row (no bagging) through it.
        if !shape.sampling {
            let tree = model.trees[0]
            var counts = [Int](repeating: 0, count: tree.numLeaves)
            for r in 0..<d.rows { d.row(r).withUnsafeBufferPointer { counts[tree.leafIndex($0)] += 1 } }
            #expect(counts == tree.leafCount)
        }
        // Batch and single-row scores equal the plain tree walk, bit for bit, summed in the scorer's
        // documented order: tree t joins lane t mod 8, lanes join pairwise, then the bias.
        let batch = model.rawScoreBatch(x: d.x, rows: d.rows)
        for r in 0..<d.rows {
            let reference = d.row(r).withUnsafeBufferPointer { row in
                var lane = [Double](repeating: 0, count: 8)
                for (t, tree) in model.trees.enumerated() { lane[t % 8] += tree.leafValue[tree.leafIndex(row)] }
                return model.initScore + (((lane[0] + lane[1]) + (lane[2] + lane[3])) + ((lane[4] + lane[5]) + (lane[6] + lane[7])))
            }
            #expect(batch[r] == reference)
            #expect(TestData.raw(model, d.row(r)) == reference)
            if batch[r] != reference { break }
        }
        // The thread count never changes the model.
        let serial = try TestData.train(d, TestData.config {
            $0.trees = shape.trees; $0.numLeaves = 31; $0.minDataInLeaf = 1; $0.minHessianInLeaf = 0; $0.threads = 1
            if shape.sampling { $0.baggingFraction = 0.6; $0.baggingFreq = 1; $0.featureFraction = 0.6 }
        })
        #expect(serial.trees == model.trees)
    }
}
