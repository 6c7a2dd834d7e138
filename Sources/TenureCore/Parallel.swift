// Parallel: the one place that fans work out to Dispatch's worker threads.
import Dispatch

/// Runs `body(i)` for i in 0..<iterations, concurrently when `iterations > 1`, and returns when all
/// are done. Callers give each iteration a disjoint slice of the output (static partitioning), so
/// results never depend on thread scheduling; that is why the non-Sendable closure is sound here.
@inline(__always)
public func parallelFor(_ iterations: Int, _ body: (Int) -> Void) {
    if iterations <= 1 {
        if iterations == 1 { body(0) }
        return
    }
    withoutActuallyEscaping(body) { escapable in
        nonisolated(unsafe) let work = escapable
        DispatchQueue.concurrentPerform(iterations: iterations) { work($0) }
    }
}
