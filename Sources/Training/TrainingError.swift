// Why a model could not be trained.

public enum TrainingError: Error, CustomStringConvertible, Sendable {
    case tooFewRows(positives: Int, negatives: Int, floor: Int, cutoffs: [String])
    case noTrainingCutoffs(cutoffs: Int, validCutoffs: Int)
    case trainerFailed(String)

    public var description: String {
        switch self {
        case let .tooFewRows(p, n, floor, cutoffs):
            return "refusing to train: the training cutoffs (\(cutoffs.joined(separator: ", "))) hold \(p) positives and \(n) negatives; each needs at least \(floor) (--min-class-rows). Add cutoffs, widen the horizon or lower the floor."
        case let .noTrainingCutoffs(c, v):
            return "refusing to train: \(c) cutoff(s) with labelled rows and \(v) held out for validation leaves none to train on; give more cutoffs (e.g. --cutoff START..END/14d) or lower --valid-cutoffs"
        case let .trainerFailed(why): return "training failed: \(why)"
        }
    }
}
