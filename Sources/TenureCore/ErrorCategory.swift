// Every error a Tenure module throws says which of three kinds it is; the CLI turns the kind into the README's
// exit code in one place (`ExitStatus`), so no module knows about exit codes and no command picks one itself.

/// What kind of failure an error is, from the point of view of whoever ran Tenure.
public enum ErrorCategory: String, Sendable, CaseIterable {
    /// The command line itself is wrong: an unknown flag, a missing or malformed value, a value out of range.
    case usage
    /// The data given is wrong: a bad row, an unreadable or damaged model, a bad spec, playbook or contacts file.
    case badInput
    /// Tenure failed on input it should have handled (a bug, or the machine: disk full, out of memory).
    case internalFailure
}

/// An error that knows its category. Every module's error type conforms; anything else counts as internal.
public protocol CategorizedError: Error {
    var category: ErrorCategory { get }
}

extension ErrorCategory {
    /// The category of any error: its own when it declares one, otherwise an internal failure.
    public static func of(_ error: any Error) -> ErrorCategory {
        (error as? any CategorizedError)?.category ?? .internalFailure
    }
}

/// A file that cannot be read at all (missing, a directory, no permission).
public struct FileReadError: CategorizedError, CustomStringConvertible, Sendable, Equatable {
    public let path: String
    public let reason: String
    public init(path: String, reason: String) { self.path = path; self.reason = reason }
    public var category: ErrorCategory { .badInput }
    public var description: String { "cannot read \(path): \(reason)" }
}
