// The feature-matrix readers' parallel block walk reads exactly what one scan from the start reads: the same
// numbers bit for bit, the same passthrough text, and the same refusal naming the same line, for any number
// of blocks, on matrices with quoted fields spanning lines, CRLF, blank lines, NaN spellings, exponents and
// 17-digit numbers (the event reader's SplitterAgreementTests, for matrices).
import Foundation
import Testing
import TestSupport
@testable import Features

private func hostileMatrix(seed: UInt64, rows: Int, badAt: Int? = nil) -> String {
    var rng = SplitMix64(seed: seed)
    func pick(_ n: Int) -> Int { Int.random(in: 0..<n, using: &rng) }
    var text = "user_id,cutoff,label,a,b\n"
    for k in 0..<rows {
        let user = pick(5) == 0 ? "\"u,\(k)\"" : "u\(k)"
        let note: String
        switch pick(6) {
        case 0: note = "\"two\nlines, \"\"quoted\"\"\""
        case 1: note = "\"crlf\r\ninside\""
        case 2: note = ""
        default: note = "2026-0\(1 + pick(9))-01"
        }
        func number() -> String {
            switch pick(8) {
            case 0: return "nan"
            case 1: return ""
            case 2: return "NaN"
            case 3: return "\(Double(pick(1_000_000)) / 7.0)"          // 16–17 digits: strtod's path
            case 4: return "\(pick(100))e-\(pick(30))"
            default: return "\(pick(1000) - 500)"
            }
        }
        let a = badAt == k ? "x1" : number()
        let end = pick(7) == 0 ? "\r\n" : "\n"
        text += "\(user),\(note),\(pick(2)),\(a),\(number())\(end)"   // the cutoff column holds the quoted text
        if pick(15) == 0 { text += "\n" }   // a blank line
    }
    return text
}

private func write(_ text: String, _ name: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("matrix-\(getpid())-\(name).csv").path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

@Suite("Matrix block agreement")
struct MatrixBlockAgreementTests {
    @Test("training and scoring readers: blocks read what one scan reads", arguments: [1, 2, 3])
    func agree(seed: Int) throws {
        let path = try write(hostileMatrix(seed: UInt64(seed), rows: 3000), "ok\(seed)")
        defer { unlink(path) }
        let one = try FeatureMatrixReader.read(path, labelColumn: "label", walk: .sequential)
        let scoring = try FeatureMatrixReader.read(path, features: ["b", "a"], walk: .sequential)
        #expect(one.rows == 3000 && scoring.rows == 3000)
        for blocks in [2, 3, 5, 8, 17, 64] {
            let m = try FeatureMatrixReader.read(path, labelColumn: "label", walk: .blocks(blocks))
            #expect(m.names == one.names && m.rows == one.rows && m.labels == one.labels && m.cutoffs == one.cutoffs)
            #expect(m.values.map(\.bitPattern) == one.values.map(\.bitPattern), "\(blocks) blocks")
            let s = try FeatureMatrixReader.read(path, features: ["b", "a"], walk: .blocks(blocks))
            #expect(s.values.map(\.bitPattern) == scoring.values.map(\.bitPattern), "\(blocks) blocks")
            #expect(s.passthroughNames == scoring.passthroughNames && s.passthrough == scoring.passthrough, "\(blocks) blocks")
        }
    }

    @Test("a bad cell is refused with the same line, whichever block holds it", arguments: [7, 1500, 2999])
    func sameRefusal(row: Int) throws {
        let path = try write(hostileMatrix(seed: 9, rows: 3000, badAt: row), "bad\(row)")
        defer { unlink(path) }
        func message(_ walk: MatrixWalk) -> String {
            do { _ = try FeatureMatrixReader.read(path, labelColumn: "label", walk: walk); return "read" } catch { return "\(error)" }
        }
        let reference = message(.sequential)
        #expect(reference.contains("'x1' is not a number"), "\(reference)")
        for blocks in [2, 4, 9, 33] { #expect(message(.blocks(blocks)) == reference, "\(blocks) blocks") }
    }
}
