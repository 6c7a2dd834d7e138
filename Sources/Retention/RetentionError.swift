// Errors of the retention module: bad options or a log that cannot form a cohort table.
import TenureCore

public enum RetentionError: CategorizedError, CustomStringConvertible, Equatable, Sendable {
    /// A retention day below 1 or a duplicate in the list.
    case invalidDays([Int])
    /// An alarm line outside [0, 1] or for a day that is not computed.
    case invalidAlarm(day: Int, line: Double)
    /// The store has no events, so there is no cohort.
    case emptyLog
    /// `signupEvents` names an event the log does not have.
    case unknownSignupEvent(String, known: [String])

    /// Days, alarm lines and signup events are options (usage); a log without events is bad input.
    public var category: ErrorCategory {
        switch self {
        case .invalidDays, .invalidAlarm, .unknownSignupEvent: return .usage
        case .emptyLog: return .badInput
        }
    }

    public var description: String {
        switch self {
        case .invalidDays(let d):
            return "retention days must be distinct whole numbers ≥ 1, got \(d.map(String.init).joined(separator: ","))"
        case .invalidAlarm(let day, let line):
            return "alarm line for day \(day) must be a share in [0, 1] for a computed day, got \(line)"
        case .emptyLog:
            return "the event log has no events: no signup cohort to measure"
        case .unknownSignupEvent(let name, let known):
            return "signup event '\(name)' is not in the log; events: \(known.joined(separator: ", "))"
        }
    }
}
