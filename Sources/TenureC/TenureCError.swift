// Why libtenurec refused a call beyond what the model loader already checks.
import TenureCore

public enum TenureCError: Error, CategorizedError, CustomStringConvertible, Sendable {
    case badPath

    /// A NULL or non-UTF-8 path is the caller's mistake, not a bad model file.
    public var category: ErrorCategory { .usage }

    public var description: String {
        switch self {
        case .badPath: return "the model path is NULL or not valid UTF-8"
        }
    }
}
