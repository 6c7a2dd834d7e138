// Speed harness, not a test: with TENURE_GBDT_SPEED=1 and TENURE_GBDT_DATA=<dir from
// bench/gbdt/make_data.py>, trains on the big matrix and prints train time, holdout AUC, batch and
// single-row scoring speed. Skipped otherwise; asserts nothing about time.
// Run: TENURE_GBDT_SPEED=1 TENURE_GBDT_DATA=/tmp/gbdt_bench swift test -c release --filter SpeedBench
import Foundation
import Testing
@testable import GradientBoosting

@Suite("SpeedBench")
struct SpeedBench {
    static func load(_ path: String) throws -> [Double] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return data.withUnsafeBytes { raw in Array(raw.bindMemory(to: Double.self)) }
    }

    /// Unoptimised loop so the optimiser cannot hoist the (pure) scoring call out of it.
    @_optimize(none)
    static func repeatScore(_ m: GBDTModel, _ row: UnsafeBufferPointer<Double>, _ n: Int) -> Double {
        var s = 0.0
        for _ in 0..<n { s += m.rawScore(row) }
        return s
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// CPU seconds of the process (all threads) or of the calling thread: robust to a shared, loaded machine.
    static func cpu(thread: Bool = false) -> Double {
        var ts = timespec()
        clock_gettime(thread ? CLOCK_THREAD_CPUTIME_ID : CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    @Test("train/score timing on the bench matrix",
          .enabled(if: ProcessInfo.processInfo.environment["TENURE_GBDT_SPEED"] == "1"))
    func timing() throws {
        let env = ProcessInfo.processInfo.environment
        let dir = try #require(env["TENURE_GBDT_DATA"])
        let cols = Int(env["TENURE_GBDT_COLS"] ?? "30") ?? 30
        let trees = Int(env["TENURE_GBDT_TREES"] ?? "200") ?? 200
        let repeats = Int(env["TENURE_GBDT_REPEAT"] ?? "1") ?? 1
        let x = try Self.load("\(dir)/train_x.f64"), y = try Self.load("\(dir)/train_y.f64")
        let tx = try Self.load("\(dir)/test_x.f64"), ty = try Self.load("\(dir)/test_y.f64")
        var config = GBDTConfig()
        config.trees = trees; config.numLeaves = 31; config.maxBin = 255; config.learningRate = 0.1; config.threads = 2
        let tb = Self.now()
        let binned = x.withUnsafeBufferPointer {
            BinnedMatrix(x: $0, rows: y.count, cols: cols, maxBin: 255, seed: 42, threads: 2)
        }
        print(String(format: "tenure: binning alone %.3fs (%d histogram slots)", Self.now() - tb, binned.totalBins))
        var model: GBDTModel? = nil
        var times: [Double] = []
        var cpuTimes: [Double] = []
        for _ in 0..<repeats {
            let t0 = Self.now(), c0 = Self.cpu()
            model = try GBDTTrainer.train(x: x, rows: y.count, cols: cols, y: y, config: config)
            times.append(Self.now() - t0)
            cpuTimes.append(Self.cpu() - c0)
        }
        let m = try #require(model)
        let t1 = Self.now()
        let p = m.scoreBatch(x: tx, rows: ty.count)
        let batchTime = Self.now() - t1
        let auc = TestData.auc(p, ty)
        // Single row: one precomputed row scored repeatedly.
        let row = Array(tx[0..<cols])
        var sink = 0.0
        let n = 200_000
        let t2 = Self.cpu(thread: true)
        row.withUnsafeBufferPointer { rb in sink += Self.repeatScore(m, rb, n) }
        let single = (Self.cpu(thread: true) - t2) / Double(n)
        // Single row over many different rows (cache/branch behaviour of real traffic).
        let t3 = Self.cpu(thread: true)
        tx.withUnsafeBufferPointer { xb in
            for r in 0..<ty.count { sink += m.rawScore(UnsafeBufferPointer(rebasing: xb[(r * cols)..<((r + 1) * cols)])) }
        }
        let singleMany = (Self.cpu(thread: true) - t3) / Double(ty.count)
        let c4 = Self.cpu()
        _ = m.scoreBatch(x: tx, rows: ty.count)
        let batchCPU = Self.cpu() - c4
        let leaves = m.trees.map(\.numLeaves).reduce(0, +)
        let meanMaxDepth = Double(m.trees.map(\.maxDepth).reduce(0, +)) / Double(m.trees.count)
        print(String(format: "tenure: mean tree depth %.1f, max %d", meanMaxDepth, m.trees.map(\.maxDepth).max() ?? 0))
        print(String(format: "tenure: train wall %.3fs (runs %@) cpu %.3fs, trees %d (leaves %d), holdout AUC %.5f, "
                     + "batch %.0f rows/s wall, %.0f rows per cpu-second; rawScore thread-cpu %.3f µs (same row) "
                     + "%.3f µs (distinct rows) [sink %.1f]",
                     times.min()!, times.map { String(format: "%.3f", $0) }.joined(separator: ", "), cpuTimes.min()!,
                     m.trees.count, leaves, auc, Double(ty.count) / batchTime, Double(ty.count) / batchCPU,
                     single * 1e6, singleMany * 1e6, sink))
    }
}
