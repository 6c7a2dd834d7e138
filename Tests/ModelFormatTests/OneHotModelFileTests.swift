// A logistic model with a one-hot encoded categorical attribute through the model file: the encoding comes
// back from the file alone (same bytes, same scores, unseen codes in the rare bucket), and a file whose
// encoding disagrees with its categorical attributes is refused.
import Features
import Foundation
import LinearModels
import Testing
@testable import ModelFormat

/// Rows of [x, attr_channel] (codes 0..<4 of 3 categories + rare, some missing), label driven by the channel.
private func channelRows(_ rows: Int) -> (x: [Double], y: [Double]) {
    var state: UInt64 = 21
    func uniform() -> Double {  // a 64-bit LCG (this target has no TestSupport); plenty for 1500 rows
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Double(state >> 11) / Double(1 << 53)
    }
    var x: [Double] = [], y: [Double] = []
    let shift = [-1.0, 1.0, 0.3, 0]
    for _ in 0..<rows {
        let v = 2 * uniform() - 1, code = Int(uniform() * 4), missing = uniform() < 0.1
        x += [v, missing ? .nan : Double(code)]
        y.append(uniform() < 1 / (1 + exp(-(v + (missing ? 0.5 : shift[code])))) ? 1 : 0)
    }
    return (x, y)
}

/// A model trained from a matrix (no feature spec) whose second column is the categorical attribute `channel`.
private func channelModel(categories: [String] = ["email", "organic", "paid_social"], oneHot: Bool = true) throws -> TenureModel {
    let data = channelRows(1500)
    let lr = try LogisticRegression.fit(x: data.x, rows: 1500, cols: 2, y: data.y, categoryCounts: oneHot ? [0, 4] : [])
    let golden = try Golden.model("logistic-v1.tenure")
    return TenureModel(payload: .logistic(lr), label: golden.label, features: nil, featureNames: ["x", "attr_channel"],
                       columns: nil, inputFormat: nil, timeFormat: nil, training: golden.training, validation: nil,
                       attributes: AttributeSchema(columns: [AttributeColumn(name: "channel", kind: .categorical, categories: categories)],
                                                   pointInTime: false))
}

@Suite("One-hot logistic models in the model file")
struct OneHotModelFileTests {
    @Test("the encoding round-trips through the file and scores the same, unseen codes as the rare bucket")
    func roundTrip() throws {
        let model = try channelModel()
        let bytes = try ModelFile.encode(model)
        let back = try ModelFile.decode(bytes)
        #expect(try ModelFile.encode(back) == bytes)
        #expect(back.logistic == model.logistic && back.logistic?.oneHot?.first?.codeCount == 4)
        let rows: [[Double]] = [[0.2, 0], [0.2, 1], [0.2, 2], [0.2, 3], [0.2, .nan], [0.2, 9], [0.2, -3]]
        for row in rows { #expect(row.withUnsafeBufferPointer(back.probability) == row.withUnsafeBufferPointer(model.probability)) }
        let rare = [0.2, 3.0].withUnsafeBufferPointer(back.probability)
        #expect([0.2, 9.0].withUnsafeBufferPointer(back.probability) == rare)
        #expect([0.2, 0.0].withUnsafeBufferPointer(back.probability) != rare)
    }

    @Test("a logistic file whose one-hot encoding disagrees with its categorical attributes is refused", arguments: [false, true])
    func disagreement(withEncoding: Bool) throws {
        // No encoding at all for a categorical attribute, or one with 4 codes for an attribute with 2 + rare.
        let model = try channelModel(categories: withEncoding ? ["email", "organic"] : ["email", "organic", "paid_social"],
                                     oneHot: withEncoding)
        #expect {
            try ModelFile.decode(try ModelFile.encode(model), path: "m.tenure")
        } throws: { error in
            "\(error)".contains("one-hot encodes") && "\(error)".contains("attr_channel (3 codes)") == withEncoding
        }
    }
}
