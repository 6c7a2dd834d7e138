// Errors of the targeting step: bad playbook or contact files, options that cannot work with this model.
import TenureCore

public enum TargetingError: CategorizedError, CustomStringConvertible, Sendable {
    case invalidPlaybook(String)
    case unreadable(path: String, reason: String)
    case badContactRow(path: String, line: Int, reason: String)
    case missingFeature(String, needed: String)
    case invalidPartition(String)
    /// --campaign / --control-share out of range.
    case invalidCampaign(String)
    /// The as-of does not fall within the log (before it, or past --max-staleness after its end).
    case staleLog(String)
    /// The log does not fit the model (its event names absent, or most features drifted); --allow-mismatch goes on.
    case mismatch(String)
    /// A feature's PSI above --fail-on-drift.
    case drifted(String)
    /// --rank-by uplift or incremental-value with a churn or activation model.
    case rankNeedsUplift(String)

    /// Playbook and contact files are bad input; an option this model cannot serve or a bad --partition is usage.
    public var category: ErrorCategory {
        switch self {
        case .invalidPlaybook, .unreadable, .badContactRow, .staleLog, .mismatch, .drifted: return .badInput
        case .missingFeature, .invalidPartition, .invalidCampaign, .rankNeedsUplift: return .usage
        }
    }

    public var description: String {
        switch self {
        case let .invalidPlaybook(m): return "playbook: \(m)"
        case let .unreadable(p, r): return "\(p): \(r)"
        case let .badContactRow(p, l, r): return "\(p):\(l): \(r)"
        case let .missingFeature(f, needed): return "the model has no '\(f)' feature, which \(needed) needs"
        case let .invalidPartition(m): return "--partition: \(m)"
        case let .invalidCampaign(m): return m
        case let .staleLog(m): return m
        case let .mismatch(m): return "the log does not fit the model: \(m) (--allow-mismatch scores it anyway)"
        case let .drifted(m): return m
        case let .rankNeedsUplift(r): return "--rank-by \(r) needs an uplift model (tenure train --task uplift): this model predicts who leaves, not what a contact changes; rank by expected-loss or risk"
        }
    }
}
