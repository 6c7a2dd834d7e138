// The shared fixture: `tenure features` on the demo log at the demo models' validation cutoff, parsed, so
// the C program, the Swift Scorer and `tenure score` all see the same rows.
import Foundation

struct FeatureCSV {
    var path: String
    var header: [String]
    var userIDs: [String]
    /// Per row, every field (user_id first).
    var rows: [[Substring]]

    static let cutoff = "2026-06-14"
    static let events = Paths.repo("datasets/demo/events.csv.gz")

    /// Built once per test process.
    static let demo = Result { () throws -> FeatureCSV in
        let path = Paths.scratch.appendingPathComponent("features.csv").path
        let r = try run(Paths.tenure, ["features", "--events", events, "--cutoff", cutoff, "--out", path])
        guard r.status == 0 else { throw SetupError("tenure features: \(r.stderr)") }
        return try FeatureCSV(path: path)
    }

    init(path: String) throws {
        self.path = path
        let lines = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self).split(separator: "\n")
        guard let first = lines.first else { throw SetupError("\(path) is empty") }
        header = first.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        userIDs = []
        rows = []
        for (k, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == header.count else { throw SetupError("\(path):\(k + 2): \(fields.count) fields") }
            userIDs.append(String(fields[0]))
            rows.append(fields)
        }
    }

    /// Row `r`'s values of the named columns, in that order (the model's feature order); "" and "nan" are NaN.
    func values(row r: Int, columns names: [String]) throws -> [Double] {
        try names.map { name in
            guard let c = header.firstIndex(of: name), c > 0 else { throw SetupError("\(path) has no column \(name)") }
            let f = rows[r][c]
            if f.isEmpty { return .nan }
            guard let v = Double(f) else { throw SetupError("\(path):\(r + 2): '\(f)' is not a number") }
            return v
        }
    }

    /// A copy with some cells blanked (missing): cell (r, c) for every 3rd row and every 4th column after the
    /// first two (user_id, cutoff), so missing values reach every kind of feature.
    func withMissingValues(at newPath: String) throws -> FeatureCSV {
        var text = header.joined(separator: ",") + "\n"
        let original = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self).split(separator: "\n").dropFirst()
        for (r, line) in original.enumerated() {
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if r % 3 == 0 { for c in stride(from: 2 + r % 4, to: fields.count, by: 4) { fields[c] = "" } }
            text += fields.joined(separator: ",") + "\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: newPath))
        return try FeatureCSV(path: newPath)
    }
}
