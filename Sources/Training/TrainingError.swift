// Why a model could not be trained.
import TenureCore

public enum TrainingError: CategorizedError, CustomStringConvertible, Sendable {
    case tooFewRows(positives: Int, negatives: Int, floor: Int, cutoffs: [String])
    case noTrainingCutoffs(cutoffs: Int, validCutoffs: Int)
    /// The trainer's own error, as text, with its category (bad settings, unusable data or a bug).
    case trainerFailed(String, category: ErrorCategory)
    /// `--weight-col` names no usable column of the feature file.
    case missingWeightColumn(path: String, column: String, reason: String)
    /// A sample weight that is missing, NaN, infinite or negative, at `path:line`.
    case invalidWeight(path: String, line: Int, column: String, value: Double)
    /// The weights of one class in the training rows sum to zero.
    case zeroClassWeight(label: Int)

    /// Too few labelled rows or cutoffs, or bad weights, are bad input (README: exit 2); the trainer's errors keep theirs.
    public var category: ErrorCategory {
        switch self {
        case .tooFewRows, .noTrainingCutoffs, .invalidWeight, .missingWeightColumn, .zeroClassWeight: return .badInput
        case let .trainerFailed(_, category): return category
        }
    }

    public var description: String {
        switch self {
        case let .tooFewRows(p, n, floor, cutoffs):
            return "refusing to train: the training cutoffs (\(cutoffs.joined(separator: ", "))) hold \(p) positives and \(n) negatives; each needs at least \(floor) (--min-class-rows). Add cutoffs, widen the horizon or lower the floor."
        case let .noTrainingCutoffs(c, v):
            return "refusing to train: \(c) cutoff(s) with labelled rows and \(v) held out for validation leaves none to train on; give more cutoffs (e.g. --cutoff START..END/14d) or lower --valid-cutoffs"
        case let .trainerFailed(why, _): return "training failed: \(why)"
        case let .missingWeightColumn(path, column, reason):
            return "\(path): cannot use '\(column)' as the weight column (--weight-col): \(reason)"
        case let .invalidWeight(path, line, column, value):
            let what = value.isNaN ? "is missing" : (value < 0 ? "is negative (\(value))" : "is not finite (\(value))")
            return "\(path):\(line): weight column '\(column)' \(what); sample weights must be finite numbers ≥ 0"
        case let .zeroClassWeight(label):
            return "refusing to train: the \(label == 1 ? "positive" : "negative") training rows all have weight 0 (--weight-col)"
        }
    }
}
