// The golden files (Golden/README.md) of each format version must load and score exactly as when they were
// made, forever.
import Foundation
import Testing
@testable import ModelFormat

@Suite("Golden model files")
struct GoldenModelTests {
    /// Format 2: a gbdt trained with --users (a valid_from table; categorical splits on acquisition_channel and
    /// platform), its expected probabilities computed by LightGBM 4.7 from the exported model.
    static let models = [("logistic-v1", ModelKind.logistic), ("gbdt-v1", ModelKind.gbdt), ("gbdt-attributes-v2", ModelKind.gbdt)]

    @Test("loads and scores the expected rows to 1e-12", arguments: models)
    func probabilities(name: String, kind: ModelKind) throws {
        let model = try Golden.model(name + ".tenure")
        let expected = try Golden.expected(name + "-expected.json")
        #expect(model.formatVersion == (name.hasSuffix("-v2") ? 2 : 1))
        #expect((model.attributes != nil) == name.hasSuffix("-v2"))
        if name.hasSuffix("-v2") { #expect(model.gbdt?.hasCategoricalSplits == true) }
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
