// Builds the (user, cutoff) rows: point-in-time features, labels, eligibility and censoring, on both cores.
import Dispatch
import EventLog
import TenureCore

/// Rows of features (row-major, NaN = undefined) with their user, cutoff and label.
public struct FeatureTable: Sendable {
    public var names: [String]
    public var rows: Int
    public var values: [Double]
    /// Index into the store's `userIDs`.
    public var users: [Int32]
    public var cutoffs: [Int64]
    /// nil for `--task none`.
    public var labels: [Double]?

    public var width: Int { names.count }

    public init(names: [String], rows: Int, values: [Double], users: [Int32], cutoffs: [Int64], labels: [Double]?) {
        self.names = names; self.rows = rows; self.values = values; self.users = users; self.cutoffs = cutoffs; self.labels = labels
    }
}

public struct CutoffSummary: Sendable, Codable, Equatable {
    public var cutoff: Int64
    /// Users meeting the label definition's eligibility at this cutoff.
    public var eligible: Int
    public var rows: Int
    public var positives: Int
    /// Eligible users left out because the horizon runs past the end of the data.
    public var censored: Int
}

public struct BuildSummary: Sendable, Codable, Equatable {
    public var rows: Int
    public var positives: Int
    public var censored: Int
    /// Activation only: users in the signup window who already did a key event before the cutoff.
    public var alreadyActivated: Int
    /// End of the data: midnight UTC after the last event. A horizon must end by then to be labelled.
    public var dataEnd: Int64
    public var perCutoff: [CutoffSummary]
}

/// Event-id sets for a label definition, resolved against one store.
struct LabelMasks: Sendable {
    let qualifying: [Bool]?   // nil = any event
    let key: [Bool]

    init(_ label: LabelSpec, spec: FeatureSpec, store: EventStore) throws {
        func mask(_ names: [String]) throws -> [Bool] { try EventSelection.mask(names, spec: spec, store: store) }
        qualifying = label.qualifyingEvents.isEmpty ? nil : try mask(label.qualifyingEvents)
        key = label.task == .activation ? try mask(label.keyEvents) : []
    }
}

public enum TrainingSetBuilder {
    /// - Complexity: O(cutoffs × events) on `threads` cores.
    /// With `scoring`, rows are every user eligible under the label definition at each cutoff (as-of time),
    /// with no label and no censoring: what the nightly scorer needs. `includeUsers` (one flag per store user)
    /// restricts the rows to some users, e.g. one partition of a split nightly run; `userRange` (store user
    /// indices) to a block of users, so a caller can build a large night's rows a chunk at a time: the rows of
    /// consecutive ranges, concatenated, are the rows of their union.
    public static func build(store: EventStore, plan: FeaturePlan, label: LabelSpec, cutoffs: [Int64],
                             threads: Int = 2, scoring: Bool = false, includeUsers: [Bool]? = nil,
                             userRange: Range<Int>? = nil) throws -> (FeatureTable, BuildSummary) {
        precondition(includeUsers == nil || includeUsers!.count == store.userCount, "includeUsers needs one flag per user")
        let span = userRange ?? 0..<store.userCount
        precondition(span.lowerBound >= 0 && span.upperBound <= store.userCount, "userRange outside the store's users")
        guard let last = store.lastTime else { throw FeaturesError.emptyLog }
        let dataEnd = (utcDay(last) + 1) * millisPerDay
        let masks = try LabelMasks(label, spec: plan.resolved.spec, store: store)
        let layout = ExtractorLayout(plan, eventNameCount: store.eventNames.count)
        let width = plan.count
        let userCount = span.count, firstUser = span.lowerBound
        let chunks = max(1, min(userCount / 2048, threads * 8))

        var table = FeatureTable(names: plan.names, rows: 0, values: [], users: [], cutoffs: [],
                                 labels: label.task == .none || scoring ? nil : [])
        var summary = BuildSummary(rows: 0, positives: 0, censored: 0, alreadyActivated: 0, dataEnd: dataEnd, perCutoff: [])
        for c in cutoffs.sorted() {
            let censoredCutoff = !scoring && label.task != .none && c + label.horizon.millis > dataEnd
            var parts = [ChunkRows](repeating: ChunkRows(), count: chunks)
            store.withColumns { cols in
                parts.withUnsafeMutableBufferPointer { out in
                    let shared = SharedOutput(out: out)
                    parallelChunks(userCount, chunks: chunks) { k, range in
                        var rows = ChunkRows()
                        var row = [Double](repeating: 0, count: width)
                        for u in (firstUser + range.lowerBound)..<(firstUser + range.upperBound) {
                            if let include = includeUsers, !include[u] { continue }
                            let lo = cols.offsets[u], hi = cols.offsets[u + 1]
                            let end = cols.lowerBound(c, lo, hi)
                            guard end > lo else { continue }
                            var labelValue = 0.0
                            switch label.task {
                            case .none: break
                            case .churn:
                                if let lb = label.lookback, cols.times[end - 1] < c - lb.millis { continue }
                                rows.eligible += 1
                                if censoredCutoff { rows.censored += 1; continue }
                                if scoring { break }
                                let stop = cols.lowerBound(c + label.horizon.millis, end, hi)
                                var stayed = false
                                if let q = masks.qualifying {
                                    for j in end..<stop where q[Int(cols.events[j])] { stayed = true; break }
                                } else {
                                    stayed = stop > end
                                }
                                labelValue = stayed ? 0 : 1
                            case .activation:
                                if cols.times[lo] < c - label.signupWindow.millis { continue }
                                var activated = false
                                for j in lo..<end where masks.key[Int(cols.events[j])] { activated = true; break }
                                if activated { rows.alreadyActivated += 1; continue }
                                rows.eligible += 1
                                if censoredCutoff { rows.censored += 1; continue }
                                if scoring { break }
                                let stop = cols.lowerBound(c + label.horizon.millis, end, hi)
                                var hit = false
                                for j in end..<stop where masks.key[Int(cols.events[j])] { hit = true; break }
                                labelValue = hit ? 1 : 0
                            }
                            if label.task == .none { rows.eligible += 1 }
                            row.withUnsafeMutableBufferPointer { r in
                                layout.extract(cols, lo: lo, end: end, cutoff: c, into: r.baseAddress!, width: width)
                            }
                            rows.values.append(contentsOf: row)
                            rows.users.append(Int32(u))
                            rows.labels.append(labelValue)
                        }
                        shared.out[k] = rows
                    }
                }
            }
            var cs = CutoffSummary(cutoff: c, eligible: 0, rows: 0, positives: 0, censored: 0)
            // Exact capacity up front: growing by doubling would copy the table again and hold two buffers.
            let added = parts.reduce(0) { $0 + $1.users.count }
            table.values.reserveCapacity(table.values.count + added * width)
            table.users.reserveCapacity(table.users.count + added)
            table.cutoffs.reserveCapacity(table.cutoffs.count + added)
            if table.labels != nil { table.labels!.reserveCapacity(table.users.count + added) }
            for k in parts.indices {
                let p = parts[k]
                parts[k] = ChunkRows()   // release each chunk as it is copied: one copy of the table at a time
                table.values.append(contentsOf: p.values)
                table.users.append(contentsOf: p.users)
                table.cutoffs.append(contentsOf: repeatElement(c, count: p.users.count))
                if table.labels != nil { table.labels!.append(contentsOf: p.labels) }
                cs.eligible += p.eligible
                cs.rows += p.users.count
                cs.positives += table.labels == nil ? 0 : Int(p.labels.reduce(0, +))
                cs.censored += p.censored
                summary.alreadyActivated += p.alreadyActivated
            }
            summary.perCutoff.append(cs)
            summary.rows += cs.rows
            summary.positives += cs.positives
            summary.censored += cs.censored
        }
        table.rows = table.users.count
        return (table, summary)
    }

    /// `build`'s rows handed to `body` a block of `chunkUsers` store users at a time (cutoff by cutoff, users in
    /// order: `build`'s row order), each dropped after `body`, so a large table is written without being held.
    /// `body` first gets the empty table (names and label column, for a header), then every chunk with rows.
    /// Returns `build`'s summary of the whole.
    public static func forEachChunk(store: EventStore, plan: FeaturePlan, label: LabelSpec, cutoffs: [Int64], threads: Int = 2,
                                    chunkUsers: Int, _ body: (FeatureTable) throws -> Void) throws -> BuildSummary {
        // No users and no cutoffs: `build`'s checks (an empty log, the label's events) and the empty table.
        let (empty, first) = try build(store: store, plan: plan, label: label, cutoffs: [], threads: threads, userRange: 0..<0)
        try body(empty)
        var summary = first
        for c in cutoffs.sorted() {
            var cs = CutoffSummary(cutoff: c, eligible: 0, rows: 0, positives: 0, censored: 0)
            var start = 0
            repeat {
                let range = start..<min(store.userCount, start + max(1, chunkUsers))
                start = range.upperBound
                let (table, part) = try build(store: store, plan: plan, label: label, cutoffs: [c], threads: threads, userRange: range)
                let p = part.perCutoff[0]
                cs.eligible += p.eligible; cs.rows += p.rows; cs.positives += p.positives; cs.censored += p.censored
                summary.alreadyActivated += part.alreadyActivated
                if table.rows > 0 { try body(table) }
            } while start < store.userCount
            summary.perCutoff.append(cs)
            summary.rows += cs.rows
            summary.positives += cs.positives
            summary.censored += cs.censored
        }
        return summary
    }
}

private struct ChunkRows {
    var values: [Double] = []
    var users: [Int32] = []
    var labels: [Double] = []
    var eligible = 0, censored = 0, alreadyActivated = 0
}

private struct SharedOutput: @unchecked Sendable {
    let out: UnsafeMutableBufferPointer<ChunkRows>
}
