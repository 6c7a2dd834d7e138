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
    /// The table is read by `ContactFile` (RFC 4180, the one contacts reader).
    /// A PostgreSQL URI reads `relation`'s rows (`--contacted-table`/`--contacted-query`).
    public init(path: String, relation: DatabaseRelation? = nil) throws {
        let file = try ContactFile(path: path, required: ["user_id", "contacted_at"], relation: relation)
        let userCol = file.column("user_id")!, timeCol = file.column("contacted_at")!
        for k in file.rows.indices {
            let user = file.rows[k][userCol]
            guard !user.isEmpty else { throw file.fail(row: k, "empty user_id") }
            let t = try file.timestamp(row: k, column: timeCol)
            lastContact[user] = max(lastContact[user] ?? .min, t)
            rows += 1
        }
    }

    /// Contacted at or after `asOf - cooldown` (contacts after `asOf`, e.g. during the day the job runs, count).
    public func inCooldown(_ userID: String, asOf: Int64, cooldownMillis: Int64) -> Bool {
        guard let t = lastContact[userID] else { return false }
        return t >= asOf - cooldownMillis
    }
}
