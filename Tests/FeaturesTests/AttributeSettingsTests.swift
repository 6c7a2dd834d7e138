// The vocabulary floor and cap are settings (AttributeSettings), not constants: each changes which categories
// get a code of their own, and the rest go to the rare bucket.
import Foundation
import Testing
@testable import Features
import TenureCore

@Suite("Attribute vocabulary settings")
struct AttributeSettingsTests {
    /// channel a × 12 rows, b × 5, c × 3.
    static func table() throws -> UserTable {
        let rows = (0..<20).map { i in "u\(i),\(i < 12 ? "a" : i < 17 ? "b" : "c")\n" }.joined()
        return try withTempFile("users.csv", Array(("user_id,channel\n" + rows).utf8)) { try UserTable.read($0, badRows: .fail) }
    }

    static func vocabulary(_ settings: AttributeSettings) throws -> [String] {
        try #require(try AttributeSchema.fit(try table(), settings: settings).columns.first?.categories)
    }

    @Test("the floor and the cap choose the vocabulary; the defaults are 10 rows and 250 categories")
    func floorAndCap() throws {
        #expect(AttributeSettings.defaults == (try AttributeSettings.parameters.configuration([:])))
        #expect(AttributeSettings.defaults.minCategoryRows == 10 && AttributeSettings.defaults.maxCategories == AttributeSchema.maxCategories)
        #expect(try Self.vocabulary(.defaults) == ["a"])
        var s = AttributeSettings.defaults
        s.minCategoryRows = 3
        #expect(try Self.vocabulary(s) == ["a", "b", "c"])
        s.maxCategories = 2
        #expect(try Self.vocabulary(s) == ["a", "b"])
    }

    @Test("out-of-range settings are refused naming the option")
    func ranges() {
        for (name, value) in [("min-category-rows", "0"), ("max-categories", "251"), ("max-categories", "0")] {
            #expect(throws: ParameterError.self) { try AttributeSettings.parameters.configuration([name: value]) }
        }
    }
}
