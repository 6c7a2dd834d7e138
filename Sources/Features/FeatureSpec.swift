// The feature spec: which windows, event groups and genuine-activity rules make the feature vector.
// A JSON file may give any subset of fields, nested ones too: it is merged over `FeatureSpec.default`
// (TenureCore's JSON merge: objects field by field, arrays replace, null removes), then range-checked.
import Foundation
import TenureCore

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

    public init(group: String, windowDays: Int, minValue: Double?, minCount: Int?) {
        self.group = group; self.windowDays = windowDays; self.minValue = minValue; self.minCount = minCount
    }
}

/// The genuine-activity signals a spec uses; any may be left out (null in a spec file), and a log may not
/// support one (see `ResolvedFeatureSpec.unavailableSignals`): a signal that is absent flags nobody.
public struct GenuineActivityRules: Sendable, Codable, Equatable {
    public var spending: GenuineSignal?
    public var creation: GenuineSignal?
    public var interaction: GenuineSignal?

    /// domain.md: paid > 100 in the last month; ≥ 3 posts a week; ≥ 10 comments/likes a month.
    public static let `default` = GenuineActivityRules(
        spending: GenuineSignal(group: "purchase", windowDays: 30, minValue: 100, minCount: nil),
        creation: GenuineSignal(group: "creation", windowDays: 7, minValue: nil, minCount: 3),
        interaction: GenuineSignal(group: "interaction", windowDays: 30, minValue: nil, minCount: 10))

    public init(spending: GenuineSignal?, creation: GenuineSignal?, interaction: GenuineSignal?) {
        self.spending = spending
        self.creation = creation
        self.interaction = interaction
    }

    /// The signal names, in feature order.
    public static let names = ["spending", "creation", "interaction"]

    /// The signal called `name` (one of `names`).
    public subscript(name: String) -> GenuineSignal? {
        get {
            switch name {
            case "spending": return spending
            case "creation": return creation
            default: return interaction
            }
        }
        set {
            switch name {
            case "spending": spending = newValue
            case "creation": creation = newValue
            default: interaction = newValue
            }
        }
    }

    /// The signals the rules use, in feature order.
    public var present: [(name: String, signal: GenuineSignal)] {
        GenuineActivityRules.names.compactMap { n in self[n].map { (n, $0) } }
    }

    private enum CodingKeys: String, CodingKey { case spending, creation, interaction }

    /// A left-out signal is written as null: specs are merged over the defaults when read, so an absent key
    /// would bring the default signal back.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(spending, forKey: .spending)
        try c.encode(creation, forKey: .creation)
        try c.encode(interaction, forKey: .interaction)
    }
}

extension GenuineSignal {
    /// The rule in words: "purchase value > 100 in 30 days", "creation events ≥ 3 in 7 days".
    public var summary: String {
        if let v = minValue { return "\(group) value > \(String(format: "%g", v)) in \(windowDays) days" }
        return "\(group) events ≥ \(minCount ?? 0) in \(windowDays) days"
    }
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

    /// The limits every value is checked against before any work (`validate`).
    public enum Limits {
        /// Group membership is one bit of a `UInt64` per event name in the extractor.
        public static let groups = 64
        public static let windows = 64
        public static let days = Int(TimeSpan.maxDays)
        public static let sessionGapMinutes = days * 1440
        public static let maxEventCounts = 1024
    }

    /// A signal given `minCount` drops the default's `minValue` and the other way round.
    static let exclusiveFields: [Set<String>] = [["minValue", "minCount"]]

    public init(from decoder: Decoder) throws {
        guard decoder.isMergedOverDefaults else {
            do { self = try decoder.decodeMerged(over: FeatureSpec.default, exclusive: FeatureSpec.exclusiveFields) } catch let e as DecodingError {
                throw FeaturesError.invalidSpec(describeDecodingError(e))
            }
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decode(Int.self, forKey: .version)
        guard version <= FeatureSpec.currentVersion else {
            throw FeaturesError.unsupportedSpecVersion(found: version, newestSupported: FeatureSpec.currentVersion)
        }
        windows = try c.decode([Int].self, forKey: .windows)
        sessionGapMinutes = try c.decode(Int.self, forKey: .sessionGapMinutes)
        groups = try c.decode([EventGroup].self, forKey: .groups)
        eventCounts = try c.decodeIfPresent([String].self, forKey: .eventCounts)
        maxEventCounts = try c.decode(Int.self, forKey: .maxEventCounts)
        genuineActivity = try c.decode(GenuineActivityRules.self, forKey: .genuineActivity)
        try validate()
    }

    /// Reads a spec file (any subset of fields, merged over the defaults); errors name the file and field.
    public static func load(path: String) throws -> FeatureSpec {
        guard let data = FileManager.default.contents(atPath: path) else { throw FeaturesError.invalidSpec("cannot read \(path)") }
        do { return try JSONDecoder().decode(FeatureSpec.self, from: data) } catch let FeaturesError.invalidSpec(why) {
            throw FeaturesError.invalidSpec("\(path): \(why)")
        } catch let e as FeaturesError {
            throw e
        } catch {
            throw FeaturesError.invalidSpec("\(path): not a feature spec JSON file (\(describeDecodingError(error)))")
        }
    }

    /// Every value in range, each error naming its field; run before any work (decoding runs it too).
    public func validate() throws {
        func fail(_ field: String, _ why: String) -> FeaturesError { .invalidSpec("\(field): \(why)") }
        guard (1...FeatureSpec.currentVersion).contains(version) else { throw fail("version", "must be 1…\(FeatureSpec.currentVersion), got \(version)") }
        guard (1...Limits.windows).contains(windows.count) else { throw fail("windows", "give 1…\(Limits.windows) windows, got \(windows.count)") }
        for (k, w) in windows.enumerated() where !(1...Limits.days).contains(w) {
            throw fail("windows[\(k)]", "must be 1…\(Limits.days) days, got \(w)")
        }
        guard Set(windows).count == windows.count else { throw fail("windows", "a window repeats") }
        guard (1...Limits.sessionGapMinutes).contains(sessionGapMinutes) else {
            throw fail("sessionGapMinutes", "must be 1…\(Limits.sessionGapMinutes), got \(sessionGapMinutes)")
        }
        guard (0...Limits.maxEventCounts).contains(maxEventCounts) else {
            throw fail("maxEventCounts", "must be 0…\(Limits.maxEventCounts), got \(maxEventCounts)")
        }
        for (k, e) in (eventCounts ?? []).enumerated() where e.isEmpty { throw fail("eventCounts[\(k)]", "an empty event name") }
        guard (1...Limits.groups).contains(groups.count) else { throw fail("groups", "give 1…\(Limits.groups) groups, got \(groups.count)") }
        let names = groups.map(\.name)
        guard Set(names).count == names.count else { throw fail("groups", "two groups share a name") }
        for (k, g) in groups.enumerated() where g.name.isEmpty || g.events.isEmpty || g.events.contains("") {
            throw fail("groups[\(k)]", "group '\(g.name)' needs a name and at least one event name, none empty")
        }
        for (name, s) in genuineActivity.present {
            let field = "genuineActivity.\(name)"
            guard names.contains(s.group) else {
                throw fail("\(field).group", "'\(s.group)' is not one of the spec's groups (\(names.joined(separator: ", ")))")
            }
            guard (1...Limits.days).contains(s.windowDays) else {
                throw fail("\(field).windowDays", "must be 1…\(Limits.days) days, got \(s.windowDays)")
            }
            guard (s.minValue != nil) != (s.minCount != nil) else { throw fail(field, "give exactly one of minValue, minCount") }
            if let v = s.minValue, !(v.isFinite && v >= 0) { throw fail("\(field).minValue", "must be a finite number ≥ 0, got \(v)") }
            if let n = s.minCount, n < 0 { throw fail("\(field).minCount", "must be ≥ 0, got \(n)") }
        }
    }
}
