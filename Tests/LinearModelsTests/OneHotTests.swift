// One-hot encoded categorical inputs: a planted category effect is learned (and lifts held-out AUC over
// reading the code as a number), the fit equals an explicit dummy-coded design, the encoding survives the
// model file's JSON, and codes outside the vocabulary score as the rare bucket.
import Foundation
import Testing
import TestSupport
@testable import LinearModels

/// Two Gaussian features and a category code in column 2 (codes 0..<5, code 4 the rare bucket, 8% missing),
/// label ~ Bernoulli(σ(x₀ − 0.5x₁ + shift[code] − 0.5)). The shifts are not monotone in the code, so the code
/// read as a number carries little of the signal.
private let shifts = [0.0, 2.0, -1.0, 1.5, -2.0], missingShift = 0.8
private func categoricalData(rows: Int, seed: UInt64) -> (x: [Double], y: [Double]) {
    var rng = SplitMix64(seed: seed)
    var x = [Double](repeating: 0, count: rows * 3), y = [Double](repeating: 0, count: rows)
    let shares = [0.3, 0.25, 0.2, 0.15, 0.1]
    for i in 0..<rows {
        let a = rng.normal(), b = rng.normal()
        var u = rng.uniform(), code = 0
        while code < 4, u >= shares[code] { u -= shares[code]; code += 1 }
        let missing = rng.uniform() < 0.08
        x[i * 3] = a; x[i * 3 + 1] = b; x[i * 3 + 2] = missing ? .nan : Double(code)
        let eta = a - 0.5 * b + (missing ? missingShift : shifts[code]) - 0.5
        y[i] = rng.uniform() < 1 / (1 + exp(-eta)) ? 1 : 0
    }
    return (x, y)
}

/// A one-hot model of `categoricalData(rows:seed:)` and its JSON (sorted keys, as model files are written).
private func fittedModel(rows: Int, seed: UInt64) throws -> (model: LogisticModel, data: (x: [Double], y: [Double]), json: Data) {
    let data = categoricalData(rows: rows, seed: seed)
    let model = try LogisticRegression.fit(x: data.x, rows: rows, cols: 3, y: data.y, categoryCounts: [0, 0, 5])
    return (model, data, try sortedJSON(model))
}

private func sortedJSON(_ model: LogisticModel) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(model)
}

@Suite("Logistic regression one-hot encodes categorical inputs")
struct OneHotTests {
    static let counts = [0, 0, 5]

    @Test("a planted category effect is recovered and lifts held-out AUC over the code read as a number")
    func plantedCategory() throws {
        let train = categoricalData(rows: 6000, seed: 3), test = categoricalData(rows: 4000, seed: 4)
        let oneHot = try LogisticRegression.fit(x: train.x, rows: 6000, cols: 3, y: train.y, categoryCounts: Self.counts)
        let numeric = try LogisticRegression.fit(x: train.x, rows: 6000, cols: 3, y: train.y)
        #expect(oneHot.report.converged)
        let e = try #require(oneHot.oneHot?.first)
        #expect(e.column == 2 && e.codeCount == 5 && oneHot.oneHot?.count == 1)
        #expect(oneHot.hasIndicator[2] && oneHot.coefficients[2] == 0)
        // Differences between categories are the planted shifts (6000 rows: standard errors ≈ 0.1).
        for k in 1..<5 {
            let learned = e.coefficients[k] - e.coefficients[0]
            #expect(abs(learned - shifts[k]) < 0.35, "code \(k): learned shift \(learned), planted \(shifts[k])")
        }
        let withOneHot = auc(scores: oneHot.scoreBatch(x: test.x, rows: 4000), labels: test.y)
        let asNumber = auc(scores: numeric.scoreBatch(x: test.x, rows: 4000), labels: test.y)
        // Bayes AUC ≈ 0.82 here; the code as a number (nearly uncorrelated with the shifts) stays near the
        // two numeric features' 0.70.
        #expect(withOneHot - asNumber > 0.05, "held-out AUC \(asNumber) with the code as a number, \(withOneHot) one-hot (lift \(withOneHot - asNumber))")
        print("one-hot: held-out ROC AUC \(asNumber) with the code as a number, \(withOneHot) one-hot (lift \(withOneHot - asNumber))")
    }

    /// With a vanishing penalty the optimum does not depend on how the categories are coded, so our centred
    /// full one-hot fit must give the probabilities of a plain numeric fit on explicit dummies (code 0 the
    /// reference) plus a missing column: the encoding is one-hot, and scoring applies it as training did.
    @Test("the fit equals one on an explicit dummy-coded design")
    func matchesExplicitDummies() throws {
        let rows = 3000
        let data = categoricalData(rows: rows, seed: 11)
        var dummies = [Double]()
        let width = 2 + 4 + 1
        for i in 0..<rows {
            let v = data.x[i * 3 + 2]
            dummies += [data.x[i * 3], data.x[i * 3 + 1]]
            for k in 1..<5 { dummies.append(!v.isNaN && Int(v) == k ? 1 : 0) }
            dummies.append(v.isNaN ? 1 : 0)
        }
        let config = LogisticConfig(penalty: .l2(lambda: 1e-10), solver: .newton, tolerance: 1e-10)
        let oneHot = try LogisticRegression.fit(x: data.x, rows: rows, cols: 3, y: data.y, config: config, categoryCounts: Self.counts)
        let explicit = try LogisticRegression.fit(x: dummies, rows: rows, cols: width, y: data.y, config: config)
        let p = oneHot.scoreBatch(x: data.x, rows: rows), q = explicit.scoreBatch(x: dummies, rows: rows)
        let worst = zip(p, q).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-6, "largest probability difference \(worst)")
    }

    @Test("the encoding round-trips through JSON and scores identically")
    func roundTrip() throws {
        let (model, data, bytes) = try fittedModel(rows: 2000, seed: 5)
        let back = try JSONDecoder().decode(LogisticModel.self, from: bytes)
        #expect(back == model)
        #expect(try sortedJSON(back) == bytes)
        #expect(back.scoreBatch(x: data.x, rows: 2000) == model.scoreBatch(x: data.x, rows: 2000))
        // A model without categorical inputs has no oneHot key (its bytes are those of earlier versions).
        let plain = try LogisticRegression.fit(x: data.x, rows: 2000, cols: 3, y: data.y)
        #expect(plain.oneHot == nil)
        #expect(!String(decoding: try sortedJSON(plain), as: UTF8.self).contains("oneHot"))
    }

    @Test("codes outside the vocabulary score as the rare bucket; missing takes its indicator; contributions add up")
    func unseenAndMissing() throws {
        let model = try fittedModel(rows: 2000, seed: 6).model
        let e = try #require(model.oneHot?.first)
        let mix = zip(e.shares, e.coefficients).reduce(0) { $0 + $1.0 * $1.1 }
        let rare = model.rawScore([0.3, -0.2, 4])
        for unseen in [5.0, 17, -1, 2.5, 1e300] { #expect(model.rawScore([0.3, -0.2, unseen]) == rare, "code \(unseen)") }
        let c = model.contributions([0.3, -0.2, 4])
        #expect(c[2] == e.coefficients[4] - mix)
        #expect(model.contributions([0.3, -0.2, .nan])[2] == model.indicatorCoefficients[2] - mix)
        for row in [[0.3, -0.2, 1.0], [0.3, -0.2, .nan], [1, 1, 0]] {
            #expect(abs(model.contributions(row).reduce(0, +) - model.rawScore(row)) < 1e-12)
        }
        // Shares are the training mix of the codes (missing rows count in no code).
        #expect(abs(e.shares.reduce(0, +) - 0.92) < 0.03)
    }

    @Test("a model file whose oneHot entry disagrees with its columns is refused")
    func refusesBadEncoding() throws {
        var json = try #require(try JSONSerialization.jsonObject(with: try fittedModel(rows: 1000, seed: 8).json) as? [String: Any])
        var entry = try #require((json["oneHot"] as? [[String: Any]])?.first)
        entry["column"] = 7
        json["oneHot"] = [entry]
        let bad = try JSONSerialization.data(withJSONObject: json)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LogisticModel.self, from: bad) }
        entry["column"] = 1  // a numeric column: its mean and scale are not the one-hot's 0 and 1
        json["oneHot"] = [entry]
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(LogisticModel.self, from: try JSONSerialization.data(withJSONObject: json)) }
    }
}
