// Crafted models (TestSupport's AdversarialModels table) through the CLI: `tenure inspect` and `tenure score` exit
// exactly 2 (bad input) naming the file, never hang (the runner kills a child after a timeout) or crash.
import Foundation
import Testing
import TestSupport

@Suite("Adversarial models: CLI")
struct AdversarialCLITests {
    /// One directory for the crafted files, shared by the cases (written once per test process).
    static let dir: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tenure-adversarial-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()
    static let refused = Result { try AdversarialModels.write(AdversarialModels.refused, into: dir) }
    /// A hang guard: loading and refusing takes ~0.1 s; the limit leaves room for a loaded machine.
    static let timeout = 5.0

    @Test("inspect and score exit 2 on every crafted file", arguments: AdversarialModels.refused.map(\.name))
    func refused(name: String) throws {
        let dir = try Scratch()
        let path = try #require(try Self.refused.get().first { $0.name == name }).path
        let events = try dir.write("events-\(name).csv", "user_id,timestamp,event\nu1,2026-01-01T00:00:00Z,login\n")
        for arguments in [["inspect", path],
                          ["score", "--model", path, "--events", events, "--as-of", "2026-02-01", "--out", dir.path("out-\(name).csv")]] {
            let r = try Subprocess.run(Tenure.binary, arguments, timeout: Self.timeout)
            #expect(r.status == 2, "\(arguments[0]) \(name): exit \(r.status)\n\(r.stderr)")
            #expect(r.stderr.contains(path), "\(arguments[0]) \(name): \(r.stderr)")
        }
        #expect(!dir.exists("out-\(name).csv"))
    }

    @Test("a 60,000-deep tree scores with reasons (iterative TreeSHAP), exit 0")
    func deepTree() throws {
        let dir = try Scratch()
        let path = dir.path("deep-tree.tenure")
        try AdversarialModels.writeDeepTree(depth: 60_000, to: path)
        let events = try dir.write("deep-events.csv", "user_id,timestamp,event\nu1,2026-01-01T00:00:00Z,login\nu1,2026-01-20T00:00:00Z,login\n")
        // A two-event log of another product, days old: the refusals are waived, the tree is what is tested.
        let r = try Subprocess.run(Tenure.binary, ["score", "--model", path, "--events", events, "--as-of", "2026-01-25",
                                                    "--max-staleness", "7d", "--allow-mismatch", "--reasons-for-all", "--out", dir.path("deep.csv")], timeout: 60)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(dir.exists("deep.csv"))
    }
}
