// The e-commerce shape of the generator: shoppers browse, search, fill carts and buy, day by day; the log has
// no value column (amounts live elsewhere in such shops) and a `platform` column the reader does not use.
import Foundation

/// One run of the e-commerce simulation (see `SyntheticLog` for the shared mess: rotated user order,
/// exact duplicates, single-event users).
///
/// Planted structure:
/// - ~30% of users signed up before the period; the rest sign up on a uniform day, `signup` their first row.
/// - Sessions/day ~ Poisson(0.09 · engagement · level · weekday factor), engagement log-normal (σ = 0.6), so
///   day-1 retention is low (about 8%), as in real shops.
/// - Each session walks the funnel: push_open (apps), session_start, home_view, searches, category and product
///   views, reviews read, wishlist, cart (propensity per user), checkout, payment, purchase; buyers later check
///   their order status and sometimes write a review.
/// - Decline (hazard 1%/day × attribute factor) decays activity 5–15%/day; churn hazard =
///   0.003 · attribute factor · (0.6 bought, 1.5 never bought) + 0.3 · max(0, 1 − level/0.6)².
///   The attribute factor multiplies `ShopperAttribute.all`'s churn multipliers (platform, channel, plan).
struct ShopSimulator {
    let config: SyntheticLogConfig
    let sink: CSVSink
    var rng: Xoshiro256
    private let weekdayFactor: [Double] = [1.25, 0.9, 0.9, 0.95, 1.0, 1.1, 1.3]
    /// Relative session weight of each UTC hour: a lunchtime and an evening peak.
    private let hourWeights: [Int] = [2, 1, 1, 1, 1, 2, 3, 5, 6, 6, 7, 9, 10, 8, 7, 7, 7, 8, 10, 12, 13, 12, 8, 4]
    private let hourTotal: Int
    /// Per platform index: the bytes written in the log's `platform` column.
    private let platformBytes: [[UInt8]]
    private var rows = DuplicateRows()
    private(set) var users: [ShopperState] = []

    static let header = "user_id,timestamp,event,platform"

    init(config: SyntheticLogConfig, sink: CSVSink) {
        self.config = config
        self.sink = sink
        rng = Xoshiro256(seed: config.seed)
        hourTotal = hourWeights.reduce(0, +)
        platformBytes = ShopperAttribute.all[0].values.map { Array($0.name.utf8) }
    }

    static func makeSink(_ output: CSVSink.Output, users: Int) -> CSVSink {
        CSVSink(output: output, users: users, eventNames: ShopEvent.allCases.map(\.name), header: header)
    }

    mutating func run() throws -> SyntheticSummary {
        users = makeUsers()
        rows.start(rate: config.duplicateRate, rng: &rng)
        sink.writeHeader()
        let n = config.users
        let firstEpochDay = config.start / 86_400
        for day in 0..<config.days {
            let dayStart = config.start + Int64(day) * 86_400
            let weekday = Int((firstEpochDay + Int64(day) + 4) % 7)
            let offset = rng.below(n)
            for j in 0..<n {
                let u = j + offset < n ? j + offset : j + offset - n
                try simulateDay(user: u, day: day, dayStart: dayStart, weekday: weekday)
            }
        }
        try sink.flush()
        var active = 0, singles = 0, signups = 0
        for s in users where s.wroteRow {
            active += 1
            if s.singleEvent { singles += 1 }
            if s.signupDay >= 0 { signups += 1 }
        }
        return SyntheticSummary(events: rows.events, users: active, duplicates: rows.duplicates, singleEventUsers: singles, signups: signups)
    }

    /// The users file: `user_id` then one column per `ShopperAttribute.all`, one row per simulated user.
    func usersCSV() -> [UInt8] {
        var out = Array((["user_id"] + ShopperAttribute.all.map(\.column)).joined(separator: ",").utf8) + [10]
        for (u, s) in users.enumerated() {
            out += sink.userID(u)
            for (k, a) in ShopperAttribute.all.enumerated() {
                out.append(44)
                out += Array(a.values[s.attributes[k]].name.utf8)
            }
            out.append(10)
        }
        return out
    }

    private mutating func makeUsers() -> [ShopperState] {
        var users: [ShopperState] = []
        users.reserveCapacity(config.users)
        for _ in 0..<config.users {
            var picks: [Int] = []
            var factor = 1.0
            for a in ShopperAttribute.all {
                var r = rng.uniform()
                var pick = a.values.count - 1
                for (i, v) in a.values.enumerated() {
                    if r < v.share { pick = i; break }
                    r -= v.share
                }
                picks.append(pick)
                factor *= a.values[pick].churn
            }
            let member = picks[2] == 1
            var s = ShopperState(attributes: picks, churnFactor: factor,
                                 baseRate: 0.09 * exp(0.6 * rng.approxNormal() - 0.18),
                                 cartPropensity: min(0.8, 0.12 * exp(0.7 * rng.approxNormal()) * (member ? 1.5 : 1)),
                                 signupDay: rng.below(config.days), signupSecond: sampleSecondOfDay())
            s.singleEvent = rng.chance(config.singleEventUserRate)
            if !s.singleEvent && rng.chance(0.3) {
                s.signupDay = -1 - rng.below(365)
                s.purchased = rng.chance(0.5)
                s.baseRate *= 2   // an established shopper: the ones who stayed come more often
                s.level = exp(0.3 * rng.approxNormal())
            }
            users.append(s)
        }
        return users
    }

    private mutating func sampleSecondOfDay() -> Int { rng.secondOfDay(hourWeights: hourWeights, total: hourTotal) }

    private mutating func simulateDay(user u: Int, day: Int, dayStart: Int64, weekday: Int) throws {
        var s = users[u]
        defer { users[u] = s }
        if s.signupDay > day || s.churned { return }
        let age = day - s.signupDay
        if age == 0 {
            try emit(u, &s, dayStart + Int64(s.signupSecond), .signup)
            if s.singleEvent {
                s.churned = true
                return
            }
        } else {
            s.level = exp(0.97 * log(s.level) + 0.08 * rng.approxNormal()) * s.decay
            if s.decay == 1 {
                if rng.chance(0.01 * s.churnFactor) { s.decay = 0.85 + 0.1 * rng.uniform() }
            } else if rng.chance(0.02) {
                s.decay = 1
            }
            let deficit = max(0, 1 - s.level / 0.6)
            if rng.chance(0.003 * s.churnFactor * (s.purchased ? 0.6 : 1.5) + 0.3 * deficit * deficit) {
                s.churned = true
                return
            }
        }
        var sessions = rng.poisson(s.baseRate * s.level * weekdayFactor[weekday])
        if age == 0 { sessions = max(sessions, 1) }
        for i in 0..<sessions {
            let second = age == 0
                ? (i == 0 ? s.signupSecond + 3 + rng.below(40) : s.signupSecond + rng.below(86_400 - s.signupSecond))
                : sampleSecondOfDay()
            try session(u, &s, start: dayStart + Int64(second))
        }
    }

    /// One visit down the funnel, events a few seconds to a minute apart.
    private mutating func session(_ u: Int, _ s: inout ShopperState, start: Int64) throws {
        var t = start
        func next(_ e: ShopEvent, _ s: inout ShopperState) throws {
            try emit(u, &s, t, e)
            t += 4 + Int64(rng.below(60))
        }
        let app = s.attributes[0] != 2
        if app && rng.chance(0.25) { try next(.pushOpen, &s) }
        try next(.sessionStart, &s)
        if rng.chance(0.8) { try next(.homeView, &s) }
        if rng.chance(0.1) { try next(.couponView, &s) }
        if s.purchased && rng.chance(0.15) { try next(.orderStatusView, &s) }
        let searches = rng.poisson(0.7)
        for _ in 0..<searches { try next(.search, &s) }
        for _ in 0..<rng.poisson(0.8) { try next(.categoryView, &s) }
        let views = rng.poisson(2 + 1.2 * Double(searches))
        for _ in 0..<views {
            try next(.productView, &s)
            if rng.chance(0.2) { try next(.reviewRead, &s) }
            if rng.chance(0.05) { try next(.addToWishlist, &s) }
            if rng.chance(0.02) { try next(.shareProduct, &s) }
        }
        guard views > 0 && rng.chance(s.cartPropensity) else { return }
        for _ in 0...rng.poisson(0.3) { try next(.addToCart, &s) }
        if rng.chance(0.15) { try next(.removeFromCart, &s) }
        if rng.chance(0.7) { try next(.cartView, &s) }
        guard rng.chance(0.55) else { return }
        try next(.beginCheckout, &s)
        guard rng.chance(0.85) else { return }
        try next(.addPaymentInfo, &s)
        guard rng.chance(0.9) else { return }
        try next(.purchase, &s)
        s.purchased = true
        if rng.chance(0.03) { try next(.reviewWrite, &s) }
    }

    private mutating func emit(_ u: Int, _ s: inout ShopperState, _ time: Int64, _ e: ShopEvent) throws {
        try sink.flushIfNeeded()
        sink.row(user: u, time: time, event: e.rawValue, tail: platformBytes[s.attributes[0]])
        s.wroteRow = true
        rows.rowWritten(sink, rate: config.duplicateRate, rng: &rng)
    }
}
