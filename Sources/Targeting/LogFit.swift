// Whether tonight's log can be scored with this model at all, checked before a list is written: an unattended
// nightly job must fail loudly (exit 2, no list) on a stale export, a log from another product, or a log that
// has drifted far from the training data, instead of writing an empty or meaningless list with exit 0.
import EventLog
import ModelFormat
import TenureCore

public enum LogFit {
    /// The as-of must fall after the log's first event and at most `maxStaleness` after its last.
    public static func checkFreshness(store: EventStore, asOf: Int64, maxStaleness: TimeSpan) throws {
        guard let first = store.firstTime, let last = store.lastTime else { throw TargetingError.staleLog("the event log has no events") }
        if asOf <= first {
            throw TargetingError.staleLog("--as-of \(formatTimestamp(asOf)) is not after the log's first event (\(formatTimestamp(first))): no user has history to score")
        }
        if asOf - last > maxStaleness.millis {
            throw TargetingError.staleLog("--as-of \(formatTimestamp(asOf)) is more than --max-staleness \(maxStaleness) after the log's last event (\(formatTimestamp(last))): is the export stale? (raise --max-staleness to score it anyway)")
        }
    }

    /// The model's event names (its per-event counts, taken from the training log) that tonight's log lacks;
    /// empty for a model of a log without an event column.
    public static func missingEvents(store: EventStore, model: TenureModel) -> (missing: [String], of: Int) {
        let expected = model.features?.eventCounts ?? []
        let present = store.hasEventColumn ? Set(store.eventNames) : []
        return (expected.filter { !present.contains($0) }, expected.count)
    }

    /// A mismatch worth refusing: most (more than half) of the model's event names absent from the log.
    public static func eventMismatch(store: EventStore, model: TenureModel) -> String? {
        let (missing, total) = missingEvents(store: store, model: model)
        guard total > 0, missing.count * 2 > total else { return nil }
        let shown = missing.prefix(10).joined(separator: ", ") + (missing.count > 10 ? ", …" : "")
        return "\(missing.count) of the model's \(total) event names are absent from the log (\(shown)): is this the product the model was trained on?"
    }

    /// A mismatch worth refusing: more than half of the features moved past the drift line.
    public static func driftMismatch(_ drift: [FeatureDrift], threshold: Double) -> String? {
        let moved = drift.filter { $0.psi > threshold }.count
        guard !drift.isEmpty, moved * 2 > drift.count else { return nil }
        return "\(moved) of \(drift.count) features moved against the training data (PSI > \(threshold)): \(worst(drift, over: threshold))"
    }

    /// `--fail-on-drift`: any feature's PSI above `limit`.
    public static func checkDrift(_ drift: [FeatureDrift], failAbove limit: Double) throws {
        let over = drift.filter { $0.psi > limit }
        guard !over.isEmpty else { return }
        throw TargetingError.drifted("\(over.count) feature(s) have PSI above --fail-on-drift \(limit): \(worst(over, over: limit))")
    }

    /// The most-moved features, worst first, with their PSI.
    static func worst(_ drift: [FeatureDrift], over line: Double) -> String {
        let moved = drift.filter { $0.psi > line }.sorted { $0.psi != $1.psi ? $0.psi > $1.psi : $0.feature < $1.feature }
        return moved.prefix(10).map { "\($0.feature) \(String(format: "%.2f", $0.psi))" }.joined(separator: ", ") + (moved.count > 10 ? ", …" : "")
    }
}
