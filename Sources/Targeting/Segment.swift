// The behaviour segments a marketer targets by (domain.md): each scored user falls in exactly one, tried in
// the order below, so a bonus hunter is never called "high value" and a silent high-value user stands out.
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
}
