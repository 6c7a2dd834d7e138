// Crafted models (TestSupport's AdversarialModels table: each breaks one rule, then is re-checksummed) are refused
// by the library loaders — `ModelFile.decode`, `Scorer(path:)` — with a bad-input `ModelFormatError`, and by
// `tenure_model_load` with NULL and a message; never a hang or a crash. The odd-but-valid files load and score.
import Foundation
@_spi(TreeSHAPReference) import GradientBoosting
import ModelFormat
import Scoring
import TenureCore
import Testing
import TestSupport

@Suite("Adversarial models: library and C loaders")
struct AdversarialLibraryTests {
    static let dir: URL = {
        let url = Paths.scratch.appendingPathComponent("adversarial")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()
    static let refused = Result { try AdversarialModels.write(AdversarialModels.refused, into: dir) }
    static let accepted = Result { try AdversarialModels.write(AdversarialModels.accepted, into: dir) }
    static let deepTree = Result { () throws -> String in
        let path = dir.appendingPathComponent("deep-tree.tenure").path
        try AdversarialModels.writeDeepTree(depth: 60_000, to: path)
        return path
    }

    /// CPU seconds this thread has used: the hang guard below counts the refusal's own work, not the time a
    /// loaded machine (parallel tests, other jobs) keeps it waiting.
    static func threadCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    @Test("Scorer(path:) and ModelFile.decode refuse every crafted file with a bad-input ModelFormatError, within a CPU second",
          arguments: AdversarialModels.refused.map(\.name))
    func libraryRefuses(name: String) throws {
        let path = try #require(try Self.refused.get().first { $0.name == name }).path
        let start = Self.threadCPUSeconds()
        #expect {
            _ = try Scorer(path: path)
        } throws: { error in
            error is ModelFormatError && ErrorCategory.of(error) == .badInput && "\(error)".contains(path)
        }
        let bytes = Array(try #require(FileManager.default.contents(atPath: path)))
        #expect(throws: ModelFormatError.self) { try ModelFile.decode(bytes, path: name) }
        let used = Self.threadCPUSeconds() - start
        #expect(used < 1, "\(name) took \(used) CPU seconds to refuse")
    }

    @Test("the re-serialized originals and ±∞ thresholds load and score", arguments: AdversarialModels.accepted.map(\.name))
    func libraryAccepts(name: String) throws {
        let path = try #require(try Self.accepted.get().first { $0.name == name }).path
        let scorer = try Scorer(path: path)
        let row = [Double](repeating: 1, count: scorer.model.featureCount)
        let p = try scorer.probability(features: row)
        #expect(p > 0 && p < 1)
    }

    @Test("a 60,000-deep tree loads, scores and explains (the walks are iterative)")
    func deepTree() throws {
        let scorer = try Scorer(path: try Self.deepTree.get())
        let model = scorer.model
        let row = [Double](repeating: 59_999.5, count: model.featureCount)   // the deepest leaf
        let raw = row.withUnsafeBufferPointer { model.rawScore($0) }
        let phi = row.withUnsafeBufferPointer { model.contributions($0) }
        #expect(raw.isFinite)
        #expect(abs(phi.reduce(0, +) - raw) < 1e-9)
    }

    @Test("the iterative TreeSHAP walk (trees deeper than the recursion limit) agrees with Algorithm 2")
    func iterativeWalkMatchesReference() throws {
        let path = Self.dir.appendingPathComponent("deep-300.tenure").path
        try AdversarialModels.writeDeepTree(depth: 300, to: path)
        let g = try #require(try ModelFile.read(path).gbdt)
        for value in [-1.0, 0.5, 150.5, 299.5, .nan] {
            let row = [Double](repeating: value, count: g.featureCount)
            let fast = row.withUnsafeBufferPointer { g.contributions($0) }
            let reference = row.withUnsafeBufferPointer { g.referenceContributions($0) }
            for (a, b) in zip(fast, reference) { #expect(abs(a - b) <= 1e-12 * max(1, abs(b)), "x = \(value): \(a) vs \(b)") }
        }
    }

    @Test("tenure_model_load gives NULL and a message for every crafted file; the odd-but-valid ones load in C")
    func cRefuses() throws {
        let refused = try Self.refused.get(), accepted = try Self.accepted.get()
        // abi_check loads each bad file four times; a hang is killed and fails the test.
        let r = try Subprocess.run(try CProgram.abiCheck.get(), [Paths.repo("models/demo-churn-gbdt.tenure")] + refused.map(\.path),
                                   timeout: 10 + 4 * Double(refused.count))
        #expect(r.status == 0, "abi_check exit \(r.status)\n\(r.stdout)\(r.stderr)")
        #expect(!r.stdout.contains("FAIL"), "\(r.stdout)")
        for (name, path) in refused {
            let line = r.lines.first { $0.hasPrefix("bad \(path): ") }
            #expect(line?.contains("refusing") == true || line?.contains("not a Tenure model") == true, "\(name): \(line ?? "no line")")
        }
        for path in accepted.map(\.path) + [try Self.deepTree.get()] {
            let ok = try Subprocess.run(try CProgram.abiCheck.get(), [path], timeout: 30)
            #expect(ok.status == 0 && !ok.stdout.contains("FAIL"), "\(path): \(ok.stdout)\(ok.stderr)")
        }
    }
}
