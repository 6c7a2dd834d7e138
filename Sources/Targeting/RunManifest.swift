// manifest.json of a nightly run: what was scored with what, how users split, what moved, how long it took.
// Everything but `timingsSeconds` is a function of the inputs, so a re-run writes the same manifest apart
// from the timings.
import Dispatch
import Foundation
import ModelFormat
import TenureCore

public struct FileFingerprint: Codable, Sendable, Equatable {
    public var path: String
    public var bytes: Int
    public var sha256: String

    /// SHA-256 of the file's bytes; `named` is what the manifest calls it (default: `path`).
    public init(path: String, named: String? = nil) throws {
        let (hex, bytes) = try SHA256.file(path)
        self.path = named ?? path; self.bytes = bytes; sha256 = hex
    }

    /// Bytes that are not a file (standard input): their size only.
    public init(unhashed path: String, bytes: Int) { self.path = path; self.bytes = bytes; sha256 = "" }
}

/// A file's fingerprint taken on a background thread, so hashing a large event log (about 1 s per GB) overlaps
/// the reading of it instead of following it: on 2 busy cores that saves little (0.1 s of 10 s on the
/// million-user bench log), with a spare core all of it. `get()` waits for it.
public final class PendingFingerprint: @unchecked Sendable {
    private let done = DispatchGroup()
    private var result: Result<FileFingerprint, Error>?

    public init(path: String) {
        done.enter()
        DispatchQueue.global().async {
            self.result = Result { try FileFingerprint(path: path) }
            self.done.leave()
        }
    }

    public func get() throws -> FileFingerprint {
        done.wait()
        return try result!.get()
    }
}

public struct RunManifest: Codable, Sendable {
    public struct ModelInfo: Codable, Sendable {
        public var file: FileFingerprint
        public var formatVersion: Int
        public var tenureVersion: String
        public var kind: String
        public var label: String
        public var trainCutoffs: [String]

        public init(file: FileFingerprint, formatVersion: Int, tenureVersion: String, kind: String, label: String, trainCutoffs: [String]) {
            self.file = file; self.formatVersion = formatVersion; self.tenureVersion = tenureVersion; self.kind = kind
            self.label = label; self.trainCutoffs = trainCutoffs
        }
    }
    public struct Users: Codable, Sendable {
        public var inLog: Int
        public var outsidePartition: Int
        public var scored: Int
        public var excludedFake: Int
        public var excludedCooldown: Int
        public var cutByLimit: Int
        public var written: Int
    }
    public struct Drift: Codable, Sendable {
        public var threshold: Double
        /// PSI per feature against the model's training rows (absent for models without a reference).
        public var psi: [String: Double]
        /// Features past the threshold, largest PSI first.
        public var moved: [String]
    }
    public struct BadRows: Codable, Sendable {
        public var policy: String
        public var total: Int
        public var byReason: [String: Int]

        public init(policy: String, total: Int, byReason: [String: Int]) { self.policy = policy; self.total = total; self.byReason = byReason }
    }

    public var manifestVersion = 1
    public var tenureVersion: String
    public var asOf: String
    public var model: ModelInfo
    public var inputs: [FileFingerprint]
    public var settings: [String: String]
    public var users: Users
    /// Every scored user by tier, segment and action (before exclusions and the top/budget cut).
    public var counts: Breakdown
    /// The written list by tier, segment and action.
    public var listed: Breakdown
    public var budgetSpent: Double
    public var highValueCut: Double
    public var badRows: BadRows
    public var drift: Drift
    public var outputs: [FileFingerprint]
    public var timingsSeconds: [String: Double]

    public init(tenureVersion: String, asOf: String, model: ModelInfo, inputs: [FileFingerprint], settings: [String: String],
                run: RecallRun, badRows: BadRows, driftThreshold: Double, outputs: [FileFingerprint], timingsSeconds: [String: Double]) {
        self.tenureVersion = tenureVersion; self.asOf = asOf; self.model = model; self.inputs = inputs; self.settings = settings
        users = Users(inLog: run.usersInLog, outsidePartition: run.usersOutsidePartition, scored: run.scored,
                      excludedFake: run.excludedFake, excludedCooldown: run.excludedCooldown, cutByLimit: run.cutByLimit,
                      written: run.entries.count)
        counts = run.counts; listed = run.listed; budgetSpent = run.budgetSpent
        highValueCut = run.highValueCut.isFinite ? run.highValueCut : 0
        self.badRows = badRows
        var psi: [String: Double] = [:]
        for d in run.drift { psi[d.feature] = d.psi }
        let moved = run.drift.filter { $0.psi > driftThreshold }.sorted { $0.psi != $1.psi ? $0.psi > $1.psi : $0.feature < $1.feature }
        drift = Drift(threshold: driftThreshold, psi: psi, moved: moved.map(\.feature))
        self.outputs = outputs; self.timingsSeconds = timingsSeconds
    }

    /// Pretty, sorted-key, snake_case JSON (stable bytes for the same contents).
    public func json() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return Array(try encoder.encode(self)) + [10]
    }
}
