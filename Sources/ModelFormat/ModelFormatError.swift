// Why a model file could not be read or written.
import TenureCore

/// Every case is `.badInput` (exit 2): the model file, or a row given to it, is wrong. A feature row of the
/// wrong width (`featureCountMismatch`) is bad data for this model, not a malformed command line, so it is
/// `.badInput` too.
public enum ModelFormatError: Error, CategorizedError, CustomStringConvertible, Sendable {
    case cannotRead(path: String, reason: String)
    case notAModel(path: String)
    case unsupportedFormatVersion(path: String, found: Int, newestSupported: Int)
    case checksumMismatch(path: String, expected: String, found: String)
    case truncated(path: String, expectedBytes: Int, foundBytes: Int)
    case malformed(path: String, reason: String)
    case featureCountMismatch(expected: Int, found: Int)

    public var category: ErrorCategory { .badInput }

    public var description: String {
        switch self {
        case let .cannotRead(path, reason): return "\(path): cannot read the model: \(reason)"
        case let .notAModel(path): return "\(path): not a Tenure model file (no TENURE-MODEL header)"
        case let .unsupportedFormatVersion(path, found, newest):
            return "\(path): model format version \(found) is newer than this Tenure reads (format version \(newest), Tenure \(TenureModel.tenureVersion)); upgrade Tenure"
        case let .checksumMismatch(path, expected, found):
            return "\(path): checksum mismatch (header says \(expected.prefix(16))…, content hashes to \(found.prefix(16))…): the file was altered or damaged; refusing to score with it"
        case let .truncated(path, expected, found):
            return "\(path): truncated model file (\(found) of \(expected) bytes); refusing to score with it"
        case let .malformed(path, reason): return "\(path): malformed model: \(reason); refusing to score with it"
        case let .featureCountMismatch(expected, found): return "the model takes \(expected) features, got \(found)"
        }
    }
}

/// What a decoded model file contradicts itself on (wrapped in `ModelFormatError.malformed` with the path).
struct ModelInconsistency: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
