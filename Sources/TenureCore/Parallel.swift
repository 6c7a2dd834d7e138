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

/// Splits 0..<count into `chunks` contiguous ranges (chunk c covers count·c/chunks ..< count·(c+1)/chunks, so
/// the split depends only on the two numbers) and runs `body(c, range)` for every chunk, concurrently.
@inline(__always)
public func parallelChunks(_ count: Int, chunks: Int, _ body: (_ chunk: Int, _ range: Range<Int>) -> Void) {
    parallelFor(chunks) { c in body(c, (count * c / chunks)..<(count * (c + 1) / chunks)) }
}
