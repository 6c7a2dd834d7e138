// Errors thrown by the Synthetic module: an invalid generator configuration (writing fails with OutputError).
import TenureCore

/// Why a synthetic log could not be generated.
public enum SyntheticError: CategorizedError, Sendable, Equatable, CustomStringConvertible {
    /// A configuration field is out of its allowed range.
    case invalidConfig(field: String, value: String, reason: String)

    /// Settings out of range are usage errors.
    public var category: ErrorCategory { .usage }

    public var description: String {
        switch self {
        case let .invalidConfig(field, value, reason):
            return "invalid synthetic-log setting \(field)=\(value): \(reason)"
        }
    }
}
