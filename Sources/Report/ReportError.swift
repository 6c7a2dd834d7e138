// Errors of the report module: inputs that cannot make a report.
import TenureCore

public enum ReportError: CategorizedError, CustomStringConvertible, Equatable, Sendable {
    /// A scored cutoff's columns do not line up.
    case mismatchedScores(cutoff: String, probabilities: Int, labels: Int)
    /// Feature rows whose width is not the model's feature count.
    case badFeatureRows(expected: Int, got: Int)

    /// Scores or rows that do not line up are the caller's bug (the manifest's errors are RunManifestError).
    public var category: ErrorCategory {
        switch self {
        case .mismatchedScores, .badFeatureRows: return .internalFailure
        }
    }

    public var description: String {
        switch self {
        case let .mismatchedScores(cutoff, p, l):
            return "cutoff \(cutoff): \(p) probabilities but \(l) labels"
        case let .badFeatureRows(expected, got):
            return "feature rows have \(got) values, the model expects a multiple of \(expected)"
        }
    }
}
