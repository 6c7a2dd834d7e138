// The coding pass's vector lookup against the reference search (`FeatureBins.bin(of:)`): the same bin for every
// value, on bounds of every count the lookup takes (0 to 256), at the bounds themselves, between them and past
// both ends.
import Testing
@testable import GradientBoosting

@Suite("Vector bin lookup")
struct BinLookupTests {
    @Test func matchesReferenceSearch() {
        var rng = SeededGenerator(seed: 11)
        func uniform() -> Double { TestData.uniform(&rng) }
        var features: [[Double]] = []
        for m in [0, 1, 2, 15, 16, 17, 31, 32, 33, 100, 254, 255, 256] {
            var b = Set<Double>()
            while b.count < m { b.insert((uniform() - 0.3) * 1000) }
            features.append(b.sorted())
        }
        features.append([-0.0, 1e-300, 5e-324, 1e300].sorted())
        let lookup = FeatureBins.VectorLookup(bounds: features)
        lookup.vectors.withUnsafeBufferPointer { v in
            for (f, bounds) in features.enumerated() {
                var probes = bounds + bounds.map { $0.nextUp } + bounds.map { $0.nextDown } + [-1e308, 1e308, 0, -0.0]
                for _ in 0..<2000 { probes.append((uniform() - 0.3) * 1100) }
                let reference = FeatureBins(upperBounds: bounds, minValue: 0, maxValue: 0, hasValues: true, hasNaN: false)
                for x in probes {
                    #expect(FeatureBins.VectorLookup.count(v.baseAddress!, feature: f, x) == reference.bin(of: x),
                            "\(bounds.count) bounds, x = \(x)")
                }
            }
        }
    }
}
