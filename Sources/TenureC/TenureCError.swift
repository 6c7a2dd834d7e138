// Why libtenurec refused a model file beyond what ModelFormat already checks.

public enum TenureCError: Error, CustomStringConvertible, Sendable {
    case inconsistentModel(path: String, reason: String)
    case badPath

    public var description: String {
        switch self {
        case let .inconsistentModel(path, reason):
            return "\(path): inconsistent model: \(reason); refusing to score with it (re-train or re-export the model)"
        case .badPath: return "the model path is NULL or not valid UTF-8"
        }
    }
}
