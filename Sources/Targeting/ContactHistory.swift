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
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TargetingError.unreadable(path: path, reason: "cannot read the contact file")
        }
        let text = String(decoding: data, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard let header = lines.first else { throw TargetingError.badContactRow(path: path, line: 1, reason: "empty file: expected a header with user_id,contacted_at") }
        let names = try ContactHistory.fields(header, path: path, line: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let userCol = names.firstIndex(of: "user_id"), let timeCol = names.firstIndex(of: "contacted_at") else {
            throw TargetingError.badContactRow(path: path, line: 1, reason: "the header needs user_id and contacted_at columns, found: \(names.joined(separator: ","))")
        }
        for (i, line) in lines.enumerated().dropFirst() {
            let n = i + 1
            if line.isEmpty { throw TargetingError.badContactRow(path: path, line: n, reason: "empty line") }
            let f = try ContactHistory.fields(line, path: path, line: n)
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

    /// Contacted at or after `asOf - cooldown` (contacts after `asOf`, e.g. during the day the job runs, count).
    public func inCooldown(_ userID: String, asOf: Int64, cooldownMillis: Int64) -> Bool {
        guard let t = lastContact[userID] else { return false }
        return t >= asOf - cooldownMillis
    }

    /// RFC 4180 fields of one line (quoted fields may hold commas and doubled quotes; no line breaks).
    static func fields(_ line: Substring, path: String, line n: Int) throws -> [String] {
        var out: [String] = [], field = "", quoted = false, i = line.startIndex
        var atFieldStart = true
        while i < line.endIndex {
            let c = line[i]
            if quoted {
                if c == "\"" {
                    let next = line.index(after: i)
                    if next < line.endIndex && line[next] == "\"" { field.append("\""); i = next } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" && atFieldStart {
                quoted = true
            } else if c == "," {
                out.append(field); field = ""; atFieldStart = true; i = line.index(after: i); continue
            } else {
                field.append(c)
            }
            atFieldStart = false
            i = line.index(after: i)
        }
        if quoted { throw TargetingError.badContactRow(path: path, line: n, reason: "unterminated quoted field") }
        out.append(field)
        return out
    }
}
