// The threads `parallelFor` runs its iterations on. Dispatch's workers go to sleep as soon as a
// `concurrentPerform` ends, and waking one costs 50–100 µs here (a halted virtual CPU woken by an interrupt):
// a tree grown leaf by leaf opens thousands of short parallel steps with serial work between them, and
// measured on 2 cores a 22 µs two-way step cost 104 µs after 150 µs of serial work. These workers spin for a
// while (`spinSeconds`) after each job before they sleep, as OpenMP's do, so the next step starts at once.
import CTenureHints
import Foundation
import Synchronization

final class WorkerPool: @unchecked Sendable {
    /// One pool per process: one thread fewer than the cores (the caller is the last one).
    static let shared = WorkerPool(workers: max(0, ProcessInfo.processInfo.activeProcessorCount - 1))

    /// How long an idle worker polls for the next job before it sleeps on the condition variable.
    static let spinSeconds = 0.0005

    let workers: Int
    /// Held by the caller whose job the pool runs; a second caller (another thread, or a nested
    /// `parallelFor` inside a job) finds it taken and runs its iterations through Dispatch instead.
    private let busy = Atomic<Bool>(false)
    /// Bumped for every job: what idle workers poll and sleep on.
    private let generation = Atomic<Int>(0)
    /// The next iteration to hand out, and the job's end.
    private let next = Atomic<Int>(0)
    private nonisolated(unsafe) var iterations = 0
    /// Set by the caller once every iteration has been handed out: a worker that arrives later leaves the job
    /// alone. `active` counts the workers inside the job; the caller waits for it to reach 0 before it returns
    /// (a worker holds the caller's closure until then).
    private let closed = Atomic<Bool>(true)
    private let active = Atomic<Int>(0)
    private nonisolated(unsafe) var body: ((Int) -> Void)?
    private let sleepers = Atomic<Int>(0)
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let wake: UnsafeMutablePointer<pthread_cond_t>
    private let started = Atomic<Bool>(false)

    private init(workers: Int) {
        self.workers = workers
        mutex = .allocate(capacity: 1)
        wake = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
    }

    /// Runs `body(i)` for every i in 0..<iterations on the caller and the pool's workers, each taking the next
    /// index as it frees up; false (nothing run) when the pool is busy with another caller's job.
    func run(_ iterations: Int, _ body: (Int) -> Void) -> Bool {
        guard workers > 0, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            return false
        }
        startWorkersOnce()
        withoutActuallyEscaping(body) { escapable in
            self.body = escapable
            self.iterations = iterations
            next.store(0, ordering: .relaxed)
            closed.store(false, ordering: .sequentiallyConsistent)
            generation.add(1, ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                pthread_mutex_lock(mutex)
                pthread_cond_broadcast(wake)
                pthread_mutex_unlock(mutex)
            }
            takeIterations(escapable)
            closed.store(true, ordering: .sequentiallyConsistent)
            while active.load(ordering: .sequentiallyConsistent) > 0 { tenure_spin_pause() }
            self.body = nil
        }
        busy.store(false, ordering: .releasing)
        return true
    }

    private func takeIterations(_ body: (Int) -> Void) {
        let end = iterations
        while true {
            let i = next.add(1, ordering: .relaxed).oldValue
            if i >= end { return }
            body(i)
        }
    }

    private func startWorkersOnce() {
        guard started.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        for _ in 0..<workers {
            let thread = Thread { [unowned self] in self.workerLoop() }
            thread.name = "tenure-worker"
            thread.start()
        }
    }

    private func workerLoop() {
        var seen = generation.load(ordering: .acquiring)
        while true {
            seen = waitForJob(after: seen)
            active.add(1, ordering: .sequentiallyConsistent)
            if !closed.load(ordering: .sequentiallyConsistent) { joinJob() }
            active.subtract(1, ordering: .sequentiallyConsistent)
        }
    }

    /// A separate function so the closure's reference is released before `active` is decremented.
    @inline(never) private func joinJob() {
        guard let body else { return }
        takeIterations(body)
    }

    /// Polls for a generation after `seen` for `spinSeconds`, then sleeps until one is published.
    private func waitForJob(after seen: Int) -> Int {
        let deadline = Self.monotonicSeconds() + Self.spinSeconds
        var polls = 0
        while true {
            let g = generation.load(ordering: .acquiring)
            if g != seen { return g }
            tenure_spin_pause()
            polls &+= 1
            if polls & 255 == 0 && Self.monotonicSeconds() > deadline { break }
        }
        pthread_mutex_lock(mutex)
        sleepers.add(1, ordering: .sequentiallyConsistent)
        var g = generation.load(ordering: .sequentiallyConsistent)
        while g == seen {
            pthread_cond_wait(wake, mutex)
            g = generation.load(ordering: .sequentiallyConsistent)
        }
        sleepers.subtract(1, ordering: .sequentiallyConsistent)
        pthread_mutex_unlock(mutex)
        return g
    }

    private static func monotonicSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}
