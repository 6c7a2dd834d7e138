// The rows an uplift model learns from: every contacted user of the chosen campaigns (both arms; repeat
// contacts already folded by CampaignContacts), with the point-in-time features as of the night before the
// contact (the nightly list that chose them was scored then), the outcome as `measure` defines it, the arm.
import EventLog
import Features
import Foundation
import TenureCore

public struct UpliftDataset: Sendable {
    public var rows: UpliftRows
    /// The feature table's rows, for the users-file join's coverage note.
    public var coverage: AttributeCoverage?
    /// Contacts left out: outcome window not ended by the data end, or no event before the contact night.
    public var pending: Int
    public var noHistory: Int
    public var notInLog: Int
    /// Contact nights the reference population (`rows.population`) was drawn from, and the 1-in-n user sample
    /// of it (1: every eligible user).
    public var populationNights: Int
    public var populationSample: Int

    /// `plan` is the resolved spec's plan over `store`; `qualifying` one flag per event id (nil = any event).
    /// A campaign without a control arm is refused (MeasurementError.noControlGroup), as `measure` does.
    public static func build(_ contacts: CampaignContacts, campaigns: [String]?, store: EventStore, plan: FeaturePlan,
                             attributes: (schema: AttributeSchema, users: UserAttributes)?, label: LabelSpec,
                             qualifying: [Bool]?, threads: Int) throws -> UpliftDataset {
        let names = campaigns ?? contacts.campaigns
        let known = Set(contacts.campaigns)
        if let unknown = names.first(where: { !known.contains($0) }) {
            throw MeasurementError.unknownCampaign(unknown, known: contacts.campaigns)
        }
        let wanted = Set(names)
        let chosen = contacts.contacts.filter { wanted.contains($0.campaign) }
        for c in names where !chosen.contains(where: { $0.campaign == c && $0.arm == .control }) {
            throw MeasurementError.noControlGroup(c)
        }
        let (outcomes, notInLog) = CampaignMeasurement.outcomes(chosen, store: store, horizon: label.horizon, qualifying: qualifying, value: nil)
        let usable = outcomes.filter { !$0.pending && $0.user != nil }

        // One feature build per contact night, limited to that night's contacted users.
        var byNight: [Int64: [Int]] = [:]
        for o in usable { byNight[utcDay(o.contact.contactedAt) * millisPerDay, default: []].append(o.user!) }
        var table = FeatureTable(names: plan.names, rows: 0, values: [], users: [], cutoffs: [], labels: nil)
        var rowOf: [Int64: [Int32: Int]] = [:]
        for night in byNight.keys.sorted() {
            var include = [Bool](repeating: false, count: store.userCount)
            for u in byNight[night]! { include[u] = true }
            let (part, _) = try TrainingSetBuilder.build(store: store, plan: plan, label: LabelSpec(task: .none), cutoffs: [night],
                                                         threads: threads, scoring: true, includeUsers: include)
            var rows: [Int32: Int] = [:]
            for (k, u) in part.users.enumerated() { rows[u] = table.rows + k }
            rowOf[night] = rows
            table.values += part.values; table.users += part.users; table.cutoffs += part.cutoffs; table.rows += part.rows
        }
        let (joined, coverage) = try AttributeJoin.apply(attributes?.schema, attributes?.users, to: table, userIDs: store.userIDs)
        let (population, sample) = try Self.population(nights: byNight.keys.sorted(), store: store, plan: plan,
                                                       attributes: attributes, label: label, threads: threads)

        let width = joined.width
        var values: [Double] = [], retained: [Double] = [], treated: [Bool] = [], campaign: [String] = [], cutoffs: [Int64] = []
        var noHistory = 0
        var firstContact: [String: Int64] = [:]
        for o in usable {
            let night = utcDay(o.contact.contactedAt) * millisPerDay
            guard let r = rowOf[night]?[Int32(o.user!)] else { noHistory += 1; continue }
            values += joined.values[(r * width)..<((r + 1) * width)]
            retained.append(o.retained ? 1 : 0); treated.append(o.contact.arm == .treatment)
            campaign.append(o.contact.campaign); cutoffs.append(night)
            firstContact[o.contact.campaign] = min(firstContact[o.contact.campaign] ?? .max, o.contact.contactedAt)
        }
        // Campaigns by their first contact (ties by name): the last is the one a time split holds out.
        let order = names.filter { firstContact[$0] != nil }
            .sorted { (firstContact[$0]!, $0) < (firstContact[$1]!, $1) }
        let rows = UpliftRows(names: joined.names, values: values, retained: retained, treated: treated, campaign: campaign,
                              cutoffs: cutoffs, campaignOrder: order, population: population.values, populationRows: population.rows)
        return UpliftDataset(rows: rows, coverage: coverage, pending: outcomes.filter(\.pending).count, noHistory: noHistory,
                             notInLog: notInLog, populationNights: byNight.count, populationSample: sample)
    }

    /// Rows of the reference population at most (a histogram of 10 quantile bins and 1001 score quantiles are
    /// as sharp from this many rows as from millions; it bounds the memory of a log with many contact nights).
    public static let populationCap = 250_000

    /// Every user eligible under `label` at each night (what `score` would list then), features as of the night
    /// and joined with the users file as the contacted rows are. When users × nights exceeds `populationCap`,
    /// one partition of n by the partition hash (the same users every night) with n the smallest that fits.
    static func population(nights: [Int64], store: EventStore, plan: FeaturePlan,
                           attributes: (schema: AttributeSchema, users: UserAttributes)?, label: LabelSpec,
                           threads: Int) throws -> (table: FeatureTable, sample: Int) {
        let n = max(1, (store.userCount * nights.count + populationCap - 1) / populationCap)
        let part = try Partition(index: 0, count: n)
        let include = n == 1 ? nil : store.userIDs.map { part.contains(userID: $0) }
        let (table, _) = try TrainingSetBuilder.build(store: store, plan: plan, label: label, cutoffs: nights, threads: threads,
                                                      scoring: true, includeUsers: include)
        return (try AttributeJoin.apply(attributes?.schema, attributes?.users, to: table, userIDs: store.userIDs).0, n)
    }
}
