// The run manifest of a nightly list, built from the run (the type itself lives in Manifest, below both the
// writer here and the reader in Report), and the event log's fingerprint taken while the log is read.
import Dispatch
import EventLog
import Foundation
import Manifest
import ModelFormat
import TenureCore

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

    /// Waits for the hash without using it: every path out of a command joins the background work first, since
    /// exiting while it still reads the file crashes the process (exit 139 on an error that should be exit 2).
    public func join() { done.wait() }
}

extension RunManifest {
    /// The manifest of `run`: the model file and its versions, the input and output files, the settings as
    /// given (`settings`, see `RecallSettings.recorded`), the user counts and splits, bad rows and drift.
    public init(asOf: Int64, model: TenureModel, modelFile: FileFingerprint, inputs: [FileFingerprint], settings: [String: String],
                run: RecallRun, ingest: IngestReport, badRowPolicy: String, driftThreshold: Double,
                outputs: [FileFingerprint], timingsSeconds: [String: Double]) {
        var badByReason: [String: Int] = [:]
        for (k, v) in ingest.badRows { badByReason["\(k)"] = v }
        var psi: [String: Double] = [:]
        for d in run.drift { psi[d.feature] = d.psi }
        let moved = run.drift.filter { $0.psi > driftThreshold }.sorted { $0.psi != $1.psi ? $0.psi > $1.psi : $0.feature < $1.feature }
        self.init(
            tenureVersion: TenureVersion.current, asOf: formatTimestamp(asOf, dateOnly: asOf % millisPerDay == 0),
            model: ModelInfo(file: modelFile, formatVersion: model.formatVersion, tenureVersion: model.tenureVersion,
                             kind: model.kind.rawValue, label: model.label.summary, trainCutoffs: model.training.trainCutoffs,
                             task: model.label.task.rawValue),
            inputs: inputs, settings: settings,
            users: Users(inLog: run.usersInLog, outsidePartition: run.usersOutsidePartition, scored: run.scored,
                         excludedFake: run.excludedFake, excludedCooldown: run.excludedCooldown, cutByLimit: run.cutByLimit,
                         written: run.entries.count),
            counts: run.counts, listed: run.listed, budgetSpent: run.budgetSpent,
            highValueCut: run.highValueCut.isFinite ? run.highValueCut : 0,
            badRows: BadRows(policy: badRowPolicy, total: ingest.badRowTotal, byReason: badByReason),
            drift: Drift(threshold: driftThreshold, psi: psi, moved: moved.map(\.feature)),
            outputs: outputs, timingsSeconds: timingsSeconds.mapValues { ($0 * 1000).rounded() / 1000 })
        userAttributes = run.coverage?.counts
        if let c = run.control {
            var groups: [String: Int] = [:]
            for g in ListGroup.allCases { groups[g.rawValue] = 0 }
            for e in run.entries { groups[e.group.rawValue, default: 0] += 1 }
            campaign = Campaign(name: c.campaign, controlShare: c.share, groups: groups)
        }
    }
}

extension RecallSettings {
    /// The settings as the manifest records them; `cooldown` and `playbook` as the user gave them (nil: default).
    /// The tiers and the ranking are the list's (`schema`): an activation list ranks by probability alone.
    public func recorded(cooldown: String?, playbook: String?, schema: ListSchema) -> [String: String] {
        var r: [String: String] = ["rank_by": schema.hasExpectedLoss || rankBy.needsUplift ? rankBy.rawValue : "probability", "reasons": "\(reasons)",
                                   "reasons_for": reasonsForAll ? "all" : "recall-step", "exclude_fake": "\(excludeFake)",
                                   "tier_\(schema.tiers.names.middle)": "\(schema.tiers.medium)", "tier_\(schema.tiers.names.top)": "\(schema.tiers.high)",
                                   "drift_threshold": "\(driftThreshold)", "max_staleness": maxStaleness.description,
                                   "allow_mismatch": "\(allowMismatch)"]
        if let f = failOnDrift { r["fail_on_drift"] = "\(f)" }
        if let n = rankNote { r["rank_by_note"] = n }
        switch limit {
        case .top(let n)?: r["top"] = "\(n)"
        case .budget(let b)?: r["budget"] = "\(b)"
        case nil: break
        }
        if let p = partition { r["partition"] = p.description }
        if contacts != nil { r["cooldown"] = cooldown ?? "7d" }
        r["playbook"] = playbook ?? "built-in"
        return r
    }
}
