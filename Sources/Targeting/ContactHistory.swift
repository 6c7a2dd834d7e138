// Who was contacted when: a CSV with `user_id` and `contacted_at` columns (any order, other columns ignored),
// so users contacted within the cooldown are left out of tonight's list instead of being contacted twice.
import EventLog
import Foundation

public struct ContactHistory: Sendable {
    /// Latest contact time per user id (ms since the epoch, UTC).
    public private(set) var lastContact: [String: Int64] = [:]
    public private(set) var rows = 0

    public init(lastContact: [String: Int64]) { self.lastContact = lastContact; rows = lastContact.count }

    /// Every row must have a user id and a timestamp `tenure` parses; a bad row fails with its line number.
    /// Fields follow RFC 4180 (`CSVScanner`); only a blank last line is allowed.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TargetingError.unreadable(path: path, reason: "cannot read the contact file")
        }
        try data.withUnsafeBytes { (p: UnsafeRawBufferPointer) in
            var scan = CSVScanner(p, fileStart: true)
            var fields: [CSVField] = []
            func next(_ line: Int) throws -> [String]? {
                switch scan.record(into: &fields) {
                case .endOfInput: return nil
                case .badQuote: throw TargetingError.badContactRow(path: path, line: line, reason: "a quoted field must end with a quote followed by a comma or the line end")
                case .blankLine: return scan.atEnd ? nil : []
                case .record: return fields.map { scan.text($0) }
                }
            }
            guard let header = try next(1), !header.isEmpty else {
                throw TargetingError.badContactRow(path: path, line: 1, reason: "empty file: expected a header with user_id,contacted_at")
            }
            let names = header.map { $0.trimmingCharacters(in: .whitespaces) }
            guard let userCol = names.firstIndex(of: "user_id"), let timeCol = names.firstIndex(of: "contacted_at") else {
                // One field holding a ';' or a tab: the export used another separator.
                let separator = names.count == 1 ? [";", "\t", "|"].first { names[0].contains($0) } : nil
                let hint = separator.map { "; the file must be comma-separated, this one seems separated by '\($0 == "\t" ? "\\t" : $0)'" } ?? ""
                throw TargetingError.badContactRow(path: path, line: 1, reason: "the header needs user_id and contacted_at columns, found: \(names.joined(separator: ","))\(hint)")
            }
            while true {
                let n = scan.newlines + 1
                guard let f = try next(n) else { break }
                if f.isEmpty { throw TargetingError.badContactRow(path: path, line: n, reason: "empty line") }
                guard f.count == names.count else {
                    throw TargetingError.badContactRow(path: path, line: n, reason: "\(f.count) fields, the header has \(names.count)")
                }
                let user = f[userCol]
                guard !user.isEmpty else { throw TargetingError.badContactRow(path: path, line: n, reason: "empty user_id") }
                guard let t = parseTimestamp(f[timeCol]) else {
                    throw TargetingError.badContactRow(path: path, line: n, reason: "contacted_at '\(f[timeCol])' is not a date or timestamp")
                }
                lastContact[user] = max(lastContact[user] ?? .min, t)
                rows += 1
            }
        }
    }

    /// Contacted at or after `asOf - cooldown` (contacts after `asOf`, e.g. during the day the job runs, count).
    public func inCooldown(_ userID: String, asOf: Int64, cooldownMillis: Int64) -> Bool {
        guard let t = lastContact[userID] else { return false }
        return t >= asOf - cooldownMillis
    }
}
