// An uplift model's list: its columns declared once in ListSchema, the README's table rendered from them.
import Testing
import Targeting
import TestSupport

@Suite("Uplift list schema")
struct UpliftListSchemaTests {
    @Test("an uplift list puts its columns after user_id, keeps the churn columns, and reasons go both ways")
    func columns() {
        let s = ListSchema.of(.churn).withUplift()
        #expect(s.columns.map(\.rawValue).prefix(6) == ["user_id", "uplift", "p_retained_treated", "p_retained_control", "incremental_value", "probability"])
        #expect(Set(ListSchema.of(.churn).columns).isSubset(of: Set(s.columns)))
        #expect(s.withUplift() == s)
        #expect(s.withCampaign().columns.suffix(2).map(\.rawValue) == ["group", "planned_action"])
        #expect(ListSchema.upliftDocs.map(\.0) == ListSchema.upliftColumns)
        #expect(RankBy.uplift.needsUplift && RankBy.incrementalValue.needsUplift && !RankBy.risk.needsUplift)
    }

    @Test("the README's table of uplift list columns is the one rendered from ListSchema.upliftDocs")
    func readmeTable() throws {
        if case .differs = try ReadmeBlock.checkTable("uplift list columns", expected: ListSchema.upliftMarkdown) {
            Issue.record("README.md's uplift list columns differ from ListSchema.upliftDocs; run TENURE_UPDATE_README=1 swift test --filter UpliftListSchemaTests")
        }
    }
}
