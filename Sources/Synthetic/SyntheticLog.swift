// Synthetic user event log generator behind `tenure generate`: simulates users with latent engagement,
// behaviour types, drifting activity, decline-then-churn and early-activity-driven activation, and writes
// a deliberately messy CSV (unsorted blocks, exact duplicates, single-event users).
import Foundation
import TenureCore

/// Writes synthetic event logs. See `SyntheticLogConfig` for the knobs.
///
/// Output: CSV with header `user_id,timestamp,event,value`; `user_id` = `u` + zero-padded index (≥ 6 digits),
/// `timestamp` = `YYYY-MM-DDTHH:MM:SSZ` (UTC), `event` ∈ {session_start, page_view, purchase, post, comment,
/// like, daily_bonus, signup}, `value` = purchase amount with 2 decimals (5.00…300.00), empty otherwise.
///
/// Planted structure (what models should be able to learn):
/// - ~30% of users signed up before `start` (their signup row lies outside the log, so they have none);
///   the rest sign up on a uniformly random day of the period, `signup` being their first row.
/// - Types (latent): engaged buyer 15%, creator 10%, social 20%, casual 43%, bonus hunter 12% (only
///   session_start + daily_bonus). Individual engagement multiplier is log-normal (σ = 0.5).
/// - Sessions/day ~ Poisson(base · level · weekday factor); log level follows an AR(1) random walk.
///   Session hours follow a diurnal curve (evening peak); weekends are busier.
/// - Each day a user may enter a *decline* (hazard by type, ×2.5 with no purchases/posts/comments/likes yet):
///   activity decays 5–13%/day. Churn hazard = base(type, ×3 with no value) + 0.35·max(0, 1 − level/0.7)²,
///   so churners fade out over the weeks before they stop. Churned users stop; 0.2%/day return once.
/// - Activation: before its first purchase a new user's per-session purchase probability is scaled by
///   0.3 in days 0–2, by 0.2 + 0.15·min(early, 12) in days 3–13 (early = sessions + posts + comments in
///   days 0–2), and by 0.5 afterwards.
/// - Mess: rows are written one day at a time, users in a rotated order, so the file is not time-sorted;
///   each row is followed by an exact duplicate with probability `duplicateRate`; a `singleEventUserRate`
///   fraction of users only ever sign up.
///
/// Deterministic: one xoshiro256** stream seeded from `seed`, consumed in a fixed order. Single-threaded;
/// O(users · days + events) time, O(users) memory.
public enum SyntheticLog {
    /// Generates the log into the file at `path` (and, for a shape with attributes, the users file at
    /// `usersPath`; with campaigns, the contacts file at `contactsPath`), through `AtomicOutput`: the files
    /// appear whole or not at all, the log last.
    public static func write(config: SyntheticLogConfig, to path: String, usersTo usersPath: String? = nil,
                             contactsTo contactsPath: String? = nil) throws -> SyntheticSummary {
        try config.validate()
        guard usersPath == nil || config.shape.hasUserAttributes else {
            throw SyntheticError.invalidConfig(field: "shape", value: config.shape.rawValue, reason: "this shape has no per-user attributes to write")
        }
        guard (contactsPath != nil) == (config.campaigns.count > 0) else {
            throw SyntheticError.invalidConfig(field: "campaigns", value: "\(config.campaigns.count)",
                                               reason: contactsPath == nil ? "campaigns need a contacts file to write" : "a contacts file needs campaigns")
        }
        let out = try AtomicOutput(path: path)
        let users = try usersPath.map { try AtomicOutput(path: $0) }
        let contacts = try contactsPath.map { try AtomicOutput(path: $0) }
        let result = try run(config: config, sink: sinkFor(config, .file(out)))
        if let users, let attributes = result.users {
            users.write(bytes: attributes)
            _ = try users.stage()
        }
        if let contacts {
            contacts.write(bytes: SyntheticContact.csv(result.contacts))
            _ = try contacts.stage()
        }
        _ = try out.stage()
        try users?.commit()
        try contacts?.commit()
        try out.commit()
        return result.summary
    }

    /// Generates the log in memory (same bytes `write` would produce). Meant for tests and small logs.
    public static func csv(config: SyntheticLogConfig) throws -> (bytes: [UInt8], summary: SyntheticSummary) {
        let g = try generate(config: config)
        return (g.events, g.summary)
    }

    /// The log, and for a shape with attributes the users file (`user_id` + `SyntheticLog.userColumns`), in memory.
    public static func generate(config: SyntheticLogConfig) throws -> (events: [UInt8], users: [UInt8]?, summary: SyntheticSummary) {
        let r = try generateWithContacts(config: config)
        return (r.events, r.users, r.summary)
    }

    /// Everything a run produces, in memory: also the campaigns' contacts with their hidden uplift types
    /// (`SyntheticContact.csv` writes them without the types, as `write` does).
    public static func generateWithContacts(config: SyntheticLogConfig)
        throws -> (events: [UInt8], users: [UInt8]?, contacts: [SyntheticContact], summary: SyntheticSummary) {
        try config.validate()
        let sink = sinkFor(config, .memory)
        let r = try run(config: config, sink: sink)
        return (sink.memory, r.users, r.contacts, r.summary)
    }

    /// The attribute columns of the e-commerce shape's users file, after `user_id`.
    public static let userColumns: [String] = ShopperAttribute.all.map(\.column)

    private static func sinkFor(_ config: SyntheticLogConfig, _ output: CSVSink.Output) -> CSVSink {
        switch config.shape {
        case .social: return CSVSink(output: output, users: config.users)
        case .ecommerce: return ShopSimulator.makeSink(output, users: config.users)
        }
    }

    private static func run(config: SyntheticLogConfig, sink: CSVSink)
        throws -> (summary: SyntheticSummary, users: [UInt8]?, contacts: [SyntheticContact]) {
        switch config.shape {
        case .social:
            var simulator = Simulator(config: config, sink: sink)
            let summary = try simulator.run()
            return (summary, nil, simulator.campaigns?.contacts ?? [])
        case .ecommerce:
            var simulator = ShopSimulator(config: config, sink: sink)
            let summary = try simulator.run()
            return (summary, simulator.usersCSV(), [])
        }
    }
}

/// One run of the day-by-day simulation.
struct Simulator {
    let config: SyntheticLogConfig
    let sink: CSVSink
    var rng: Xoshiro256
    private let profiles = UserType.allCases.map(\.profile)
    /// exp(−λ) for each type's per-session Poisson counts: page views, likes, comments, posts.
    private let poissonLimits: [[Double]]
    /// Sun…Sat activity multipliers.
    private let weekdayFactor: [Double] = [1.2, 0.9, 0.95, 0.95, 1.0, 1.05, 1.25]
    /// Relative session-start weight of each UTC hour (diurnal curve with an evening peak).
    private let hourWeights: [Int] = [3, 2, 1, 1, 1, 2, 4, 6, 7, 7, 7, 8, 10, 9, 8, 8, 8, 9, 11, 13, 14, 13, 9, 5]
    private let hourTotal: Int

    private var rows = DuplicateRows()
    /// The planted campaigns (nil without any: then nothing below draws or changes for them).
    private(set) var campaigns: CampaignRunner?

    init(config: SyntheticLogConfig, sink: CSVSink) {
        self.config = config
        self.sink = sink
        rng = Xoshiro256(seed: config.seed)
        campaigns = config.campaigns.count > 0 ? CampaignRunner(plan: config.campaigns, config: config) : nil
        poissonLimits = UserType.allCases.map { t in
            let p = t.profile
            return [p.pageViews, p.likes, p.comments, p.posts].map { exp(-$0) }
        }
        hourTotal = hourWeights.reduce(0, +)
    }

    mutating func run() throws -> SyntheticSummary {
        var users = makeUsers()
        rows.start(rate: config.duplicateRate, rng: &rng)
        sink.writeHeader()
        let n = config.users
        let firstEpochDay = config.start / 86_400
        try users.withUnsafeMutableBufferPointer { states in
            for day in 0..<config.days {
                let dayStart = config.start + Int64(day) * 86_400
                // 1970-01-01 was a Thursday (index 4 with Sunday = 0).
                let weekday = Int((firstEpochDay + Int64(day) + 4) % 7)
                if campaigns != nil { campaigns!.contact(day: day, users: states, ids: sink) }
                let offset = rng.below(n)
                for j in 0..<n {
                    let u = j + offset < n ? j + offset : j + offset - n
                    try simulateDay(user: u, state: &states[u], day: day, dayStart: dayStart, weekday: weekday)
                }
            }
        }
        try sink.flush()
        var active = 0, singles = 0, signups = 0
        for s in users {
            if s.wroteRow { active += 1 }
            if s.singleEvent && s.wroteRow { singles += 1 }
            if s.signupDay >= 0 && s.wroteRow { signups += 1 }
        }
        var summary = SyntheticSummary(events: rows.events, users: active, duplicates: rows.duplicates,
                                       singleEventUsers: singles, signups: signups)
        summary.campaigns = campaigns?.summaries ?? []
        return summary
    }

    /// Draws every user's latent type, engagement and signup time, in user order.
    private mutating func makeUsers() -> [UserState] {
        var users: [UserState] = []
        users.reserveCapacity(config.users)
        for _ in 0..<config.users {
            var r = rng.uniform()
            var type = UserType.bonusHunter
            for (i, share) in UserType.shares.enumerated() {
                if r < share {
                    type = UserType(rawValue: i) ?? .casual
                    break
                }
                r -= share
            }
            let multiplier = exp(0.5 * rng.approxNormal() - 0.125)
            var s = UserState(type: type, baseRate: profiles[type.rawValue].sessionsPerDay * multiplier,
                              signupDay: rng.below(config.days), signupSecond: sampleSecondOfDay())
            s.singleEvent = rng.chance(config.singleEventUserRate)
            if !s.singleEvent && rng.chance(0.3) {
                // Established user: signed up up to a year before the period, outside the log.
                s.signupDay = -1 - rng.below(365)
                s.valuable = type != .bonusHunter && (type != .casual || rng.chance(0.5))
                s.purchased = type == .engagedBuyer || (type != .bonusHunter && rng.chance(0.15))
                s.level = exp(0.3 * rng.approxNormal())
                if rng.chance(0.04) { s.decay = 0.9 }
            }
            users.append(s)
        }
        return users
    }

    private mutating func sampleSecondOfDay() -> Int { rng.secondOfDay(hourWeights: hourWeights, total: hourTotal) }

    /// Advances one user by one day and writes that day's rows.
    private mutating func simulateDay(
        user u: Int, state s: inout UserState, day: Int, dayStart: Int64, weekday: Int
    ) throws {
        if s.signupDay > day { return }
        if s.churned {
            if s.hasReturned || s.singleEvent || !rng.chance(0.002) { return }
            s.churned = false
            s.hasReturned = true
            s.level = 0.5
            s.decay = 1
        }
        let age = day - s.signupDay
        let p = profiles[s.type.rawValue]
        if age == 0 {
            s.lastActiveDay = day
            try emit(u, &s, dayStart + Int64(s.signupSecond), .signup, cents: -1)
            if s.singleEvent {
                s.churned = true
                return
            }
        } else {
            // Activity drift: AR(1) on log level plus the decline factor.
            s.level = exp(0.97 * log(s.level) + 0.08 * rng.approxNormal()) * s.decay
            let noValue = !s.valuable && age >= 7
            if s.decay == 1 {
                if rng.chance(p.declineHazard * (noValue ? 2.5 : 1)) { s.decay = 0.87 + 0.08 * rng.uniform() }
            } else if rng.chance(0.02) {
                s.decay = 1
            }
            let deficit = max(0, 1 - s.level / 0.7)
            // A campaign's rescue holds churn off (no draw then: only treated users' streams change).
            if day >= s.protectedUntil && rng.chance(p.churnHazard * (noValue ? 3 : 1) + 0.35 * deficit * deficit) {
                s.churned = true
                return
            }
        }

        var sessions = rng.poisson(s.baseRate * s.level * weekdayFactor[weekday])
        if age == 0 || day == s.respondDay { sessions = max(sessions, 1) }
        if sessions > 0 { s.lastActiveDay = day }
        for i in 0..<sessions {
            let second: Int
            if age == 0 {
                second = i == 0 ? s.signupSecond + 3 + rng.below(40) : s.signupSecond + rng.below(86_400 - s.signupSecond)
            } else {
                second = sampleSecondOfDay()
            }
            try session(u, &s, p, start: dayStart + Int64(second), first: i == 0, age: age)
        }
    }

    /// Writes one session: session_start, maybe daily_bonus, then interleaved content events.
    private mutating func session(
        _ u: Int, _ s: inout UserState, _ p: UserType.Profile, start: Int64, first: Bool, age: Int
    ) throws {
        var t = start
        try emit(u, &s, t, .sessionStart, cents: -1)
        if first && rng.chance(p.dailyBonus) {
            t += 1 + Int64(rng.below(5))
            try emit(u, &s, t, .dailyBonus, cents: -1)
        }
        let limits = poissonLimits[s.type.rawValue]
        var purchaseProbability = p.purchase
        if !s.purchased && age >= 0 {
            if age < 3 {
                purchaseProbability *= 0.3
            } else if age < 14 {
                purchaseProbability *= 0.2 + 0.15 * Double(min(s.earlyActions, 12))
            } else {
                purchaseProbability *= 0.5
            }
        }
        // counts: page views, likes, comments, posts, purchases (in EventKind order below).
        var counts = (
            rng.poisson(limit: limits[0]), rng.poisson(limit: limits[1]), rng.poisson(limit: limits[2]),
            rng.poisson(limit: limits[3]), rng.chance(purchaseProbability) ? 1 : 0)
        if age < 3 { s.earlyActions += 1 + counts.2 + counts.3 }
        if counts.1 + counts.2 + counts.3 + counts.4 > 0 { s.valuable = true }
        if counts.4 > 0 { s.purchased = true }
        var remaining = counts.0 + counts.1 + counts.2 + counts.3 + counts.4
        while remaining > 0 {
            // Pick the next event type with probability proportional to what is left of each count.
            var r = rng.below(remaining)
            let kind: EventKind
            if r < counts.0 { kind = .pageView; counts.0 -= 1 } else {
                r -= counts.0
                if r < counts.1 { kind = .like; counts.1 -= 1 } else {
                    r -= counts.1
                    if r < counts.2 { kind = .comment; counts.2 -= 1 } else {
                        r -= counts.2
                        if r < counts.3 { kind = .post; counts.3 -= 1 } else { kind = .purchase; counts.4 -= 1 }
                    }
                }
            }
            remaining -= 1
            t += 4 + Int64(rng.below(80))
            var cents = -1
            if kind == .purchase {
                let amount = min(300, max(5, exp(p.amountLogMean + 0.7 * rng.approxNormal())))
                cents = Int((amount * 100).rounded())
            }
            try emit(u, &s, t, kind, cents: cents)
        }
    }

    @inline(__always)
    private mutating func emit(_ u: Int, _ s: inout UserState, _ time: Int64, _ kind: EventKind, cents: Int) throws {
        try sink.flushIfNeeded()
        sink.row(user: u, time: time, kind: kind, cents: cents)
        s.wroteRow = true
        rows.rowWritten(sink, rate: config.duplicateRate, rng: &rng)
    }
}
