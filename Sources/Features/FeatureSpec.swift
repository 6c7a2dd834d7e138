// The feature spec: which windows, event groups and genuine-activity rules make the feature vector.
// A JSON file may give any subset of fields; absent fields take the defaults below (decodeIfPresent ?? default).

/// A named set of event names. `["*"]` matches every event (what a plain purchase log needs).
public struct EventGroup: Sendable, Codable, Equatable {
    public var name: String
    public var events: [String]
    public init(name: String, events: [String]) { self.name = name; self.events = events }
}

/// One of the three genuine-activity signals of the domain: spending, creation, interaction.
public struct GenuineSignal: Sendable, Codable, Equatable {
    /// Event group the signal counts (must be one of the spec's groups).
    public var group: String
    public var windowDays: Int
    /// Spending: the value sum must exceed this. Nil for count-based signals.
    public var minValue: Double?
    /// Creation / interaction: at least this many events.
    public var minCount: Int?
}

public struct GenuineActivityRules: Sendable, Codable, Equatable {
    public var spending: GenuineSignal
    public var creation: GenuineSignal
    public var interaction: GenuineSignal

    /// domain.md: paid > 100 in the last month; ≥ 3 posts a week; ≥ 10 comments/likes a month.
    public static let `default` = GenuineActivityRules(
        spending: GenuineSignal(group: "purchase", windowDays: 30, minValue: 100, minCount: nil),
        creation: GenuineSignal(group: "creation", windowDays: 7, minValue: nil, minCount: 3),
        interaction: GenuineSignal(group: "interaction", windowDays: 30, minValue: nil, minCount: 10))
}

public struct FeatureSpec: Sendable, Codable, Equatable {
    public static let currentVersion = 1

    public var version: Int
    /// Look-back windows in days for counts, active days, sessions and value sums.
    public var windows: [Int]
    /// A gap longer than this starts a new session.
    public var sessionGapMinutes: Int
    public var groups: [EventGroup]
    /// Event names that get their own per-window count; nil = every event name of the training log (at most
    /// `maxEventCounts`, the most frequent first), resolved once and stored in the model.
    public var eventCounts: [String]?
    public var maxEventCounts: Int
    public var genuineActivity: GenuineActivityRules

    public static let `default` = FeatureSpec(
        version: currentVersion, windows: [1, 7, 30, 90], sessionGapMinutes: 30,
        groups: [EventGroup(name: "purchase", events: ["purchase"]),
                 EventGroup(name: "creation", events: ["post"]),
                 EventGroup(name: "interaction", events: ["comment", "like"])],
        eventCounts: nil, maxEventCounts: 16, genuineActivity: .default)

    public init(version: Int, windows: [Int], sessionGapMinutes: Int, groups: [EventGroup], eventCounts: [String]?,
                maxEventCounts: Int, genuineActivity: GenuineActivityRules) {
        self.version = version
        self.windows = windows
        self.sessionGapMinutes = sessionGapMinutes
        self.groups = groups
        self.eventCounts = eventCounts
        self.maxEventCounts = maxEventCounts
        self.genuineActivity = genuineActivity
    }

    private enum CodingKeys: String, CodingKey {
        case version, windows, sessionGapMinutes, groups, eventCounts, maxEventCounts, genuineActivity
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = FeatureSpec.default
        version = try c.decodeIfPresent(Int.self, forKey: .version) ?? d.version
        guard version <= FeatureSpec.currentVersion else {
            throw FeaturesError.unsupportedSpecVersion(found: version, newestSupported: FeatureSpec.currentVersion)
        }
        windows = try c.decodeIfPresent([Int].self, forKey: .windows) ?? d.windows
        sessionGapMinutes = try c.decodeIfPresent(Int.self, forKey: .sessionGapMinutes) ?? d.sessionGapMinutes
        groups = try c.decodeIfPresent([EventGroup].self, forKey: .groups) ?? d.groups
        eventCounts = try c.decodeIfPresent([String].self, forKey: .eventCounts)
        maxEventCounts = try c.decodeIfPresent(Int.self, forKey: .maxEventCounts) ?? d.maxEventCounts
        genuineActivity = try c.decodeIfPresent(GenuineActivityRules.self, forKey: .genuineActivity) ?? d.genuineActivity
        try validate()
    }

    public func validate() throws {
        guard !windows.isEmpty, windows.allSatisfy({ $0 > 0 }) else { throw FeaturesError.invalidSpec("windows must be positive day counts") }
        guard Set(windows).count == windows.count else { throw FeaturesError.invalidSpec("windows repeat a value") }
        guard sessionGapMinutes > 0 else { throw FeaturesError.invalidSpec("sessionGapMinutes must be positive") }
        let names = groups.map(\.name)
        guard Set(names).count == names.count else { throw FeaturesError.invalidSpec("two groups share a name") }
        for g in groups where g.name.isEmpty || g.events.isEmpty {
            throw FeaturesError.invalidSpec("group '\(g.name)' needs a name and at least one event")
        }
        for s in [genuineActivity.spending, genuineActivity.creation, genuineActivity.interaction] {
            guard names.contains(s.group) else {
                throw FeaturesError.invalidSpec("genuine-activity signal uses group '\(s.group)', which the spec does not define")
            }
            guard s.windowDays > 0, (s.minValue != nil) != (s.minCount != nil) else {
                throw FeaturesError.invalidSpec("signal '\(s.group)' needs a positive windowDays and exactly one of minValue, minCount")
            }
        }
    }
}
