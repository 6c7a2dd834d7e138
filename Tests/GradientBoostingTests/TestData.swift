// TestData: seeded synthetic data sets and small metrics shared by the GradientBoosting tests.
import Foundation
@testable import GradientBoosting

/// A row-major matrix with labels.
struct Dataset {
    var x: [Double]
    var rows: Int
    var cols: Int
    var y: [Double]
    /// The true logit used to draw y (for oracle bounds).
    var logit: [Double]

    func row(_ r: Int) -> [Double] { Array(x[(r * cols)..<((r + 1) * cols)]) }
}

enum TestData {
    /// Uniform(0,1) features; logit = 3·x0 − 2·x1 + 2·[x2 > 0.5] + 1.5·x3·x4 − 2; other features noise.
    /// `nanRate` blanks that fraction of x1 values (their contribution then counts as 0).
    static func planted(rows: Int, cols: Int = 6, seed: UInt64, nanRate: Double = 0) -> Dataset {
        precondition(cols >= 5)
        var rng = SeededGenerator(seed: seed)
        var x = [Double](repeating: 0, count: rows * cols)
        var y = [Double](repeating: 0, count: rows)
        var logit = [Double](repeating: 0, count: rows)
        for r in 0..<rows {
            for c in 0..<cols { x[r * cols + c] = uniform(&rng) }
            let v = Array(x[(r * cols)..<((r + 1) * cols)])
            var z = 3 * v[0] + 2 * (v[2] > 0.5 ? 1 : 0) + 1.5 * v[3] * v[4] - 2
            if uniform(&rng) < nanRate { x[r * cols + 1] = .nan } else { z -= 2 * v[1] }
            logit[r] = z
            y[r] = uniform(&rng) < 1 / (1 + exp(-z)) ? 1 : 0
        }
        return Dataset(x: x, rows: rows, cols: cols, y: y, logit: logit)
    }

    static func uniform(_ rng: inout SeededGenerator) -> Double {
        Double(rng.next() >> 11) * 0x1p-53
    }

    /// Area under the ROC curve (Mann-Whitney, ties counted half). O(n log n).
    static func auc(_ scores: [Double], _ y: [Double]) -> Double {
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var rankSumPos = 0.0
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let avgRank = Double(i + j) / 2 + 1
            for k in i...j where y[order[k]] == 1 { rankSumPos += avgRank }
            i = j + 1
        }
        let pos = y.filter { $0 == 1 }.count, neg = y.count - pos
        return (rankSumPos - Double(pos * (pos + 1)) / 2) / Double(pos * neg)
    }

    static func config(_ edit: (inout GBDTConfig) -> Void = { _ in }) -> GBDTConfig {
        var c = GBDTConfig()
        c.trees = 40
        c.numLeaves = 15
        c.minDataInLeaf = 10
        c.seed = 7
        edit(&c)
        return c
    }

    static func train(_ d: Dataset, _ config: GBDTConfig, validation: Dataset? = nil) throws -> GBDTModel {
        try GBDTTrainer.train(x: d.x, rows: d.rows, cols: d.cols, y: d.y,
                              validation: validation.map { (x: $0.x, rows: $0.rows, y: $0.y) }, config: config)
    }

    static func raw(_ m: GBDTModel, _ row: [Double]) -> Double {
        row.withUnsafeBufferPointer { m.rawScore($0) }
    }
}
