// Load a model once, score many: feature rows, one user's history, or every eligible user of a log.
import Dispatch
import Evaluation
import EventLog
import Features
import Foundation
import ModelFormat
import TenureCore

public enum ScoringError: CategorizedError, CustomStringConvertible, Sendable {
    case featureCountMismatch(expected: Int, found: Int)
    case noEventSpec

    /// Rows of the wrong width, or a model that cannot build features from events for this job: the input is wrong.
    public var category: ErrorCategory {
        switch self {
        case .featureCountMismatch, .noEventSpec: return .badInput
        }
    }

    public var description: String {
        switch self {
        case let .featureCountMismatch(e, f): return "the model takes \(e) features, got \(f)"
        case .noEventSpec: return "this model was trained from a feature matrix, so it cannot build features from events; score a feature matrix with `tenure predict --features FILE.csv`"
        }
    }
}

/// Tier cut points on the 0-100 score (Braze's: low < 50, medium 50-75, high ≥ 75): `medium` is where the
/// middle tier starts, `high` where the top one does, whatever `names` calls them.
public struct TierThresholds: Sendable, Equatable {
    public var medium: Double
    public var high: Double
    public var names: TierNames
    public init(medium: Double = 50, high: Double = 75, names: TierNames = .risk) {
        self.medium = medium; self.high = high; self.names = names
    }

    public func tier(_ score: Double) -> String { score >= high ? names.top : score >= medium ? names.middle : names.bottom }
}

public struct ScoredUser: Sendable, Equatable {
    public var userID: String
    public var probability: Double
    /// probability × 100.
    public var score: Double
    /// Share of the model's training rows scored at or below this probability, × 100 (100 = the riskiest),
    /// so a user's percentile does not depend on who else is scored tonight; for model files without a
    /// reference distribution, the share of this run's scored users instead.
    public var percentile: Double
    public var tier: String
    /// Row in the feature table the user was scored from.
    public var row: Int
}

/// A loaded model. Immutable and `Sendable`: one instance serves every thread.
public final class Scorer: Sendable {
    public let model: TenureModel

    public init(model: TenureModel) { self.model = model }

    public convenience init(path: String) throws { self.init(model: try ModelFile.read(path)) }

    public var featureNames: [String] { model.featureNames }

    /// Probability for one precomputed feature row (NaN = missing). No allocation, thread-safe.
    @inline(__always)
    public func probability(_ row: UnsafeBufferPointer<Double>) -> Double { model.probability(row) }

    public func probability(features: [Double]) throws -> Double {
        guard features.count == model.featureCount else {
            throw ScoringError.featureCountMismatch(expected: model.featureCount, found: features.count)
        }
        return features.withUnsafeBufferPointer { model.probability($0) }
    }

    /// Probabilities for row-major rows on both cores.
    public func probabilities(rows x: [Double], count: Int) throws -> [Double] {
        guard x.count == count * model.featureCount else {
            throw ScoringError.featureCountMismatch(expected: model.featureCount, found: count == 0 ? 0 : x.count / max(count, 1))
        }
        return model.probabilities(x: x, rows: count)
    }

    /// Features of every user eligible under the model's label definition at `asOf`.
    /// `includeUsers` (a flag per store user) limits the table to some users.
    /// A model trained with `--users` needs `users` (its attributes are joined as in force before `asOf`).
    public func eligibleFeatures(store: EventStore, asOf: Int64, threads: Int = 2, includeUsers: [Bool]? = nil,
                                 users: UserAttributes? = nil) throws -> FeatureTable {
        try eligibleFeaturesJoined(store: store, asOf: asOf, threads: threads, includeUsers: includeUsers, users: users).table
    }

    /// `eligibleFeatures` with how the users file met the rows (nil coverage without attributes).
    public func eligibleFeaturesJoined(store: EventStore, asOf: Int64, threads: Int = 2, includeUsers: [Bool]? = nil,
                                       users: UserAttributes? = nil) throws -> (table: FeatureTable, coverage: AttributeCoverage?) {
        let source = try eligibleRows(store: store, asOf: asOf, includeUsers: includeUsers, users: users)
        let (table, rows) = try source.rows(users: 0..<store.userCount, threads: threads)
        return (table, source.coverage(rows: rows))
    }

    /// One user's probability from their raw events as of a time (events at or after `asOf` are ignored);
    /// nil when the user is not eligible under the model's label at `asOf` (e.g. a churn model's user with no
    /// event in the lookback), exactly as `rank` would leave them out.
    public func probability(history: [(time: Int64, event: String, value: Double?)], asOf: Int64) throws -> Double? {
        guard let resolved = model.features else { throw ScoringError.noEventSpec }
        if let a = model.attributes { throw UserTableError.modelNeedsUsers(columns: a.columns.map(\.name)) }
        // The label's event names must exist in the one-user store even when this user never did them.
        let label = model.label
        let labelNames = (label.qualifyingEvents + (label.task == .activation ? label.keyEvents : []))
            .filter { n in n != "*" && !resolved.spec.groups.contains { $0.name == n } }
        let names = Array(Set(history.map(\.event)).union(labelNames)).sorted()
        let store = EventStore(userIDs: ["user"], eventNames: names, users: [Int32](repeating: 0, count: history.count),
                               times: history.map(\.time), events: history.map { UInt32(names.firstIndex(of: $0.event)!) },
                               values: history.map { $0.value ?? .nan })
        let plan = FeaturePlan(resolved, store: store)
        let (table, _) = try TrainingSetBuilder.build(store: store, plan: plan, label: label, cutoffs: [asOf],
                                                      threads: 1, scoring: true)
        guard table.rows == 1 else { return nil }
        return table.values.withUnsafeBufferPointer { model.probability($0) }
    }

    /// Scores every eligible user and ranks them by probability (ties by user id), riskiest first.
    public func rank(store: EventStore, asOf: Int64, tiers: TierThresholds = TierThresholds(), threads: Int = 2) throws -> (FeatureTable, [ScoredUser]) {
        let table = try eligibleFeatures(store: store, asOf: asOf, threads: threads)
        let p = model.probabilities(x: table.values, rows: table.rows)
        return (table, Scorer.rank(probabilities: p, userIDs: table.users.map { store.userIDs[Int($0)] }, tiers: tiers,
                                   reference: model.reference))
    }

    public static func rank(probabilities p: [Double], userIDs: [String], tiers: TierThresholds,
                            reference: ReferenceDistribution? = nil) -> [ScoredUser] {
        let order = p.indices.sorted { p[$0] != p[$1] ? p[$0] > p[$1] : userIDs[$0] < userIDs[$1] }
        let n = Double(max(1, p.count))
        var out: [ScoredUser] = []
        out.reserveCapacity(p.count)
        // Percentile: share of users at or below this probability (ties share the highest rank).
        var k = 0
        while k < order.count {
            var j = k
            while j + 1 < order.count && p[order[j + 1]] == p[order[k]] { j += 1 }
            let atOrBelow = Double(order.count - k)
            for idx in order[k...j] {
                let score = (p[idx] * 1000).rounded() / 10
                let percentile = reference.map { $0.scoreQuantiles.isEmpty ? .nan : $0.percentile(of: p[idx]) } ?? .nan
                out.append(ScoredUser(userID: userIDs[idx], probability: p[idx], score: score,
                                      percentile: percentile.isNaN ? (atOrBelow / n * 1000).rounded() / 10 : percentile,
                                      tier: tiers.tier(score), row: idx))
            }
            k = j + 1
        }
        return out
    }
}
