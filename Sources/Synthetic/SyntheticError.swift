// Errors thrown by the Synthetic module: invalid generator configuration or I/O failure.
import TenureCore

/// Why a synthetic log could not be generated.
public enum SyntheticError: CategorizedError, Sendable, Equatable, CustomStringConvertible {
    /// A configuration field is out of its allowed range.
    case invalidConfig(field: String, value: String, reason: String)
    /// The output file could not be opened for writing.
    case cannotOpen(path: String, errno: Int32)
    /// Writing or closing the output file failed (disk full, I/O error…).
    case writeFailed(path: String, errno: Int32)

    /// Settings out of range are usage errors; failing to write is the machine's, as for every output.
    public var category: ErrorCategory {
        switch self {
        case .invalidConfig: return .usage
        case .cannotOpen, .writeFailed: return .internalFailure
        }
    }

    public var description: String {
        switch self {
        case let .invalidConfig(field, value, reason):
            return "invalid synthetic-log setting \(field)=\(value): \(reason)"
        case let .cannotOpen(path, code):
            return "cannot open \(path) for writing (errno \(code)); check the directory exists and is writable"
        case let .writeFailed(path, code):
            return "writing \(path) failed (errno \(code)); check free disk space"
        }
    }
}
