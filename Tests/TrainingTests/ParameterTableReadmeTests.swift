// The README's parameter tables are rendered from the declarations: a parameter added, renamed or given a new
// default without the README following fails here. `TENURE_UPDATE_README=1` rewrites the tables in place.
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
    ]

    static func markers(_ name: String) -> (String, String) {
        ("<!-- parameters: \(name) (rendered from the code's table; a test compares them) -->\n", "\n<!-- end parameters: \(name) -->")
    }

    @Test("each table in the README equals the one rendered from its declarations", arguments: tables.map(\.0))
    func readmeTable(name: String) throws {
        let path = Repository.path("README.md")
        var readme = try String(contentsOfFile: path, encoding: .utf8)
        let expected = try #require(Self.tables.first { $0.0 == name }).1
        let (open, close) = Self.markers(name)
        let start = try #require(readme.range(of: open), "README.md has no \(open)")
        let end = try #require(readme.range(of: close, range: start.upperBound..<readme.endIndex), "README.md has no \(close)")
        let found = String(readme[start.upperBound..<end.lowerBound])
        if found != expected, ProcessInfo.processInfo.environment["TENURE_UPDATE_README"] != nil {
            readme.replaceSubrange(start.upperBound..<end.lowerBound, with: expected)
            try readme.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        #expect(found == expected, "README.md's \(name) table differs from the declarations; run TENURE_UPDATE_README=1 swift test --filter ParameterTableReadmeTests")
    }

    @Test("every GBDT parameter with a LightGBM name is in the export's parameter block")
    func lightGBMNames() {
        let block = GBDTConfig.parameters.lightGBMBlock(GBDTConfig())
        for p in GBDTConfig.parameters.parameters where p.name != "monotone" {
            guard let alias = p.lightGBM.first else { continue }
            #expect(block.contains("[\(alias): "), "\(alias) missing")
        }
    }
}
