// The playbook's activation section: its own tiers, segments, nudges and rules, range-checked like the churn
// section but against the activation names (a churn tier or segment in an activation rule is refused, as is
// a value condition: an activation list has no value). Before, an activation model went through the churn
// rules: churn tiers, `fading` segments, `lapsed_survey` steps.
import Foundation
import Features
import Scoring
import Testing
@testable import Targeting

@Suite("Playbook: the activation section")
struct ActivationPlaybookTests {
    func decode(_ json: String) throws -> Playbook { try JSONDecoder().decode(Playbook.self, from: Data(json.utf8)) }

    @Test("a churn-only file keeps the default activation section; the activation section merges field by field")
    func merging() throws {
        #expect(try decode(#"{"segments": {"newUserDays": 14}}"#).activation == .default)
        let p = try decode(#"{"activation": {"tiers": {"likely": 60}, "segments": {"stalledDays": 5}}}"#)
        #expect(p.activation.tiers == ActivationTiers(possible: 50, likely: 60))
        #expect(p.activation.segments == ActivationSegmentRules(justSignedUpDays: 2, stalledDays: 5, closeActiveDays: 3))
        #expect(p.activation.rules == ActivationSection.default.rules && p.rules == Playbook.default.rules)
    }

    @Test("each task is listed with its own section")
    func sections() {
        let p = Playbook.default
        #expect(p.section(for: .churn).rules == p.rules && p.section(for: .none).actions == p.actions)
        #expect(p.section(for: .activation).rules == p.activation.rules)
        let nudges = Set(p.activation.actions.map(\.id))
        #expect(nudges == ["none", "onboarding_reminder", "guided_tour", "first_purchase_coupon"])
        #expect(nudges.isDisjoint(with: p.actions.map(\.id).filter { $0 != "none" }))
    }

    @Test("activation tiers: unlikely under 50, possible from 50, likely from 75, from the playbook")
    func tiers() throws {
        let t = ActivationTiers.default.thresholds
        #expect([t.tier(49.9), t.tier(50), t.tier(74.9), t.tier(75)] == ["unlikely", "possible", "possible", "likely"])
        let custom = try decode(#"{"activation": {"tiers": {"possible": 10, "likely": 20}}}"#).activation.tiers.thresholds
        #expect([custom.tier(9), custom.tier(10), custom.tier(20)] == ["unlikely", "possible", "likely"])
        #expect(TierThresholds().tier(80) == "high")   // the churn tiers are untouched
    }

    @Test("segments: stalled, then close to activating, just signed up, not yet activated")
    func segments() {
        let r = ActivationSegmentRules.default
        func seg(inactive: Int, tenure: Int, last7: Int) -> Segment {
            Segment.ofNewUser(activity: UserActivity(daysInactive: inactive, tenureDays: tenure, value: 0, activeDaysLast7: last7,
                                                     usualWeeklyActiveDays: 0), rules: r)
        }
        #expect(seg(inactive: 3, tenure: 10, last7: 3) == .stalledAfterSignup)
        #expect(seg(inactive: 0, tenure: 10, last7: 3) == .closeToActivating)
        #expect(seg(inactive: 0, tenure: 1, last7: 1) == .justSignedUp)
        #expect(seg(inactive: 2, tenure: 10, last7: 2) == .notYetActivated)
        #expect(Set(Segment.of(task: .activation)).isDisjoint(with: Segment.of(task: .churn)))
    }

    @Test("the default nudges: stalled → reminder, close → coupon, newcomers with a chance → tour, unlikely → none")
    func defaultNudges() {
        let rules = Playbook.default.activation.rules
        func nudge(_ segment: Segment, _ tier: String) -> String {
            Playbook.firstAction(rules, daysInactive: 0, tier: tier, segment: segment, value: 0, score: 0.5)
        }
        #expect(nudge(.stalledAfterSignup, "unlikely") == "onboarding_reminder")
        #expect(nudge(.closeToActivating, "possible") == "first_purchase_coupon")
        #expect(nudge(.closeToActivating, "unlikely") == "none")
        #expect(nudge(.justSignedUp, "likely") == "guided_tour" && nudge(.notYetActivated, "possible") == "guided_tour")
    }

    static let refusals: [(json: String, field: String)] = [
        (#"{"activation": {"tiers": {"possible": 80, "likely": 60}}}"#, "activation.tiers"),
        (#"{"activation": {"tiers": {"likely": 101}}}"#, "activation.tiers.likely"),
        (#"{"activation": {"segments": {"stalledDays": 0}}}"#, "activation.segments.stalledDays"),
        (#"{"activation": {"segments": {"closeActiveDays": 8}}}"#, "activation.segments.closeActiveDays"),
        (#"{"activation": {"segments": {"justSignedUpDays": -1}}}"#, "activation.segments.justSignedUpDays"),
        (#"{"activation": {"actions": [{"id": "tour", "description": "", "cost": 1}], "rules": []}}"#, "activation.actions"),
        (#"{"activation": {"rules": [{"when": {}, "action": "lapsed_survey"}]}}"#, "activation.rules[0].action"),
        (#"{"activation": {"rules": [{"when": {"tiers": ["high"]}, "action": "none"}]}}"#, "activation.rules[0].when.tiers"),
        (#"{"activation": {"rules": [{"when": {"segments": ["fading"]}, "action": "none"}]}}"#, "activation.rules[0].when.segments"),
        (#"{"activation": {"rules": [{"when": {"minValue": 10}, "action": "none"}]}}"#, "activation.rules[0].when.minValue"),
        (#"{"activation": []}"#, "activation"),
        // …and an activation name in a churn rule.
        (#"{"rules": [{"when": {"tiers": ["likely"]}, "action": "none"}]}"#, "rules[0].when.tiers"),
        (#"{"rules": [{"when": {"segments": ["stalled_after_signup"]}, "action": "none"}]}"#, "rules[0].when.segments"),
    ]

    @Test("a malformed activation section is refused naming the field", arguments: refusals)
    func refused(_ c: (json: String, field: String)) {
        #expect { try JSONDecoder().decode(Playbook.self, from: Data(c.json.utf8)) } throws: { error in
            guard case let TargetingError.invalidPlaybook(why) = error else { return false }
            return why.hasPrefix(c.field)
        }
    }

    @Test("the list's columns follow the task: no value or expected loss on an activation list")
    func schema() {
        #expect(ListSchema.of(.churn).columns.map(\.rawValue)
                == ["user_id", "probability", "score", "percentile", "tier", "value", "expected_loss", "days_inactive", "segment", "action"])
        let a = ListSchema.of(.activation)
        #expect(a.columns.map(\.rawValue)
                == ["user_id", "probability", "score", "percentile", "tier", "days_since_signup", "days_inactive", "segment", "action"])
        #expect(!a.hasExpectedLoss && a.tiers.names == .activation && a.reasonSigns == .either)
        #expect(a.reasonText("active days in the last 7 days: 4", contribution: 0.3) == "raises the chance: active days in the last 7 days: 4")
        #expect(a.reasonText("days since last activity: 5", contribution: -0.3) == "lowers the chance: days since last activity: 5")
        #expect(ListSchema.of(.churn).reasonText("x: 1", contribution: 0.3) == "x: 1")
    }
}
