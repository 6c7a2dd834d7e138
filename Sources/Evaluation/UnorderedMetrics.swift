// Metrics of a set of scored rows, whatever order the rows came in: the model's stored validation metrics are
// computed this way, so a distributed training job (rows gathered rank by rank) stores the very numbers a single
// process does, and a backtest of the held-out cutoff reproduces them.
extension Metrics {
    /// `evaluate` over the rows put in one canonical order first (ascending probability, then label), so the
    /// result depends only on the multiset of (probability, label) pairs. O(n log n).
    public static func evaluateUnordered(probabilities: [Double], labels: [Double]) throws -> BinaryMetrics {
        let (p, y) = canonicalOrder(probabilities: probabilities, labels: labels)
        return try evaluate(probabilities: p, labels: y)
    }

    /// The pairs sorted by probability, then label (NaN probabilities last).
    public static func canonicalOrder(probabilities p: [Double], labels y: [Double]) -> (probabilities: [Double], labels: [Double]) {
        precondition(p.count == y.count)
        let order = p.indices.sorted { a, b in
            if p[a] != p[b] { return p[a] < p[b] || (p[b].isNaN && !p[a].isNaN) }
            return y[a] < y[b]
        }
        return (order.map { p[$0] }, order.map { y[$0] })
    }
}
