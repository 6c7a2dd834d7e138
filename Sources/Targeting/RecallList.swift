// Tonight's list: score every eligible user, attach value, segment, recall step and reasons in words, drop
// the excluded, rank by expected loss (or risk) and cut to the budget. The CLI writes what this returns.
import Dispatch
import Evaluation
import EventLog
import Features
import Foundation
import Manifest
import ModelFormat
import Scoring
import TenureCore

public enum RankBy: String, Sendable, CaseIterable {
    /// probability × value, ties by probability then user id: resources go to high-value users.
    case expectedLoss = "expected-loss"
    /// probability alone, ties by user id.
    case risk
    /// An uplift model's predicted uplift alone (what a contact changes), ties by probability then user id.
    case uplift
    /// uplift × value − the step's cost (an uplift model's default): the value a contact is expected to keep.
    case incrementalValue = "incremental-value"

    /// Rankings only an uplift model can give.
    public var needsUplift: Bool { self == .uplift || self == .incrementalValue }
}

public enum ListLimit: Sendable, Equatable {
    /// The first N users of the ranking.
    case top(Int)
    /// Users in rank order while their actions' costs fit the budget; users with no action are not listed.
    case budget(Double)
}

public struct RecallSettings: Sendable {
    public var playbook: Playbook = .default
    /// A churn list's risk tiers (an activation list takes its tiers from the playbook's activation section).
    public var tiers = TierThresholds()
    public var rankBy: RankBy = .expectedLoss
    /// Why the ranking is not the one asked for or defaulted to (recorded in the manifest as `rank_by_note`).
    public var rankNote: String?
    public var limit: ListLimit?
    public var excludeFake = false
    public var contacts: ContactHistory?
    /// `--campaign NAME --control-share S`: hold out a share of the users the list would contact.
    public var control: ControlGroup?
    public var cooldownMillis: Int64 = 7 * 86_400_000
    public var partition: Partition?
    public var reasons = 3
    /// Reasons for every listed user; by default only for users with a recall step (what the team reads
    /// before contacting someone), since exact TreeSHAP is the costliest part of a large night.
    public var reasonsForAll = false
    /// PSI above this flags a feature as moved.
    public var driftThreshold = 0.25
    /// How long after the log's last event the as-of may be (an older export is refused as stale).
    public var maxStaleness = TimeSpan.days(3)
    /// Score a log that does not fit the model (see `LogFit`) with a warning instead of refusing it.
    public var allowMismatch = false
    /// Refuse the run when any feature's PSI exceeds this (nil: only warn, at `driftThreshold`).
    public var failOnDrift: Double?
    public var threads = 2
    /// The `--users` file encoded with the model's attribute schema (required by a model trained with it).
    public var users: UserAttributes?
    /// Store users whose feature rows are built, scored and dropped together (a tuning knob, not a flag: the
    /// list is the same for any size; only the peak memory moves, one chunk's rows of doubles at a time).
    public var chunkUsers = RecallSettings.defaultChunkUsers
    public static let defaultChunkUsers = 65_536

    public init() {}
}

public struct RecallEntry: Sendable {
    public var scored: ScoredUser
    public var activity: UserActivity
    /// probability × value (0 on an activation list, which has neither).
    public var expectedLoss: Double
    public var segment: Segment
    public var action: String
    public var reasons: [Reason]
    public var reasonTexts: [String]
    /// The campaign arm (`none` for a user without a step, and for every user without `--campaign`).
    public var group: ListGroup = .none
    /// The step the playbook gave: `action`, except for a control user, whose action is `none`.
    public var plannedAction: String = "none"
    /// Scored with an uplift model: retention if contacted, if not, and the uplift.
    public var uplift: UpliftModel.Prediction? = nil
    /// uplift × value − the cost of the planned step (0 without an uplift model).
    public var incrementalValue: Double = 0
}

/// A listed user's place in a campaign (`score --campaign`).
public enum ListGroup: String, Sendable, CaseIterable {
    case treatment, control, none
}

public struct FeatureDrift: Sendable, Codable, Equatable {
    public var feature: String
    public var psi: Double
}

/// Counts by tier, segment and action.
extension Breakdown {
    mutating func add(_ e: RecallEntry) { add(tier: e.scored.tier, segment: e.segment.rawValue, action: e.action) }
}

public struct RecallRun: Sendable {
    /// The written list, in rank order.
    public var entries: [RecallEntry]
    /// Users in the log (before partitioning) and eligible users scored (after it).
    public var usersInLog: Int
    public var usersOutsidePartition: Int
    public var scored: Int
    public var excludedFake: Int
    public var excludedCooldown: Int
    /// Ranked users the top/budget left off the list.
    public var cutByLimit: Int
    /// Of every scored user; `listed` of the written list.
    public var counts: Breakdown
    public var listed: Breakdown
    public var budgetSpent: Double
    /// PSI per feature against the model's training rows (empty when the model has no reference); sorted by name.
    public var drift: [FeatureDrift]
    public var driftedFeatures: [String]
    public var highValueCut: Double
    /// Why the log does not fit the model, when `allowMismatch` let the run go on anyway.
    public var mismatches: [String]
    /// The list's columns and tiers (the model's task decides them).
    public var schema: ListSchema
    /// How the users file met tonight's eligible users (nil for a model without attributes).
    public var coverage: AttributeCoverage? = nil
    /// The campaign whose control group the list holds out (nil without `--campaign`).
    public var control: ControlGroup? = nil
}

public enum RecallList {
    /// The columns and tiers of the list `build` writes for a model of `task` with these settings (known before
    /// the log is read, so an output that cannot take them is refused first).
    public static func schema(task: PredictionTask, uplift: Bool, settings s: RecallSettings) -> ListSchema {
        var base = ListSchema.of(task, churnTiers: s.tiers, playbook: s.playbook)
        if uplift { base = base.withUplift() }
        return s.control == nil ? base : base.withCampaign()
    }

    public static func build(scorer: Scorer, store: EventStore, asOf: Int64, settings s: RecallSettings) throws -> RecallRun {
        let model = scorer.model
        let playbook = s.playbook
        let activation = model.label.task == .activation
        if s.rankBy.needsUplift && model.uplift == nil { throw TargetingError.rankNeedsUplift(s.rankBy.rawValue) }
        let schema = Self.schema(task: model.label.task, uplift: model.uplift != nil, settings: s)
        let section = playbook.section(for: model.label.task)
        try playbook.validate()   // the check `playbook --check` runs: a playbook built in code meets it too
        let genuineColumn = model.featureNames.firstIndex(of: "genuine_activity")
        if s.excludeFake && genuineColumn == nil { throw TargetingError.missingFeature("genuine_activity", needed: "--exclude-fake") }
        try LogFit.checkFreshness(store: store, asOf: asOf, maxStaleness: s.maxStaleness)
        var mismatches: [String] = []
        if let m = LogFit.eventMismatch(store: store, model: model) {
            guard s.allowMismatch else { throw TargetingError.mismatch(m) }
            mismatches.append(m)
        }

        var include: [Bool]?
        var outside = 0
        if let part = s.partition {
            let flags = store.userIDs.map { part.contains(userID: $0) }
            outside = flags.lazy.filter { !$0 }.count
            include = flags
        }
        // Features, probabilities and drift counts a chunk of users at a time: only per-user scalars are kept.
        let source = try scorer.eligibleRows(store: store, asOf: asOf, includeUsers: include, users: s.users)
        let scores = try ChunkScores(source, model: model, genuineColumn: genuineColumn, chunkUsers: s.chunkUsers, threads: s.threads)
        let coverage = scores.coverage
        // Drift is judged before the costlier steps (values, reasons), so a refused run stops early.
        let drift = scores.drift
        if let limit = s.failOnDrift { try LogFit.checkDrift(drift, failAbove: limit) }
        if let m = LogFit.driftMismatch(drift, threshold: s.driftThreshold) {
            guard s.allowMismatch else { throw TargetingError.mismatch(m) }
            mismatches.append(m)
        }
        var ranked = Scorer.rank(probabilities: scores.probabilities, userIDs: scores.users.map { store.userIDs[Int($0)] },
                                 tiers: schema.tiers, reference: model.reference)

        // Facts from the store, per table row. An activation list has no value: nobody is summed.
        let values: [Double]
        let highValueCut: Double
        if activation {
            values = [Double](repeating: .nan, count: store.userCount)
            highValueCut = .infinity
        } else {
            let valueEvents: Set<UInt32>? = playbook.value.events.contains("*") ? nil
                : Set(playbook.value.events.compactMap { store.eventID(named: $0) })
            values = valuesByUser(store: store, asOf: asOf, value: playbook.value, valueEvents: valueEvents, threads: s.threads)
            // The cut comes from every user read (active in the value window), not from tonight's eligible users;
            // a --partition job reads only its own users (README: "Bigger than one machine").
            highValueCut = highValueThreshold(values.filter { !$0.isNaN }, rules: playbook.segments)
        }
        var activity = facts(users: scores.users, store: store, asOf: asOf, values: values, threads: s.threads)
        let upliftOf = scores.uplift
        func costOf(_ id: String) -> Double? { section.actions.first { $0.id == id }?.cost }

        var entries: [RecallEntry] = []
        entries.reserveCapacity(ranked.count)
        var counts = Breakdown()
        var excludedFake = 0, excludedCooldown = 0
        for u in ranked {
            let a = activity[u.row]
            let genuine = scores.genuine(row: u.row)
            let segment = activation ? Segment.ofNewUser(activity: a, rules: playbook.activation.segments)
                : Segment.of(genuine: genuine, activeLastWeek: a.activeDaysLast7 > 0, highValue: a.value >= highValueCut, falling: a.isFalling(ratio: playbook.segments.fallingActivityRatio),
                             tenureDays: a.tenureDays, tier: u.tier, rules: playbook.segments)
            let action = Playbook.firstAction(section.rules, daysInactive: a.daysInactive, tier: u.tier, segment: segment, value: a.value, score: u.score)
            var e = RecallEntry(scored: u, activity: a, expectedLoss: u.probability * a.value, segment: segment, action: action,
                                reasons: [], reasonTexts: [])
            if let p = upliftOf?[u.row] {
                // The planned step's cost, so both arms of a campaign rank alike.
                e.uplift = p
                e.incrementalValue = p.uplift * a.value - (costOf(action) ?? 0)
            }
            counts.add(e)
            if s.excludeFake && segment == .suspectedFakeActive { excludedFake += 1; continue }
            if let c = s.contacts, c.inCooldown(u.userID, asOf: asOf, cooldownMillis: s.cooldownMillis) { excludedCooldown += 1; continue }
            if let control = s.control {
                // Only users the list would contact enter the campaign; the draw ignores their rank.
                e.plannedAction = action
                if action == "none" { e.group = .none }
                else if control.isControl(userID: u.userID) { e.group = .control; e.action = "none" }
                else { e.group = .treatment }
            }
            entries.append(e)
        }
        let scoredCount = ranked.count
        ranked = []; activity = []   // per-user scalars the entries now hold
        // `ranked` is by probability then id, so a stable sort on the key keeps those as tie-breaks.
        switch s.rankBy {
        case .expectedLoss where schema.hasExpectedLoss: entries = stableSorted(entries) { $0.expectedLoss > $1.expectedLoss }
        case .uplift: entries = stableSorted(entries) { $0.uplift!.uplift > $1.uplift!.uplift }
        case .incrementalValue: entries = stableSorted(entries) { $0.incrementalValue > $1.incrementalValue }
        case .expectedLoss, .risk: break
        }
        let before = entries.count
        var spent = 0.0
        switch s.limit {
        case .top(let n)?: entries = Array(entries.prefix(max(0, n)))
        case .budget(let b)?:
            var kept: [RecallEntry] = []
            // A held-out user is on the list exactly when their planned step would have fit at their rank, as a
            // treated user's does, but spends nothing: both arms are drawn from the same top of the ranking.
            // (Keeping every held-out user, as before, drew the control arm from the whole eligible set.)
            for e in entries where e.action != "none" || e.group == .control {
                let held = e.group == .control
                let cost = costOf(held ? e.plannedAction : e.action) ?? 0
                if spent + cost <= b + 1e-9 { kept.append(e); if !held { spent += cost } }
            }
            entries = kept
        case nil: break
        }
        if s.limit.map({ if case .budget = $0 { return false } else { return true } }) ?? true {
            spent = entries.reduce(0) { $0 + (costOf($1.action) ?? 0) }
        }
        try attachReasons(&entries, model: model, source: source, rowUsers: scores.users, count: s.reasons, all: s.reasonsForAll,
                          schema: schema, chunkUsers: s.chunkUsers, threads: s.threads)
        var listed = Breakdown()
        for e in entries { listed.add(e) }
        return RecallRun(entries: entries, usersInLog: store.userCount, usersOutsidePartition: outside, scored: scoredCount,
                         excludedFake: excludedFake, excludedCooldown: excludedCooldown, cutByLimit: before - entries.count,
                         counts: counts, listed: listed, budgetSpent: spent, drift: drift,
                         driftedFeatures: drift.filter { $0.psi > s.driftThreshold }.map(\.feature), highValueCut: highValueCut,
                         mismatches: mismatches, schema: schema, coverage: coverage, control: s.control)
    }

    /// What `build` holds beyond the store, at most, for a store of `users` and a model of `features`: one chunk's
    /// rows of doubles (the builder's pieces, the table and its attribute-joined copy) and, per user, the
    /// scalars kept (row, probability, value, facts, the ranking) and the list's entries, twice while the list
    /// is sorted. No row of features per user: a night is scored a chunk of users at a time.
    public static func peakBytes(users: Int, features: Int, chunkUsers: Int = RecallSettings.defaultChunkUsers) -> UInt64 {
        let chunk = 3 * min(users, chunkUsers) * features * MemoryLayout<Double>.stride
        let perUser = 2 * MemoryLayout<RecallEntry>.stride + MemoryLayout<ScoredUser>.stride + MemoryLayout<UserActivity>.stride
            + MemoryLayout<String>.stride + MemoryLayout<Int32>.stride + 2 * MemoryLayout<Double>.stride
            + MemoryLayout<UpliftModel.Prediction>.stride
        return UInt64(chunk + users * perUser)
    }

    /// The value at the top `highValueTopShare` of users, at least `highValueMinimum`.
    static func highValueThreshold(_ values: [Double], rules: SegmentRules) -> Double {
        let sorted = values.sorted(by: >)
        guard !sorted.isEmpty else { return .infinity }
        let k = max(1, Int((Double(sorted.count) * rules.highValueTopShare).rounded(.up)))
        return max(sorted[k - 1], rules.highValueMinimum)
    }

    /// Per store user, the value-definition sum over the value window before `asOf` (NaN: no event in the
    /// window). Both the high-value cut and each listed user's value come from it.
    static func valuesByUser(store: EventStore, asOf: Int64, value: ValueDefinition, valueEvents: Set<UInt32>?,
                             threads: Int) -> [Double] {
        let n = store.userCount
        var sums = [Double](repeating: .nan, count: n)
        let chunks = max(1, min(n / 4096, threads * 4))
        sums.withUnsafeMutableBufferPointer { o in
            let sink = SharedWrite(buffer: o)
            store.withColumns { cols in
                parallelChunks(n, chunks: chunks) { c, range in
                    for u in range {
                        sink.buffer[u] = UserActivity.value(ofUser: u, columns: cols, asOf: asOf, windowDays: value.windowDays,
                                                         valueEvents: valueEvents) ?? .nan
                    }
                }
            }
        }
        return sums
    }

    /// `UserActivity` of every scored row (`users`: its store user), its value taken from `values`
    /// (`valuesByUser`; no event in the window counts 0).
    static func facts(users rowUsers: [Int32], store: EventStore, asOf: Int64, values: [Double], threads: Int) -> [UserActivity] {
        let empty = UserActivity(daysInactive: 0, tenureDays: 0, value: 0, activeDaysLast7: 0, usualWeeklyActiveDays: 0)
        let rows = rowUsers.count
        var out = [UserActivity](repeating: empty, count: rows)
        let chunks = max(1, min(rows / 4096, threads * 4))
        out.withUnsafeMutableBufferPointer { o in
            let sink = SharedWrite(buffer: o)
            rowUsers.withUnsafeBufferPointer { users in
                values.withUnsafeBufferPointer { v in
                    let u = SharedRead(buffer: users), valueOf = SharedRead(buffer: v)
                    store.withColumns { cols in
                        parallelChunks(rows, chunks: chunks) { c, range in
                            for r in range {
                                let user = Int(u.buffer[r])
                                let value = valueOf.buffer[user]
                                // Eligible rows always have an event before asOf, so `of` is non-nil.
                                sink.buffer[r] = UserActivity.of(user: user, columns: cols, asOf: asOf,
                                                              value: value.isNaN ? 0 : value) ?? empty
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Reasons for the listed users that get them. Their feature rows are built again (only theirs, a chunk of
    /// users at a time in store order): the same rows the scores came from, so the reasons are those of one table.
    static func attachReasons(_ entries: inout [RecallEntry], model: TenureModel, source: EligibleRows, rowUsers: [Int32], count: Int,
                              all: Bool, schema: ListSchema, chunkUsers: Int, threads: Int) throws {
        // A held-out user is explained like the treated ones, so both arms' lists read alike.
        var explained = entries.indices.filter { all || entries[$0].action != "none" || entries[$0].group == .control }
        guard count > 0, !explained.isEmpty else { return }
        explained.sort { rowUsers[entries[$0].scored.row] < rowUsers[entries[$1].scored.row] }
        var start = 0
        while start < explained.count {
            let batch = explained[start..<min(explained.count, start + max(1, chunkUsers))]
            start = batch.endIndex
            // Sorted by store user, as the rebuilt table's rows are: entry k of the batch is row k.
            let table = try source.rows(ofUsers: batch.map { rowUsers[entries[$0].scored.row] }, threads: threads)
            precondition(table.rows == batch.count, "a listed user's row was not rebuilt")
            let reasons = ReasonFinder.topReasons(model: model, values: table.values, width: table.width, rows: Array(0..<table.rows),
                                                  count: count, signs: schema.reasonSigns)
            var column: [String: Int] = [:]
            for (j, n) in table.names.enumerated() { column[n] = j }
            let width = table.width
            for (row, i) in batch.enumerated() {
                entries[i].reasons = reasons[row]
                entries[i].reasonTexts = reasons[row].map { r in
                    schema.reasonText(ReasonText.phrase(feature: r.feature, value: r.value, attributes: model.attributes) { name in column[name].map { table.values[row * width + $0] } },
                                      contribution: r.contribution)
                }
            }
        }
    }

    /// Sorts indices, then gathers: one extra copy of the entries at the peak, not three.
    static func stableSorted(_ xs: [RecallEntry], by before: (RecallEntry, RecallEntry) -> Bool) -> [RecallEntry] {
        let order = xs.indices.sorted { a, b in before(xs[a], xs[b]) || (!before(xs[b], xs[a]) && a < b) }
        return order.map { xs[$0] }
    }
}

/// Buffers handed to `concurrentPerform` workers: each writes only its own chunk, or all only read.
private struct SharedWrite<T>: @unchecked Sendable { let buffer: UnsafeMutableBufferPointer<T> }
private struct SharedRead<T>: @unchecked Sendable { let buffer: UnsafeBufferPointer<T> }
