// Did a campaign work? For each contacted or held-out user, "retained" = a qualifying event in
// [contacted_at, contacted_at + horizon). Per campaign (and per action, segment and tier when the contacts
// carry them) the treated and control arms' retention are compared (Evaluation.RateComparison: Newcombe's
// interval, Pearson's p), scaled to incremental retained users, the value they keep and the cost of each.
import EventLog
import Evaluation
import Features
import Foundation
import TenureCore

public struct MeasurementSettings: Sendable {
    public var horizon: TimeSpan
    /// One flag per event id; nil = any event counts as staying.
    public var qualifying: [Bool]?
    /// Campaigns to measure (in this order); nil = every campaign in the contacts, first seen first.
    public var campaigns: [String]?
    /// The control share the assignment declared (`score --control-share`); nil takes the run directories'
    /// (their manifests record it), and skips the sample-ratio check for a campaign without one.
    public var declaredControlShare: Double?
    public var level: Double

    public init(horizon: TimeSpan, qualifying: [Bool]? = nil, campaigns: [String]? = nil,
                declaredControlShare: Double? = nil, level: Double = 0.95) {
        self.horizon = horizon; self.qualifying = qualifying; self.campaigns = campaigns
        self.declaredControlShare = declaredControlShare; self.level = level
    }
}

/// One line of the measurement: a campaign as a whole (`breakdown` "all") or one action, segment or tier of it.
public struct MeasurementRow: Sendable, Equatable, Codable {
    public var campaign: String
    /// "all", "action", "segment" or "tier".
    public var breakdown: String
    /// The action, segment or tier; "all" for the campaign's total.
    public var key: String
    public var treated: Int
    public var treatedRetained: Int
    public var control: Int
    public var controlRetained: Int
    /// nil when an arm is empty.
    public var comparison: RateComparison?
    /// The lift applied to the treated arm: (rate_T − rate_C) × treated, with the interval scaled alike.
    public var incrementalRetained: Double?
    public var incrementalLower: Double?
    public var incrementalUpper: Double?
    /// Retained value of the treated minus the control's scaled to the treated arm's size; each user's value
    /// is the playbook's value definition over the window before their contact.
    public var valueKept: Double?
    /// The treated arm's actions at the playbook's costs; nil when an action is not in the playbook.
    public var cost: Double?
    public var costPerIncrementalRetained: Double?
    /// Contacts whose horizon had not ended by the data end: left out of every count above.
    public var pending: Int
    /// Only on a campaign's "all" row, when a share was declared.
    public var sampleRatio: SampleRatioCheck?
}

public struct CampaignMeasurement: Sendable {
    public var rows: [MeasurementRow]
    /// Midnight UTC after the log's last event: an outcome window must end by then.
    public var dataEnd: Int64
    /// Contacted users with no event in the log at all (counted as not retained: their id may not match the log's).
    public var usersNotInLog: Int
    public var contacts: Int

    public static let breakdowns = ["action", "segment", "tier"]

    /// A campaign without a control arm cannot be measured: that is refused, not reported as a lift.
    public static func measure(_ input: CampaignContacts, store: EventStore, playbook: Playbook,
                               settings s: MeasurementSettings) throws -> CampaignMeasurement {
        guard let last = store.lastTime else { throw FeaturesError.emptyLog }
        let dataEnd = (utcDay(last) + 1) * millisPerDay
        let campaigns = s.campaigns ?? input.campaigns
        let known = Set(input.campaigns)
        if let unknown = campaigns.first(where: { !known.contains($0) }) {
            throw MeasurementError.unknownCampaign(unknown, known: input.campaigns)
        }
        let costs = Dictionary(playbook.actions.map { ($0.id, $0.cost) }, uniquingKeysWith: { a, _ in a })

        let wanted = Set(campaigns)
        let (outcomes, notInLog) = Self.outcomes(input.contacts.filter { wanted.contains($0.campaign) }, store: store,
                                                 horizon: s.horizon, qualifying: s.qualifying, value: playbook.value)

        var rows: [MeasurementRow] = []
        for campaign in campaigns {
            let mine = outcomes.filter { $0.contact.campaign == campaign }
            let measurable = mine.filter { !$0.pending }
            guard mine.contains(where: { $0.contact.arm == .control }) else { throw MeasurementError.noControlGroup(campaign) }
            guard !measurable.isEmpty else {
                throw MeasurementError.notYetMeasurable(campaign, horizon: s.horizon.description, dataEnd: dataEnd)
            }
            var total = row(campaign, "all", "all", mine, costs: costs, level: s.level)
            if let share = s.declaredControlShare ?? input.declaredShares[campaign] {
                total.sampleRatio = SampleRatioCheck(treated: mine.filter { $0.contact.arm == .treatment }.count,
                                                     control: mine.filter { $0.contact.arm == .control }.count,
                                                     declaredControlShare: share)
            }
            rows.append(total)
            for breakdown in breakdowns {
                let keyOf: (CampaignContact) -> String = breakdown == "action" ? { $0.action } : breakdown == "segment" ? { $0.segment } : { $0.tier }
                let keys = Array(Set(mine.map { keyOf($0.contact) })).sorted()
                // A breakdown the file does not carry (every key "") would only repeat the total.
                guard keys.contains(where: { !$0.isEmpty }) else { continue }
                for key in keys {
                    rows.append(row(campaign, breakdown, key.isEmpty ? "(none)" : key, mine.filter { keyOf($0.contact) == key },
                                    costs: costs, level: s.level))
                }
            }
        }
        return CampaignMeasurement(rows: rows, dataEnd: dataEnd, usersNotInLog: notInLog,
                                   contacts: outcomes.count)
    }

    /// What happened after one contact: retained within the horizon or not, whether the window has ended.
    public struct Outcome: Sendable {
        public var contact: CampaignContact
        /// The contacted user's index in the store; nil when the log has no event of theirs.
        public var user: Int?
        public var retained: Bool
        /// The outcome window ends after the data end: not yet measurable.
        public var pending: Bool
        /// The playbook's value over the window before the contact (0 without `value`).
        public var value: Double
    }

    /// The one definition of a contact's outcome (`measure` and uplift training): retained = a qualifying
    /// event (`qualifying`: one flag per event id, nil = any) in [contacted_at, contacted_at + horizon);
    /// pending when that window ends after midnight UTC following the log's last event. Also counts contacts
    /// whose user has no event in the log (not retained).
    public static func outcomes(_ contacts: [CampaignContact], store: EventStore, horizon: TimeSpan, qualifying: [Bool]?,
                                value: ValueDefinition?) -> (outcomes: [Outcome], notInLog: Int) {
        let dataEnd = store.lastTime.map { (utcDay($0) + 1) * millisPerDay } ?? 0
        var index: [String: Int] = [:]
        index.reserveCapacity(store.userCount)
        for (u, id) in store.userIDs.enumerated() { index[id] = u }
        let valueEvents: Set<UInt32>? = value.flatMap { v in v.events.contains("*") ? nil : Set(v.events.compactMap { store.eventID(named: $0) }) }
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(contacts.count)
        var notInLog = 0
        store.withColumns { columns in
            for c in contacts {
                let end = c.contactedAt + horizon.millis
                guard let u = index[c.userID] else {
                    notInLog += 1
                    outcomes.append(Outcome(contact: c, user: nil, retained: false, pending: end > dataEnd, value: 0))
                    continue
                }
                let lo = columns.offsets[u], hi = columns.offsets[u + 1]
                var i = columns.lowerBound(c.contactedAt, lo, hi)
                var retained = false
                while i < hi && columns.times[i] < end {
                    if qualifying?[Int(columns.events[i])] ?? true { retained = true; break }
                    i += 1
                }
                let worth = value.flatMap { v in UserActivity.value(ofUser: u, columns: columns, asOf: c.contactedAt,
                                                                   windowDays: v.windowDays, valueEvents: valueEvents) } ?? 0
                outcomes.append(Outcome(contact: c, user: u, retained: retained, pending: end > dataEnd, value: worth))
            }
        }
        return (outcomes, notInLog)
    }

    static func row(_ campaign: String, _ breakdown: String, _ key: String, _ outcomes: [Outcome],
                    costs: [String: Double], level: Double) -> MeasurementRow {
        let done = outcomes.filter { !$0.pending }
        let treated = done.filter { $0.contact.arm == .treatment }, control = done.filter { $0.contact.arm == .control }
        let tRetained = treated.filter(\.retained), cRetained = control.filter(\.retained)
        var r = MeasurementRow(campaign: campaign, breakdown: breakdown, key: key, treated: treated.count,
                               treatedRetained: tRetained.count, control: control.count, controlRetained: cRetained.count,
                               pending: outcomes.count - done.count)
        r.comparison = RateComparison(treated: treated.count, treatedSuccesses: tRetained.count, control: control.count,
                                      controlSuccesses: cRetained.count, level: level)
        if let c = r.comparison {
            let n = Double(treated.count)
            r.incrementalRetained = c.difference * n
            r.incrementalLower = c.differenceLower * n
            r.incrementalUpper = c.differenceUpper * n
            // Σ value over retained treated − Σ over retained control × (treated / control).
            let tv = tRetained.reduce(0.0) { $0 + $1.value }, cv = cRetained.reduce(0.0) { $0 + $1.value }
            r.valueKept = tv - cv * n / Double(control.count)
        }
        var cost = 0.0
        for t in treated {
            guard let each = costs[t.contact.action] else { cost = .nan; break }
            cost += each
        }
        r.cost = cost.isNaN ? nil : cost
        if let cost = r.cost, let inc = r.incrementalRetained, inc > 0 { r.costPerIncrementalRetained = cost / inc }
        return r
    }
}

public enum MeasurementError: CategorizedError, CustomStringConvertible, Sendable, Equatable {
    case noControlGroup(String)
    case notYetMeasurable(String, horizon: String, dataEnd: Int64)
    case unknownCampaign(String, known: [String])

    public var category: ErrorCategory {
        switch self {
        case .noControlGroup, .notYetMeasurable: return .badInput
        case .unknownCampaign: return .usage
        }
    }

    public var description: String {
        switch self {
        case let .noControlGroup(c):
            return "campaign '\(c)' has no control group: without users held out at random, what the campaign did cannot be told from what would have happened anyway (score with --control-share to hold some out)"
        case let .notYetMeasurable(c, horizon, end):
            return "campaign '\(c)': no contact's \(horizon) outcome window has ended by the data end \(formatTimestamp(end, dateOnly: true)); measure it later or with a shorter --horizon"
        case let .unknownCampaign(c, known):
            return "--campaigns: no campaign '\(c)' in the contacts (they have: \(known.joined(separator: ", ")))"
        }
    }
}
