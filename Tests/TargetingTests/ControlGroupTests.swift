// The control-group draw: stable per (campaign, user), the declared share, independent of the partition hash
// and across campaigns.
import Foundation
import Testing
@testable import Targeting

@Suite("Control group assignment")
struct ControlGroupTests {
    static let users = (0..<40_000).map { "u\($0)" }

    @Test("a user's arm depends only on (campaign, user id), and the share held out is the declared one")
    func stableAndShared() throws {
        let g = try ControlGroup(campaign: "spring", share: 0.1)
        let control = Self.users.filter(g.isControl)
        // 40,000 draws at 10%: σ = 60, so 4,000 ± 360 is a 6σ band.
        #expect(abs(control.count - 4_000) < 360, "\(control.count) held out")
        #expect(Self.users.filter(try ControlGroup(campaign: "spring", share: 0.1).isControl) == control, "same arms on a rerun")
        #expect(try ControlGroup(campaign: "spring", share: 0).isControl(userID: "u1") == false)
    }

    @Test("the arm is independent of the partition and of another campaign's arm")
    func independence() throws {
        let spring = try ControlGroup(campaign: "spring", share: 0.5), summer = try ControlGroup(campaign: "summer", share: 0.5)
        for p in 0..<4 {
            let part = try Partition(index: p, count: 4)
            let mine = Self.users.filter { part.contains(userID: $0) }
            let held = mine.filter(spring.isControl).count
            // ~10,000 users per partition at 50%: σ = 50; 6σ = 300.
            #expect(abs(Double(held) - Double(mine.count) / 2) < 300, "partition \(p): \(held) of \(mine.count)")
        }
        let both = Self.users.filter { spring.isControl(userID: $0) && summer.isControl(userID: $0) }.count
        #expect(abs(both - 10_000) < 520, "\(both) in both controls; independent draws give 25% (σ ≈ 87)")
    }

    @Test("names and shares out of range are refused")
    func refusals() {
        #expect(throws: TargetingError.self) { try ControlGroup(campaign: "", share: 0.1) }
        #expect(throws: TargetingError.self) { try ControlGroup(campaign: "x", share: 1) }
        #expect(throws: TargetingError.self) { try ControlGroup(campaign: "x", share: -0.1) }
    }
}
