// Parallel block parsing equals serial parsing: tiny blocks force many record boundaries, including inside
// quoted fields that span lines.
import Foundation
import Testing
import TestSupport
@testable import EventLog

/// A CSV log whose quoted fields hold commas, escaped quotes and newlines (CRLF on some lines), ≈ 400 KB.
private func quotedLog(seed: UInt64) -> String {
    var rng = SplitMix64(seed: seed)
    var text = "user_id,timestamp,event,value\n"
    for k in 0..<6_000 {
        let user = "u\(Int.random(in: 0..<400, using: &rng))"
        let secs = 1_780_000_000 + Int.random(in: 0..<2_000_000, using: &rng)
        let event: String
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: event = "\"note\nwith \"\"quotes\"\", and\r\nlines \(k % 13)\""
        case 1: event = "\"plain \(k % 11)\""
        case 2: event = "\"\n\n\""
        default: event = "e\(k % 9)"
        }
        let value = Int.random(in: 0..<3, using: &rng) == 0 ? "" : "\(Double(k % 1000) / 8)"
        let end = k % 10 == 0 ? "\r\n" : "\n"
        text += "\"\(user)\",\(secs),\(event),\(value)\(end)"
        if k % 500 == 0 { text += "\n" }
    }
    return text
}

@Suite("Parallel parsing equals serial parsing")
struct BlockBoundaryTests {
    @Test("quoted multi-line CSV, tiny blocks, 1 vs 2 threads", arguments: [UInt64(1), 2, 3])
    func quotedCSV(seed: UInt64) throws {
        let dir = try TempDir()
        let path = try dir.write("q.csv", quotedLog(seed: seed))
        let serial = ReadOptions(threads: 1), parallel = ReadOptions(threads: 2, blockBytes: 4096)
        let (a, ra) = try EventLogReader.read(path, options: serial)
        let (b, rb) = try EventLogReader.read(path, options: parallel)
        expectSameStore(a, b)
        #expect(ra == rb)
        #expect(ra.events == 6_000 && ra.badRowTotal == 0 && ra.blankLines == 12)
        #expect(a.eventNames.contains("\n\n"))
        #expect(a.eventNames.contains { $0.hasPrefix("note\nwith \"quotes\", and\r\nlines") })
    }

    @Test("JSON Lines and whitespace logs, tiny blocks, 1 vs 2 threads")
    func otherFormats() throws {
        var rng = SplitMix64(seed: 9)
        var json = "", ws = "id t v\n"
        for k in 0..<8_000 {
            let u = Int.random(in: 0..<300, using: &rng), t = 1_780_000_000 + Int.random(in: 0..<900_000, using: &rng)
            json += "{\"user_id\":\"u\(u)\",\"timestamp\":\(t),\"event\":\"e\(k % 4)\",\"value\":\(k % 50)}\n"
            ws += "  \(u)\t\(t)  \(k % 50)\n"
        }
        let dir = try TempDir()
        let jsonPath = try dir.write("a.jsonl", json), wsPath = try dir.write("a.txt", ws)
        for (path, format, columns) in [(jsonPath, LogFormat.jsonl, ColumnMapping(event: "event")),
                                        (wsPath, .whitespace, ColumnMapping(user: "id", time: "t", value: "v"))] {
            var serial = ReadOptions(format: format, columns: columns)
            serial.threads = 1
            var parallel = serial
            parallel.threads = 2
            parallel.blockBytes = 4096
            let (a, ra) = try EventLogReader.read(path, options: serial)
            let (b, rb) = try EventLogReader.read(path, options: parallel)
            expectSameStore(a, b)
            #expect(ra == rb)
            #expect(a.eventCount == 8_000)
        }
    }
}
