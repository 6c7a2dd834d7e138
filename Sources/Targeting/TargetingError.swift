// Errors of the targeting step: bad playbook or contact files, options that cannot work with this model.
import TenureCore

public enum TargetingError: CategorizedError, CustomStringConvertible, Sendable {
    case invalidPlaybook(String)
    case unreadable(path: String, reason: String)
    case badContactRow(path: String, line: Int, reason: String)
    case missingFeature(String, needed: String)
    case invalidPartition(String)

    /// Playbook and contact files are bad input; an option this model cannot serve or a bad --partition is usage.
    public var category: ErrorCategory {
        switch self {
        case .invalidPlaybook, .unreadable, .badContactRow: return .badInput
        case .missingFeature, .invalidPartition: return .usage
        }
    }

    public var description: String {
        switch self {
        case let .invalidPlaybook(m): return "playbook: \(m)"
        case let .unreadable(p, r): return "\(p): \(r)"
        case let .badContactRow(p, l, r): return "\(p):\(l): \(r)"
        case let .missingFeature(f, needed): return "the model has no '\(f)' feature, which \(needed) needs"
        case let .invalidPartition(m): return "--partition: \(m)"
        }
    }
}
