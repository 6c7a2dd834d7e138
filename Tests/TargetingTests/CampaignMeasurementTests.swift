// Campaign measurement on a log small enough to count by hand: who is retained (window edges included), the
// arms' counts per campaign and action, incremental users, value kept and cost, and the refusals.
import EventLog
import Evaluation
import Foundation
import Testing
import TestSupport
@testable import Targeting

@Suite("Campaign measurement")
struct CampaignMeasurementTests {
    static let day: Int64 = 86_400_000
    static let d = parseTimestamp("2026-06-01")!

    /// Contact at day D (00:00). Treated: a (visit D+3), b (visit D+14 − 1 h), c (visit exactly D+14: outside),
    /// d (only an event at D+20), z (not in the log). Control: e (visit D+1), f (none after), g (only D−1),
    /// h (only D−2). Values before the contact: a 10, e 4.
    static func store() -> EventStore {
        let rows: [(String, Int64, UInt32, Double)] = [
            ("a", d - 5 * day, 1, 10), ("a", d + 3 * day, 0, 0),
            ("b", d - 1 * day, 0, 0), ("b", d + 14 * day - 3_600_000, 0, 0),
            ("c", d - 1 * day, 0, 0), ("c", d + 14 * day, 0, 0),
            ("d", d - 1 * day, 0, 0), ("d", d + 20 * day, 0, 0),
            ("e", d - 3 * day, 1, 4), ("e", d + 1 * day, 0, 0),
            ("f", d - 1 * day, 0, 0),
            ("g", d - 1 * day, 0, 0),
            ("h", d - 2 * day, 0, 0),
        ]
        let ids = ["a", "b", "c", "d", "e", "f", "g", "h"]
        return EventStore(userIDs: ids, eventNames: ["visit", "purchase"], users: rows.map { Int32(ids.firstIndex(of: $0.0)!) },
                          times: rows.map(\.1), events: rows.map(\.2), values: rows.map(\.3))
    }

    static func contact(_ u: String, _ arm: CampaignArm, _ action: String, campaign: String = "spring", at t: Int64 = d) -> CampaignContact {
        CampaignContact(userID: u, contactedAt: t, campaign: campaign, arm: arm, action: action, segment: "", tier: "")
    }

    static let coupon = "in_app_prompt_coupon", agent = "personal_content_agent"
    static let spring: [CampaignContact] = [
        contact("a", .treatment, coupon), contact("b", .treatment, coupon), contact("c", .treatment, coupon),
        contact("d", .treatment, agent), contact("z", .treatment, agent),
        contact("e", .control, coupon), contact("f", .control, coupon), contact("g", .control, agent), contact("h", .control, agent),
    ]

    @Test("counts, lift, incremental users, value kept and cost match the hand count")
    func handCount() throws {
        let m = try CampaignMeasurement.measure(CampaignContacts(contacts: Self.spring), store: Self.store(), playbook: .default,
                                                settings: MeasurementSettings(horizon: .days(14), declaredControlShare: 0.5))
        #expect(m.usersNotInLog == 1 && m.contacts == 9)
        #expect(m.dataEnd == Self.d + 21 * Self.day)
        let total = try #require(m.rows.first { $0.breakdown == "all" })
        #expect((total.treated, total.treatedRetained, total.control, total.controlRetained) == (5, 2, 4, 1))
        let c = try #require(total.comparison)
        #expect(abs(c.difference - (0.4 - 0.25)) < 1e-12)
        #expect(abs(try #require(total.incrementalRetained) - 0.75) < 1e-12)
        // Retained treated value (a: 10) − retained control value (e: 4) × 5/4.
        #expect(abs(try #require(total.valueKept) - 5) < 1e-12)
        #expect(total.cost == Double(3 * 1 + 2 * 5), "three coupons at 1, two agents at 5")
        #expect(abs(try #require(total.costPerIncrementalRetained) - 13 / 0.75) < 1e-9)
        #expect(total.pending == 0)
        let srm = try #require(total.sampleRatio)
        #expect(srm.treated == 5 && srm.control == 4 && !srm.mismatch)

        let byAction = m.rows.filter { $0.breakdown == "action" }
        #expect(byAction.map(\.key) == [Self.coupon, Self.agent].sorted())
        let couponRow = try #require(byAction.first { $0.key == Self.coupon })
        #expect((couponRow.treated, couponRow.treatedRetained, couponRow.control, couponRow.controlRetained) == (3, 2, 2, 1))
        let agentRow = try #require(byAction.first { $0.key == Self.agent })
        #expect((agentRow.treated, agentRow.treatedRetained, agentRow.control, agentRow.controlRetained) == (2, 0, 2, 0))
        #expect(!m.rows.contains { $0.breakdown == "segment" || $0.breakdown == "tier" }, "the contacts carry no segment or tier")
    }

    @Test("qualifying events narrow what counts as retained")
    func qualifying() throws {
        // Only purchases count: nobody purchased after the contact.
        let m = try CampaignMeasurement.measure(CampaignContacts(contacts: Self.spring), store: Self.store(), playbook: .default,
                                                settings: MeasurementSettings(horizon: .days(14), qualifying: [false, true]))
        let total = try #require(m.rows.first)
        #expect(total.treatedRetained == 0 && total.controlRetained == 0 && total.sampleRatio == nil)
    }

    @Test("a campaign without a control group, one not yet measurable and an unknown name are refused")
    func refusals() throws {
        let store = Self.store()
        let noControl = Self.spring.filter { $0.arm == .treatment }
        #expect(throws: MeasurementError.noControlGroup("spring")) {
            try CampaignMeasurement.measure(CampaignContacts(contacts: noControl), store: store, playbook: .default,
                                            settings: MeasurementSettings(horizon: .days(14)))
        }
        let late = Self.spring.map { c in var c = c; c.contactedAt = Self.d + 10 * Self.day; return c }
        #expect(throws: MeasurementError.self) {
            try CampaignMeasurement.measure(CampaignContacts(contacts: late), store: store, playbook: .default,
                                            settings: MeasurementSettings(horizon: .days(14)))
        }
        #expect(throws: MeasurementError.unknownCampaign("autumn", known: ["spring"])) {
            try CampaignMeasurement.measure(CampaignContacts(contacts: Self.spring), store: store, playbook: .default,
                                            settings: MeasurementSettings(horizon: .days(14), campaigns: ["autumn"]))
        }
    }

    @Test("the contacts reader: arms, repeats folded into the first contact, none rows counted, bad rows located")
    func reader() throws {
        let path = NSTemporaryDirectory() + "tenure-campaign-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "user_id,contacted_at,campaign,group,action\r\na,2026-06-02,spring,treatment,x\r\na,2026-06-01,spring,treatment,x\r\nb,2026-06-01,spring,control,x\r\nc,2026-06-01,spring,none,\r\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let c = try CampaignContacts(path: path)
        #expect(c.contacts.count == 2 && c.repeatContacts == 1 && c.notContacted == 1)
        #expect(c.contacts[0].contactedAt == parseTimestamp("2026-06-01"))

        try "user_id,contacted_at,campaign,group\na,2026-06-01,spring,treatment\na,2026-06-01,spring,control\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try CampaignContacts(path: path) } throws: { "\($0)".contains(":3: user 'a' is in both arms") }
        try "user_id,contacted_at,campaign,group\na,2026-06-01,spring,treated\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try CampaignContacts(path: path) } throws: { "\($0)".contains(":2: group 'treated' is not treatment, control or none") }
        try "user_id,contacted_at,group\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try CampaignContacts(path: path) } throws: { "\($0)".contains("missing campaign") }
    }

    @Test("the CSV has the declared columns in order and quotes names with commas")
    func csv() throws {
        var contacts = Self.spring
        contacts = contacts.map { c in var c = c; c.campaign = "spring, 2026"; return c }
        let m = try CampaignMeasurement.measure(CampaignContacts(contacts: contacts), store: Self.store(), playbook: .default,
                                                settings: MeasurementSettings(horizon: .days(14)))
        let lines = MeasurementTable.csv(m).split(separator: "\n").map(String.init)
        #expect(lines[0] == MeasurementTable.columns.map(\.name).joined(separator: ","))
        #expect(lines[1].hasPrefix("\"spring, 2026\",all,all,5,2,4,1,0.4,0.25,"))
        #expect(lines.count == 1 + m.rows.count)
    }
}

@Suite("README measurement columns")
struct MeasurementReadmeTests {
    @Test("the README's table of measurement.csv columns is the one rendered from MeasurementTable.columns")
    func readmeTable() throws {
        let outcome = try ReadmeBlock.check(
            open: "<!-- table: measurement columns (rendered from the code's declaration; a test compares them) -->\n",
            close: "\n<!-- end table: measurement columns -->", expected: MeasurementTable.markdown)
        if case .differs = outcome {
            Issue.record("README.md's measurement columns differ from MeasurementTable.columns; run TENURE_UPDATE_README=1 swift test --filter MeasurementReadmeTests")
        }
    }
}

@Suite struct MeasurementDocumentSchemaTests {
    @Test("the CSV's columns are MeasurementColumn's, in its order: the JSON readers (report) decode those names")
    func oneDeclaration() {
        #expect(MeasurementTable.columns.map(\.id) == MeasurementColumn.allCases)
    }
}
