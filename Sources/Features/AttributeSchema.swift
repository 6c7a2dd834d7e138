// Per-user attributes as model features: which users-file columns are numbers and which are categories (with
// their vocabulary), fitted once at training and stored in the model, and the point-in-time join that appends
// them to a feature table.
import EventLog
import TenureCore

public enum AttributeKind: String, Codable, Sendable {
    case numeric, categorical
}

/// One users-file column as a model feature.
public struct AttributeColumn: Codable, Sendable, Equatable {
    public var name: String
    public var kind: AttributeKind
    /// Categorical: the categories with a code of their own (code = index), most frequent first; every other
    /// value, rare in training or unseen since, takes code `categories.count`, the rare bucket. A missing cell
    /// (or no row in force) is NaN.
    public var categories: [String]?

    public init(name: String, kind: AttributeKind, categories: [String]? = nil) {
        self.name = name; self.kind = kind; self.categories = categories
    }

    /// The feature column's name: `attr_<column>`, apart from every event feature.
    public var featureName: String { AttributeSchema.prefix + name }
    /// The column name in words ("acquisition channel"), for reasons.
    public var words: String { name.replacingOccurrences(of: "_", with: " ") }
    /// Code of the rare bucket (categorical only).
    public var rareCode: Int { categories?.count ?? 0 }
    /// Number of codes a categorical column takes (its categories plus the rare bucket).
    public var codeCount: Int { rareCode + 1 }

    /// The feature value of a cell: the number, or the category's code.
    func encode(_ cell: String?) -> Double? {
        guard let cell else { return .nan }
        switch kind {
        case .numeric:
            guard let v = Double(cell), v.isFinite else { return nil }
            return v
        case .categorical:
            return Double(categories!.firstIndex(of: cell) ?? rareCode)
        }
    }

    /// A code or number in words, for reasons: "paid_social", "other (rare or unseen)", "missing".
    public func describe(_ value: Double) -> String {
        if value.isNaN { return "missing" }
        guard kind == .categorical, let categories else { return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value) }
        let code = Int(value)
        return code >= 0 && code < categories.count ? categories[code] : "other (rare or unseen)"
    }
}

/// The attribute columns of a model, as fitted on the training users file.
public struct AttributeSchema: Codable, Sendable, Equatable {
    public static let prefix = "attr_"
    /// The most categories a column may have a code for (GBDT bins hold 255); `AttributeSettings` chooses
    /// fewer, and the rows a category needs.
    public static let maxCategories = 250

    public var columns: [AttributeColumn]
    /// The training users file had a `valid_from` column (values joined point-in-time).
    public var pointInTime: Bool

    public init(columns: [AttributeColumn], pointInTime: Bool) { self.columns = columns; self.pointInTime = pointInTime }

    public var featureNames: [String] { columns.map(\.featureName) }

    /// Detects each column's kind from the training users file: numeric when every non-empty cell is a finite
    /// number, else categorical; `categorical` and `numeric` force a kind (a forced-numeric column with a
    /// non-number is an error naming the line). Vocabulary: categories with at least `settings.minCategoryRows`
    /// rows, most frequent first (ties by name), at most `settings.maxCategories`.
    public static func fit(_ table: UserTable, categorical: [String] = [], numeric: [String] = [],
                           settings: AttributeSettings = .defaults) throws -> AttributeSchema {
        for name in categorical + numeric where !table.columns.contains(name) {
            throw UserTableError.badOverride("--categorical/--numeric name '\(name)', which is not an attribute column of \(table.path) (\(table.columns.joined(separator: ", ")))")
        }
        if let both = categorical.first(where: numeric.contains) {
            throw UserTableError.badOverride("'\(both)' is given to both --categorical and --numeric")
        }
        let width = table.columns.count
        var columns: [AttributeColumn] = []
        for (k, name) in table.columns.enumerated() {
            var counts: [String: Int] = [:]
            var firstNonNumber: Int?
            for r in 0..<table.rowCount {
                guard let cell = table.cells[r * width + k] else { continue }
                counts[cell, default: 0] += 1
                if firstNonNumber == nil, !(Double(cell)?.isFinite ?? false) { firstNonNumber = r }
            }
            let kind: AttributeKind = categorical.contains(name) ? .categorical
                : numeric.contains(name) ? .numeric : (firstNonNumber == nil && !counts.isEmpty ? .numeric : .categorical)
            if kind == .numeric, let r = firstNonNumber {
                throw table.badRow(r, "column '\(name)' is --numeric but holds '\(table.cells[r * width + k]!)'")
            }
            guard kind == .categorical else { columns.append(AttributeColumn(name: name, kind: .numeric)); continue }
            let vocabulary = counts.filter { $0.value >= settings.minCategoryRows }
                .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .prefix(min(settings.maxCategories, maxCategories)).map(\.key)
            columns.append(AttributeColumn(name: name, kind: .categorical, categories: vocabulary))
        }
        return AttributeSchema(columns: columns, pointInTime: table.hasValidFrom)
    }

    /// Refuses names that collide with the event features.
    public func checkNames(against eventFeatures: [String]) throws {
        let taken = Set(eventFeatures)
        if let clash = featureNames.first(where: taken.contains) {
            throw UserTableError.badOverride("users column '\(clash.dropFirst(Self.prefix.count))' gives the feature \(clash), which the event features already have: rename the column")
        }
    }
}

/// How the users file met the feature rows: what the stderr summary and the run manifest report.
public struct AttributeCoverage: Codable, Sendable, Equatable {
    /// Feature rows (user, cutoff) with a users-file row in force, and without one.
    public var rowsJoined = 0
    public var rowsWithoutAttributes = 0
    /// Of those without: the user has rows, but all start at or after the cutoff (point-in-time).
    public var rowsNotYetValid = 0
    /// Distinct event-log users with no users-file row at all.
    public var eventUsersWithoutRow = 0
    /// Distinct users-file users who match no event-log user.
    public var usersFileUnmatched = 0
    /// Users-file rows left out as bad under --bad-rows skip.
    public var badRows = 0

    public init() {}

    /// The counts by name, as the run manifest records them.
    public var counts: [String: Int] {
        ["rows_joined": rowsJoined, "rows_without_attributes": rowsWithoutAttributes, "rows_not_yet_valid": rowsNotYetValid,
         "event_users_without_row": eventUsersWithoutRow, "users_file_unmatched": usersFileUnmatched, "bad_rows": badRows]
    }

    public var summary: String {
        var s = "users file: \(rowsJoined) feature rows joined, \(rowsWithoutAttributes) without attributes (missing)"
        if rowsNotYetValid > 0 { s += ", of which \(rowsNotYetValid) only have rows valid from the cutoff on" }
        s += "; \(eventUsersWithoutRow) event users have no users row, \(usersFileUnmatched) users rows match no event user"
        if badRows > 0 { s += "; \(badRows) bad rows skipped" }
        return s
    }
}

/// A fitted schema with a users file, ready to join.
public struct UserAttributes: Sendable {
    public let schema: AttributeSchema
    public let table: UserTable
    /// Per table row, per schema column: the feature value.
    let encoded: [Double]

    /// Encodes every cell under `schema`. The file must have every schema column (others are ignored); a
    /// non-number in a numeric column is a bad row under `policy` (.fail: an error naming file and line).
    public init(schema: AttributeSchema, table: UserTable, badRows policy: BadRowPolicy) throws {
        let at = schema.columns.map { c in table.columns.firstIndex(of: c.name) }
        let missing = zip(schema.columns, at).filter { $0.1 == nil }.map(\.0.name)
        guard missing.isEmpty else { throw UserTableError.missingColumns(path: table.path, missing: missing) }
        var t = table
        let width = table.columns.count, k = schema.columns.count
        var values: [Double] = []
        values.reserveCapacity(table.rowCount * k)
        var keep = [Bool](repeating: true, count: table.rowCount)
        for r in 0..<table.rowCount {
            for (c, i) in zip(schema.columns, at) {
                let cell = table.cells[r * width + i!]
                if let v = c.encode(cell) { values.append(v); continue }
                let reason = "column '\(c.name)' is numeric in the model but holds '\(cell ?? "")'"
                if policy == .fail { throw table.badRow(r, reason) }
                keep[r] = false
                t.badRows += 1
                let (p, l) = table.locate(table.lines[r])
                if t.badRowNotes.count < 10 { t.badRowNotes.append("\(p):\(l): \(reason)") }
                values.append(.nan)
            }
        }
        if keep.contains(false) {
            // Drop the bad rows, keeping users (a user may be left with no row: then their attributes are missing).
            var kept: [Double] = [], starts: [Int] = [], from: [Int64] = [], lines: [Int] = []
            for u in table.users.indices {
                starts.append(from.count)
                for r in table.rowStart[u]..<table.rowStart[u + 1] where keep[r] {
                    kept.append(contentsOf: values[(r * k)..<((r + 1) * k)]); from.append(table.validFrom[r]); lines.append(table.lines[r])
                }
            }
            starts.append(from.count)
            t.rowStart = starts; t.validFrom = from; t.lines = lines; t.cells = []
            values = kept
        }
        self.schema = schema; self.table = t; self.encoded = values
    }

    /// Fits the schema on `table` (training) and encodes it.
    public static func fit(_ table: UserTable, categorical: [String] = [], numeric: [String] = [],
                           settings: AttributeSettings = .defaults, badRows: BadRowPolicy) throws -> UserAttributes {
        try UserAttributes(schema: AttributeSchema.fit(table, categorical: categorical, numeric: numeric, settings: settings),
                           table: table, badRows: badRows)
    }

    /// Appends the attribute columns to `table` (rows of users `userIDs[table.users[r]]` at `table.cutoffs[r]`):
    /// each row gets the values in force before its cutoff, NaN when none is. O(rows × width).
    public func join(_ features: FeatureTable, userIDs: [String]) -> (FeatureTable, AttributeCoverage) {
        let joiner = joiner(userIDs: userIDs)
        let (out, rows) = joiner.join(features)
        return (out, joiner.coverage(adding: rows))
    }

    /// The matching of `userIDs` (a store's users) to this file's users, made once for joining many chunks of
    /// feature rows of that store.
    public func joiner(userIDs: [String]) -> AttributeJoiner { AttributeJoiner(self, userIDs: userIDs) }
}

/// `UserAttributes.join` split in two: the user matching (once per store), then any number of row chunks.
public struct AttributeJoiner: Sendable {
    let attributes: UserAttributes
    /// Per store user, their users-file user (−1: none).
    let lookup: [Int32]
    /// The user-level counts (event users without a row, unmatched file users, bad rows); row counts are 0.
    let base: AttributeCoverage

    init(_ attributes: UserAttributes, userIDs: [String]) {
        self.attributes = attributes
        let table = attributes.table
        var index: [String: Int32] = [:]
        index.reserveCapacity(table.users.count)
        for (u, id) in table.users.enumerated() { index[id] = Int32(u) }
        lookup = userIDs.map { index[$0] ?? -1 }
        var cov = AttributeCoverage()
        cov.badRows = table.badRows
        var matched = [Bool](repeating: false, count: table.users.count)
        for u in lookup where u >= 0 { matched[Int(u)] = true }
        cov.eventUsersWithoutRow = lookup.reduce(0) { $0 + ($1 < 0 ? 1 : 0) }
        cov.usersFileUnmatched = matched.reduce(0) { $0 + ($1 ? 0 : 1) }
        base = cov
    }

    /// The run's coverage: the user-level counts with the row counts of every chunk joined (summed).
    public func coverage(adding rows: AttributeCoverage) -> AttributeCoverage {
        var c = base
        c.rowsJoined = rows.rowsJoined; c.rowsWithoutAttributes = rows.rowsWithoutAttributes; c.rowsNotYetValid = rows.rowsNotYetValid
        return c
    }

    /// `features` with the attribute columns appended, and the row counts of this chunk (user-level counts 0).
    public func join(_ features: FeatureTable) -> (FeatureTable, AttributeCoverage) {
        let schema = attributes.schema, table = attributes.table, encoded = attributes.encoded
        var cov = AttributeCoverage()
        let w = features.width, k = schema.columns.count
        var out = FeatureTable(names: features.names + schema.featureNames, rows: features.rows, values: [],
                               users: features.users, cutoffs: features.cutoffs, labels: features.labels)
        out.values.reserveCapacity(features.rows * (w + k))
        let missing = [Double](repeating: .nan, count: k)
        for r in 0..<features.rows {
            out.values.append(contentsOf: features.values[(r * w)..<((r + 1) * w)])
            let u = Int(lookup[Int(features.users[r])])
            if u >= 0 {
                if let row = table.row(ofUser: u, at: features.cutoffs[r]) {
                    out.values.append(contentsOf: encoded[(row * k)..<((row + 1) * k)])
                    cov.rowsJoined += 1
                    continue
                }
                cov.rowsNotYetValid += 1
            }
            out.values.append(contentsOf: missing)
            cov.rowsWithoutAttributes += 1
        }
        return (out, cov)
    }
}

extension AttributeCoverage {
    /// Row counts of two chunks together (the user-level counts are `AttributeJoiner`'s, not summed).
    public mutating func addRows(_ other: AttributeCoverage) {
        rowsJoined += other.rowsJoined; rowsWithoutAttributes += other.rowsWithoutAttributes; rowsNotYetValid += other.rowsNotYetValid
    }
}

/// The one pairing rule of a model's attribute schema with a `--users` file, for every command that builds a
/// model's features from events (train, features, score, evaluate, report).
public enum AttributeJoin {
    /// `table` with the attribute columns appended when the model has them. A model with attributes needs the
    /// users file; one without refuses it (its features would not line up). Coverage is nil without attributes.
    public static func apply(_ schema: AttributeSchema?, _ users: UserAttributes?, to table: FeatureTable,
                             userIDs: [String]) throws -> (FeatureTable, AttributeCoverage?) {
        guard let joiner = try joiner(schema, users, userIDs: userIDs) else { return (table, nil) }
        let (joined, rows) = joiner.join(table)
        return (joined, joiner.coverage(adding: rows))
    }

    /// The same pairing rule, checked once before any rows are built: the joiner for chunks of a store's rows
    /// (nil: the model has no attributes, so rows go unjoined).
    public static func joiner(_ schema: AttributeSchema?, _ users: UserAttributes?, userIDs: [String]) throws -> AttributeJoiner? {
        switch (schema, users) {
        case (nil, nil): return nil
        case (nil, .some): throw UserTableError.modelWithoutAttributes
        case (.some(let s), nil): throw UserTableError.modelNeedsUsers(columns: s.columns.map(\.name))
        case (.some, .some(let u)): return u.joiner(userIDs: userIDs)
        }
    }
}
