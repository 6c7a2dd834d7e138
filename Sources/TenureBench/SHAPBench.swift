// tenure-bench shap: times per-row TreeSHAP contributions of a trained model (placeholder).
enum SHAPBench {
    static func run(_ args: [String]) throws { throw BenchError("shap bench: not written yet") }
}
