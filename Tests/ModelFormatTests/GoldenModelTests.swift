// The v1 golden files (Golden/README.md) must load and score exactly as when they were made, forever.
import Foundation
import Testing
@testable import ModelFormat

@Suite("Golden v1 model files")
struct GoldenModelTests {
    static let models = [("logistic-v1", ModelKind.logistic), ("gbdt-v1", ModelKind.gbdt)]

    @Test("loads and scores the expected rows to 1e-12", arguments: models)
    func probabilities(name: String, kind: ModelKind) throws {
        let model = try Golden.model(name + ".tenure")
        let expected = try Golden.expected(name + "-expected.json")
        #expect(model.formatVersion == 1)
        #expect(model.kind == kind)
        #expect(model.featureNames == expected.featureNames)
        #expect(expected.rows.count == 6)
        #expect(expected.rows.contains { $0.features.contains(where: \.isNaN) })
        for row in expected.rows {
            let p = row.features.withUnsafeBufferPointer { model.probability($0) }
            #expect(abs(p - row.probability) <= 1e-12, "\(name): \(row.source): \(p) vs \(row.probability)")
            // The batch path must agree with the single-row path.
            let batch = model.probabilities(x: row.features, rows: 1)
            #expect(abs(batch[0] - row.probability) <= 1e-12, "\(name) batch: \(row.source)")
        }
    }

    @Test("re-encoding a golden file reproduces its bytes", arguments: models.map(\.0))
    func reencode(name: String) throws {
        let bytes = try Golden.bytes(name + ".tenure")
        #expect(try ModelFile.encode(try ModelFile.decode(bytes)) == bytes)
    }

    @Test("golden files still carry their training record")
    func provenance() throws {
        let model = try Golden.model("logistic-v1.tenure")
        #expect(model.training.inputFile == "g.csv")
        #expect(model.training.validCutoffs == ["2026-03-29"])
        #expect(model.training.trainCutoffs.count == 6)
        #expect(model.validation != nil)
        #expect(model.label.task == .churn)
    }
}
