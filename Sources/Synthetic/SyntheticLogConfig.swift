// Configuration and result summary of the synthetic event-log generator.

/// Parameters of `SyntheticLog`. The same configuration always produces byte-identical output.
public struct SyntheticLogConfig: Sendable, Equatable {
    /// Number of users simulated (ids u000000 … ; at least 6 digits, more if needed).
    public var users: Int
    /// Length of the simulated period in days, starting at `start`.
    public var days: Int
    /// PRNG seed (SplitMix64-expanded into xoshiro256**).
    public var seed: UInt64
    /// First instant of the period, Unix epoch seconds UTC. Default 2026-01-01T00:00:00Z.
    public var start: Int64
    /// Probability that a written row is immediately written a second time (exact duplicate).
    public var duplicateRate: Double
    /// Fraction of users whose only row is their signup.
    public var singleEventUserRate: Double
    /// What kind of app the log imitates.
    public var shape: LogShape
    /// Randomized recall campaigns planted in the log (none by default: the log is then byte-identical to one
    /// generated before campaigns existed).
    public var campaigns: CampaignPlan = .none

    /// 2026-01-01T00:00:00Z as Unix seconds.
    public static let defaultStart: Int64 = 1_767_225_600

    public init(users: Int, days: Int, seed: UInt64, start: Int64 = SyntheticLogConfig.defaultStart,
                duplicateRate: Double = 0.003, singleEventUserRate: Double = 0.005, shape: LogShape = .social) {
        self.shape = shape
        self.users = users
        self.days = days
        self.seed = seed
        self.start = start
        self.duplicateRate = duplicateRate
        self.singleEventUserRate = singleEventUserRate
    }

    /// Throws `SyntheticError.invalidConfig` for the first out-of-range field.
    public func validate() throws {
        func bad(_ field: String, _ value: Any, _ reason: String) -> SyntheticError {
            .invalidConfig(field: field, value: "\(value)", reason: reason)
        }
        guard users >= 1 && users <= 100_000_000 else { throw bad("users", users, "must be in 1…100000000") }
        guard days >= 1 && days <= 3650 else { throw bad("days", days, "must be in 1…3650") }
        // Timestamps are printed with a 4-digit year, so the whole period (plus spill-over) must fit.
        guard start >= 0 && start <= 250_000_000_000 - Int64(days + 2) * 86_400 else {
            throw bad("start", start, "must be a Unix time in 1970…9999")
        }
        guard duplicateRate >= 0 && duplicateRate <= 0.5 else {
            throw bad("duplicateRate", duplicateRate, "must be in [0, 0.5]")
        }
        guard singleEventUserRate >= 0 && singleEventUserRate <= 1 else {
            throw bad("singleEventUserRate", singleEventUserRate, "must be in [0, 1]")
        }
        try campaigns.validate(logDays: days)
        guard campaigns.count == 0 || shape == .social else {
            throw bad("campaigns", campaigns.count, "randomized campaigns are simulated for the social shape only")
        }
    }
}

/// What a generator run produced.
public struct SyntheticSummary: Codable, Sendable, Equatable {
    /// Data rows written (header excluded), duplicates included.
    public var events: Int
    /// Users with at least one row.
    public var users: Int
    /// Extra rows that exactly repeat the previous row.
    public var duplicates: Int
    /// Users whose only row is their signup.
    public var singleEventUsers: Int
    /// Users whose signup falls inside the period (they have a `signup` row).
    public var signups: Int
    /// The planted campaigns, in order (empty without `SyntheticLogConfig.campaigns`).
    public var campaigns: [CampaignSummary] = []

    public init(events: Int, users: Int, duplicates: Int, singleEventUsers: Int, signups: Int) {
        self.events = events
        self.users = users
        self.duplicates = duplicates
        self.singleEventUsers = singleEventUsers
        self.signups = signups
    }
}
