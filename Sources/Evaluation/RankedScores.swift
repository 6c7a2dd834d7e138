// Shared preprocessing for ranking metrics: validation, a deterministic descending order of rows,
// and the grouping of tied scores into distinct thresholds (what ROC, PR and gains curves walk).

/// Validates `scores`/`labels`/`weights` and throws the first problem found (row order).
///
/// - `requireProbabilities`: additionally require every score to lie in [0, 1].
/// Complexity O(n).
func validateInputs(
    scores: [Double], labels: [Double], weights: [Double]?, requireProbabilities: Bool
) throws {
    guard scores.count == labels.count, weights.map({ $0.count == scores.count }) ?? true else {
        throw EvaluationError.sizeMismatch(scores: scores.count, labels: labels.count, weights: weights?.count)
    }
    guard !scores.isEmpty else { throw EvaluationError.empty }
    for i in 0..<scores.count {
        let s = scores[i]
        guard s.isFinite else { throw EvaluationError.nonFiniteScore(index: i, value: s) }
        if requireProbabilities && !(s >= 0 && s <= 1) {
            throw EvaluationError.probabilityOutOfRange(index: i, value: s)
        }
        let y = labels[i]
        guard y == 0 || y == 1 else { throw EvaluationError.invalidLabel(index: i, value: y) }
    }
    if let weights {
        var total = 0.0
        for i in 0..<weights.count {
            let w = weights[i]
            guard w.isFinite && w >= 0 else { throw EvaluationError.invalidWeight(index: i, value: w) }
            total += w
        }
        guard total > 0 else { throw EvaluationError.zeroTotalWeight }
    }
}

/// Row indices sorted by score descending; **tie rule: equal scores keep ascending row index**
/// (i.e. the earlier row ranks first). This is the order used for top-k and cumulative gains.
/// Complexity O(n log n).
func descendingOrder(_ scores: [Double]) -> [Int] {
    var order = Array(0..<scores.count)
    scores.withUnsafeBufferPointer { s in
        order.sort { a, b in
            let sa = s[a], sb = s[b]
            return sa > sb || (sa == sb && a < b)
        }
    }
    return order
}

/// Scores grouped into distinct thresholds, highest first, with the weighted positive and negative mass
/// at each threshold. Tied rows always fall into the same group, which is what makes every curve and AUC
/// exact under ties.
struct ThresholdGroups {
    /// Distinct score values, descending.
    var thresholds: [Double] = []
    /// Weighted positives (label 1) with score == thresholds[g].
    var positives: [Double] = []
    /// Weighted negatives (label 0) with score == thresholds[g].
    var negatives: [Double] = []
    var totalPositive = 0.0
    var totalNegative = 0.0

    /// Builds the groups from validated inputs in O(n log n).
    init(scores: [Double], labels: [Double], weights: [Double]?, order: [Int]) {
        thresholds.reserveCapacity(scores.count)
        positives.reserveCapacity(scores.count)
        negatives.reserveCapacity(scores.count)
        for i in order {
            let s = scores[i]
            let w = weights?[i] ?? 1
            if thresholds.last != s {
                thresholds.append(s)
                positives.append(0)
                negatives.append(0)
            }
            if labels[i] == 1 {
                positives[positives.count - 1] += w
                totalPositive += w
            } else {
                negatives[negatives.count - 1] += w
                totalNegative += w
            }
        }
    }

    /// ROC AUC = P(score⁺ > score⁻) + ½ P(score⁺ = score⁻) (Mann–Whitney U / (P·N)), weighted.
    /// Walking thresholds downward: each negative mass n_g contributes n_g · (P_above + p_g / 2).
    /// `nil` when either class has zero weight. O(#groups).
    var rocAUC: Double? {
        guard totalPositive > 0, totalNegative > 0 else { return nil }
        var above = 0.0
        var sum = 0.0
        for g in 0..<thresholds.count {
            sum += negatives[g] * (above + 0.5 * positives[g])
            above += positives[g]
        }
        return sum / (totalPositive * totalNegative)
    }

    /// Average precision (scikit-learn's definition): AP = Σₙ (Rₙ − Rₙ₋₁) · Pₙ over distinct thresholds,
    /// where Pₙ, Rₙ are precision and recall when predicting positive for scores ≥ thresholdₙ.
    /// No interpolation. `nil` when there are no (weighted) positives. O(#groups).
    var averagePrecision: Double? {
        guard totalPositive > 0 else { return nil }
        var tp = 0.0, fp = 0.0, ap = 0.0
        for g in 0..<thresholds.count {
            tp += positives[g]
            fp += negatives[g]
            if positives[g] > 0 { ap += (positives[g] / totalPositive) * (tp / (tp + fp)) }
        }
        return ap
    }
}
