// What a label means (domain.md): churn, activation, or none (features only, for scoring).
import TenureCore

public enum PredictionTask: String, Sendable, Codable, CaseIterable {
    /// Active in the lookback before the cutoff; label 1 = no qualifying event in [cutoff, cutoff + horizon).
    case churn
    /// First seen within the signup window before the cutoff and not yet activated; label 1 = a key event in
    /// [cutoff, cutoff + horizon).
    case activation
    /// Every user seen before the cutoff; no label, no censoring.
    case none
}

public struct LabelSpec: Sendable, Codable, Equatable {
    public var task: PredictionTask
    /// Churn eligibility window; nil = any event before the cutoff (`--lookback all`, the CDNOW protocol).
    public var lookback: TimeSpan?
    public var horizon: TimeSpan
    /// Event or group names that count as "still here" for churn; empty = any event.
    public var qualifyingEvents: [String]
    public var signupWindow: TimeSpan
    /// Event or group names that count as activation.
    public var keyEvents: [String]

    public init(task: PredictionTask, lookback: TimeSpan? = .days(30), horizon: TimeSpan = .days(14),
                qualifyingEvents: [String] = [], signupWindow: TimeSpan = .days(14), keyEvents: [String] = ["purchase"]) {
        self.task = task
        self.lookback = lookback
        self.horizon = horizon
        self.qualifyingEvents = qualifyingEvents
        self.signupWindow = signupWindow
        self.keyEvents = keyEvents
    }

    /// One line for summaries and `tenure inspect`.
    public var summary: String {
        switch task {
        case .churn:
            let events = qualifyingEvents.isEmpty ? "event" : qualifyingEvents.joined(separator: "/") + " event"
            let look = lookback.map { "active in the \($0) before the cutoff" } ?? "seen before the cutoff"
            return "churn: \(look), label 1 when no \(events) in the \(horizon) after it"
        case .activation:
            return "activation: first seen in the \(signupWindow) before the cutoff, label 1 when \(keyEvents.joined(separator: "/")) happens in the \(horizon) after it"
        case .none: return "no label (features only)"
        }
    }
}
