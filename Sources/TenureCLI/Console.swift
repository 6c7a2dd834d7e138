// Messages to stderr, and the one place that turns an outcome into `tenure: error: ...` and an exit code:
// every error carries its category (TenureCore), and the category alone picks the README's code.
import Foundation
import TenureCore

/// The README's exit codes: 0 ok, 1 internal failure, 2 bad input data, 64 usage.
enum ExitCode: Int32 {
    case ok = 0, failure = 1, badData = 2, usage = 64

    init(_ category: ErrorCategory) {
        switch category {
        case .usage: self = .usage
        case .badInput: self = .badData
        case .internalFailure: self = .failure
        }
    }
}

enum Console {
    static func note(_ text: String) {
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
