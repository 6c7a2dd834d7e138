// What a ranked list holds, declared once per task: its columns (both writers, the README and the tests
// read them from here), its tier names and cut points, and how its reasons read. A churn list ranks users
// by risk or expected loss; an activation list ranks new users by their chance of doing the key event.
import Features
import Scoring

/// One column of the list (before the reason columns).
public enum ListColumn: String, Sendable, CaseIterable {
    case userID = "user_id", probability, score, percentile, tier, value
    case expectedLoss = "expected_loss", daysInactive = "days_inactive", daysSinceSignup = "days_since_signup"
    case segment, action
    /// With `score --campaign`: `treatment`, `control` (held out: action none) or `none` (no step).
    case group
    /// With `score --campaign`: the step the user has, or would have had in the control group.
    case plannedAction = "planned_action"
    /// An uplift model's list (see `upliftDocs`).
    case uplift, pRetainedTreated = "p_retained_treated", pRetainedControl = "p_retained_control"
    case incrementalValue = "incremental_value"
}

public struct ListSchema: Sendable, Equatable {
    public var task: PredictionTask
    public var columns: [ListColumn]
    public var tiers: TierThresholds
    /// Which contributions become reasons: a churn list's raise the risk; an activation list's raise or
    /// lower the chance (what a nudge can build on, and what holds the user back).
    public var reasonSigns: ReasonSigns

    public var hasExpectedLoss: Bool { columns.contains(.expectedLoss) }
    /// Scored with an uplift model: reasons explain the uplift, and it may rank by uplift or incremental value.
    public var isUplift: Bool { columns.contains(.uplift) }

    /// An uplift model's list: its columns after `user_id`, then the churn list's (the probability is the churn
    /// risk if not contacted, 1 − p_retained_control), reasons either way (what raises and lowers the uplift).
    public func withUplift() -> ListSchema {
        var s = self
        guard !s.isUplift else { return s }
        s.columns = [.userID] + Self.upliftColumns + s.columns.filter { $0 != .userID }
        s.reasonSigns = .either
        return s
    }

    public static let upliftColumns: [ListColumn] = [.uplift, .pRetainedTreated, .pRetainedControl, .incrementalValue]

    /// What each uplift column means (the README's table is rendered from here; a test compares them).
    public static let upliftDocs: [(ListColumn, String)] = [
        (.uplift, "P(retained | contacted) − P(retained | not contacted) within the model's horizon: what a contact changes for this user (T-learner: the difference of the next two columns; X-learner: its blended effect models)"),
        (.pRetainedTreated, "the treated arm's model: probability of a qualifying event within the horizon if contacted"),
        (.pRetainedControl, "the control arm's model: the same if left alone (`probability` is its complement, the churn risk if not contacted)"),
        (.incrementalValue, "uplift × value − the cost of the user's recall step (planned step for control users; 0 without one): what the ranking sorts by by default (`--rank-by incremental-value`; `--rank-by uplift` sorts by uplift alone)"),
    ]

    /// The uplift columns as a markdown table.
    public static var upliftMarkdown: String {
        (["| column | meaning |", "|---|---|"] + upliftDocs.map { "| `\($0.0.rawValue)` | \($0.1) |" }).joined(separator: "\n")
    }

    /// The same list with a campaign's `group` and `planned_action` after `action`.
    public func withCampaign() -> ListSchema {
        var s = self
        if !s.columns.contains(.group) { s.columns += [.group, .plannedAction] }
        return s
    }

    /// The churn columns (also for a model without a label) with `churnTiers`; the activation ones with
    /// the playbook's activation tiers.
    public static func of(_ task: PredictionTask, churnTiers: TierThresholds = TierThresholds(), playbook: Playbook = .default) -> ListSchema {
        switch task {
        case .activation:
            return ListSchema(task: task, columns: [.userID, .probability, .score, .percentile, .tier, .daysSinceSignup, .daysInactive, .segment, .action],
                              tiers: playbook.activation.tiers.thresholds, reasonSigns: .either)
        case .churn, .none:
            return ListSchema(task: task, columns: [.userID, .probability, .score, .percentile, .tier, .value, .expectedLoss, .daysInactive, .segment, .action],
                              tiers: churnTiers, reasonSigns: .raising)
        }
    }

    /// The four columns of reason `k` (1-based).
    public static func reasonColumns(_ k: Int) -> [String] {
        ["reason_\(k)", "reason_\(k)_feature", "reason_\(k)_value", "reason_\(k)_contribution"]
    }

    /// A reason in words as the list shows it: on an activation list, which way it moves the chance.
    public func reasonText(_ phrase: String, contribution: Double) -> String {
        guard reasonSigns == .either else { return phrase }
        let what = isUplift ? "uplift" : "chance"
        return (contribution > 0 ? "raises the \(what): " : "lowers the \(what): ") + phrase
    }
}
