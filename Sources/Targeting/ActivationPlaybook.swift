// The playbook's activation section: what an activation model's list does with new users who have not done
// the key event yet. Its own tiers (likely / possible / unlikely), segments, nudges and rules; the churn
// section (value, fading, recall steps) never applies to an activation model, nor this one to a churn model.
import Features
import Scoring
import TenureCore

/// Where the activation tiers start on the 0-100 score: `possible` from here, `likely` from there.
public struct ActivationTiers: Codable, Sendable, Equatable {
    public var possible: Double
    public var likely: Double

    /// The same cut points as the churn tiers' defaults (50 and 75), named for the chance of activating.
    public static let `default` = ActivationTiers(possible: TierThresholds().medium, likely: TierThresholds().high)

    public var thresholds: TierThresholds { TierThresholds(medium: possible, high: likely, names: .activation) }
}

/// Parameters of the activation segments (see `Segment.ofNewUser`).
public struct ActivationSegmentRules: Codable, Sendable, Equatable {
    /// Days since the first event under which a new user is still onboarding.
    public var justSignedUpDays: Int
    /// Days without an event from which a new user has stalled (the golden 72 hours).
    public var stalledDays: Int
    /// Active days in the last 7 from which a new user is close to activating.
    public var closeActiveDays: Int

    public static let `default` = ActivationSegmentRules(justSignedUpDays: 2, stalledDays: 3, closeActiveDays: 3)
}

public struct ActivationSection: Codable, Sendable, Equatable {
    public var tiers: ActivationTiers
    public var segments: ActivationSegmentRules
    /// Nudges towards the key event; `none` = no contact.
    public var actions: [RecallAction]
    /// Tried in order, first match wins; conditions as in the churn rules except `minValue` (an activation
    /// list has no value).
    public var rules: [PlaybookRule]

    /// Nudges go where they can tip a user over: an engaged user one step from the key event gets the
    /// first-purchase coupon, a stalled one a cheap onboarding reminder, a newcomer or an occasional visitor
    /// with a fair chance the guided tour; unlikely users are not contacted except to bring a stalled one back.
    public static let `default` = ActivationSection(
        tiers: .default, segments: .default,
        actions: [
            RecallAction(id: "none", description: "no contact tonight", cost: 0),
            RecallAction(id: "onboarding_reminder", description: "onboarding reminder pointing to the next setup step", cost: 0.5),
            RecallAction(id: "guided_tour", description: "guided tour of the feature that leads to the key event", cost: 1),
            RecallAction(id: "first_purchase_coupon", description: "coupon for the first purchase", cost: 3),
        ],
        rules: [
            PlaybookRule(when: RuleCondition(segments: [Segment.stalledAfterSignup.rawValue]), action: "onboarding_reminder"),
            PlaybookRule(when: RuleCondition(tiers: ["unlikely"]), action: "none"),
            PlaybookRule(when: RuleCondition(segments: [Segment.closeToActivating.rawValue]), action: "first_purchase_coupon"),
            PlaybookRule(when: RuleCondition(segments: [Segment.justSignedUp.rawValue, Segment.notYetActivated.rawValue]), action: "guided_tour"),
        ])
}
