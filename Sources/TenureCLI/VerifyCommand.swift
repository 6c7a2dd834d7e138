// `tenure verify DIR/`: does a run directory hold a matching pair? Every output the manifest fingerprints must
// be beside it with the recorded size and SHA-256. A run killed between its two renames leaves tonight's list
// next to last night's manifest; this is how a reader tells (exit 2, with the reason).
import Foundation
import Manifest
import Postgres
import PostgresSink
import TenureCore

enum VerifyCommand {
    static let command = Command(
        name: "verify", summary: "Check a run directory (score --out DIR/): its manifest describes the list beside it (or a list table against tenure_runs).",
        usage: "DIR/ | postgresql://… --table NAME",
        options: [Option("dir", "DIR", "run directory (or give it as the argument)"),
                  Option("table", "NAME", "with a postgresql:// URI: the list table score --out-table wrote; every run tenure_runs records for it is checked")],
        run: run)

    static func run(_ a: Arguments) throws {
        guard let dir = a.string("dir") ?? a.positionals.first else { throw UsageError("'tenure verify' needs a run directory (tenure score --out DIR/)") }
        if PostgresURI.isURI(dir) || a.has("table") { return try verifyTable(a, uri: dir) }
        guard ScoreCommand.isDirectory(dir) else {
            throw FileReadError(path: dir, reason: FileManager.default.fileExists(atPath: dir) ? "not a directory" : "no such directory")
        }
        let manifestPath = ScoreCommand.join(dir, "manifest.json")
        if !FileManager.default.fileExists(atPath: manifestPath) {
            let lists = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasPrefix("scores.") && !$0.contains(".tmp-") }
            // `score` removes last night's manifest before putting tonight's list in place: a run stopped there.
            throw RunMismatchError(manifest: manifestPath, reason: lists.isEmpty ? "there is no manifest.json (not a run directory?)"
                                   : "there is no manifest.json beside \(lists.sorted().joined(separator: ", ")): a run stopped before "
                                   + "its manifest was in place, so the list is not known to be whole or current; run score again")
        }
        let manifest = try RunManifest.read(manifestPath)
        guard !manifest.outputs.isEmpty else { throw RunMismatchError(manifest: manifestPath, reason: "it records no output file") }
        var checked: [String] = []
        for recorded in manifest.outputs {
            let path = ScoreCommand.join(dir, recorded.path)
            guard FileManager.default.fileExists(atPath: path) else {
                throw RunMismatchError(manifest: manifestPath, reason: "\(recorded.path) is missing from \(dir)")
            }
            let actual = try FileFingerprint(path: path)
            guard actual.bytes == recorded.bytes, actual.sha256 == recorded.sha256 else {
                throw RunMismatchError(manifest: manifestPath, reason: "\(path) is \(actual.bytes) bytes with SHA-256 \(actual.sha256), "
                                       + "the manifest records \(recorded.bytes) bytes with \(recorded.sha256): the list is not the one "
                                       + "the manifest describes (a run stopped between writing the two, or the list was changed since)")
            }
            checked.append("\(recorded.path) (\(recorded.rows.map { "\($0) rows, " } ?? "")\(recorded.bytes) bytes)")
        }
        print("\(dir): the manifest matches \(checked.joined(separator: ", ")); as of \(manifest.asOf)")
    }
}

/// `verify postgresql://… --table NAME`: each recorded run's rows against tenure_runs.
func verifyTable(_ a: Arguments, uri: String) throws {
    guard PostgresURI.isURI(uri) else { throw UsageError("\(a.spelling("table")) needs a postgresql:// URI to verify, not '\(uri)'") }
    guard let name = a.string("table") else { throw UsageError("'tenure verify \(PostgresURI.redacted(uri))' needs --table NAME: the list table to check") }
    let table = try TableName(name, flag: a.spelling("table"))
    for line in try TableRunCheck.check(uri: uri, table: table) { print("\(table): \(line)") }
}

/// A run directory whose manifest does not describe the files beside it.
struct RunMismatchError: CategorizedError, CustomStringConvertible {
    let manifest: String, reason: String
    var category: ErrorCategory { .badInput }
    var description: String { "\(manifest) does not match its run directory: \(reason)" }
}
