// Errors thrown by the Evaluation module when metric inputs are malformed.
// Every case carries enough context (index, value, sizes) to locate the bad row.
import TenureCore

/// Bad input to a metric. Undefined metrics (e.g. ROC AUC with one class) are not errors: they are `nil`.
public enum EvaluationError: CategorizedError, Sendable, Equatable, CustomStringConvertible {
    /// No rows were given.
    case empty
    /// Scores, labels and (optional) weights must have the same length.
    case sizeMismatch(scores: Int, labels: Int, weights: Int?)
    /// A score / probability is NaN or infinite.
    case nonFiniteScore(index: Int, value: Double)
    /// A probability lies outside [0, 1] (only checked where probabilities are required).
    case probabilityOutOfRange(index: Int, value: Double)
    /// A label is neither 0 nor 1.
    case invalidLabel(index: Int, value: Double)
    /// A sample weight is negative, NaN or infinite.
    case invalidWeight(index: Int, value: Double)
    /// All sample weights are zero, so every weighted average is undefined.
    case zeroTotalWeight
    /// A parameter such as a bin count is out of range.
    case invalidArgument(name: String, reason: String)

    /// Metric inputs come from the caller's data; only a bad parameter is a usage error.
    public var category: ErrorCategory {
        switch self {
        case .invalidArgument: return .usage
        case .empty, .sizeMismatch, .nonFiniteScore, .probabilityOutOfRange, .invalidLabel, .invalidWeight, .zeroTotalWeight: return .badInput
        }
    }

    public var description: String {
        switch self {
        case .empty:
            return "no rows to evaluate: pass at least one score/label pair"
        case let .sizeMismatch(scores, labels, weights):
            let w = weights.map { ", \($0) weights" } ?? ""
            return "length mismatch: \(scores) scores, \(labels) labels\(w); they must be equal"
        case let .nonFiniteScore(index, value):
            return "score at row \(index) is \(value); scores must be finite numbers"
        case let .probabilityOutOfRange(index, value):
            return "probability at row \(index) is \(value); probabilities must lie in [0, 1]"
        case let .invalidLabel(index, value):
            return "label at row \(index) is \(value); labels must be exactly 0 or 1"
        case let .invalidWeight(index, value):
            return "weight at row \(index) is \(value); weights must be finite and >= 0"
        case .zeroTotalWeight:
            return "all sample weights are zero; give at least one row a positive weight"
        case let .invalidArgument(name, reason):
            return "invalid argument \(name): \(reason)"
        }
    }
}
