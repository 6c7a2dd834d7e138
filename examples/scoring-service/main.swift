// A minimal scoring service on the Tenure library: load a model once, then score a precomputed feature row,
// one user's raw event history as of a time, and many users at once from several threads.
//
//   swift run ScoringServiceExample [MODEL]        (default models/demo-churn-gbdt.tenure, from the repo root)
import Dispatch
import Foundation
import Tenure

let modelPath = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "models/demo-churn-gbdt.tenure"

// 1. Load once at start-up. `Scorer` is immutable and Sendable: share this one instance with every thread.
let scorer: Scorer
do {
    scorer = try Scorer(path: modelPath)
} catch {
    // Missing, truncated, altered (checksum) or too-new model files all land here with a readable reason.
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(2)
}
print("model: \(scorer.model.kind.rawValue), \(scorer.featureNames.count) features, label: \(scorer.model.label.summary)")

// 2. A precomputed feature row (e.g. from your feature store), in `scorer.featureNames` order. NaN = missing:
//    here only a few features are known and the model treats the rest as it treated missing values in training.
let known: [String: Double] = ["recency_days": 12, "active_days_7d": 0, "active_days_30d": 6, "events_30d": 40]
let row = scorer.featureNames.map { known[$0] ?? .nan }
do {
    print("feature row (\(known.count) known, \(row.count - known.count) missing): probability \(fmt(try scorer.probability(features: row)))")
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}

// 3. One user's raw events, scored as of a time: Tenure builds the same point-in-time features as training
//    (events at or after `asOf` are ignored). nil = not eligible under the model's label (e.g. inactive
//    during the whole lookback of a churn model).
let asOf = parseTimestamp("2026-06-14")!
typealias Event = (time: Int64, event: String, value: Double?)

/// A synthetic history: a user active every `every` days for `activeDays` days, who stopped `quietDays` ago.
func history(activeDays: Int, every: Int, quietDays: Int, seed: Int) -> [Event] {
    var events: [Event] = []
    for d in stride(from: quietDays + activeDays, to: quietDays, by: -max(1, every)) {
        let day = asOf - Int64(d) * millisPerDay + Int64(seed % 7 + 9) * 3_600_000
        events.append((day, "session_start", nil))
        for k in 0..<(2 + (seed + d) % 5) { events.append((day + Int64(k + 1) * 60_000, "page_view", nil)) }
        if (seed + d) % 9 == 0 { events.append((day + 600_000, "purchase", Double(10 + seed % 40))) }
        if (seed + d) % 4 == 0 { events.append((day + 700_000, "like", nil)) }
    }
    return events
}

do {
    let regular = try scorer.probability(history: history(activeDays: 60, every: 1, quietDays: 0, seed: 1), asOf: asOf)
    let fading = try scorer.probability(history: history(activeDays: 60, every: 3, quietDays: 20, seed: 1), asOf: asOf)
    let gone = try scorer.probability(history: history(activeDays: 60, every: 1, quietDays: 45, seed: 1), asOf: asOf)
    print("history as of \(formatTimestamp(asOf, dateOnly: true)): daily user \(fmt(regular)), fading user (quiet 20 days) \(fmt(fading)), user quiet 45 days \(fmt(gone))")
} catch {
    // Thrown only for a model trained from a feature matrix (it cannot build features from events).
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}

// 4. Many users from several threads at once on the one scorer. Each chunk of users writes only its own
//    slots of the result buffer, so no locking is needed.
let users = 240, threads = 4
let histories = (0..<users).map { u in history(activeDays: 20 + u % 50, every: 1 + u % 4, quietDays: u % 35, seed: u) }
var results = [Double?](repeating: nil, count: users)
var failures = 0
results.withUnsafeMutableBufferPointer { out in
    nonisolated(unsafe) let out = out  // disjoint index ranges per chunk
    let failed = UnsafeMutablePointer<Int>.allocate(capacity: threads)
    failed.initialize(repeating: 0, count: threads)
    nonisolated(unsafe) let failedSlots = failed
    DispatchQueue.concurrentPerform(iterations: threads) { t in
        for u in (users * t / threads)..<(users * (t + 1) / threads) {
            do { out[u] = try scorer.probability(history: histories[u], asOf: asOf) } catch { failedSlots[t] += 1 }
        }
    }
    failures = (0..<threads).reduce(0) { $0 + failed[$1] }
    failed.deallocate()
}
let sequential = try? (0..<users).map { try scorer.probability(history: histories[$0], asOf: asOf) }
let eligible = results.compactMap { $0 }
print("concurrent: \(users) users on \(threads) threads, \(eligible.count) eligible, \(failures) failed, mean probability \(fmt(eligible.reduce(0, +) / Double(max(1, eligible.count)))); identical to sequential: \(sequential.map { $0 == results } == true ? "yes" : "no")")
let riskiest = results.enumerated().compactMap { u, p in p.map { (user: u, p: $0) } }.sorted { $0.p > $1.p }.prefix(3)
print("riskiest: " + riskiest.map { "user-\($0.user) \(fmt($0.p))" }.joined(separator: ", "))

func fmt(_ p: Double?) -> String { p.map { String(format: "%.4f", $0) } ?? "not eligible" }
