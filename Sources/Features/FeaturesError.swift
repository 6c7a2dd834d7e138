// Errors from feature specs, label definitions and cutoff schedules.
import TenureCore

public enum FeaturesError: CategorizedError, CustomStringConvertible, Sendable {
    case invalidCutoff(String)
    case invalidCutoffStep(String, reason: String)
    case tooManyCutoffs(String, count: Int, limit: Int)
    case invalidSpec(String)
    case unsupportedSpecVersion(found: Int, newestSupported: Int)
    case unknownEvent(name: String, known: [String])
    case emptyLog
    /// No (user, cutoff) row at these cutoffs has a label: every horizon runs past the data, or no user is eligible.
    case noLabelledRows(cutoffs: [String])

    /// A malformed --cutoff is a usage error; a spec, a log or cutoffs without labelled rows are bad input.
    public var category: ErrorCategory {
        switch self {
        case .invalidCutoff, .invalidCutoffStep, .tooManyCutoffs: return .usage
        case .invalidSpec, .unsupportedSpecVersion, .unknownEvent, .emptyLog, .noLabelledRows: return .badInput
        }
    }

    public var description: String {
        switch self {
        case let .invalidCutoff(t):
            return "'\(t)' is not a cutoff: use a date (2026-05-31) or a range START..END/STEP (2026-03-01..2026-05-31/14d)"
        case let .invalidCutoffStep(t, reason): return "'\(t)' is not a cutoff range: \(reason)"
        case let .tooManyCutoffs(t, count, limit):
            return "'\(t)' gives \(count) cutoffs, more than \(limit): use a longer step or a shorter range"
        case let .invalidSpec(why): return "feature spec: \(why)"
        case let .unsupportedSpecVersion(found, newest):
            return "feature spec version \(found) is newer than this Tenure understands (\(newest)); upgrade Tenure"
        case let .unknownEvent(name, known):
            return "no event named '\(name)' in the log; its event names are: \(known.prefix(30).joined(separator: ", "))"
        case .emptyLog: return "the event log holds no events"
        case let .noLabelledRows(cutoffs): return "no labelled rows at \(cutoffs.joined(separator: ","))"
        }
    }
}
