// Randomized recall campaigns inside the synthetic log (`tenure generate --campaigns N`): on each campaign day
// the users a nightly list would pick are split into treatment and control at random, and a contact changes what
// the treated users do next according to their hidden uplift type. The effect table below is the one
// declaration of those types; the README's generate section and the tests derive from it.
import Foundation

/// How a contact changes a user's retention. Hidden (never written), but tied to behaviour a model sees in the
/// events before the contact: the user's activity mix and whether their activity is falling.
public enum UpliftType: String, CaseIterable, Sendable, Codable {
    case persuadable, sureThing = "sure_thing", lostCause = "lost_cause", sleepingDog = "sleeping_dog"

    /// One row of the effect table.
    public struct Effect: Sendable, Equatable {
        /// Which contacted users have this type, in terms of what their events show.
        public var signal: String
        /// Probability that a contact stops the user's decline and brings them back: they open the app on the
        /// contact day and do not churn for `CampaignPlan.effectDays`.
        public var rescue: Double
        /// Probability that a contact drives the user away for good, that day.
        public var drive: Double

        /// Retention with a contact, given the retention `withoutContact` the user's base behaviour has:
        /// rescued users are retained, driven-away users are not, the rest behave as without a contact.
        public func retainedWithContact(_ withoutContact: Double) -> Double {
            rescue + (1 - rescue - drive) * withoutContact
        }
    }

    /// The effect table. Without a contact every type follows its base behaviour (that is what the control arm
    /// measures); the base retention differs by type because the types differ in activity and decline.
    public var effect: Effect {
        switch self {
        case .persuadable:
            return Effect(signal: "activity falling, already below 60% of its usual level; real interaction (likes, comments, posts or purchases)", rescue: 0.8, drive: 0)
        case .sureThing:
            return Effect(signal: "activity at its usual level (the list picks them after 7 idle days); not a bonus hunter", rescue: 0, drive: 0)
        case .lostCause:
            return Effect(signal: "activity falling, already below 60% of its usual level; a casual user (page views, little interaction)", rescue: 0, drive: 0)
        case .sleepingDog:
            return Effect(signal: "bonus hunter: only session_start and daily_bonus, nothing else", rescue: 0, drive: 0.6)
        }
    }

    /// What a contact does, in words.
    public var contactEffect: String {
        let e = effect
        var parts: [String] = []
        if e.rescue > 0 { parts.append("with probability \(e.rescue) stops the decline: the user opens the app that day and does not churn for \(CampaignPlan.effectDays) days") }
        if e.drive > 0 { parts.append("with probability \(e.drive) drives the user away for good") }
        return parts.isEmpty ? "nothing" : parts.joined(separator: "; ")
    }

    /// The effect table as the README shows it (a test compares the two); r₀ is the type's retention without a
    /// contact, i.e. its base behaviour, which the control arm measures.
    public static var markdown: String {
        func number(_ x: Double) -> String { String(format: "%g", x) }
        var lines = ["| hidden type | what the events before the contact show | a contact | retention without / with a contact |", "|---|---|---|---|"]
        for t in allCases {
            let e = t.effect, keep = 1 - e.rescue - e.drive
            var with = keep == 1 ? "r₀" : "\(number(keep)) × r₀"
            if e.rescue > 0 { with = "\(number(e.rescue)) + " + with }
            lines.append("| `\(t.rawValue)` | \(e.signal) | \(t.contactEffect) | r₀ / \(with) |")
        }
        return lines.joined(separator: "\n")
    }

    /// The type of a contacted user, from their latent behaviour and state on the contact day.
    static func of(_ s: UserState) -> UpliftType {
        if s.type == .bonusHunter { return .sleepingDog }
        if !s.atRisk { return .sureThing }
        return s.type == .casual ? .lostCause : .persuadable
    }
}

/// When the campaigns happen and whom they reach.
public struct CampaignPlan: Sendable, Equatable {
    /// Number of randomized campaigns, spaced evenly through the log (0: none, the log as without campaigns).
    public var count: Int
    /// Share of each campaign's targeted users held out as control.
    public var controlShare: Double
    /// Share of the eligible users a campaign targets (both arms).
    public var reach: Double
    /// The step every treated user gets (and control users would have had): the playbook's day-1 step.
    public var action: String

    /// Days a rescued user is kept from churning (the measurement horizon the effect table is meant for).
    public static let effectDays = 14
    /// Days of history a campaign day needs before it (so features have something to see).
    public static let minimumHistoryDays = 28
    /// Eligible on a campaign day (what the nightly list picks: recently active, now at risk): last active 1 to
    /// 14 days before, at risk or idle for `idleWithoutRisk` days, signed up `minimumTenureDays` before.
    public static let idleDays = 1...14
    public static let minimumTenureDays = 14
    /// Users not at risk (see `UserState.atRisk`) are picked only after this many idle days.
    public static let idleWithoutRisk = 7

    public static let none = CampaignPlan(count: 0)
    /// Half held out: the generated campaigns are experiments to learn uplift from, not production sends.
    public static let defaultControlShare = 0.5
    public static let defaultReach = 1.0

    public init(count: Int, controlShare: Double = defaultControlShare, reach: Double = defaultReach,
                action: String = "in_app_prompt_coupon") {
        self.count = count
        self.controlShare = controlShare
        self.reach = reach
        self.action = action
    }

    /// Campaign k (0-based) of `count` happens on day ⌊days·(k+1)/(count+1)⌋ of the log.
    public func days(in logDays: Int) -> [Int] {
        (0..<count).map { logDays * ($0 + 1) / (count + 1) }
    }

    /// The name campaign k is written under in the contacts file.
    public static func name(_ k: Int) -> String { "recall-\(k + 1)" }

    func validate(logDays: Int) throws {
        func bad(_ field: String, _ value: Any, _ reason: String) -> SyntheticError {
            .invalidConfig(field: field, value: "\(value)", reason: reason)
        }
        guard count >= 0 && count <= 20 else { throw bad("campaigns", count, "must be in 0…20") }
        guard count > 0 else { return }
        guard controlShare > 0 && controlShare < 1 else { throw bad("controlShare", controlShare, "must be strictly between 0 and 1") }
        guard reach > 0 && reach <= 1 else { throw bad("reach", reach, "must be in (0, 1]") }
        let d = days(in: logDays)
        guard d[0] >= Self.minimumHistoryDays && d[d.count - 1] + Self.effectDays <= logDays else {
            throw bad("campaigns", count, "\(count) campaign(s) in \(logDays) days fall on days \(d.map(String.init).joined(separator: ", ")); each needs \(Self.minimumHistoryDays) days of history before it and \(Self.effectDays) days of log after it (give more --days or fewer campaigns)")
        }
    }
}

/// One contacted user of a generated campaign (either arm), with the hidden type tests may split by.
public struct SyntheticContact: Sendable, Equatable {
    public var userID: String
    /// Unix seconds UTC: midnight starting the campaign day (features as of the night before see all the
    /// history, the outcome window starts here).
    public var contactedAt: Int64
    public var campaign: String
    public var treated: Bool
    public var action: String
    public var type: UpliftType

    public static let header = "user_id,contacted_at,campaign,group,action"

    /// The contacts file, in the format `tenure measure` and `train --task uplift` read.
    public static func csv(_ contacts: [SyntheticContact]) -> [UInt8] {
        var out = Array((header + "\n").utf8)
        for c in contacts {
            let (y, m, d) = civilFromDays(c.contactedAt / 86_400)
            let date = String(format: "%04d-%02d-%02dT00:00:00Z", y, m, d)
            out += Array("\(c.userID),\(date),\(c.campaign),\(c.treated ? "treatment" : "control"),\(c.action)\n".utf8)
        }
        return out
    }
}

/// Per campaign: when, and how many users each arm and each type got.
public struct CampaignSummary: Codable, Sendable, Equatable {
    public var name: String
    public var contactedAt: Int64
    public var treatment = 0, control = 0
    public var types: [UpliftType: Int] = [:]
}

/// The campaign part of one simulation run: its own random stream (seeded apart from the log's), so the log's
/// draws are untouched until a contact changes a treated user's behaviour.
struct CampaignRunner {
    let plan: CampaignPlan
    let start: Int64
    private let campaignDays: [Int: Int]   // day → campaign index
    private var rng: Xoshiro256
    private(set) var contacts: [SyntheticContact] = []
    private(set) var summaries: [CampaignSummary] = []

    init(plan: CampaignPlan, config: SyntheticLogConfig) {
        self.plan = plan
        start = config.start
        var byDay: [Int: Int] = [:]
        for (k, d) in plan.days(in: config.days).enumerated() { byDay[d] = k }
        campaignDays = byDay
        rng = Xoshiro256(seed: config.seed ^ 0x6361_6D70_6169_676E)   // "campaign"
    }

    /// Runs the campaign of `day`, if any, at the midnight starting it: picks the eligible users, assigns arms,
    /// and applies the contact's effect to the treated ones.
    mutating func contact(day: Int, users: UnsafeMutableBufferPointer<UserState>, ids: CSVSink) {
        guard let k = campaignDays[day] else { return }
        let at = start + Int64(day) * 86_400
        var summary = CampaignSummary(name: CampaignPlan.name(k), contactedAt: at)
        for u in users.indices {
            let s = users[u]
            guard !s.churned, !s.singleEvent,
                  day - s.signupDay >= CampaignPlan.minimumTenureDays,
                  CampaignPlan.idleDays.contains(day - s.lastActiveDay),
                  s.atRisk || day - s.lastActiveDay >= CampaignPlan.idleWithoutRisk else { continue }
            guard rng.chance(plan.reach) else { continue }
            let type = UpliftType.of(s)
            let treated = !rng.chance(plan.controlShare)
            let draw = rng.uniform()
            if treated {
                let e = type.effect
                if draw < e.rescue {
                    users[u].decay = 1
                    users[u].level = max(users[u].level, 1)
                    users[u].respondDay = day
                    users[u].protectedUntil = day + CampaignPlan.effectDays
                } else if draw < e.rescue + e.drive {
                    users[u].churned = true
                    users[u].hasReturned = true
                }
                summary.treatment += 1
            } else {
                summary.control += 1
            }
            summary.types[type, default: 0] += 1
            contacts.append(SyntheticContact(userID: String(decoding: ids.userID(u), as: UTF8.self), contactedAt: at, campaign: summary.name, treated: treated,
                                             action: plan.action, type: type))
        }
        summaries.append(summary)
    }
}

extension UserState {
    /// In a decline that has already taken activity below 60% of its usual level: the churn hazard is rising
    /// and the recent weeks show the fall.
    var atRisk: Bool { decay < 1 && level < 0.6 }
}
