// Shared helpers for the Features tests: logs written to temp files and read by the real reader, row lookup.
import EventLog
import Features
import Foundation
import Testing
@testable import Synthetic

extension Xoshiro256: RandomNumberGenerator {}

/// Writes `bytes` to a fresh temporary file (removed afterwards) and hands its path to `body`.
func withTempFile<R>(_ name: String, _ bytes: [UInt8], _ body: (String) throws -> R) throws -> R {
    let dir = NSTemporaryDirectory() + "tenure-features-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/" + name
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return try body(path)
}

/// Reads CSV text through the real reader.
func readCSV(_ text: String) throws -> EventStore {
    try withTempFile("log.csv", Array(text.utf8)) { try EventLogReader.read($0).0 }
}

/// UTC milliseconds of an ISO 8601 text (test input, so a parse failure is a test bug).
func ms(_ text: String) -> Int64 {
    guard let t = parseTimestamp(text) else { preconditionFailure("bad test timestamp \(text)") }
    return t
}

/// Builds rows for `label` at `cutoffs` with the spec resolved against `store`.
func buildRows(_ store: EventStore, spec: FeatureSpec = .default, label: LabelSpec = LabelSpec(task: .none),
               cutoffs: [Int64], threads: Int = 2) throws -> (FeatureTable, BuildSummary) {
    let plan = FeaturePlan(ResolvedFeatureSpec.resolve(spec, for: store), store: store)
    return try TrainingSetBuilder.build(store: store, plan: plan, label: label, cutoffs: cutoffs, threads: threads)
}

extension FeatureTable {
    /// Row indices of `user` (by id) in row order.
    func rows(of user: String, in store: EventStore) -> [Int] {
        guard let u = store.userIDs.firstIndex(of: user) else { return [] }
        return (0..<rows).filter { users[$0] == Int32(u) }
    }

    func row(_ r: Int) -> [Double] { Array(values[(r * width)..<((r + 1) * width)]) }

    /// user id → label at one cutoff.
    func labels(at cutoff: Int64, in store: EventStore) -> [String: Double] {
        var out: [String: Double] = [:]
        for r in 0..<rows where cutoffs[r] == cutoff { out[store.userIDs[Int(users[r])]] = labels?[r] ?? .nan }
        return out
    }
}
