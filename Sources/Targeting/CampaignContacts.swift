// Who a campaign contacted and who it held out: `user_id,contacted_at,campaign,group[,action][,segment][,tier]`
// (what a CRM exports, or Tenure's own list with its control group). `group` is `treatment` or `control`;
// rows with `none` were never part of the campaign and are counted, not measured.
import Foundation

/// The arm of a randomized campaign a user was assigned to.
public enum CampaignArm: String, Sendable, Codable, CaseIterable {
    case treatment, control
}

public struct CampaignContact: Sendable, Equatable {
    public var userID: String
    public var contactedAt: Int64
    public var campaign: String
    public var arm: CampaignArm
    /// The step taken (treatment) or the one the user would have had (control); "" when the file has none.
    public var action: String
    /// Breakdowns a Tenure list carries; "" when the file has no such column.
    public var segment: String
    public var tier: String
}

public struct CampaignContacts: Sendable {
    public static let requiredColumns = ["user_id", "contacted_at", "campaign", "group"]
    /// Breakdown columns read when present.
    public static let optionalColumns = ["action", "segment", "tier"]
    /// The `group` value of a list row without a recall step.
    public static let notInCampaign = "none"

    /// One contact per (campaign, user): the first by time when a user was contacted more than once in the
    /// same arm (their outcome window starts at the first contact).
    public private(set) var contacts: [CampaignContact] = []
    /// Rows folded into an earlier contact of the same user and campaign.
    public private(set) var repeatContacts = 0
    /// Rows with group `none`.
    public private(set) var notContacted = 0
    public let path: String

    public init(path: String) throws {
        let file = try ContactFile(path: path, required: Self.requiredColumns)
        self.path = path
        let user = file.column("user_id")!, time = file.column("contacted_at")!
        let campaign = file.column("campaign")!, group = file.column("group")!
        let action = file.column("action"), segment = file.column("segment"), tier = file.column("tier")
        var first: [String: Int] = [:]   // "campaign\0user" → index in contacts
        var firstLine: [Int] = []
        for k in file.rows.indices {
            let row = file.rows[k]
            let g = row[group].trimmingCharacters(in: .whitespaces)
            if g == Self.notInCampaign { notContacted += 1; continue }
            guard let arm = CampaignArm(rawValue: g) else {
                throw file.fail(row: k, "group '\(g)' is not treatment, control or none")
            }
            guard !row[user].isEmpty else { throw file.fail(row: k, "empty user_id") }
            guard !row[campaign].isEmpty else { throw file.fail(row: k, "empty campaign") }
            let c = CampaignContact(userID: row[user], contactedAt: try file.timestamp(row: k, column: time),
                                    campaign: row[campaign], arm: arm, action: action.map { row[$0] } ?? "",
                                    segment: segment.map { row[$0] } ?? "", tier: tier.map { row[$0] } ?? "")
            let key = c.campaign + "\u{0}" + c.userID
            if let i = first[key] {
                guard contacts[i].arm == arm else {
                    throw file.fail(row: k, "user '\(c.userID)' is in both arms of campaign '\(c.campaign)' (line \(firstLine[i]) has \(contacts[i].arm.rawValue)): the assignment is broken")
                }
                repeatContacts += 1
                if c.contactedAt < contacts[i].contactedAt { contacts[i] = c; firstLine[i] = file.lines[k] }
                continue
            }
            first[key] = contacts.count
            contacts.append(c); firstLine.append(file.lines[k])
        }
    }

    public init(contacts: [CampaignContact], path: String = "<memory>") {
        self.contacts = contacts; self.path = path
    }

    /// Campaign names in first-seen order.
    public var campaigns: [String] {
        var seen = Set<String>(), names: [String] = []
        for c in contacts where seen.insert(c.campaign).inserted { names.append(c.campaign) }
        return names
    }
}
