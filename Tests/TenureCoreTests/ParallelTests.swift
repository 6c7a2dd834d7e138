// parallelFor runs every iteration exactly once, whether the worker pool takes the job, or Dispatch does because
// the pool is busy (a nested call inside an iteration, or calls from many threads at once, as a service makes).
import Dispatch
import Synchronization
import Testing
@testable import TenureCore

@Suite("parallelFor: every iteration once, pooled, nested and concurrent")
struct ParallelTests {
    /// Counts per iteration, added atomically.
    final class Tally: @unchecked Sendable {
        let counts: UnsafeMutableBufferPointer<Int>
        init(_ n: Int) { counts = .allocate(capacity: n); counts.initialize(repeating: 0) }
        deinit { counts.deallocate() }
        var all: [Int] { Array(counts) }
    }

    @Test("each of many jobs, short and long, runs every iteration once", arguments: [2, 3, 17, 1000])
    func everyIterationOnce(iterations: Int) {
        for job in 0..<200 {
            let tally = Tally(iterations)
            let counts = tally.counts
            parallelFor(iterations) { i in counts[i] += 1 }   // disjoint slots
            #expect(tally.all == [Int](repeating: 1, count: iterations), "job \(job)")
        }
    }

    @Test("a parallelFor inside an iteration runs all of its own iterations")
    func nested() {
        let outer = 4, inner = 50
        let tally = Tally(outer * inner)
        let counts = tally.counts
        parallelFor(outer) { o in
            parallelFor(inner) { i in counts[o * inner + i] += 1 }
        }
        #expect(tally.all == [Int](repeating: 1, count: outer * inner))
    }

    @Test("calls from several threads at once each complete")
    func concurrentCallers() {
        let callers = 8, iterations = 64
        let total = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: callers) { _ in
            for _ in 0..<50 {
                parallelFor(iterations) { _ in total.add(1, ordering: .relaxed) }
            }
        }
        #expect(total.load(ordering: .relaxed) == callers * 50 * iterations)
    }

    @Test("parallelTasks hands out every task once, under each worker id at most once at a time")
    func tasks() {
        let tasks = 500
        let tally = Tally(tasks)
        let counts = tally.counts
        final class Flag: Sendable { let inside = Atomic<Int>(0) }
        let busy = (0..<4).map { _ in Flag() }
        let overlap = Atomic<Int>(0)
        parallelTasks(workers: 4, tasks: tasks) { w, t in
            if busy[w].inside.add(1, ordering: .relaxed).newValue != 1 { overlap.add(1, ordering: .relaxed) }
            counts[t] += 1
            busy[w].inside.subtract(1, ordering: .relaxed)
        }
        #expect(tally.all == [Int](repeating: 1, count: tasks))
        #expect(overlap.load(ordering: .relaxed) == 0)
    }
}
