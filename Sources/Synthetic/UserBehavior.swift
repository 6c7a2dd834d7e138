// The latent user model of the synthetic log: behaviour types with their activity mix, and the per-user
// state (engagement level, decline, churn) that evolves day by day. Pure parameters, no I/O.

/// Latent behaviour type; never written to the log, only visible through what the user does.
enum UserType: Int, CaseIterable {
    case engagedBuyer, creator, social, casual, bonusHunter

    /// Population shares (sum to 1), in case order.
    static let shares: [Double] = [0.15, 0.10, 0.20, 0.43, 0.12]

    /// Parameters of one type. Rates are per session unless stated.
    struct Profile {
        /// Mean sessions per day at engagement level 1.
        var sessionsPerDay: Double
        var pageViews: Double
        var likes: Double
        var comments: Double
        var posts: Double
        /// Probability that a session contains a purchase.
        var purchase: Double
        /// Probability of claiming the daily bonus in the first session of a day.
        var dailyBonus: Double
        /// Daily probability of entering a decline (activity decays until churn or recovery).
        var declineHazard: Double
        /// Baseline daily churn hazard independent of activity.
        var churnHazard: Double
        /// log-mean of purchase amounts.
        var amountLogMean: Double
    }

    var profile: Profile {
        switch self {
        case .engagedBuyer:
            return Profile(sessionsPerDay: 0.9, pageViews: 2.2, likes: 0.3, comments: 0.1, posts: 0.02,
                           purchase: 0.16, dailyBonus: 0.15, declineHazard: 0.005, churnHazard: 0.0008,
                           amountLogMean: 3.6)
        case .creator:
            return Profile(sessionsPerDay: 0.75, pageViews: 1.5, likes: 0.7, comments: 0.5, posts: 0.6,
                           purchase: 0.03, dailyBonus: 0.15, declineHazard: 0.006, churnHazard: 0.001,
                           amountLogMean: 3.0)
        case .social:
            return Profile(sessionsPerDay: 1.0, pageViews: 1.2, likes: 1.6, comments: 0.9, posts: 0.12,
                           purchase: 0.03, dailyBonus: 0.15, declineHazard: 0.007, churnHazard: 0.0012,
                           amountLogMean: 3.0)
        case .casual:
            return Profile(sessionsPerDay: 0.35, pageViews: 1.4, likes: 0.3, comments: 0.08, posts: 0.02,
                           purchase: 0.02, dailyBonus: 0.15, declineHazard: 0.014, churnHazard: 0.004,
                           amountLogMean: 3.0)
        case .bonusHunter:
            return Profile(sessionsPerDay: 0.8, pageViews: 0, likes: 0, comments: 0, posts: 0,
                           purchase: 0, dailyBonus: 0.95, declineHazard: 0.03, churnHazard: 0.008,
                           amountLogMean: 3.0)
        }
    }
}

/// Mutable simulation state of one user.
struct UserState {
    var type: UserType
    /// Mean sessions per day at level 1 (type rate × individual engagement multiplier).
    var baseRate: Double
    /// Current activity multiplier; random-walks around 1, decays geometrically during a decline.
    var level: Double = 1
    /// Daily decay factor while declining, 1 when not declining.
    var decay: Double = 1
    /// Day index of signup; negative for users who signed up before the period (no signup row then).
    var signupDay: Int
    /// Second of the signup day at which the user signs up.
    var signupSecond: Int
    var churned = false
    /// Churned users may come back once.
    var hasReturned = false
    /// Only a signup row, ever.
    var singleEvent = false
    /// Has ever purchased, posted, commented or liked (users without value churn faster).
    var valuable = false
    var purchased = false
    /// Sessions + posts + comments in the first 3 days after signup; drives first-purchase probability.
    var earlyActions = 0
    var wroteRow = false
    /// Last day with a session or the signup (campaign eligibility); far in the past before the first.
    var lastActiveDay = -1_000_000
    /// A campaign's rescue: at least one session on this day, and no churn before `protectedUntil`.
    var respondDay = -1_000_000
    var protectedUntil = -1_000_000
}
