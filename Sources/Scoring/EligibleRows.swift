// A night's eligible users' feature rows, built a block of store users at a time, so a large night never holds
// one row of doubles per user: the caller scores each chunk and keeps only per-user scalars.
import EventLog
import Features
import ModelFormat

/// The feature rows (attributes joined) of the users eligible under a model's label at `asOf`. Rows come in
/// store-user order: the chunks of consecutive ranges, concatenated, are `Scorer.eligibleFeaturesJoined`'s table.
public struct EligibleRows: Sendable {
    let store: EventStore
    let plan: FeaturePlan
    let label: LabelSpec
    let asOf: Int64
    let include: [Bool]?
    let joiner: AttributeJoiner?

    /// Checks what one build checks, in its order (an empty log, the label's events, then the pairing of model
    /// attributes with the users file), before any row is built.
    init(model: TenureModel, store: EventStore, asOf: Int64, includeUsers: [Bool]?, users: UserAttributes?) throws {
        guard let resolved = model.features else { throw ScoringError.noEventSpec }
        plan = FeaturePlan(resolved, store: store)
        _ = try TrainingSetBuilder.build(store: store, plan: plan, label: model.label, cutoffs: [asOf], threads: 1,
                                         scoring: true, includeUsers: includeUsers, userRange: 0..<0)
        joiner = try AttributeJoin.joiner(model.attributes, users, userIDs: store.userIDs)
        self.store = store; label = model.label; self.asOf = asOf; include = includeUsers
    }

    /// Store users.
    public var userCount: Int { store.userCount }

    /// The rows of the eligible users among store users `range`, and their users-file row counts (nil without
    /// attributes; add them up with `AttributeCoverage.addRows` and finish with `coverage(rows:)`).
    public func rows(users range: Range<Int>, threads: Int) throws -> (table: FeatureTable, rowCoverage: AttributeCoverage?) {
        try build(range: range, include: include, threads: threads)
    }

    /// The rows of just these store users (each eligible, each once), in store-user order: a second, cheap pass for the
    /// few rows a caller needs again (e.g. the listed users' reasons).
    public func rows(ofUsers users: [Int32], threads: Int) throws -> FeatureTable {
        guard let first = users.min(), let last = users.max() else {
            return try build(range: 0..<0, include: nil, threads: threads).table
        }
        var flags = [Bool](repeating: false, count: store.userCount)
        for u in users { flags[Int(u)] = true }
        return try build(range: Int(first)..<(Int(last) + 1), include: flags, threads: threads).table
    }

    /// The run's coverage from the row counts of every chunk (nil without attributes).
    public func coverage(rows: AttributeCoverage?) -> AttributeCoverage? {
        joiner.map { $0.coverage(adding: rows ?? AttributeCoverage()) }
    }

    private func build(range: Range<Int>, include: [Bool]?, threads: Int) throws -> (table: FeatureTable, rowCoverage: AttributeCoverage?) {
        let (table, _) = try TrainingSetBuilder.build(store: store, plan: plan, label: label, cutoffs: [asOf], threads: threads,
                                                      scoring: true, includeUsers: include, userRange: range)
        guard let joiner else { return (table, nil) }
        let (joined, rows) = joiner.join(table)
        return (joined, rows)
    }
}

extension Scorer {
    /// The eligible users' rows, to be built chunk by chunk (`Scorer.eligibleFeaturesJoined` is one chunk of all).
    /// `includeUsers` (a flag per store user) limits the rows to some users; a model trained with `--users`
    /// needs `users`.
    public func eligibleRows(store: EventStore, asOf: Int64, includeUsers: [Bool]? = nil,
                             users: UserAttributes? = nil) throws -> EligibleRows {
        try EligibleRows(model: model, store: store, asOf: asOf, includeUsers: includeUsers, users: users)
    }
}
