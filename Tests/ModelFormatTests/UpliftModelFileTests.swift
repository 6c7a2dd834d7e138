// The uplift payload (format 3): the golden T-learner file loads and predicts as when it was made, its
// reasons add up to the margin difference, and damaged uplift files are refused with a reason, never a crash.
import Foundation
import Testing
import TenureCore
@testable import ModelFormat

@Suite("Uplift model files")
struct UpliftModelFileTests {
    struct ExpectedRow: Decodable {
        var source: String
        var features: [Double]
        var uplift, treated, control, probability: Double
    }
    struct Expected: Decodable {
        var featureNames: [String]
        var rows: [ExpectedRow]
    }

    static let name = "uplift-t-v3"

    static func expected() throws -> Expected {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(Expected.self, from: Data(try Golden.bytes(name + "-expected.json")))
    }

    @Test("the golden T-learner loads as format 3 and predicts its rows to 1e-12")
    func golden() throws {
        let model = try Golden.model(Self.name + ".tenure")
        let u = try #require(model.uplift)
        #expect(model.formatVersion == 3)
        #expect(u.learner == .t)
        #expect(model.gbdt == nil && model.logistic == nil)
        let v = try #require(u.validation)
        #expect(v.campaign == "april")
        #expect(v.metrics.upliftAtK.map(\.share) == [0.1, 0.2, 0.3])
        let e = try Self.expected()
        #expect(e.featureNames == model.featureNames)
        #expect(e.rows.count == 5)
        for row in e.rows {
            let p = row.features.withUnsafeBufferPointer { u.predict($0) }
            #expect(abs(p.uplift - row.uplift) <= 1e-12, "\(row.source)")
            #expect(abs(p.treated - row.treated) <= 1e-12 && abs(p.control - row.control) <= 1e-12, "\(row.source)")
            // T-learner: the uplift is the difference of the arms' retention.
            #expect(abs(p.uplift - (p.treated - p.control)) <= 1e-15)
            // What a churn-reading caller sees: the risk if not contacted.
            let churn = row.features.withUnsafeBufferPointer { model.probability($0) }
            #expect(abs(churn - row.probability) <= 1e-12 && abs(churn - (1 - p.control)) <= 1e-12)
        }
    }

    @Test("re-encoding the golden uplift file reproduces its bytes")
    func reencode() throws {
        let bytes = try Golden.bytes(Self.name + ".tenure")
        #expect(try ModelFile.encode(try ModelFile.decode(bytes)) == bytes)
    }

    @Test("the uplift's reasons (treated minus control TreeSHAP, margin scale) sum to the margin difference")
    func contributionsSum() throws {
        let model = try Golden.model(Self.name + ".tenure")
        let u = try #require(model.uplift)
        for row in try Self.expected().rows + [ExpectedRow(source: "all missing", features: [Double](repeating: .nan, count: model.featureCount), uplift: 0, treated: 0, control: 0, probability: 0)] {
            let (c, margin) = row.features.withUnsafeBufferPointer { (u.upliftContributions($0), u.upliftMargin($0)) }
            #expect(c.count == model.featureCount + 1)
            #expect(abs(c.reduce(0, +) - margin) <= 1e-9, "\(row.source): Σ \(c.reduce(0, +)) vs margin \(margin)")
            // The margin difference is the difference of the arms' log-odds.
            let p = row.features.withUnsafeBufferPointer { u.predict($0) }
            let logit = { (q: Double) in log(q / (1 - q)) }
            #expect(abs(margin - (logit(p.treated) - logit(p.control))) <= 1e-9)
        }
    }

    /// The golden body as JSON, changed by `edit`, written back as a model file with a valid header and checksum.
    static func edited(_ edit: (inout [String: Any]) -> Void, version: Int = 3) throws -> [UInt8] {
        let bytes = try Golden.bytes(name + ".tenure")
        let start = try #require(bytes.firstIndex(of: 10)) + 1
        var json = try #require(try JSONSerialization.jsonObject(with: Data(bytes[start...])) as? [String: Any])
        edit(&json)
        let body = Array(try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])) + [10]
        return Array("TENURE-MODEL \(version) sha256=\(SHA256.hex(body)) bytes=\(body.count)\n".utf8) + body
    }

    static let damaged: [(String, String, @Sendable (inout [String: Any]) -> Void, Int)] = [
        ("an X-learner without its effect models", "X-learner needs", { j in
            var u = j["uplift"] as! [String: Any]; u["learner"] = "x"; j["uplift"] = u }, 3),
        ("a T-learner with a propensity", "T-learner holds no", { j in
            var u = j["uplift"] as! [String: Any]; u["propensity"] = 0.5; j["uplift"] = u }, 3),
        ("an uplift payload in a format 2 file", "needs formatVersion 3", { j in j["formatVersion"] = 2 }, 2),
        ("an uplift and a gbdt payload", "an uplift model", { j in
            j["gbdt"] = (j["uplift"] as! [String: Any])["treated"] }, 3),
        ("an unknown learner", "learner", { j in
            var u = j["uplift"] as! [String: Any]; u["learner"] = "s"; j["uplift"] = u }, 3),
        ("a control model of another width", "feature", { j in
            var u = j["uplift"] as! [String: Any]
            var c = u["control"] as! [String: Any]
            c["featureCount"] = (c["featureCount"] as! Int) - 1
            for k in ["binUpperBounds", "featureMin", "featureMax", "featureHasValues"] { c[k] = Array((c[k] as! [Any]).dropLast()) }
            var imp = c["importance"] as! [String: Any]
            for k in ["gain", "splitCount"] { imp[k] = Array((imp[k] as! [Any]).dropLast()) }
            c["importance"] = imp
            u["control"] = c; j["uplift"] = u }, 3),
        ("validation counts that disagree", "validation row counts", { j in
            var u = j["uplift"] as! [String: Any]; var v = u["validation"] as! [String: Any]
            v["treatedRetained"] = (v["treated"] as! Int) + 1; u["validation"] = v; j["uplift"] = u }, 3),
    ]

    @Test("a damaged uplift file is refused with a reason", arguments: damaged.indices)
    func refused(_ k: Int) throws {
        let (what, reason, edit, version) = Self.damaged[k]
        let bytes = try Self.edited(edit, version: version)
        do {
            _ = try ModelFile.decode(bytes, path: "bad.tenure")
            Issue.record("\(what): loaded")
        } catch let e as ModelFormatError {
            #expect("\(e)".contains(reason), "\(what): \(e)")
        }
    }
}
