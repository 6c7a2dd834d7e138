// Messages to stderr, and the one place that turns an outcome into `tenure: error: ...` and an exit code:
// every error carries its category (TenureCore), and the category alone picks the README's code.
import Foundation
import TenureCore

/// The exit codes, declared once: `tenure --help` prints this list and a test holds the README's table to it.
enum ExitCode: Int32, CaseIterable {
    case ok = 0, failure = 1, badData = 2, usage = 64

    var meaning: String {
        switch self {
        case .ok: return "success"
        case .failure: return "internal failure"
        case .badData: return "bad input data"
        case .usage: return "usage"
        }
    }

    /// `0 success, 1 internal failure, 2 bad input data, 64 usage`
    static var summary: String { allCases.map { "\($0.rawValue) \($0.meaning)" }.joined(separator: ", ") }

    init(_ category: ErrorCategory) {
        switch category {
        case .usage: self = .usage
        case .badInput: self = .badData
        case .internalFailure: self = .failure
        }
    }
}

enum Console {
    /// Set on the ranks other than 0 of a distributed job: only rank 0 talks (a rank's own failure is
    /// reported through rank 0, or by the rank itself with `rankNote` when the job must be aborted).
    nonisolated(unsafe) static var silent = false

    static func note(_ text: String) {
        if silent { return }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// A note that is printed even on a silent rank.
    static func rankNote(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Exit code for an error: its category's (an error without one is an internal failure).
    static func exitCode(for error: Error) -> ExitCode { ExitCode(ErrorCategory.of(error)) }

    static func fail(_ error: Error) -> Never {
        note("tenure: error: \(error)")
        finish(exitCode(for: error))
    }

    /// The only exit of the program (main.swift calls it; commands return or throw).
    static func finish(_ code: ExitCode) -> Never {
        exit(code.rawValue)
    }
}
