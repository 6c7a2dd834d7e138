// The reader's per-read state starts small and grows (the user table; the gzip input buffer past 64 KiB), so a
// small file does not pay for a large one's tables. Reads across every growth step must equal reads without it.
import Foundation
import Testing
import TestSupport
@testable import EventLog

@Suite("Read state that grows")
struct GrowingReadStateTests {
    @Test("more users than the user table starts with: each one once, with all of its events", arguments: [1, 2])
    func manyUsers(threads: Int) throws {
        let n = 20_000
        var text = "user_id,timestamp,event\n"
        for k in 0..<(2 * n) { text += "u\(k % n),\(1_780_000_000 + k),e\(k % 3)\n" }
        var options = ReadOptions()
        options.threads = threads
        options.blockBytes = 64 << 10
        let (store, report) = try readLog(text, options: options)
        #expect(report.users == n && store.userCount == n && store.eventCount == 2 * n)
        #expect(Set(store.userIDs) == Set((0..<n).map { "u\($0)" }))
        let events = eventsOf(store, user: "u12345")
        #expect(events.map(\.event) == ["e0", "e2"])   // rows 12345 and 32345
        #expect(events.count == 2 && events[0].time < events[1].time)
    }

    /// Random ids compress poorly: `rows` rows give a gzip stream of roughly 20 bytes per row.
    private func randomLog(rows: Int) -> String {
        var rng = SplitMix64(seed: 11)
        var text = "user_id,timestamp\n"
        for k in 0..<rows { text += "\(String(rng.next(), radix: 16)),\(1_780_000_000 + k)\n" }
        return text
    }

    @Test("a gzip stream shorter and longer than the 64 KiB peek reads like the plain file", arguments: [50, 20_000])
    func gzipAroundThePeek(rows: Int) throws {
        let dir = try TempDir()
        let plain = try dir.write("log.csv", randomLog(rows: rows))
        let out = try Subprocess.run("/bin/gzip", ["-k", "-n", "-f", plain])
        try #require(out.status == 0, "\(out.stderr)")
        let compressed = try FileManager.default.attributesOfItem(atPath: plain + ".gz")[.size] as? Int ?? 0
        #expect(rows < 1000 ? compressed < 1 << 16 : compressed > 1 << 17)
        let (a, ra) = try EventLogReader.read(plain)
        let (b, rb) = try EventLogReader.read(plain + ".gz")
        expectSameStore(a, b)
        #expect(a.eventCount == rows && ra.bytes == rb.bytes)
    }
}
