// The README's parameter tables are rendered from the declarations: a parameter added, renamed or given a new
// default without the README following fails here. `TENURE_UPDATE_README=1` rewrites the tables in place.
import Features
import Foundation
import GradientBoosting
import LinearModels
import Testing
import TestSupport
import Training

@Suite("README parameter tables", .serialized)
struct ParameterTableReadmeTests {
    static let tables: [(String, String)] = [
        ("train", TrainSettings.parameters.markdown),
        ("logistic", LogisticConfig.parameters.markdown),
        ("gbdt", GBDTConfig.parameters.markdown),
        ("attributes", AttributeSettings.parameters.markdown),
        ("uplift", UpliftSettings.parameters.markdown),
    ]

    static func markers(_ name: String) -> (String, String) {
        ("<!-- parameters: \(name) (rendered from the code's table; a test compares them) -->\n", "\n<!-- end parameters: \(name) -->")
    }

    @Test("each table in the README equals the one rendered from its declarations", arguments: tables.map(\.0))
    func readmeTable(name: String) throws {
        let expected = try #require(Self.tables.first { $0.0 == name }).1
        let (open, close) = Self.markers(name)
        let outcome = try ReadmeBlock.check(open: open, close: close, expected: expected)
        if case .differs = outcome {
            Issue.record("README.md's \(name) table differs from the declarations; run TENURE_UPDATE_README=1 swift test --filter ParameterTableReadmeTests")
        }
    }

    @Test("every GBDT parameter with a LightGBM name is in the export's parameter block")
    func lightGBMNames() {
        let block = GBDTConfig.parameters.lightGBMBlock(GBDTConfig())
        for p in GBDTConfig.parameters.parameters where p.name != "monotone" {
            guard let alias = p.lightGBM.first else { continue }
            #expect(block.contains("[\(alias): "), "\(alias) missing")
        }
    }

    @Test("an uplift model's GBDT defaults are GBDT parameters in range, differ from the churn defaults, and the README states them")
    func upliftGBDTDefaults() throws {
        let base = UpliftSettings.gbdtBase, churn = GBDTConfig()
        try GBDTConfig.parameters.validate(base)
        let names = Set(GBDTConfig.parameters.names)
        for d in UpliftSettings.gbdtDefaults { #expect(names.contains(d.flag), "\(d.flag) is no GBDT parameter") }
        let changed = GBDTConfig.parameters.settings(base).filter { GBDTConfig.parameters.settings(churn)[$0.key] != $0.value }
        #expect(Set(changed.keys) == Set(UpliftSettings.gbdtDefaults.map(\.flag)), "\(changed)")
        let readme = try String(contentsOfFile: Repository.path("README.md"), encoding: .utf8)
        #expect(readme.contains(UpliftSettings.gbdtDefaultsText), "README.md lacks \(UpliftSettings.gbdtDefaultsText)")
    }
}
