// `score --campaign NAME --control-share S`: which of the users the list would contact are held out. The draw
// is a hash of (campaign, user id), so a user keeps their arm across nights, partitions and machines, a new
// campaign draws afresh, and nothing about the user (their score, rank or partition) can leak into the arm.
import TenureCore

public struct ControlGroup: Sendable, Equatable {
    public static let shareRange = 0.0..<1.0

    public let campaign: String
    /// Share of would-be-contacted users held out, in [0, 1).
    public let share: Double

    public init(campaign: String, share: Double) throws {
        guard !campaign.isEmpty else { throw TargetingError.invalidCampaign("--campaign needs a name") }
        guard Self.shareRange.contains(share) else {
            throw TargetingError.invalidCampaign("--control-share takes a share in [0, 1) (0.1 = 10% held out), got \(share)")
        }
        self.campaign = campaign; self.share = share
    }

    /// A uniform draw in [0, 1) from SHA-256("tenure-control", campaign, user id) (fields NUL-separated, so
    /// ("ab", "c") and ("a", "bc") differ); independent of `Partition.hash`, which is FNV-1a of the id alone.
    public static func draw(campaign: String, userID: String) -> Double {
        var h = SHA256()
        h.update(Array("tenure-control".utf8)); h.update([0])
        h.update(Array(campaign.utf8)); h.update([0])
        h.update(Array(userID.utf8))
        let d = h.finalize()
        var top: UInt64 = 0
        for k in 0..<8 { top = top << 8 | UInt64(d[k]) }
        return Double(top >> 11) * 0x1p-53
    }

    public func isControl(userID: String) -> Bool { Self.draw(campaign: campaign, userID: userID) < share }
}
