// What a trainer reports while it works, for the CLI to show as a bar (terminal) or as lines (pipe).

/// One progress report from `ModelTrainer.train`.
public enum TrainingProgress: Sendable, Equatable {
    /// A line worth keeping in any log (split sizes, solver outcome).
    case note(String)
    /// A transient state with no known end (e.g. a Newton iteration): shown in place on a terminal.
    case status(String)
    /// `done` of `total` units (e.g. trees) finished; `detail` describes the latest one.
    case step(done: Int, total: Int, unit: String, detail: String)
}
