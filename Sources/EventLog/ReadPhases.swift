// Where a text read spends its time, phase by phase: measured per round and per block (never per event), so
// the figures cost nothing on the hot path. `tenure-bench read` prints them; the CLI does not.
import Foundation

/// Seconds per phase of one `EventLogReader` text read. Wall seconds unless named CPU (the thread's CPU time,
/// summed over the threads that ran the phase).
public struct ReadPhases: Sendable, Codable, Equatable {
    /// Reading the file into the read buffer (the part not overlapped with parsing).
    public var fill = 0.0
    /// Finding the record boundaries that cut a round into blocks.
    public var split = 0.0
    /// The parallel rounds: blocks parsed while the previous round is merged.
    public var rounds = 0.0
    /// Parsing the blocks (CPU).
    public var parseCPU = 0.0
    /// Folding the blocks into the global ids and the builder (CPU; one merge at a time).
    public var mergeCPU = 0.0
    /// The last round's merge, which nothing overlaps.
    public var lastMerge = 0.0
    /// The user-id and event-name strings of the store.
    public var ids = 0.0
    /// Store build: the per-user counts, the scatter into user order, the sparse values, the per-user sort.
    public var count = 0.0, scatter = 0.0, values = 0.0, sort = 0.0

    public init() {}

    public var total: Double { fill + split + rounds + lastMerge + ids + count + scatter + values + sort }

    /// Seconds on a monotonic clock.
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// CPU seconds of the calling thread.
    static func threadCPU() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Adds the wall seconds `body` takes to `phase`.
    static func time<R>(_ phase: inout Double, _ body: () throws -> R) rethrows -> R {
        let start = now()
        defer { phase += now() - start }
        return try body()
    }
}
