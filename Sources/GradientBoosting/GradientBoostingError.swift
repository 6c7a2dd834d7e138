// GradientBoostingError: the one error type of the GradientBoosting module.
// Every case carries the context a user needs to fix the input or the settings.
import Foundation
import TenureCore

/// Errors thrown by gradient-boosting training, configuration validation and model decoding.
public enum GradientBoostingError: CategorizedError, Equatable, Sendable, CustomStringConvertible {
    /// An array does not have the length implied by `rows`/`cols`.
    case shapeMismatch(what: String, expected: Int, found: Int)
    /// There is no training row or no feature column.
    case emptyData(what: String)
    /// A label is not 0 or 1.
    case invalidLabel(row: Int, value: Double)
    /// A sample weight is negative, NaN or infinite.
    case invalidWeight(row: Int, value: Double)
    /// A feature value is +/-infinity (NaN is allowed and means "missing").
    case infiniteFeatureValue(what: String, row: Int, feature: Int)
    /// A decoded model is internally inconsistent.
    case invalidModel(reason: String)
    /// Bagging was asked of a distributed (MPI) training job.
    case baggingNotDistributed

    /// Bad training data or a corrupt model are bad input; arrays whose length disagrees with `rows`/`cols` are
    /// the caller's bug. (Settings out of range are `ParameterError`s, from `GBDTConfig.parameters`.)
    public var category: ErrorCategory {
        switch self {
        case .emptyData, .invalidLabel, .invalidWeight, .infiniteFeatureValue, .invalidModel: return .badInput
        case .shapeMismatch: return .internalFailure
        case .baggingNotDistributed: return .usage
        }
    }

    public var description: String {
        switch self {
        case let .shapeMismatch(what, expected, found):
            return "\(what) has \(found) elements but \(expected) were expected; check rows/cols."
        case let .emptyData(what):
            return "\(what) is empty: gradient boosting needs at least one row and one feature."
        case let .invalidLabel(row, value):
            return "label at row \(row) is \(value); binary labels must be 0 or 1."
        case let .invalidWeight(row, value):
            return "weight at row \(row) is \(value); weights must be finite and >= 0."
        case let .infiniteFeatureValue(what, row, feature):
            return "\(what) has an infinite value at row \(row), feature \(feature); "
                + "use NaN for missing values and clip infinities."
        case let .invalidModel(reason):
            return "the gradient-boosting model is corrupt: \(reason)"
        case .baggingNotDistributed:
            return "--bagging-fraction below 1 is not available with --distributed (the bag is drawn over one process's rows); train without bagging"
        }
    }
}
