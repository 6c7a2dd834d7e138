// Errors from feature specs, label definitions and cutoff schedules.

public enum FeaturesError: Error, CustomStringConvertible, Sendable {
    case invalidDuration(String)
    case invalidCutoff(String)
    case invalidSpec(String)
    case unsupportedSpecVersion(found: Int, newestSupported: Int)
    case unknownEvent(name: String, known: [String])
    case emptyLog

    public var description: String {
        switch self {
        case let .invalidDuration(t): return "'\(t)' is not a duration: use a number and a unit, like 30d, 12h or 2w"
        case let .invalidCutoff(t):
            return "'\(t)' is not a cutoff: use a date (2026-05-31) or a range START..END/STEP (2026-03-01..2026-05-31/14d)"
        case let .invalidSpec(why): return "feature spec: \(why)"
        case let .unsupportedSpecVersion(found, newest):
            return "feature spec version \(found) is newer than this Tenure understands (\(newest)); upgrade Tenure"
        case let .unknownEvent(name, known):
            return "no event named '\(name)' in the log; its event names are: \(known.prefix(30).joined(separator: ", "))"
        case .emptyLog: return "the event log holds no events"
        }
    }
}
