// manifest.json of a nightly run: what was scored with what, how users split, what moved, how long it took.
// One Codable type: `tenure score --out DIR/` writes it (Targeting builds it from the run) and `tenure report
// --manifest` reads it back (Report), so the two can never disagree on a key. Everything but `timingsSeconds`
// is a function of the inputs, so a re-run writes the same manifest apart from the timings.
import Foundation
import TenureCore

/// Users by tier, segment and action.
public struct Breakdown: Sendable, Codable, Equatable {
    public var tier: [String: Int] = [:]
    public var segment: [String: Int] = [:]
    public var action: [String: Int] = [:]

    public init(tier: [String: Int] = [:], segment: [String: Int] = [:], action: [String: Int] = [:]) {
        self.tier = tier; self.segment = segment; self.action = action
    }

    public mutating func add(tier t: String, segment s: String, action a: String) {
        tier[t, default: 0] += 1
        segment[s, default: 0] += 1
        action[a, default: 0] += 1
    }
}

public struct RunManifest: Codable, Sendable, Equatable {
    public struct ModelInfo: Codable, Sendable, Equatable {
        public var file: FileFingerprint
        public var formatVersion: Int
        public var tenureVersion: String
        public var kind: String
        public var label: String
        public var trainCutoffs: [String]
        /// `churn`, `activation` or `none`: which list the run wrote (absent in manifests written before it
        /// was recorded, which were all churn lists).
        public var task: String?

        public init(file: FileFingerprint, formatVersion: Int, tenureVersion: String, kind: String, label: String, trainCutoffs: [String],
                    task: String? = nil) {
            self.file = file; self.formatVersion = formatVersion; self.tenureVersion = tenureVersion; self.kind = kind
            self.label = label; self.trainCutoffs = trainCutoffs; self.task = task
        }

        /// The run's task, old manifests read as churn.
        public var isActivation: Bool { task == "activation" }
    }
    public struct Users: Codable, Sendable, Equatable {
        public var inLog: Int
        public var outsidePartition: Int
        public var scored: Int
        public var excludedFake: Int
        public var excludedCooldown: Int
        public var cutByLimit: Int
        public var written: Int

        public init(inLog: Int, outsidePartition: Int, scored: Int, excludedFake: Int, excludedCooldown: Int, cutByLimit: Int, written: Int) {
            self.inLog = inLog; self.outsidePartition = outsidePartition; self.scored = scored; self.excludedFake = excludedFake
            self.excludedCooldown = excludedCooldown; self.cutByLimit = cutByLimit; self.written = written
        }
    }
    public struct Drift: Codable, Sendable, Equatable {
        public var threshold: Double
        /// PSI per feature against the model's training rows (absent for models without a reference).
        public var psi: [String: Double]
        /// Features past the threshold, largest PSI first.
        public var moved: [String]

        public init(threshold: Double, psi: [String: Double], moved: [String]) { self.threshold = threshold; self.psi = psi; self.moved = moved }
    }
    public struct BadRows: Codable, Sendable, Equatable {
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
    /// How the `--users` file met the scored users (rows joined, users without a row, unmatched rows, bad rows);
    /// absent without `--users`.
    public var userAttributes: [String: Int]?
    /// `score --campaign`: the campaign, its declared control share, and the list's users per group
    /// (`treatment`, `control`, `none`); absent without a campaign.
    public var campaign: Campaign?

    public struct Campaign: Codable, Sendable, Equatable {
        public var name: String
        public var controlShare: Double
        public var groups: [String: Int]
        public init(name: String, controlShare: Double, groups: [String: Int]) {
            self.name = name; self.controlShare = controlShare; self.groups = groups
        }
    }

    public init(tenureVersion: String, asOf: String, model: ModelInfo, inputs: [FileFingerprint], settings: [String: String],
                users: Users, counts: Breakdown, listed: Breakdown, budgetSpent: Double, highValueCut: Double,
                badRows: BadRows, drift: Drift, outputs: [FileFingerprint], timingsSeconds: [String: Double]) {
        self.tenureVersion = tenureVersion; self.asOf = asOf; self.model = model; self.inputs = inputs; self.settings = settings
        self.users = users; self.counts = counts; self.listed = listed; self.budgetSpent = budgetSpent
        self.highValueCut = highValueCut; self.badRows = badRows; self.drift = drift; self.outputs = outputs
        self.timingsSeconds = timingsSeconds
    }

    /// The newest manifest layout this Tenure writes and reads.
    public static let currentVersion = 1

    /// Pretty, sorted-key, snake_case JSON (stable bytes for the same contents).
    public func json() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = Self.nonFinite
        return Array(try encoder.encode(self)) + [10]
    }

    /// Reads what `json()` writes; `path` names the file in errors.
    public static func decode(_ data: Data, path: String) throws -> RunManifest {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let manifest: RunManifest
        do { manifest = try decoder.decode(RunManifest.self, from: data) } catch let e as DecodingError {
            throw RunManifestError.notAManifest(path: path, reason: Self.explain(e))
        }
        guard manifest.manifestVersion <= currentVersion else {
            throw RunManifestError.newerVersion(path: path, found: manifest.manifestVersion, newestSupported: currentVersion)
        }
        return manifest
    }

    /// Reads a manifest file.
    public static func read(_ path: String) throws -> RunManifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileReadError(path: path, reason: FileManager.default.fileExists(atPath: path) ? "unreadable" : "no such file")
        }
        return try decode(data, path: path)
    }

    private static let nonFinite = JSONEncoder.NonConformingFloatEncodingStrategy.convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")

    /// A decoding error in the file's own spelling: the key path (snake_case unless `spelling` says otherwise;
    /// other JSON readers use it too) and what was wrong there.
    public static func explain(_ e: DecodingError, spelling: ((String) -> String)? = nil) -> String {
        let spelling = spelling ?? snake
        func where_(_ path: [CodingKey]) -> String {
            let keys = path.map { $0.intValue.map { "[\($0)]" } ?? spelling($0.stringValue) }
            return keys.isEmpty ? "the top level" : keys.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch e {
        case let .keyNotFound(key, c): return "\(where_(c.codingPath + [key])) is missing"
        case let .typeMismatch(_, c): return "\(where_(c.codingPath)) has the wrong type"
        case let .valueNotFound(_, c): return "\(where_(c.codingPath)) is null"
        case let .dataCorrupted(c): return c.codingPath.isEmpty ? "not JSON" : "\(where_(c.codingPath)) is malformed"
        @unknown default: return "\(e)"
        }
    }

    /// `tenureVersion` → `tenure_version`, as the encoder spells keys.
    static func snake(_ key: String) -> String {
        var out = ""
        for ch in key {
            if ch.isUppercase { out += "_" + ch.lowercased() } else { out.append(ch) }
        }
        return out
    }
}

/// A file's size and SHA-256, as the manifest records its inputs, outputs and model; or a database input: its
/// URI without credentials as `path`, the table or the query, the rows read and the bytes received (no hash:
/// a table has no bytes to hash again).
public struct FileFingerprint: Codable, Sendable, Equatable {
    public var path: String
    public var bytes: Int
    public var sha256: String
    /// Data rows (users, not counting a header) of a list the run wrote, or the rows a database input returned;
    /// absent for file inputs and in manifests written before it was recorded, which still read.
    public var rows: Int?
    /// A database input's table or query (one of them); absent for files.
    public var table: String?
    public var query: String?

    /// A database input; `uri` must already be without its password.
    public init(database uri: String, table: String?, query: String?, rows: Int, bytes: Int) {
        path = uri; self.table = table; self.query = query; self.rows = rows; self.bytes = bytes; sha256 = ""
    }

    /// SHA-256 of the file's bytes; `named` is what the manifest calls it (default: `path`).
    public init(path: String, named: String? = nil, rows: Int? = nil) throws {
        let (hex, bytes) = try SHA256.file(path)
        self.path = named ?? path; self.bytes = bytes; sha256 = hex; self.rows = rows
    }

    /// Bytes that are not a file (standard input): their size only.
    public init(unhashed path: String, bytes: Int) { self.path = path; self.bytes = bytes; sha256 = "" }
}

/// Why a file is not a run manifest this Tenure can read.
public enum RunManifestError: CategorizedError, CustomStringConvertible, Equatable, Sendable {
    case notAManifest(path: String, reason: String)
    case newerVersion(path: String, found: Int, newestSupported: Int)

    public var category: ErrorCategory { .badInput }

    public var description: String {
        switch self {
        case let .notAManifest(path, reason):
            return "\(path): not a run manifest (\(reason)); pass the manifest.json written by 'tenure score --out DIR/'"
        case let .newerVersion(path, found, newest):
            return "\(path): run manifest version \(found) is newer than this Tenure reads (\(newest)); upgrade Tenure"
        }
    }
}
