// A report input built from the shipped demo model, seeded synthetic scores and a hand-built event store.
import EventLog
import Foundation
import Manifest
import ModelFormat
import Testing
import TestSupport
@testable import Report
@testable import Retention

enum ReportFixture {
    static let root = Repository.root

    /// The shipped models, decoded once (decoding a tree model takes a while in debug builds).
    static let models: [String: Result<TenureModel, any Error>] = Dictionary(uniqueKeysWithValues:
        ["demo-churn-gbdt.tenure", "demo-churn-logistic.tenure"].map { name in
            (name, Result { try ModelFile.read(root.appendingPathComponent("models/\(name)").path) })
        })

    static func model(_ name: String = "demo-churn-gbdt.tenure") throws -> TenureModel {
        try #require(models[name]).get()
    }

    /// Calibrated synthetic scores: p ~ Beta-ish skewed low, y ~ Bernoulli(p).
    static func scored(_ cutoff: String, rows: Int, seed: UInt64) -> ScoredCutoff {
        var g = SplitMix64(seed: seed)
        var p: [Double] = [], y: [Double] = []
        for _ in 0..<rows {
            let u = Double.random(in: 0..<1, using: &g)
            let prob = u * u
            p.append(prob)
            y.append(Double.random(in: 0..<1, using: &g) < prob ? 1 : 0)
        }
        return ScoredCutoff(cutoff: cutoff, probabilities: p, labels: y)
    }

    /// Feature rows with values in [0, 30) (days, counts) for contribution tests.
    static func rows(_ n: Int, width: Int, seed: UInt64) -> [Double] {
        var g = SplitMix64(seed: seed)
        return (0..<(n * width)).map { _ in Double.random(in: 0..<30, using: &g).rounded() }
    }

    /// Daily cohorts over 60 days, 20 users each; cohort d keeps (d mod 5) · 10% of its users on day 1.
    static func retention() throws -> RetentionTable {
        var users: [String] = [], u: [Int32] = [], t: [Int64] = []
        let base = parseTimestamp("2026-03-02")!
        for d in 0..<60 {
            for k in 0..<20 {
                let id = Int32(users.count)
                users.append("d\(d)u\(k)")
                u.append(id); t.append(base + Int64(d) * CohortRetention.dayMillis + 3_600_000)
                if Double(k) < Double(d % 5) * 2 { u.append(id); t.append(base + Int64(d + 1) * CohortRetention.dayMillis) }
                if k < 6 { u.append(id); t.append(base + Int64(d + 7) * CohortRetention.dayMillis) }
                if k < 4 { u.append(id); t.append(base + Int64(d + 30) * CohortRetention.dayMillis) }
            }
        }
        let store = EventStore(userIDs: users, eventNames: ["x"], users: u, times: t, events: nil, values: nil)
        return try CohortRetention.compute(store, options: RetentionOptions(period: .week))
    }

    /// A run manifest of the one type `tenure score` writes (its model file hashes to 00ff).
    static let manifest = RunManifest(
        tenureVersion: "0.0.0", asOf: "2026-07-01T00:00:00Z",
        model: .init(file: FileFingerprint(unhashed: "demo-churn-gbdt.tenure", bytes: 10).with(sha256: "00ff"), formatVersion: 1,
                     tenureVersion: "0.0.0", kind: "gbdt", label: "churn", trainCutoffs: ["2026-05-31"]),
        inputs: [], settings: ["rank_by": "expected-loss", "exclude_fake": "true", "cooldown": "7d", "budget": "60"],
        users: .init(inLog: 1000, outsidePartition: 0, scored: 958, excludedFake: 12, excludedCooldown: 30, cutByLimit: 861, written: 55),
        counts: Breakdown(tier: ["low": 715, "high": 176, "medium": 67],
                          segment: ["silent high-value": 40, "new user at risk": 55, "<b>fake</b> & co": 12],
                          action: ["day 1 in-app prompt + coupon": 80, "day 7 lapsed-user survey": 206]),
        listed: Breakdown(tier: ["high": 41, "medium": 14], segment: ["new user at risk": 30, "<b>fake</b> & co": 25],
                          action: ["day 7 lapsed-user survey": 55]),
        budgetSpent: 55, highValueCut: 0, badRows: .init(policy: "fail", total: 0, byReason: [:]),
        drift: .init(threshold: 0.25, psi: ["days_since_last_event": 0.41, "sessions_7d": 0.3, "purchases_30d": 0.04,
                                            "a_very_long_feature_name_that_goes_on_and_on_past_any_margin_30d": 0.12],
                     moved: ["days_since_last_event", "sessions_7d"]),
        outputs: [], timingsSeconds: [:])

    /// The full report: every section present (built once).
    static func fullInput() throws -> ReportInput { try full.get() }
    static let full = Result { try makeFullInput() }

    static func makeFullInput() throws -> ReportInput {
        let model = try model()
        var scored = [scored("2026-05-31", rows: 800, seed: 1), scored("2026-06-07", rows: 800, seed: 2),
                      scored("2026-06-14", rows: 900, seed: 3)]
        let x = rows(12, width: model.featureCount, seed: 4)
        scored[2].meanAbsContribution = try FeatureAttribution.meanAbsoluteContribution(model: model, x: x, rows: 12)
        return ReportInput(model: model, modelFile: "demo-churn-gbdt.tenure", modelSHA256: "00FF", scored: scored,
                           eventsFile: "events.csv.gz", dataPeriod: ("2026-01-01", "2026-06-29"),
                           retention: try retention(),
                           manifest: manifest,
                           footer: "test report")
    }
}

extension FileFingerprint {
    func with(sha256: String) -> FileFingerprint { var f = self; f.sha256 = sha256; return f }
}
