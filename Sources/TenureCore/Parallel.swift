// Parallel: the one place that fans work out to threads (`WorkerPool`'s, or Dispatch's when the pool is busy).
import Dispatch
import Synchronization

/// Runs `body(i)` for i in 0..<iterations, concurrently when `iterations > 1`, and returns when all
/// are done. Callers give each iteration a disjoint slice of the output (static partitioning), so
/// results never depend on thread scheduling; that is why the non-Sendable closure is sound here.
/// The iterations run on `WorkerPool.shared`; a call made while the pool runs another (from a second thread,
/// or nested inside an iteration) goes to Dispatch's `concurrentPerform`.
@inline(__always)
public func parallelFor(_ iterations: Int, _ body: (Int) -> Void) {
    if iterations <= 1 {
        if iterations == 1 { body(0) }
        return
    }
    if WorkerPool.shared.run(iterations, body) { return }
    withoutActuallyEscaping(body) { escapable in
        nonisolated(unsafe) let work = escapable
        DispatchQueue.concurrentPerform(iterations: iterations) { work($0) }
    }
}

/// Splits 0..<count into `chunks` contiguous ranges (chunk c covers count·c/chunks ..< count·(c+1)/chunks, so
/// the split depends only on the two numbers) and runs `body(c, range)` for every chunk, concurrently.
@inline(__always)
public func parallelChunks(_ count: Int, chunks: Int, _ body: (_ chunk: Int, _ range: Range<Int>) -> Void) {
    parallelFor(chunks) { c in body(c, (count * c / chunks)..<(count * (c + 1) / chunks)) }
}

/// Runs `body(worker, task)` for every task in 0..<tasks on up to `workers` threads, each taking the next task
/// when it finishes one, so tasks of uneven cost keep every thread busy. Which worker runs a task depends on
/// scheduling: callers either write each task's result to its own place, or add into per-worker buffers with
/// exact (integer) sums, whose total is then the same whichever worker added what.
public func parallelTasks(workers: Int, tasks: Int, _ body: (_ worker: Int, _ task: Int) -> Void) {
    let workers = min(workers, tasks)
    if workers <= 1 {
        for t in 0..<tasks { body(0, t) }
        return
    }
    let next = Atomic<Int>(0)
    parallelFor(workers) { w in
        while true {
            let t = next.add(1, ordering: .relaxed).oldValue
            if t >= tasks { return }
            body(w, t)
        }
    }
}
