// Loading a damaged, foreign, newer or inconsistent model file through the C ABI returns NULL with a message
// that says why, and never crashes; bad arguments to the scoring calls get error codes, not undefined behaviour.
import Foundation
import Scoring
import Testing
import TestSupport

@Suite("C ABI refuses bad files and bad arguments")
struct BadModelTests {
    static let good = Paths.repo("models/demo-churn-logistic.tenure")

    /// Every kind of bad file, each with a word its error message must contain.
    static func makeBadFiles(in dir: URL) throws -> [(path: String, expect: String)] {
        func p(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let good = try Data(contentsOf: URL(fileURLWithPath: Self.good))
        let newline = try #require(good.firstIndex(of: 10))
        var files: [(String, String)] = []

        files.append((p("missing.tenure"), "no such file"))
        try Data().write(to: URL(fileURLWithPath: p("empty.tenure")))
        files.append((p("empty.tenure"), "not a Tenure model"))
        try good.prefix(good.count / 2).write(to: URL(fileURLWithPath: p("truncated.tenure")))
        files.append((p("truncated.tenure"), "truncated"))
        var altered = good
        let target = good.count - 40  // inside the JSON body, past the header
        altered[target] = altered[target] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
        try altered.write(to: URL(fileURLWithPath: p("altered.tenure")))
        files.append((p("altered.tenure"), "checksum mismatch"))
        var header = String(decoding: good[..<newline], as: UTF8.self).split(separator: " ").map(String.init)
        header[1] = "99"
        try (Data(header.joined(separator: " ").utf8) + good[newline...]).write(to: URL(fileURLWithPath: p("newer.tenure")))
        files.append((p("newer.tenure"), "newer than this Tenure reads"))
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37) }).write(to: URL(fileURLWithPath: p("garbage.tenure")))
        files.append((p("garbage.tenure"), "not a Tenure model"))
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("directory.tenure"), withIntermediateDirectories: true)
        files.append((p("directory.tenure"), "cannot read"))

        // Checksums right, content wrong: a logistic model one coefficient short, a tree with a dangling child.
        var lr = try AdversarialModels.json(.logistic)
        var logistic = try #require(lr["logistic"] as? [String: Any])
        logistic["coefficients"] = Array(try #require(logistic["coefficients"] as? [Any]).dropLast())
        lr["logistic"] = logistic
        try AdversarialModels.rechecksummed(try JSONSerialization.data(withJSONObject: lr, options: [.sortedKeys]), to: p("short-logistic.tenure"))
        files.append((p("short-logistic.tenure"), "coefficients"))
        var gb = try AdversarialModels.json(.gbdt)
        var gbdt = try #require(gb["gbdt"] as? [String: Any])
        var trees = try #require(gbdt["trees"] as? [[String: Any]])
        var left = try #require(trees[0]["leftChild"] as? [Int])
        left[0] = 100_000
        trees[0]["leftChild"] = left
        gbdt["trees"] = trees
        gb["gbdt"] = gbdt
        try AdversarialModels.rechecksummed(try JSONSerialization.data(withJSONObject: gb, options: [.sortedKeys]), to: p("dangling-tree.tenure"))
        files.append((p("dangling-tree.tenure"), "out of range"))
        return files
    }

    @Test("every bad file: NULL and a reason; bad arguments: error codes, output untouched")
    func badFilesAndArguments() throws {
        let dir = Paths.scratch.appendingPathComponent("bad-models")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let files = try Self.makeBadFiles(in: dir)
        let r = try run(try CProgram.abiCheck.get(), [Self.good] + files.map(\.path))
        // A crash would show as a signal status; exit 0 means every C-side check passed.
        #expect(r.status == 0, "abi_check exit \(r.status)\n\(r.stdout)\(r.stderr)")
        #expect(!r.stdout.contains("FAIL"), "\(r.stdout)")
        for (path, expect) in files {
            let line = r.lines.first { $0.hasPrefix("bad \(path): ") }
            #expect(line?.contains(expect) == true, "\(path): expected '\(expect)' in \(line ?? "no line")")
        }
        #expect(r.lines.contains("version \(try Self.expectedVersion())"))
        #expect(r.lines.contains("kind logistic features \(try Scorer(path: Self.good).featureNames.count)"))
    }

    /// The version `tenure --version` prints, so the library and the CLI report the same release.
    static func expectedVersion() throws -> String {
        let r = try run(Paths.tenure, ["--version"])
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "tenure ", with: "")
    }
}
