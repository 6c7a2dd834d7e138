// A log without an event column (a plain purchase log like CDNOW): every row is a purchase.
import EventLog
import Foundation
import Testing
@testable import Features

@Suite("Logs without an event column")
struct PurchaseLogFeatureTests {
    @Test("the spending group is every event; no per-event counts")
    func purchaseLog() throws {
        // c1: 3 purchases (30 + 50 + 40 = 120 in the last 30 days before 03-01); c2: one old purchase of 500.
        let store = try readCSV("""
        customer,timestamp,value
        c1,2026-02-10,30
        c1,2026-02-20,50
        c1,2026-02-27,40
        c2,2025-12-01,500

        """.replacingOccurrences(of: "customer", with: "user_id"))
        let cutoff = ms("2026-03-01")
        let (table, _) = try buildRows(store, label: LabelSpec(task: .none), cutoffs: [cutoff])
        let plan = FeaturePlan(ResolvedFeatureSpec.resolve(.default, for: store), store: store)
        #expect(plan.resolved.eventCounts.isEmpty)
        #expect(plan.resolved.spec.groups.first { $0.name == "purchase" }?.events == ["*"])
        func value(_ user: String, _ name: String) throws -> Double {
            let r = try #require(table.rows(of: user, in: store).first)
            return table.row(r)[try #require(table.names.firstIndex(of: name))]
        }
        #expect(try value("c1", "count_purchase_30d") == 3 && value("c1", "events_30d") == 3)
        #expect(try value("c1", "value_purchase_30d") == 120 && value("c1", "genuine_spending") == 1)
        #expect(try value("c1", "recency_purchase_days") == 2)
        #expect(try value("c2", "value_90d") == 500)   // 90 days back from 03-01 is 2025-12-01: inclusive
        #expect(try value("c2", "genuine_spending") == 0 && value("c2", "genuine_activity") == 0)
        // Creation and interaction match no event of a purchase log: their groups and signals are left out
        // (said once), not written as columns of zeros that would make nobody "genuine" by them.
        #expect(!table.names.contains("count_creation_90d") && !table.names.contains("genuine_creation"))
        #expect(plan.resolved.unavailableSignals?.map(\.signal) == ["creation", "interaction"])
    }
}
