// `predict --users`: the attribute columns joined to a feature matrix written without them, by its user_id
// column and (for a users file with valid_from) its cutoff column, with the rule every other command follows.
import EventLog
import TenureCore

public enum MatrixJoinError: CategorizedError, CustomStringConvertible, Sendable {
    /// The matrix already holds the attribute columns (from `features --users`) and --users was given too.
    case alreadyJoined(path: String, columns: [String])
    case noColumn(path: String, column: String, why: String)
    case badCutoff(path: String, line: Int?, text: String)

    public var category: ErrorCategory {
        switch self {
        case .alreadyJoined: return .usage
        case .noColumn, .badCutoff: return .badInput
        }
    }

    public var description: String {
        switch self {
        case let .alreadyJoined(path, columns):
            return "\(path) already holds the attribute columns \(columns.joined(separator: ", ")) (written by `tenure features --users`): drop --users, or pass a matrix without them"
        case let .noColumn(path, column, why):
            return "\(path): no '\(column)' column, which \(why)"
        case let .badCutoff(path, line, text):
            return "\(path)\(line.map { ":\($0)" } ?? ""): cutoff '\(text)' is not a date or time (the users file has valid_from, so each row's attributes are the ones in force before its cutoff)"
        }
    }
}

extension AttributeJoin {
    /// The matrix at `path` with the model's `features` in order: read as it is when the model takes no
    /// attributes or when `users` is nil (a matrix from `features --users` holds them; one without them is
    /// `modelNeedsUsers`), else its event features read and the attributes joined (a matrix that already
    /// holds them is refused, as is --users for a model without attributes). Coverage is nil without a join.
    public static func apply(_ schema: AttributeSchema?, _ users: UserAttributes?, toMatrix path: String,
                             features: [String]) throws -> (ScoringMatrix, AttributeCoverage?) {
        guard let schema else {
            if users != nil { throw UserTableError.modelWithoutAttributes }
            return (try FeatureMatrixReader.read(path, features: features), nil)
        }
        let attributeNames = schema.featureNames
        guard let users else {
            do { return (try FeatureMatrixReader.read(path, features: features), nil) } catch FeatureMatrixError.missingFeatures(_, let missing, _)
                where Set(missing) == Set(attributeNames) {
                throw UserTableError.modelNeedsUsers(columns: schema.columns.map(\.name))
            }
        }
        let eventNames = features.filter { !attributeNames.contains($0) }
        precondition(eventNames + attributeNames == features, "a model's attribute columns follow its event features")
        let m = try FeatureMatrixReader.read(path, features: eventNames)
        let present = attributeNames.filter(m.passthroughNames.contains)
        guard present.isEmpty else { throw MatrixJoinError.alreadyJoined(path: path, columns: present) }
        guard let idColumn = m.passthroughNames.firstIndex(of: UserTable.userColumn) else {
            throw MatrixJoinError.noColumn(path: path, column: UserTable.userColumn, why: "--users joins on")
        }
        // Distinct ids in first-seen order; rows point at them as feature tables' rows point at store users.
        var ids: [String] = [], index: [String: Int32] = [:], rowUsers: [Int32] = []
        rowUsers.reserveCapacity(m.rows)
        for id in m.passthrough[idColumn] {
            if let u = index[id] { rowUsers.append(u); continue }
            index[id] = Int32(ids.count); rowUsers.append(Int32(ids.count)); ids.append(id)
        }
        var cutoffs = [Int64](repeating: .max, count: m.rows)  // without valid_from every user's one row holds
        if users.table.hasValidFrom {
            guard let c = m.passthroughNames.firstIndex(of: "cutoff") else {
                throw MatrixJoinError.noColumn(path: path, column: "cutoff", why: "a users file with valid_from needs (each row gets the attributes in force before it)")
            }
            for (r, text) in m.passthrough[c].enumerated() {
                guard let t = parseTimestamp(text) else {
                    throw MatrixJoinError.badCutoff(path: path, line: FeatureMatrixReader.lineNumber(ofRow: r, in: path), text: text)
                }
                cutoffs[r] = t
            }
        }
        let table = FeatureTable(names: eventNames, rows: m.rows, values: m.values, users: rowUsers, cutoffs: cutoffs, labels: nil)
        let (joined, coverage) = users.join(table, userIDs: ids)
        return (ScoringMatrix(values: joined.values, rows: m.rows, passthroughNames: m.passthroughNames, passthrough: m.passthrough), coverage)
    }
}
