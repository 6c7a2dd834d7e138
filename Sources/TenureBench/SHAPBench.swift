// tenure-bench shap: times per-row TreeSHAP contributions of a GBDT model, Algorithm 2 (the reference) against the
// linear-time `TreeSHAPExplainer`, and reports µs/row, CPU time, plan size and the largest difference.
//
//   tenure-bench shap [--model M.tenure | --rows 100000 --cols 30 --trees 200 --leaves 31 --seed 1]
//                     [--explain 5000] [--ref-rows 500] [--cover hessian|rowCount] [--runs 3]
//
// Without --model it trains a GBDT (GBDTTrainer, 2 threads) on a generated matrix: uniform(0,1) features, 10 %
// NaN, logit = 3·x0 − 2·x1 + 2·[x2 > 0.5] + 1.5·x3·x4 + Σ_{j≥5} 0.2·sin(6·x_j) − 2. Explained rows are the
// first `--explain` training rows (or, with --model, generated rows spanning each feature's training range).
// Timings are single-threaded: the median (and minimum) over `--runs` of wall and thread-CPU µs per row.
import Foundation
@_spi(TreeSHAPReference) import GradientBoosting
import ModelFormat

enum SHAPBench {
    static func run(_ args: [String]) throws {
        let o = try BenchOptions(args)
        let explainRows = try o.int("explain", default: 5000)
        let refRows = try o.int("ref-rows", default: 500)
        let runs = try o.int("runs", default: 3)
        let cover: TreeSHAPCover
        switch o.optional("cover") ?? "hessian" {
        case "hessian": cover = .hessian
        case "rowCount": cover = .rowCount
        case let other: throw BenchError("--cover takes hessian or rowCount, not '\(other)'")
        }
        guard explainRows >= 1, refRows >= 1, runs >= 1 else { throw BenchError("--explain, --ref-rows, --runs must be >= 1") }

        var info: [String: Any] = [:]
        let model: GBDTModel
        let x: [Double]
        if let path = o.optional("model") {
            guard let m = try ModelFile.read(path).gbdt else { throw BenchError("\(path) is not a gradient-boosting model") }
            model = m
            x = generatedRows(explainRows, model: m)
            info["model"] = path
        } else {
            let rows = try o.int("rows", default: 100_000), cols = try o.int("cols", default: 30)
            var config = GBDTConfig()
            config.trees = try o.int("trees", default: 200)
            config.numLeaves = try o.int("leaves", default: config.numLeaves)
            config.seed = UInt64(try o.int("seed", default: 1))
            guard rows >= explainRows, cols >= 5 else { throw BenchError("need --rows >= --explain and --cols >= 5") }
            let (data, y) = plantedMatrix(rows: rows, cols: cols, seed: config.seed)
            let (m, seconds) = try timed { try GBDTTrainer.train(x: data, rows: rows, cols: cols, y: y, config: config) }
            model = m
            x = Array(data[0..<(explainRows * cols)])
            info["train_seconds"] = seconds
            info["train_rows"] = rows
        }
        let cols = model.featureCount
        let n = x.count / cols
        let nRef = min(refRows, n)
        info["trees"] = model.trees.count
        info["max_leaves"] = model.trees.map(\.numLeaves).max() ?? 0
        info["max_depth"] = model.trees.map(\.maxDepth).max() ?? 0
        info["features"] = cols
        info["cover"] = "\(cover)"
        info["explain_rows"] = n
        info["reference_rows"] = nRef
        info["runs"] = runs

        let (explainer, buildSeconds) = timed { model.shapExplainer(cover: cover) }
        info["plan_build_ms"] = buildSeconds * 1e3
        info["plan_bytes"] = explainer.planBytes
        let points = explainer.quadraturePointsPerTree
        info["quadrature_points_mean"] = Double(points.reduce(0, +)) / Double(max(1, points.count))
        info["quadrature_points_max"] = points.max() ?? 0
        info["quadrature_points_histogram"] = Dictionary(grouping: points, by: { $0 }).mapValues(\.count)
            .sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: " ")

        var out = [Double](repeating: 0, count: cols + 1)
        var checksum = 0.0
        let fast = x.withUnsafeBufferPointer { xb in
            out.withUnsafeMutableBufferPointer { ob in
                measure(runs: runs, rows: n) {
                    for r in 0..<n {
                        explainer.contributions(UnsafeBufferPointer(rebasing: xb[(r * cols)..<((r + 1) * cols)]), into: ob)
                        checksum += ob[r % cols]
                    }
                }
            }
        }
        let reference = x.withUnsafeBufferPointer { xb in
            measure(runs: runs, rows: nRef) {
                for r in 0..<nRef {
                    checksum += model.referenceContributions(UnsafeBufferPointer(rebasing: xb[(r * cols)..<((r + 1) * cols)]),
                                                             cover: cover)[r % cols]
                }
            }
        }
        let perCall = x.withUnsafeBufferPointer { xb in
            measure(runs: runs, rows: nRef) {
                for r in 0..<nRef {
                    checksum += model.contributions(UnsafeBufferPointer(rebasing: xb[(r * cols)..<((r + 1) * cols)]),
                                                    cover: cover)[r % cols]
                }
            }
        }
        info["explainer_us_per_row"] = fast.wall
        info["explainer_cpu_us_per_row"] = fast.cpu
        info["explainer_min_us_per_row"] = fast.minWall
        info["reference_us_per_row"] = reference.wall
        info["reference_cpu_us_per_row"] = reference.cpu
        info["reference_min_us_per_row"] = reference.minWall
        info["model_api_us_per_row"] = perCall.wall
        info["model_api_cpu_us_per_row"] = perCall.cpu
        info["speedup_wall"] = reference.wall / fast.wall
        info["speedup_cpu"] = reference.cpu / fast.cpu

        // Agreement on the reference rows: largest absolute and relative (to max(1, |reference|)) difference,
        // and the largest |Σ contributions − raw score|.
        var maxAbs = 0.0, maxRel = 0.0, maxSum = 0.0
        x.withUnsafeBufferPointer { xb in
            for r in 0..<nRef {
                let row = UnsafeBufferPointer(rebasing: xb[(r * cols)..<((r + 1) * cols)])
                let a = explainer.contributions(row), b = model.referenceContributions(row, cover: cover)
                for i in a.indices {
                    maxAbs = max(maxAbs, abs(a[i] - b[i]))
                    maxRel = max(maxRel, abs(a[i] - b[i]) / max(1, abs(b[i])))
                }
                if cover == .hessian { maxSum = max(maxSum, abs(a.reduce(0, +) - model.rawScore(row))) }
            }
        }
        info["max_abs_diff"] = maxAbs
        info["max_rel_diff"] = maxRel
        if cover == .hessian { info["max_additivity_error"] = maxSum }
        info["checksum"] = checksum
        info["load_average_1m"] = loadAverage()
        printJSON(info)
    }

    /// Median and minimum wall µs/row and median thread-CPU µs/row of `body` (which explains `rows` rows).
    static func measure(runs: Int, rows: Int, _ body: () -> Void) -> (wall: Double, minWall: Double, cpu: Double) {
        var walls: [Double] = [], cpus: [Double] = []
        for _ in 0..<runs {
            let c0 = threadCPU()
            let ((), seconds) = timed(body)
            cpus.append((threadCPU() - c0) / Double(rows) * 1e6)
            walls.append(seconds / Double(rows) * 1e6)
        }
        return (median(walls), walls.min()!, median(cpus))
    }

    static func median(_ v: [Double]) -> Double {
        let s = v.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    static func threadCPU() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func loadAverage() -> Double {
        var l = [Double](repeating: 0, count: 3)
        return getloadavg(&l, 3) >= 1 ? l[0] : -1
    }

    /// splitmix64 (Steele et al. 2014), as uniform doubles in [0, 1).
    struct SplitMix {
        var state: UInt64
        mutating func next() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) * 0x1p-53
        }
    }

    /// The generated training matrix described in the file header, and its 0/1 labels.
    static func plantedMatrix(rows: Int, cols: Int, seed: UInt64) -> (x: [Double], y: [Double]) {
        var rng = SplitMix(state: seed)
        var x = [Double](repeating: 0, count: rows * cols), y = [Double](repeating: 0, count: rows)
        for r in 0..<rows {
            var z = -2.0
            let v = (0..<cols).map { _ in rng.next() }
            z += 3 * v[0] - 2 * v[1] + (v[2] > 0.5 ? 2 : 0) + 1.5 * v[3] * v[4]
            for j in 5..<cols { z += 0.2 * sin(6 * v[j]) }
            for j in 0..<cols { x[r * cols + j] = rng.next() < 0.1 ? .nan : v[j] }
            y[r] = rng.next() < 1 / (1 + exp(-z)) ? 1 : 0
        }
        return (x, y)
    }

    /// Rows for a loaded model: each feature uniform over its training range, 10 % NaN.
    static func generatedRows(_ n: Int, model: GBDTModel) -> [Double] {
        var rng = SplitMix(state: 99)
        let cols = model.featureCount
        var x = [Double](repeating: 0, count: n * cols)
        for r in 0..<n {
            for j in 0..<cols {
                let u = rng.next()
                x[r * cols + j] = rng.next() < 0.1 ? .nan : model.featureMin[j] + u * (model.featureMax[j] - model.featureMin[j])
            }
        }
        return x
    }
}
