// Replays every committed fuzzing input (fuzz/corpus/<target>/ and fuzz/regressions/<target>/) through the same
// target body the libFuzzer binary runs, without a sanitizer: a crash found once stays fixed.
import FuzzTargets
import Foundation
import TestSupport
import XCTest

final class FuzzReplayTests: XCTestCase {
    private func inputs(_ kind: String, _ target: FuzzTarget) -> [String] {
        let dir = Repository.path("fuzz/\(kind)/\(target.rawValue)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { dir + "/" + $0 }
    }

    private func replay(_ kind: String) throws {
        for target in FuzzTarget.allCases {
            for path in inputs(kind, target) {
                let bytes = try XCTUnwrap(FileManager.default.contents(atPath: path), path)
                XCTAssertNoThrow(try target.run(Array(bytes)), "\(target.rawValue): \(path)")
            }
        }
    }

    /// Every target has a seed corpus, and a dictionary the fuzz run passes to libFuzzer.
    func testEveryTargetHasSeedsAndADictionary() {
        for target in FuzzTarget.allCases {
            XCTAssertFalse(inputs("corpus", target).isEmpty, "no seed corpus for \(target.rawValue)")
            XCTAssertTrue(FileManager.default.fileExists(atPath: Repository.path("fuzz/dict/\(target.rawValue).dict")),
                          "no dictionary for \(target.rawValue)")
        }
    }

    func testSeedCorporaReplay() throws { try replay("corpus") }

    func testRegressionInputsReplay() throws { try replay("regressions") }
}
