// Who a campaign contacted and who it held out: `user_id,contacted_at,campaign,group[,action][,segment][,tier]`
// (what a CRM exports), or a run directory of `score --campaign` (its list's group and planned_action, the
// manifest's campaign and as-of as the contact time). `group` is `treatment` or `control`; rows with `none`
// were never part of the campaign and are counted, not measured.
import EventLog
import Foundation
import Manifest

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
    /// The control share each campaign's runs declared (from run directories' manifests).
    public private(set) var declaredShares: [String: Double] = [:]
    private var first: [String: Int] = [:]   // "campaign\0user" → index in contacts
    private var origin: [String] = []        // where each kept contact was read, for the both-arms error

    public init(contacts: [CampaignContact], path: String = "<memory>") {
        self.path = path
        for c in contacts { try? add(c, at: path) }
    }

    /// A CRM export (CSV with the required columns).
    public init(path: String) throws {
        self.path = path
        try read(path)
    }

    /// Several exports or run directories (several nights of a campaign, or several campaigns) as one. A
    /// PostgreSQL URI among them reads `relation`'s rows (`--contacts-table`/`--contacts-query`) and is named
    /// without its credentials.
    public init(paths: [String], relation: DatabaseRelation? = nil) throws {
        path = paths.map { p in relation.map { DatabaseTable.isDatabase(p) ? DatabaseTable.sourceName(p, $0) : p } ?? p }.joined(separator: ",")
        for p in paths { try read(p, relation: relation) }
    }

    /// A directory written by `score --campaign … --out DIR/` (a directory of Parquet files is an export).
    public static func isRunDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue && !ParquetTable.isParquet(path)
    }

    private mutating func read(_ source: String, relation: DatabaseRelation? = nil) throws {
        if Self.isRunDirectory(source) { try readRun(source); return }
        let file = try ContactFile(path: source, required: Self.requiredColumns, relation: relation)
        let user = file.column("user_id")!, time = file.column("contacted_at")!
        let campaign = file.column("campaign")!, group = file.column("group")!
        let action = file.column("action"), segment = file.column("segment"), tier = file.column("tier")
        for k in file.rows.indices {
            let row = file.rows[k]
            guard let arm = try arm(row[group], file: file, row: k) else { continue }
            guard !row[user].isEmpty else { throw file.fail(row: k, "empty user_id") }
            guard !row[campaign].isEmpty else { throw file.fail(row: k, "empty campaign") }
            try add(CampaignContact(userID: row[user], contactedAt: try file.timestamp(row: k, column: time), campaign: row[campaign],
                                    arm: arm, action: action.map { row[$0] } ?? "", segment: segment.map { row[$0] } ?? "",
                                    tier: tier.map { row[$0] } ?? ""),
                    at: file.place(row: k))
        }
    }

    /// A run directory's list: its users with their group and planned action, contacted at the manifest's as-of.
    private mutating func readRun(_ dir: String) throws {
        let manifestPath = (dir.hasSuffix("/") ? dir : dir + "/") + "manifest.json"
        let manifest = try RunManifest.read(manifestPath)
        guard let campaign = manifest.campaign else {
            throw TargetingError.badContactRow(path: manifestPath, line: 1, reason: "this run held out no control group (scored without --campaign): there is nothing to measure against")
        }
        if let known = declaredShares[campaign.name], known != campaign.controlShare {
            throw TargetingError.badContactRow(path: manifestPath, line: 1, reason: "campaign '\(campaign.name)' held out \(campaign.controlShare) here and \(known) in another run: one campaign, one share")
        }
        declaredShares[campaign.name] = campaign.controlShare
        guard let asOf = parseTimestamp(manifest.asOf) else {
            throw TargetingError.badContactRow(path: manifestPath, line: 1, reason: "as_of '\(manifest.asOf)' is not a timestamp")
        }
        guard let list = manifest.outputs.first(where: { $0.path.hasSuffix(".csv") }) else {
            throw TargetingError.badContactRow(path: manifestPath, line: 1, reason: "the run wrote no CSV list (measure reads scores.csv)")
        }
        let listPath = (dir.hasSuffix("/") ? dir : dir + "/") + list.path
        let file = try ContactFile(path: listPath, required: ["user_id", "group", "planned_action"])
        let user = file.column("user_id")!, group = file.column("group")!, planned = file.column("planned_action")!
        let segment = file.column("segment"), tier = file.column("tier")
        for k in file.rows.indices {
            let row = file.rows[k]
            guard let arm = try arm(row[group], file: file, row: k) else { continue }
            try add(CampaignContact(userID: row[user], contactedAt: asOf, campaign: campaign.name, arm: arm, action: row[planned],
                                    segment: segment.map { row[$0] } ?? "", tier: tier.map { row[$0] } ?? ""),
                    at: file.place(row: k))
        }
    }

    /// The arm a `group` cell names; nil (counted) for `none`.
    private mutating func arm(_ text: String, file: ContactFile, row k: Int) throws -> CampaignArm? {
        let g = text.trimmingCharacters(in: .whitespaces)
        if g == Self.notInCampaign { notContacted += 1; return nil }
        guard let arm = CampaignArm(rawValue: g) else { throw file.fail(row: k, "group '\(g)' is not treatment, control or none") }
        return arm
    }

    private mutating func add(_ c: CampaignContact, at source: String) throws {
        let key = c.campaign + "\u{0}" + c.userID
        guard let i = first[key] else {
            first[key] = contacts.count
            contacts.append(c); origin.append(source)
            return
        }
        guard contacts[i].arm == c.arm else {
            throw TargetingError.unreadable(path: source, reason: "user '\(c.userID)' is in both arms of campaign '\(c.campaign)' (\(origin[i]) has \(contacts[i].arm.rawValue)): the assignment is broken")
        }
        repeatContacts += 1
        if c.contactedAt < contacts[i].contactedAt { contacts[i] = c; origin[i] = source }
    }

    /// Campaign names in first-seen order.
    public var campaigns: [String] {
        var seen = Set<String>(), names: [String] = []
        for c in contacts where seen.insert(c.campaign).inserted { names.append(c.campaign) }
        return names
    }
}
