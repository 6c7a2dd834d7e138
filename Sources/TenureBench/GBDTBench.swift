// tenure-bench gbdt: times gradient-boosting training (binning included), batch prediction over a test
// matrix and single-row latency, on in-memory float64 matrices, and prints one JSON line.
import Evaluation
import Foundation
import GradientBoosting

enum GBDTBench {
    static let usage = """
        tenure-bench gbdt --train-x F --train-y F --test-x F --test-y F --cols N [--trees 200] [--leaves 31]
          [--bins 255] [--learning-rate 0.1] [--threads 2] [--single-calls 1000000] [--batch-repeats 3]
          [--model-out FILE.json] [--model-in FILE.json] [--lightgbm-out FILE.txt] [--predictions-out FILE.f64]
          [--result-out FILE.json]
        --model-in skips training and times prediction of a model saved earlier with --model-out.
        """

    static func run(_ args: [String]) throws {
        let o = try BenchOptions(args)
        let cols = try o.int("cols", default: 0)
        guard cols > 0 else { throw BenchError("--cols must be > 0\n\(usage)") }
        let (trainX, rows) = try MatrixFile.read(try o.string("train-x"), cols: cols)
        let (trainY, yRows) = try MatrixFile.read(try o.string("train-y"), cols: 1)
        let (testX, testRows) = try MatrixFile.read(try o.string("test-x"), cols: cols)
        let (testY, testYRows) = try MatrixFile.read(try o.string("test-y"), cols: 1)
        guard rows == yRows, testRows == testYRows, testRows > 0 else {
            throw BenchError("row counts disagree: train x \(rows) y \(yRows), test x \(testRows) y \(testYRows)")
        }
        // Defaults are GBDTConfig's (its parameter table); 200 trees is the bench's own setting, shared with the
        // peers through bench/stages/02_gbdt.py, whose flag names (--leaves, --bins) the peers read too.
        var config = GBDTConfig()
        config.trees = try o.int("trees", default: 200)
        config.numLeaves = try o.int("leaves", default: config.numLeaves)
        config.maxBin = try o.int("bins", default: config.maxBin)
        config.learningRate = try o.double("learning-rate", default: config.learningRate)
        config.threads = try o.int("threads", default: config.threads)
        let singleCalls = try o.int("single-calls", default: 1_000_000)
        let batchRepeats = max(1, try o.int("batch-repeats", default: 3))

        // Training: binning + boosting, from the in-memory matrix (as lightgbm.Dataset + lightgbm.train).
        let cpu0 = cpuSeconds()
        let (model, trainSeconds) = try timed {
            if let path = o.optional("model-in") {
                return try JSONDecoder().decode(GBDTModel.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
            }
            return try GBDTTrainer.train(x: trainX, rows: rows, cols: cols, y: trainY, config: config)
        }
        let trainCPU = cpuSeconds() - cpu0

        // Batch prediction over the whole test matrix (probabilities), best and median of the repeats.
        var batchTimes: [Double] = [], batchCPU: [Double] = []
        var probabilities: [Double] = []
        for _ in 0..<batchRepeats {
            let c = cpuSeconds()
            let (p, s) = timed { model.scoreBatch(x: testX, rows: testRows) }
            batchTimes.append(s); batchCPU.append(cpuSeconds() - c)
            probabilities = p
        }
        let auc = try Metrics.rocAUC(scores: probabilities, labels: testY) ?? .nan

        // Single-row latency: one precomputed row, scored `singleCalls` times in blocks of 1,000 calls;
        // the median block gives µs per call. Also over 1,024 distinct rows in turn (no repeated path).
        let sameRow = Array(testX[0..<cols])
        let distinct = min(1024, testRows)
        let (sameUS, sink1) = sameRow.withUnsafeBufferPointer { row in
            latency(calls: singleCalls) { _ in model.probability(row) }
        }
        let (distinctUS, sink2) = testX.withUnsafeBufferPointer { xb in
            latency(calls: singleCalls) { i in
                let r = i % distinct
                return model.probability(UnsafeBufferPointer(rebasing: xb[(r * cols)..<((r + 1) * cols)]))
            }
        }

        if let path = o.optional("model-out") {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            try encoder.encode(model).write(to: URL(fileURLWithPath: path), options: .atomic)
        }
        if let path = o.optional("lightgbm-out") {
            let names = (0..<cols).map { "f\($0)" }
            try Data(model.lightGBMModelText(featureNames: names).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        }
        if let path = o.optional("predictions-out") {
            let data = probabilities.withUnsafeBytes { Data($0) }
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        }
        let sortedBatch = batchTimes.sorted()
        let result: [String: Any] = [
            "tool": "tenure", "rows": rows, "cols": cols, "test_rows": testRows, "threads": config.threads,
            "trees": model.trees.count, "leaves": model.trees.map(\.numLeaves).reduce(0, +),
            "trained": o.optional("model-in") == nil,
            "train_seconds": trainSeconds, "train_cpu_seconds": trainCPU, "auc": auc,
            "batch_seconds": sortedBatch[sortedBatch.count / 2], "batch_seconds_min": sortedBatch[0],
            "batch_cpu_seconds": batchCPU.sorted()[batchCPU.count / 2],
            "batch_rows_per_second": Double(testRows) / sortedBatch[sortedBatch.count / 2],
            "single_row_us": sameUS, "single_row_distinct_us": distinctUS, "single_row_calls": singleCalls,
            "sink": (sink1 + sink2).isFinite ? 1 : 0,
        ]
        if let path = o.optional("result-out") {
            let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        }
        printJSON(result)
    }

    /// Median µs per call of `body` over blocks of 1,000 calls (`calls` in total), and the sum of the
    /// results (returned so the calls cannot be optimised away).
    static func latency(calls: Int, _ body: (Int) -> Double) -> (Double, Double) {
        let block = 1000
        var perCall: [Double] = []
        var sink = 0.0
        var i = 0
        for _ in 0..<(max(1, calls / block)) {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<block { sink += body(i); i &+= 1 }
            perCall.append(Double(DispatchTime.now().uptimeNanoseconds - start) / Double(block) / 1000)
        }
        perCall.sort()
        return (perCall[perCall.count / 2], sink)
    }

    /// CPU seconds used by the whole process (all threads).
    static func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
