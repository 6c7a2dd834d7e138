// tenure-bench gbdt: times gradient-boosting training and prediction on an in-memory matrix (placeholder).
enum GBDTBench {
    static func run(_ args: [String]) throws { throw BenchError("gbdt bench: not written yet") }
}
