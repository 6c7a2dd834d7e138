// The recall playbook: how a user's value is measured, how users fall into segments, and which recall step
// each user gets. A JSON file overrides any part: it is merged over the built-in default (TenureCore's JSON
// merge: objects field by field, arrays replace, null removes), then range-checked; the default is the
// field's sequence (domain.md).
import Features
import Foundation
import Scoring
import TenureCore

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
    /// window (whatever their eligibility; a `--partition` job sees only its own users, so 1 here with a
    /// minimum fixes the cut for every partition)…
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
    /// What an activation model's list does instead (the fields above are the churn list's).
    public var activation: ActivationSection
    /// Retention alarm lines (`tenure retention --playbook`).
    public var alarms: RetentionAlarms

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
        ],
        activation: .default)

    public init(version: Int, value: ValueDefinition, segments: SegmentRules, actions: [RecallAction], rules: [PlaybookRule],
                activation: ActivationSection = .default, alarms: RetentionAlarms = .default) {
        self.version = version; self.value = value; self.segments = segments; self.actions = actions; self.rules = rules
        self.activation = activation; self.alarms = alarms
    }

    private enum CodingKeys: String, CodingKey { case version, value, segments, actions, rules, activation, alarms }

    /// Absent parts take the defaults, field by field, so a file may hold only its own rules or one segment
    /// parameter. Decoding validates, so `playbook --check` and scoring refuse the same files.
    public init(from decoder: Decoder) throws {
        guard decoder.isMergedOverDefaults else {
            do { self = try decoder.decodeMerged(over: Playbook.default) } catch let e as DecodingError {
                throw TargetingError.invalidPlaybook(describeDecodingError(e))
            }
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(Int.self, forKey: .version)
        guard version <= Playbook.currentVersion else {
            throw TargetingError.invalidPlaybook("version \(version) is newer than this tenure reads (\(Playbook.currentVersion))")
        }
        value = try c.decode(ValueDefinition.self, forKey: .value)
        segments = try c.decode(SegmentRules.self, forKey: .segments)
        actions = try c.decode([RecallAction].self, forKey: .actions)
        rules = try c.decode([PlaybookRule].self, forKey: .rules)
        activation = try c.decode(ActivationSection.self, forKey: .activation)
        alarms = try c.decode(RetentionAlarms.self, forKey: .alarms)
        try validate()
    }

    /// Every value in range, each error naming its field (`segments.newUserDays`, `rules[2].when.minScore`).
    public func validate() throws {
        func fail(_ field: String, _ why: String) -> TargetingError { .invalidPlaybook("\(field): \(why)") }
        let days = Int(TimeSpan.maxDays)
        /// A finite number within `range` (described as `rule`).
        func finite(_ v: Double, _ field: String, _ range: ClosedRange<Double> = 0...Double.greatestFiniteMagnitude,
                    _ rule: String = "a finite number ≥ 0") throws {
            guard v.isFinite, range.contains(v) else { throw fail(field, "must be \(rule), got \(v)") }
        }
        func dayCount(_ d: Int, _ field: String, min: Int) throws {
            guard (min...days).contains(d) else { throw fail(field, "must be \(min)…\(days) days, got \(d)") }
        }
        guard (1...Playbook.currentVersion).contains(version) else { throw fail("version", "must be 1…\(Playbook.currentVersion), got \(version)") }
        try dayCount(value.windowDays, "value.windowDays", min: 1)
        try alarms.validate(fail: fail)
        guard !value.events.isEmpty, !value.events.contains("") else { throw fail("value.events", "give at least one event name, none empty") }
        try finite(segments.highValueTopShare, "segments.highValueTopShare", Double.leastNonzeroMagnitude...1, "in (0, 1]")
        try finite(segments.highValueMinimum, "segments.highValueMinimum")
        try dayCount(segments.newUserDays, "segments.newUserDays", min: 1)
        try finite(segments.fallingActivityRatio, "segments.fallingActivityRatio")
        try Self.check(actions: actions, rules: rules, at: "", segments: Segment.of(task: .churn), tiers: .risk, hasValue: true)

        let a = activation
        try finite(a.tiers.possible, "activation.tiers.possible", 0...100, "in [0, 100]")
        try finite(a.tiers.likely, "activation.tiers.likely", 0...100, "in [0, 100]")
        guard a.tiers.possible <= a.tiers.likely else {
            throw fail("activation.tiers", "possible (\(a.tiers.possible)) must not be above likely (\(a.tiers.likely))")
        }
        try dayCount(a.segments.justSignedUpDays, "activation.segments.justSignedUpDays", min: 1)
        try dayCount(a.segments.stalledDays, "activation.segments.stalledDays", min: 1)
        guard (1...7).contains(a.segments.closeActiveDays) else {
            throw fail("activation.segments.closeActiveDays", "must be 1…7 (active days in the last 7), got \(a.segments.closeActiveDays)")
        }
        try Self.check(actions: a.actions, rules: a.rules, at: "activation.", segments: Segment.of(task: .activation), tiers: .activation, hasValue: false)
    }

    /// One section's actions and rules (`at`: the section's field prefix), each error naming its field.
    static func check(actions: [RecallAction], rules: [PlaybookRule], at section: String, segments: [Segment], tiers: TierNames,
                      hasValue: Bool) throws {
        func fail(_ field: String, _ why: String) -> TargetingError { .invalidPlaybook("\(section)\(field): \(why)") }
        let days = Int(TimeSpan.maxDays)
        func dayCount(_ d: Int, _ field: String) throws {
            guard (0...days).contains(d) else { throw fail(field, "must be 0…\(days) days, got \(d)") }
        }
        let ids = actions.map(\.id)
        guard Set(ids).count == ids.count else { throw fail("actions", "two actions share an id") }
        guard ids.contains("none") else { throw fail("actions", "must include 'none'") }
        for (k, a) in actions.enumerated() {
            guard !a.id.isEmpty else { throw fail("actions[\(k)].id", "empty") }
            guard a.cost.isFinite, a.cost >= 0 else { throw fail("actions[\(k)].cost", "must be a finite number ≥ 0, got \(a.cost)") }
        }
        let segmentNames = segments.map(\.rawValue)
        let tierNames = [tiers.bottom, tiers.middle, tiers.top]
        for (k, r) in rules.enumerated() {
            let at = "rules[\(k)]"
            guard ids.contains(r.action) else { throw fail("\(at).action", "'\(r.action)' is not one of the actions (\(ids.joined(separator: ", ")))") }
            let w = r.when
            if let m = w.minDaysInactive { try dayCount(m, "\(at).when.minDaysInactive") }
            if let m = w.maxDaysInactive { try dayCount(m, "\(at).when.maxDaysInactive") }
            if let lo = w.minDaysInactive, let hi = w.maxDaysInactive, lo > hi {
                throw fail("\(at).when", "minDaysInactive \(lo) is over maxDaysInactive \(hi): the rule never matches")
            }
            for s in w.segments ?? [] where !segmentNames.contains(s) {
                throw fail("\(at).when.segments", "'\(s)' is not a segment\(section.isEmpty ? "" : " of this section"); segments: \(segmentNames.joined(separator: ", "))")
            }
            for t in w.tiers ?? [] where !tierNames.contains(t) {
                throw fail("\(at).when.tiers", "'\(t)' is not a tier; tiers: \(tierNames.joined(separator: ", "))")
            }
            if let m = w.minValue {
                guard hasValue else { throw fail("\(at).when.minValue", "an activation list has no value to compare; leave minValue out") }
                guard m.isFinite else { throw fail("\(at).when.minValue", "must be a finite number, got \(m)") }
            }
            if let m = w.minScore, !(m.isFinite && (0...1).contains(m)) { throw fail("\(at).when.minScore", "must be in [0, 1], got \(m)") }
        }
    }

    public static func load(path: String) throws -> Playbook {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw TargetingError.unreadable(path: path, reason: "cannot read the playbook file")
        }
        do { return try JSONDecoder().decode(Playbook.self, from: data) } catch let TargetingError.invalidPlaybook(why) {
            throw TargetingError.invalidPlaybook("\(path): \(why)")
        } catch {
            throw TargetingError.invalidPlaybook("\(path): not a playbook JSON file (\(describeDecodingError(error)))")
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
        Self.firstAction(rules, daysInactive: daysInactive, tier: tier, segment: segment, value: value, score: score)
    }

    /// The actions and rules a model of `task` is listed with: the activation section for activation, the
    /// churn fields otherwise.
    public func section(for task: PredictionTask) -> (actions: [RecallAction], rules: [PlaybookRule]) {
        task == .activation ? (activation.actions, activation.rules) : (actions, rules)
    }

    static func firstAction(_ rules: [PlaybookRule], daysInactive: Int, tier: String, segment: Segment, value: Double, score: Double) -> String {
        for r in rules where r.when.holds(daysInactive: daysInactive, tier: tier, segment: segment.rawValue, value: value, score: score) {
            return r.action
        }
        return "none"
    }
}
