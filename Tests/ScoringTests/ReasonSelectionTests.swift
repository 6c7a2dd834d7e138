// ReasonFinder.largest picks what the earlier filter-and-sort picked: positive (or nonzero) contributions only,
// largest first, equal sizes by feature index, never the bias, NaN never.
import Foundation
import Testing
@testable import Scoring

@Suite("Reason selection")
struct ReasonSelectionTests {
    /// The former selection: filter, sort by size then index, take `count`.
    static func sortedPick(_ c: [Double], features: Int, count: Int, signs: ReasonSigns) -> [Int] {
        let size: (Int) -> Double = signs == .raising ? { c[$0] } : { abs(c[$0]) }
        return Array((0..<features).filter { size($0) > 0 }.sorted { size($0) != size($1) ? size($0) > size($1) : $0 < $1 }
            .prefix(count))
    }

    @Test("random vectors with ties, zeros, NaN and a large bias", arguments: [ReasonSigns.raising, .either])
    func matchesSort(signs: ReasonSigns) {
        var state: UInt64 = 0x5EED
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        let palette: [Double] = [0, -0.0, 0.5, -0.5, 0.25, 1, -1, .nan, 2, 0.5]
        for trial in 0..<2000 {
            let features = 1 + Int(next() % 12)
            var c = (0..<features).map { _ in palette[Int(next() % UInt64(palette.count))] }
            c.append(100)   // the bias: never a reason
            let count = Int(next() % 5)
            #expect(ReasonFinder.largest(c, features: features, count: count, signs: signs)
                    == Self.sortedPick(c, features: features, count: count, signs: signs), "trial \(trial): \(c)")
        }
    }
}
