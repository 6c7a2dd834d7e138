// tenure-bench logistic: times logistic-regression training on an in-memory matrix (placeholder).
enum LogisticBench {
    static func run(_ args: [String]) throws { throw BenchError("logistic bench: not written yet") }
}
