// Shared helpers for LinearModels tests: seeded RNG, planted-signal data, AUC, fixture loading.
import Foundation
import Testing
import TestSupport
@testable import LinearModels


/// rows × weights.count Gaussian features, label ~ Bernoulli(σ(x·w + bias)); `nanRate` of column 0 missing.
func plantedData(rows: Int, weights: [Double], bias: Double = -0.5, nanRate: Double = 0, seed: UInt64)
    -> (x: [Double], y: [Double]) {
    var rng = SplitMix64(seed: seed)
    let cols = weights.count
    var x = [Double](repeating: 0, count: rows * cols), y = [Double](repeating: 0, count: rows)
    for i in 0..<rows {
        var eta = bias
        for j in 0..<cols {
            let v = rng.normal()
            x[i * cols + j] = v
            eta += weights[j] * v
        }
        y[i] = Double.random(in: 0..<1, using: &rng) < 1 / (1 + exp(-eta)) ? 1 : 0
        if nanRate > 0, Double.random(in: 0..<1, using: &rng) < nanRate { x[i * cols] = .nan }
    }
    return (x, y)
}

/// ROC AUC by the rank-sum (Mann–Whitney) formula, ties given half credit.
func auc(scores: [Double], labels: [Double]) -> Double {
    let order = scores.indices.sorted { scores[$0] < scores[$1] }
    var rankSum = 0.0, positives = 0.0
    var i = 0
    while i < order.count {
        var j = i
        while j + 1 < order.count, scores[order[j + 1]] == scores[order[i]] { j += 1 }
        let avgRank = Double(i + j + 2) / 2
        for k in i...j where labels[order[k]] == 1 { rankSum += avgRank; positives += 1 }
        i = j + 1
    }
    let negatives = Double(scores.count) - positives
    return (rankSum - positives * (positives + 1) / 2) / (positives * negatives)
}

/// The sklearn agreement fixture written by bench/fixtures/make_logistic_fixture.py.
struct LogisticFixture {
    struct Case: Decodable {
        let name: String
        let penalty: String
        let alpha: Double
        let l1Ratio: Double
        let classWeight: String
        let sampleWeights: Bool
        let coefficients: [Double]
        let intercept: Double
    }
    struct Expected: Decodable {
        let rows: Int
        let cols: Int
        let medians: [Double]
        let hasIndicator: [Bool]
        let means: [Double]
        let scales: [Double]
        let cases: [Case]
    }
    let x: [Double]
    let y: [Double]
    let w: [Double]
    let expected: Expected

    static func load() throws -> LogisticFixture {
        let dataURL = try #require(Bundle.module.url(forResource: "logistic_data", withExtension: "csv",
                                                     subdirectory: "Fixtures"))
        let jsonURL = try #require(Bundle.module.url(forResource: "logistic_expected", withExtension: "json",
                                                     subdirectory: "Fixtures"))
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: jsonURL))
        let lines = try String(contentsOf: dataURL, encoding: .utf8).split(separator: "\n").dropFirst()
        var x = [Double](), y = [Double](), w = [Double]()
        for line in lines {
            let fields = try line.split(separator: ",").map { try #require(Double(String($0))) }
            x += fields[0..<expected.cols]
            y.append(fields[expected.cols])
            w.append(fields[expected.cols + 1])
        }
        #expect(y.count == expected.rows)
        return LogisticFixture(x: x, y: y, w: w, expected: expected)
    }
}
