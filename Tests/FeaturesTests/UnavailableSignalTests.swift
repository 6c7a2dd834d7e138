// Genuine-activity signals a log cannot support are unavailable (missing, not 0), a spec may leave any out,
// a count rule on the spending group counts its events, and the event-count vocabulary ignores rows after
// the latest cutoff. Before: every signal was required, unmatched groups gave 0 (so everyone active was
// "fake"), a spending minCount was judged on the value sum, and post-cutoff rows changed the columns.
import EventLog
import Foundation
import Testing
@testable import Features

@Suite("Unavailable genuine-activity signals")
struct UnavailableSignalTests {
    /// A shop log without values: a buyer and a browser, both active in the week before 03-01.
    static let shop = """
    user_id,timestamp,event
    buyer,2026-02-20T10:00:00Z,product_view
    buyer,2026-02-20T10:01:00Z,purchase
    browser,2026-02-25T10:00:00Z,product_view
    browser,2026-02-26T10:00:00Z,product_view
    late,2026-03-05T10:00:00Z,flash_sale_view
    late,2026-03-05T10:00:01Z,flash_sale_view
    late,2026-03-05T10:00:02Z,flash_sale_view

    """

    @Test func theDefaultsOnAShopLogFlagNobody() throws {
        let store = try readCSV(Self.shop)
        let cutoff = ms("2026-03-01")
        let resolved = ResolvedFeatureSpec.resolve(.default, for: store, before: cutoff)
        #expect(resolved.unavailableSignals?.map(\.signal) == ["spending", "creation", "interaction"])
        #expect(resolved.spec.genuineActivity.present.isEmpty)
        #expect(resolved.spec.groups.map(\.name) == ["purchase"])
        #expect(resolved.warnings.count == 5)
        let (table, _) = try buildRows(store, label: LabelSpec(task: .none), cutoffs: [cutoff])
        let g = try #require(table.names.firstIndex(of: "genuine_activity"))
        for user in ["buyer", "browser"] {
            let r = try #require(table.rows(of: user, in: store).first)
            #expect(table.row(r)[g].isNaN, "\(user): unknown, not fake")
        }
        #expect(!table.names.contains("genuine_creation") && !table.names.contains("count_interaction_30d"))
    }

    @Test func aCountRuleOnSpendingCountsPurchasesAndOtherSignalsMayBeLeftOut() throws {
        let store = try readCSV(Self.shop)
        var spec = FeatureSpec.default
        spec.genuineActivity = GenuineActivityRules(
            spending: GenuineSignal(group: "purchase", windowDays: 30, minValue: nil, minCount: 1), creation: nil, interaction: nil)
        try spec.validate()
        let cutoff = ms("2026-03-01")
        let (table, _) = try buildRows(store, spec: spec, label: LabelSpec(task: .none), cutoffs: [cutoff])
        func value(_ user: String, _ name: String) throws -> Double {
            let r = try #require(table.rows(of: user, in: store).first)
            return table.row(r)[try #require(table.names.firstIndex(of: name))]
        }
        #expect(try value("buyer", "genuine_spending") == 1 && value("buyer", "genuine_activity") == 1)
        #expect(try value("browser", "genuine_spending") == 0 && value("browser", "genuine_activity") == 0)
        #expect(try value("buyer", "count_purchase_30d") == 1)
        // A left-out signal survives the model's JSON round trip (written as null, not brought back by the merge).
        let resolved = ResolvedFeatureSpec.resolve(spec, for: store, before: cutoff)
        let back = try JSONDecoder().decode(ResolvedFeatureSpec.self, from: try JSONEncoder().encode(resolved))
        #expect(back == resolved && back.spec.genuineActivity.creation == nil)
    }

    @Test func theVocabularyIgnoresRowsAfterTheLatestCutoff() throws {
        let store = try readCSV(Self.shop)
        let resolved = ResolvedFeatureSpec.resolve(.default, for: store, before: ms("2026-03-01"))
        #expect(!resolved.eventCounts.contains("flash_sale_view"))
        #expect(ResolvedFeatureSpec.resolve(.default, for: store).eventCounts.contains("flash_sale_view"))
    }
}
