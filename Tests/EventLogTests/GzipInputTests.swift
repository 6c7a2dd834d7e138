// Gzip input: read through zlib (recognised by its magic bytes), and a truncated stream is an error.
import Foundation
import Testing
import TestSupport
@testable import EventLog

/// Compresses `input` with /bin/gzip into `output`.
private func gzip(_ input: String, to output: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-c", "-n", input]
    _ = FileManager.default.createFile(atPath: output, contents: nil)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
    defer { try? handle.close() }
    process.standardOutput = handle
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
}

/// A log big enough to need several buffer refills (≈ 450 KB uncompressed).
private func sampleLog() -> String {
    var rng = SplitMix64(seed: 3)
    var text = "user_id,timestamp,event,value\n"
    for k in 0..<12_000 {
        let user = Int.random(in: 0..<500, using: &rng)
        let secs = 1_780_000_000 + Int.random(in: 0..<5_000_000, using: &rng)
        text += "user\(user),\(secs),event_\(k % 7),\(k % 5 == 0 ? "" : String(k % 100))\n"
    }
    return text
}

@Suite("Gzip input", .enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/gzip")))
struct GzipInputTests {
    @Test("a .gz file reads exactly like the plain file, also under another name")
    func roundTrip() throws {
        let dir = try TempDir()
        let plain = try dir.write("log.csv", sampleLog())
        try gzip(plain, to: dir.path + "/log.csv.gz")
        try gzip(plain, to: dir.path + "/renamed.csv")   // gzip found by magic bytes, not the name
        var options = ReadOptions()
        options.blockBytes = 4096
        let (a, ra) = try EventLogReader.read(plain, options: options)
        let (b, rb) = try EventLogReader.read(dir.path + "/log.csv.gz", options: options)
        let (c, _) = try EventLogReader.read(dir.path + "/renamed.csv", options: options)
        expectSameStore(a, b)
        expectSameStore(a, c)
        #expect(a.eventCount == 12_000)
        #expect(ra.records == rb.records && ra.lines == rb.lines)
        #expect(rb.bytes == ra.bytes)   // bytes counts decompressed input
    }

    @Test("a truncated gzip file is a read error, not a shorter log", arguments: [0.5, 0.99])
    func truncated(fraction: Double) throws {
        let dir = try TempDir()
        let plain = try dir.write("log.csv", sampleLog())
        let gz = dir.path + "/log.csv.gz"
        try gzip(plain, to: gz)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: gz)))
        let cut = try dir.write("cut.csv.gz", bytes: Array(bytes.prefix(Int(Double(bytes.count) * fraction))))
        #expect {
            _ = try EventLogReader.read(cut)
        } throws: { error in
            guard case EventLogError.readFailed = error else { return false }
            return true
        }
    }

    @Test("a missing file cannot be opened")
    func missingFile() throws {
        #expect {
            _ = try EventLogReader.read("/nonexistent/tenure/log.csv")
        } throws: { error in
            guard case EventLogError.cannotOpen = error else { return false }
            return true
        }
    }
}
