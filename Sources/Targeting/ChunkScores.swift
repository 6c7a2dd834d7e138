// The per-user scalars of a night, from feature rows built and dropped a chunk of store users at a time:
// probability, the genuine-activity flag, an uplift model's predictions, and the per-bin counts PSI needs.
import Evaluation
import EventLog
import Features
import ModelFormat
import Scoring

struct ChunkScores {
    /// Per scored row (in store-user order): its store user and probability.
    var users: [Int32] = []
    var probabilities: [Double] = []
    /// Per row, the model's `genuine_activity` (−1: NaN, unknown; 0: no; 1: yes); empty without that feature.
    var genuineFlags: [Int8] = []
    /// An uplift model's predictions per row (nil for other models).
    var uplift: [UpliftModel.Prediction]?
    /// PSI per feature against the model's reference (empty without one, or without rows); sorted by name.
    var drift: [FeatureDrift] = []
    var coverage: AttributeCoverage?

    init(_ source: EligibleRows, model: TenureModel, genuineColumn: Int?, chunkUsers: Int, threads: Int) throws {
        if model.uplift != nil { uplift = [] }
        var driftCounts: DriftCounts?
        var rowCoverage: AttributeCoverage?
        let step = max(1, chunkUsers)
        var start = 0
        repeat {
            let range = start..<min(source.userCount, start + step)
            start = range.upperBound
            let (table, rows) = try source.rows(users: range, threads: threads)
            if let rows { rowCoverage = rowCoverage.map { var c = $0; c.addRows(rows); return c } ?? rows }
            if let reference = model.reference {
                if driftCounts == nil {
                    var column: [String: Int] = [:]
                    for (j, n) in table.names.enumerated() { column[n] = j }
                    driftCounts = DriftCounts(reference, columns: reference.features.map { column[$0.name] })
                }
                driftCounts!.add(x: table.values, rows: table.rows, width: table.width, threads: threads)
            }
            guard table.rows > 0 else { continue }
            users += table.users
            probabilities += model.probabilities(x: table.values, rows: table.rows)
            if let c = genuineColumn {
                let width = table.width
                for r in 0..<table.rows {
                    let v = table.values[r * width + c]
                    genuineFlags.append(v.isNaN ? -1 : v != 0 ? 1 : 0)
                }
            }
            if let u = model.uplift { uplift! += u.predictions(x: table.values, rows: table.rows) }
        } while start < source.userCount
        coverage = source.coverage(rows: rowCoverage)
        if let counts = driftCounts, counts.rows > 0 {
            drift = zip(counts.reference.features, counts.psi()).filter { !$0.1.isNaN }.map { FeatureDrift(feature: $0.0.name, psi: $0.1) }
                .sorted { $0.feature < $1.feature }
        }
    }

    /// The row's genuine-activity flag: nil when the model has no such feature, or when this log cannot support
    /// it (NaN); unknown is not fake.
    func genuine(row: Int) -> Bool? {
        guard !genuineFlags.isEmpty else { return nil }
        let f = genuineFlags[row]
        return f < 0 ? nil : f == 1
    }
}
