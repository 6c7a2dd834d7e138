// Tests of the generator's e-commerce shape: its format (other event names, no value column, a platform column),
// the users file, determinism, the planted attribute effect on churn, and that the social shape is unchanged.
import Foundation
import TenureCore
import Testing
@testable import Synthetic

private let shopConfig = SyntheticLogConfig(users: 1500, days: 120, seed: 42, shape: .ecommerce)
private let shop: Result<(events: [UInt8], users: [UInt8]?, summary: SyntheticSummary), Error> = Result {
    try SyntheticLog.generate(config: shopConfig)
}

private func lines(_ bytes: [UInt8]) -> [Substring] {
    String(decoding: bytes, as: UTF8.self).split(separator: "\n")
}

@Suite("Synthetic log: e-commerce shape")
struct EcommerceShapeTests {
    @Test func formatHasOtherEventNamesNoValueAndAPlatformColumn() throws {
        let log = try shop.get()
        let rows = lines(log.events)
        #expect(rows[0] == "user_id,timestamp,event,platform")
        var names = Set<String>()
        for r in rows.dropFirst() {
            let f = r.split(separator: ",", omittingEmptySubsequences: false)
            #expect(f.count == 4)
            names.insert(String(f[2]))
            #expect(["ios", "android", "web"].contains(String(f[3])))
        }
        #expect(names == Set(ShopEvent.allCases.map(\.name)))
        #expect((15...20).contains(names.count))
        for social in ["post", "comment", "like", "daily_bonus"] { #expect(!names.contains(social)) }
        #expect(rows.count - 1 == log.summary.events)
    }

    @Test func usersFileHasOneRowPerUserWithTheDeclaredColumns() throws {
        let users = lines(try #require(try shop.get().users))
        #expect(users[0] == "user_id,platform,acquisition_channel,plan")
        #expect(SyntheticLog.userColumns == ["platform", "acquisition_channel", "plan"])
        #expect(users.count - 1 == shopConfig.users)
        #expect(users[1].hasPrefix("u000000,"))
    }

    @Test func deterministicAndFileMatchesMemory() throws {
        let small = SyntheticLogConfig(users: 100, days: 30, seed: 3, shape: .ecommerce)
        let a = try SyntheticLog.generate(config: small), b = try SyntheticLog.generate(config: small)
        #expect(a.events == b.events && a.users == b.users)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tenure-shop-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try SyntheticLog.write(config: small, to: dir.appendingPathComponent("e.csv").path,
                                   usersTo: dir.appendingPathComponent("u.csv").path)
        #expect(try [UInt8](Data(contentsOf: dir.appendingPathComponent("e.csv"))) == a.events)
        #expect(try [UInt8](Data(contentsOf: dir.appendingPathComponent("u.csv"))) == a.users)
        // The social shape has no attributes to write: refused, nothing written.
        #expect(throws: SyntheticError.self) {
            try SyntheticLog.write(config: SyntheticLogConfig(users: 5, days: 5, seed: 1), to: dir.appendingPathComponent("s.csv").path,
                                   usersTo: dir.appendingPathComponent("su.csv").path)
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("s.csv").path))
    }

    /// The planted signal the attributes helper's lift test relies on: among users who signed up inside the
    /// period, paid_social sign-ups are gone (no event in the last 30 days) far more often than referrals.
    @Test func acquisitionChannelChangesChurn() throws {
        let log = try shop.get()
        var channel: [Substring: Substring] = [:]
        for r in lines(try #require(log.users)).dropFirst() {
            let f = r.split(separator: ",")
            channel[f[0]] = f[2]
        }
        let end = shopConfig.start + Int64(shopConfig.days) * 86_400
        let recentFrom = end - 30 * 86_400, signupBefore = end - 60 * 86_400
        // ISO-8601 UTC timestamps of one width compare as strings do.
        let iso = ISO8601DateFormatter()
        func text(_ t: Int64) -> Substring { Substring(iso.string(from: Date(timeIntervalSince1970: Double(t)))) }
        let recentText = text(recentFrom), signupText = text(signupBefore)
        var signup: [Substring: Substring] = [:], recent = Set<Substring>()
        for r in lines(log.events).dropFirst() {
            let f = r.split(separator: ",")
            if f[2] == "signup" { signup[f[0]] = f[1] }
            if f[1] >= recentText { recent.insert(f[0]) }
        }
        func goneShare(_ c: Substring) -> Double {
            let users = signup.filter { $0.value < signupText && channel[$0.key] == c }.map(\.key)
            return Double(users.filter { !recent.contains($0) }.count) / Double(max(1, users.count))
        }
        let paidSocial = goneShare("paid_social"), referral = goneShare("referral")
        #expect(paidSocial > referral + 0.15, "gone: paid_social \(paidSocial), referral \(referral)")
    }

    /// The default (social) shape is byte-identical to the generator before shapes existed: this is the
    /// SHA-256 of `tenure generate --users 300 --days 60 --seed 7` built from the commit before them (8df344b).
    @Test func socialShapeUnchanged() throws {
        let (bytes, _) = try SyntheticLog.csv(config: SyntheticLogConfig(users: 300, days: 60, seed: 7))
        #expect(SHA256.hex(bytes) == "5400cc712971c384f28cac8842bed9d3aa04d60caa0d0a66bdffb245492e27a6")
    }
}
