// The fuzzing suite's targets, each declared once: "given these bytes, exercise X and check its invariants".
// The libFuzzer binary (fuzz/FuzzMain.swift, built by `make fuzz`) and the replay suite in `make test`
// (Tests/FuzzReplayTests) both call `FuzzTarget.run`, so a committed input means the same thing to both.
// A refusal with a categorized error is the expected outcome of most inputs; a broken invariant throws
// `InvariantViolation` (the fuzz binary turns it into a crash), and a trap is a trap in either.
import Foundation
import TenureCore

public enum FuzzTarget: String, CaseIterable, Sendable {
    /// CSV, TSV and whitespace event logs (the first byte picks format, time format and bad-row policy).
    case delimited
    /// JSON Lines event logs.
    case jsonl
    /// Gzip-compressed CSV event logs (the input is the .gz file).
    case gzip
    /// One thread with large blocks against two threads with 1 KiB blocks: same events, counts, quarantine bytes.
    case threads
    /// Feature matrices (`tenure train --features`, `tenure predict`).
    case matrix
    /// Contact histories (`tenure score --contacts`).
    case contacts
    /// Any bytes as a Parquet event log (two threads) and as a Parquet users table.
    case parquet
    /// Structure-aware: the input is a program of byte edits on the pages of a valid Parquet file.
    case parquetPages = "parquet-pages"

    /// Feature spec, playbook and model-config JSON (the first byte picks which).
    case json
    /// A whole model file as `ModelFile.decode` sees it (header, checksum, body).
    case modelFile = "model-file"
    /// A model body under a correct header: the JSON decoder and every validation rule.
    case modelBody = "model-body"
    /// Structure-aware: the input is a program of edits (trees, leaves, numbers spliced) on a valid model.
    case modelSplice = "model-splice"

    /// Largest input worth trying (libFuzzer's -max_len): readers need room for several 1 KiB blocks.
    public var maxLength: Int {
        switch self {
        case .threads, .parquet: return 16_384
        case .parquetPages: return 512
        case .modelSplice: return 256
        case .modelFile, .modelBody: return 16_384
        default: return 8_192
        }
    }

    /// Exercises the target on `bytes`; throws `InvariantViolation` on a bug.
    public func run(_ bytes: [UInt8]) throws {
        switch self {
        case .delimited: try ReaderTargets.delimited(bytes)
        case .jsonl: try ReaderTargets.jsonl(bytes)
        case .gzip: try ReaderTargets.gzip(bytes)
        case .threads: try ReaderTargets.threads(bytes)
        case .matrix: try FileTargets.matrix(bytes)
        case .contacts: try FileTargets.contacts(bytes)
        case .parquet: try ParquetTargets.file(bytes)
        case .parquetPages: try ParquetTargets.pages(bytes)
        case .json: try FileTargets.json(bytes)
        case .modelFile: try ModelTargets.file(bytes)
        case .modelBody: try ModelTargets.body(bytes)
        case .modelSplice: try ModelTargets.splice(bytes)
        }
    }
}

/// A bug: the code under test accepted or refused an input in a way its contract rules out.
public struct InvariantViolation: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

func check(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw InvariantViolation(message()) }
}

/// A refusal must be one of the project's categorized errors, and never an internal failure: bad bytes are the
/// user's input (exit 2), not Tenure's fault (exit 1).
func checkRefusal(_ error: Error, _ what: String) throws {
    if error is InvariantViolation { throw error }
    guard let e = error as? CategorizedError else {
        throw InvariantViolation("\(what): uncategorized error \(type(of: error)): \(error)")
    }
    try check(e.category != .internalFailure, "\(what): internal failure for bad input: \(error)")
}

/// The files the readers are given: one scratch directory per process (readers take paths), under $TMPDIR.
enum Scratch {
    nonisolated(unsafe) static let directory: String = {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        let dir = "\(base)/tenure-fuzz-\(getpid())"
        mkdir(dir, 0o700)
        atexit { Scratch.removeAll() }
        return dir
    }()

    /// Writes `bytes` to `name` in the scratch directory and returns its path.
    static func write(_ bytes: [UInt8], as name: String) -> String {
        let path = directory + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        precondition(fd >= 0, "cannot write the scratch file \(path)")
        var done = 0
        bytes.withUnsafeBytes { p in
            while done < p.count {
                let n = Foundation.write(fd, p.baseAddress! + done, p.count - done)
                precondition(n > 0, "cannot write the scratch file \(path)")
                done += n
            }
        }
        close(fd)
        return path
    }

    static func path(_ name: String) -> String { directory + "/" + name }

    static func contents(_ name: String) -> [UInt8] {
        FileManager.default.contents(atPath: path(name)).map(Array.init) ?? []
    }

    static func removeAll() {
        if let names = try? FileManager.default.contentsOfDirectory(atPath: directory) {
            for n in names { unlink(directory + "/" + n) }
        }
        rmdir(directory)
    }
}
