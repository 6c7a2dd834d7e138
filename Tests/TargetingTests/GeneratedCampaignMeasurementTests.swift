// The generator's randomized campaigns measured the way `tenure measure` measures them: per hidden uplift type
// (a test-only split: the type written into the action column) the treated retention is what the effect table
// implies from the control arm's, persuadables gain and sleeping dogs lose; in total, the campaign's lift is the
// mix of the types' lifts. Before, the generator had no campaigns and nothing could check an uplift model.
import EventLog
import Evaluation
import Foundation
import Synthetic
import Testing
import TestSupport
@testable import Targeting

@Suite("Generated campaigns, measured")
struct GeneratedCampaignMeasurementTests {
    /// 12,000 users, 120 days, two campaigns: about 550 contacts each.
    static let measured = Result { () throws -> (byType: [UpliftType: MeasurementRow], rows: [MeasurementRow], contacts: [SyntheticContact]) in
        var config = SyntheticLogConfig(users: 12_000, days: 120, seed: 77)
        config.campaigns = CampaignPlan(count: 2)
        let run = try SyntheticLog.generateWithContacts(config: config)
        let path = NSTemporaryDirectory() + "tenure-generated-campaigns-\(UUID().uuidString).csv"
        try Data(run.events).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (store, _) = try EventLogReader.read(path)
        let contacts = CampaignContacts(contacts: run.contacts.map {
            CampaignContact(userID: $0.userID, contactedAt: $0.contactedAt * 1000, campaign: $0.campaign,
                            arm: $0.treated ? .treatment : .control, action: $0.type.rawValue, segment: "", tier: "")
        })
        let m = try CampaignMeasurement.measure(contacts, store: store, playbook: .default,
                                                settings: MeasurementSettings(horizon: .days(14), declaredControlShare: config.campaigns.controlShare))
        var byType: [UpliftType: MeasurementRow] = [:]
        for r in m.rows where r.breakdown == "action" {
            let t = UpliftType(rawValue: r.key)!
            var sum = byType[t] ?? MeasurementRow(campaign: "both", breakdown: "type", key: r.key, treated: 0, treatedRetained: 0, control: 0, controlRetained: 0, pending: 0)
            sum.treated += r.treated; sum.treatedRetained += r.treatedRetained
            sum.control += r.control; sum.controlRetained += r.controlRetained
            byType[t] = sum
        }
        return (byType, m.rows, run.contacts)
    }

    /// What the effect table implies for the treated arm given the control arm, and the standard error of the
    /// difference between that and the observed treated rate (both arms' sampling noise).
    static func implied(_ t: UpliftType, _ r: MeasurementRow) -> (rate: Double, observed: Double, se: Double) {
        let e = t.effect
        let q = Double(r.controlRetained) / Double(r.control), p = Double(r.treatedRetained) / Double(r.treated)
        let expected = e.retainedWithContact(q)
        let slope = 1 - e.rescue - e.drive
        let se = (expected * (1 - expected) / Double(r.treated) + slope * slope * q * (1 - q) / Double(r.control)).squareRoot()
        return (expected, p, se)
    }

    @Test("per type, the treated arm's retention is what the effect table implies from the control arm's (within 3.5 standard errors)", arguments: UpliftType.allCases)
    func perType(_ t: UpliftType) throws {
        let r = try #require(try Self.measured.get().byType[t])
        try #require(r.treated >= 60 && r.control >= 60, "\(t): \(r.treated) treated, \(r.control) control")
        let (expected, observed, se) = Self.implied(t, r)
        #expect(abs(observed - expected) <= 3.5 * se, "\(t): treated \(observed), the table implies \(expected) ± \(se) from control \(r.controlRetained)/\(r.control)")
    }

    @Test("persuadables' measured lift is clearly positive, sleeping dogs' clearly negative, the others' near zero")
    func signs() throws {
        let byType = try Self.measured.get().byType
        func comparison(_ t: UpliftType) throws -> RateComparison {
            let r = try #require(byType[t])
            return try #require(RateComparison(treated: r.treated, treatedSuccesses: r.treatedRetained, control: r.control, controlSuccesses: r.controlRetained))
        }
        let p = try comparison(.persuadable), d = try comparison(.sleepingDog)
        #expect(p.differenceLower > 0.05, "persuadable: lift \(p.difference) [\(p.differenceLower), \(p.differenceUpper)]")
        #expect(d.differenceUpper < 0, "sleeping dog: lift \(d.difference) [\(d.differenceLower), \(d.differenceUpper)]")
        for t in [UpliftType.sureThing, .lostCause] {
            let c = try comparison(t)
            #expect(c.differenceLower < 0.03 && c.differenceUpper > -0.03, "\(t): lift \(c.difference) [\(c.differenceLower), \(c.differenceUpper)]")
        }
    }

    @Test("each campaign's total lift is the type mix of the implied lifts, and the arms pass the sample-ratio check")
    func total() throws {
        let (_, rows, contacts) = try Self.measured.get()
        for row in rows where row.breakdown == "all" {
            // Implied treated retained users: per type, the treated count × the table's rate from that type's control.
            var expected = 0.0, variance = 0.0
            for t in UpliftType.allCases {
                let mine = contacts.filter { $0.campaign == row.campaign && $0.type == t }
                let treated = mine.filter(\.treated).count
                guard treated > 0 else { continue }
                let control = mine.filter { !$0.treated }
                let typeRow = try #require(rows.first { $0.campaign == row.campaign && $0.breakdown == "action" && $0.key == t.rawValue })
                let q = Double(typeRow.controlRetained) / Double(max(typeRow.control, 1))
                let e = t.effect, slope = 1 - e.rescue - e.drive
                let rate = e.retainedWithContact(q)
                expected += Double(treated) * rate
                variance += Double(treated) * rate * (1 - rate) + pow(Double(treated) * slope, 2) * q * (1 - q) / Double(max(control.count, 1))
            }
            #expect(abs(Double(row.treatedRetained) - expected) <= 3.5 * variance.squareRoot(),
                    "\(row.campaign): \(row.treatedRetained) treated retained, the table implies \(expected) ± \(variance.squareRoot())")
            let srm = try #require(row.sampleRatio)
            #expect(!srm.mismatch, "\(row.campaign): \(srm)")
        }
    }
}

@Suite("README uplift types")
struct UpliftTypesReadmeTests {
    @Test("the README's effect table is the one rendered from UpliftType.effect")
    func readmeTable() throws {
        if let message = try ReadmeBlock.differingTable("uplift types", expected: UpliftType.markdown, filter: "UpliftTypesReadmeTests") {
            Issue.record(Comment(rawValue: message))
        }
    }
}
