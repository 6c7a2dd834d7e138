// Why libtenurec refused a model file beyond what ModelFormat already checks.
import TenureCore

public enum TenureCError: CategorizedError, CustomStringConvertible, Sendable {
    case inconsistentModel(path: String, reason: String)
    case badPath

    /// An inconsistent model is bad input; a NULL or non-UTF-8 path is a wrong call.
    public var category: ErrorCategory {
        switch self {
        case .inconsistentModel: return .badInput
        case .badPath: return .usage
        }
    }

    public var description: String {
        switch self {
        case let .inconsistentModel(path, reason):
            return "\(path): inconsistent model: \(reason); refusing to score with it (re-train or re-export the model)"
        case .badPath: return "the model path is NULL or not valid UTF-8"
        }
    }
}
