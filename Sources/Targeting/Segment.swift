// The behaviour segments a marketer targets by (domain.md): each scored user falls in exactly one, tried in
// the order below, so a bonus hunter is never called "high value" and a silent high-value user stands out.
// A churn list and an activation list have their own segments (`of(task:)`).
import Features

public enum Segment: String, CaseIterable, Codable, Sendable {
    /// Active in the last 7 days, but with no genuine-activity signal (no real spending, creation or
    /// interaction): a suspected bonus hunter. (A user who has stopped coming is not "fake-active": their
    /// signals lapse with their activity, so they fall in the segments below.)
    case suspectedFakeActive = "suspected_fake_active"
    /// High value and falling activity: the users the budget is for.
    case silentHighValue = "silent_high_value"
    /// First seen within `newUserDays`, and the model puts them at medium or high risk.
    case newUserAtRisk = "new_user_at_risk"
    /// High value, activity holding up.
    case highValue = "high_value"
    /// Activity falling, not high value.
    case fading
    /// Everyone else.
    case steady

    // An activation list's segments: new users who have not done the key event yet (`ofNewUser`).
    /// No event for `stalledDays` or more: came, looked, left.
    case stalledAfterSignup = "stalled_after_signup"
    /// Active on `closeActiveDays` or more of the last 7 days: engaged, one step from the key event.
    case closeToActivating = "close_to_activating"
    /// First seen under `justSignedUpDays` ago: still onboarding.
    case justSignedUp = "just_signed_up"
    /// Everyone else: came back now and then, has not done the key event.
    case notYetActivated = "not_yet_activated"

    /// The segments a list of this kind assigns, in the order they are tried.
    public static func of(task: PredictionTask) -> [Segment] {
        switch task {
        case .activation: return [.stalledAfterSignup, .closeToActivating, .justSignedUp, .notYetActivated]
        case .churn, .none: return [.suspectedFakeActive, .silentHighValue, .newUserAtRisk, .highValue, .fading, .steady]
        }
    }

    /// - Parameters: `genuine` nil when the model has no genuine-activity feature (the segment is then
    ///   never assigned); `highValue` from the value cut of tonight's run.
    static func of(genuine: Bool?, activeLastWeek: Bool, highValue: Bool, falling: Bool, tenureDays: Int, tier: String,
                   rules: SegmentRules) -> Segment {
        if genuine == false && activeLastWeek { return .suspectedFakeActive }
        if highValue && falling { return .silentHighValue }
        if tenureDays < rules.newUserDays && tier != "low" { return .newUserAtRisk }
        if highValue { return .highValue }
        if falling { return .fading }
        return .steady
    }

    /// The segment of a new user an activation model scores (none of them has done the key event). No
    /// new user is called fake-active: the genuine-activity thresholds (a month's spending, a week's posts, a
    /// month's interactions) measure established users, and a user days old who has not yet done the key
    /// event rarely meets them (168 of 218 new users on a generated log of 3,000 users would be flagged).
    static func ofNewUser(activity a: UserActivity, rules: ActivationSegmentRules) -> Segment {
        if a.daysInactive >= rules.stalledDays { return .stalledAfterSignup }
        if a.activeDaysLast7 >= rules.closeActiveDays { return .closeToActivating }
        if a.tenureDays < rules.justSignedUpDays { return .justSignedUp }
        return .notYetActivated
    }
}
