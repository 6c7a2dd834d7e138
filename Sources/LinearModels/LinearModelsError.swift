// Errors thrown while fitting linear models, each with a message a user can act on.
import TenureCore

/// Bad input or configuration for `LogisticRegression.fit`.
public enum LinearModelsError: CategorizedError, Equatable, Sendable, CustomStringConvertible {
    case emptyData
    case sizeMismatch(what: String, expected: Int, actual: Int)
    case invalidLabel(row: Int, value: Double)
    case invalidSampleWeight(row: Int, value: Double)
    case zeroTotalWeight
    case singleClass(label: Double)
    case nonFiniteFeature(row: Int, column: Int, value: Double)
    case invalidConfig(reason: String)
    /// The Newton system stayed singular even after diagonal jitter and the L-BFGS fallback failed too.
    case singularSystem(detail: String)

    /// Bad settings are usage errors, unusable training data bad input, arrays of the wrong length a bug.
    public var category: ErrorCategory {
        switch self {
        case .invalidConfig: return .usage
        case .emptyData, .invalidLabel, .invalidSampleWeight, .zeroTotalWeight, .singleClass, .nonFiniteFeature, .singularSystem: return .badInput
        case .sizeMismatch: return .internalFailure
        }
    }

    public var description: String {
        switch self {
        case .emptyData:
            return "no training rows: need at least one row of each class"
        case let .sizeMismatch(what, expected, actual):
            return "\(what) has \(actual) values but \(expected) were expected (rows × cols must match the data)"
        case let .invalidLabel(row, value):
            return "label \(value) in row \(row) is not 0 or 1; labels must be binary and finite"
        case let .invalidSampleWeight(row, value):
            return "sample weight \(value) in row \(row) is invalid; weights must be finite and ≥ 0"
        case .zeroTotalWeight:
            return "all sample weights are zero; at least one row must carry weight"
        case let .singleClass(label):
            return "every weighted row has label \(label); logistic regression needs both classes "
                + "(check the cutoff/horizon so that some users churn and some do not)"
        case let .nonFiniteFeature(row, column, value):
            return "feature value \(value) at row \(row), column \(column) is infinite; "
                + "use NaN for missing values and clip infinities"
        case let .invalidConfig(reason):
            return "invalid logistic regression settings: \(reason)"
        case let .singularSystem(detail):
            return "optimisation failed on a singular system (\(detail)); add L2 regularisation (--l2) "
                + "or drop duplicated/constant features"
        }
    }
}
