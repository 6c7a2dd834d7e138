// The recall playbook: how a user's value is measured, how users fall into segments, and which recall step
// each user gets. A JSON file overrides any part; the built-in default is the field's sequence (domain.md).
import Foundation

/// How much a user is worth: the sum of event values over a window before the as-of time.
public struct ValueDefinition: Codable, Sendable, Equatable {
    public var windowDays: Int
    /// Event names whose values count; ["*"] = every event.
    public var events: [String]

    public static let `default` = ValueDefinition(windowDays: 90, events: ["*"])
}

/// Parameters of the built-in segments (see `Segment`).
public struct SegmentRules: Codable, Sendable, Equatable {
    /// A user is high-value when their value is in the top share of the log's users active in the value
    /// window (all of them, whatever the partition or eligibility)…
    public var highValueTopShare: Double
    /// …and at least this much (so a log where nearly nobody pays has no high-value users).
    public var highValueMinimum: Double
    /// Days since the first event under which a user is new.
    public var newUserDays: Int
    /// Activity is falling when active days in the last 7 days are under this share of the user's usual
    /// weekly active days (measured over the 28 days before those 7), or the user has been away ≥ 3 days.
    public var fallingActivityRatio: Double

    public static let `default` = SegmentRules(highValueTopShare: 0.2, highValueMinimum: 0.01, newUserDays: 30,
                                               fallingActivityRatio: 0.5)
}

/// When a rule applies: every condition given must hold (absent = any).
public struct RuleCondition: Codable, Sendable, Equatable {
    public var minDaysInactive: Int?
    public var maxDaysInactive: Int?
    public var tiers: [String]?
    public var segments: [String]?
    public var minValue: Double?
    public var minScore: Double?

    public init(minDaysInactive: Int? = nil, maxDaysInactive: Int? = nil, tiers: [String]? = nil,
                segments: [String]? = nil, minValue: Double? = nil, minScore: Double? = nil) {
        self.minDaysInactive = minDaysInactive; self.maxDaysInactive = maxDaysInactive; self.tiers = tiers
        self.segments = segments; self.minValue = minValue; self.minScore = minScore
    }

    func holds(daysInactive: Int, tier: String, segment: String, value: Double, score: Double) -> Bool {
        if let m = minDaysInactive, daysInactive < m { return false }
        if let m = maxDaysInactive, daysInactive > m { return false }
        if let t = tiers, !t.contains(tier) { return false }
        if let s = segments, !s.contains(segment) { return false }
        if let m = minValue, !(value >= m) { return false }
        if let m = minScore, score < m { return false }
        return true
    }
}

/// A recall step a team can take.
public struct RecallAction: Codable, Sendable, Equatable {
    /// Short id written in the ranked list (`none` = no contact).
    public var id: String
    public var description: String
    /// What one contact costs in the budget's unit (`--budget`); 0 for `none`.
    public var cost: Double
}

public struct PlaybookRule: Codable, Sendable, Equatable {
    public var when: RuleCondition
    public var action: String
}

public struct Playbook: Codable, Sendable, Equatable {
    public static let currentVersion = 1
    public var version: Int
    public var value: ValueDefinition
    public var segments: SegmentRules
    public var actions: [RecallAction]
    /// Tried in order; the first rule whose condition holds gives the user's action. A user no rule matches
    /// gets `none`.
    public var rules: [PlaybookRule]

    /// domain.md: day 1 in-app prompt + small coupon, day 3 personalised content + a dedicated agent, day 7
    /// a lapsed-user survey; only users the model puts at risk (medium or high tier) are contacted, and
    /// suspected fake-active users (bonus hunters) get no incentive.
    public static let `default` = Playbook(
        version: currentVersion, value: .default, segments: .default,
        actions: [
            RecallAction(id: "none", description: "no contact tonight", cost: 0),
            RecallAction(id: "in_app_prompt_coupon", description: "in-app prompt with a small coupon", cost: 1),
            RecallAction(id: "personal_content_agent", description: "personalised content and a dedicated agent", cost: 5),
            RecallAction(id: "lapsed_survey", description: "lapsed-user survey", cost: 1),
        ],
        rules: [
            PlaybookRule(when: RuleCondition(segments: [Segment.suspectedFakeActive.rawValue]), action: "none"),
            PlaybookRule(when: RuleCondition(tiers: ["low"]), action: "none"),
            PlaybookRule(when: RuleCondition(minDaysInactive: 7), action: "lapsed_survey"),
            PlaybookRule(when: RuleCondition(minDaysInactive: 3), action: "personal_content_agent"),
            PlaybookRule(when: RuleCondition(minDaysInactive: 1), action: "in_app_prompt_coupon"),
        ])

    public init(version: Int, value: ValueDefinition, segments: SegmentRules, actions: [RecallAction], rules: [PlaybookRule]) {
        self.version = version; self.value = value; self.segments = segments; self.actions = actions; self.rules = rules
    }

    private enum CodingKeys: String, CodingKey { case version, value, segments, actions, rules }

    /// Absent parts take the defaults, so a file may hold only its own rules.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Playbook.default
        version = try c.decodeIfPresent(Int.self, forKey: .version) ?? d.version
        guard version <= Playbook.currentVersion else {
            throw TargetingError.invalidPlaybook("version \(version) is newer than this tenure reads (\(Playbook.currentVersion))")
        }
        value = try c.decodeIfPresent(ValueDefinition.self, forKey: .value) ?? d.value
        segments = try c.decodeIfPresent(SegmentRules.self, forKey: .segments) ?? d.segments
        actions = try c.decodeIfPresent([RecallAction].self, forKey: .actions) ?? d.actions
        rules = try c.decodeIfPresent([PlaybookRule].self, forKey: .rules) ?? d.rules
        try validate()
    }

    public func validate() throws {
        let ids = actions.map(\.id)
        guard Set(ids).count == ids.count else { throw TargetingError.invalidPlaybook("two actions share an id") }
        guard ids.contains("none") else { throw TargetingError.invalidPlaybook("the actions must include 'none'") }
        for a in actions where !(a.cost >= 0) { throw TargetingError.invalidPlaybook("action '\(a.id)' has a negative cost") }
        for (i, r) in rules.enumerated() where !ids.contains(r.action) {
            throw TargetingError.invalidPlaybook("rule \(i + 1) names action '\(r.action)', which 'actions' does not define")
        }
        let segmentNames = Set(Segment.allCases.map(\.rawValue))
        for (i, r) in rules.enumerated() {
            for s in r.when.segments ?? [] where !segmentNames.contains(s) {
                throw TargetingError.invalidPlaybook("rule \(i + 1) names segment '\(s)'; segments: \(Segment.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            for t in r.when.tiers ?? [] where !["low", "medium", "high"].contains(t) {
                throw TargetingError.invalidPlaybook("rule \(i + 1) names tier '\(t)'; tiers: low, medium, high")
            }
        }
        guard value.windowDays > 0, !value.events.isEmpty else {
            throw TargetingError.invalidPlaybook("value needs a positive windowDays and at least one event name")
        }
        guard segments.highValueTopShare > 0, segments.highValueTopShare <= 1, segments.newUserDays > 0 else {
            throw TargetingError.invalidPlaybook("segments: highValueTopShare must be in (0, 1] and newUserDays positive")
        }
    }

    public static func load(path: String) throws -> Playbook {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw TargetingError.unreadable(path: path, reason: "cannot read the playbook file")
        }
        do { return try JSONDecoder().decode(Playbook.self, from: data) } catch let e as TargetingError {
            throw TargetingError.invalidPlaybook("\(path): \(e.description)")
        } catch {
            throw TargetingError.invalidPlaybook("\(path): not a playbook JSON file (\(error))")
        }
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    public func action(id: String) -> RecallAction? { actions.first { $0.id == id } }

    /// The first matching rule's action id, or `none`.
    public func action(daysInactive: Int, tier: String, segment: Segment, value: Double, score: Double) -> String {
        for r in rules where r.when.holds(daysInactive: daysInactive, tier: tier, segment: segment.rawValue, value: value, score: score) {
            return r.action
        }
        return "none"
    }
}
