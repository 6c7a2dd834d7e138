// Errors of the report module: inputs that cannot make a report.

public enum ReportError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The run manifest is not a JSON object or a field has the wrong type.
    case badManifest(path: String, reason: String)
    /// A scored cutoff's columns do not line up.
    case mismatchedScores(cutoff: String, probabilities: Int, labels: Int)
    /// Feature rows whose width is not the model's feature count.
    case badFeatureRows(expected: Int, got: Int)

    public var description: String {
        switch self {
        case let .badManifest(path, reason):
            return "\(path): not a run manifest (\(reason)); pass the manifest.json written by 'tenure score --out DIR/'"
        case let .mismatchedScores(cutoff, p, l):
            return "cutoff \(cutoff): \(p) probabilities but \(l) labels"
        case let .badFeatureRows(expected, got):
            return "feature rows have \(got) values, the model expects a multiple of \(expected)"
        }
    }
}
