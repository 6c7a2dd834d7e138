// Checks the BLAS wrappers against the plain-Swift references in NaiveLinearAlgebra.
import Testing
import LinearAlgebra

/// Deterministic pseudo-random fill (no RNG state needed): values in [-1, 1].
func wave(_ count: Int, seed: Double) -> [Double] {
    (0..<count).map { i in ((Double(i) * 0.7548776662 + seed) * 12.9898).truncatingRemainder(dividingBy: 2) - 1 }
}

/// |a − b| ≤ 1e-12·(1 + |b|) elementwise: BLAS only reorders the same sums.
func close(_ a: [Double], _ b: [Double], tolerance: Double = 1e-12) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * (1 + abs($1)) }
}

@Suite("BLAS level 1 matches naive loops")
struct BLASLevel1Tests {
    @Test func dotMatches() {
        let x = wave(1001, seed: 0.1), y = wave(1001, seed: 0.7)
        #expect(abs(BLAS.dot(x, y) - NaiveLinearAlgebra.dot(x, y)) <= 1e-12 * 1001)
        #expect(BLAS.dot([], []) == 0)
    }

    @Test func axpyMatches() {
        let x = wave(257, seed: 0.3)
        var y1 = wave(257, seed: 0.9)
        var y2 = y1
        BLAS.axpy(-2.5, x, &y1)
        NaiveLinearAlgebra.axpy(-2.5, x, &y2)
        #expect(close(y1, y2))
    }
}

@Suite("BLAS gemv and syrk match naive loops")
struct BLASLevel23Tests {
    @Test(arguments: [(1, 1), (7, 3), (300, 31), (5, 64)])
    func gemvBothTransposes(rows: Int, cols: Int) {
        let a = wave(rows * cols, seed: 0.2)
        for transpose in [false, true] {
            let x = wave(transpose ? rows : cols, seed: 0.4)
            var y1 = wave(transpose ? cols : rows, seed: 0.6)
            var y2 = y1
            BLAS.gemv(transpose: transpose, rows: rows, cols: cols, alpha: 1.5, a: a, x: x, beta: 0.5, y: &y1)
            NaiveLinearAlgebra.gemv(transpose: transpose, rows: rows, cols: cols, alpha: 1.5, a: a, x: x,
                                    beta: 0.5, y: &y2)
            #expect(close(y1, y2, tolerance: 1e-12 * Double(max(rows, cols))))
        }
    }

    @Test(arguments: [(1, 1), (10, 4), (500, 31)])
    func gramMatchesNaive(rows: Int, cols: Int) {
        let a = wave(rows * cols, seed: 0.8)
        let fast = BLAS.gram(rows: rows, cols: cols, alpha: 0.25, a: a)
        let slow = NaiveLinearAlgebra.gram(rows: rows, cols: cols, alpha: 0.25, a: a)
        #expect(close(fast, slow, tolerance: 1e-12 * Double(rows)))
        // Symmetric after filling the lower triangle.
        for i in 0..<cols { for j in 0..<cols { #expect(fast[i * cols + j] == fast[j * cols + i]) } }
    }

    @Test func syrkAccumulatesWithBeta() {
        let rows = 20, cols = 5
        let a = wave(rows * cols, seed: 0.5)
        var c = [Double](repeating: 0, count: cols * cols)
        // Two halves accumulated with beta = 1 equal the whole.
        a.withUnsafeBufferPointer { ap in
            c.withUnsafeMutableBufferPointer { cp in
                BLAS.syrkGram(rows: 10, cols: cols, alpha: 1, a: UnsafeBufferPointer(rebasing: ap[0..<50]), beta: 0, c: cp)
                BLAS.syrkGram(rows: 10, cols: cols, alpha: 1, a: UnsafeBufferPointer(rebasing: ap[50..<100]), beta: 1, c: cp)
                BLAS.symmetrizeUpper(cp, n: cols)
            }
        }
        #expect(close(c, NaiveLinearAlgebra.gram(rows: rows, cols: cols, a: a)))
    }
}

@Suite("OpenBLAS kernels")
struct BLASKernelTests {
    /// The CPU's feature flags, from /proc/cpuinfo (empty where there is none).
    static var cpuFlags: Set<Substring> {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return [] }
        return Set(line.split(separator: " "))
    }

    /// On a CPU with AVX2 and FMA, OpenBLAS runs vector kernels once the choice is made, not the SSE3 ones it
    /// falls back to for a CPU model it does not know (Debian 12's OpenBLAS on Emerald Rapids: this test fails
    /// without shim.c's choice). The test runner's threads already run, but none reads the environment meanwhile.
    @Test("a CPU with AVX2 and FMA gets vector kernels, not the Prescott fallback")
    func vectorKernels() {
        BLAS.chooseKernelForThisCPU()
        let flags = Self.cpuFlags
        guard flags.contains("avx2"), flags.contains("fma") else { return }
        #expect(BLAS.kernel != "Prescott", "OpenBLAS runs \(BLAS.kernel) on a CPU with AVX2 and FMA")
        if ["avx512f", "avx512dq", "avx512bw", "avx512vl"].allSatisfy({ flags.contains(Substring($0)) }) {
            #expect(["SkylakeX", "Cooperlake", "SapphireRapids", "Zen"].contains(BLAS.kernel), "AVX-512 CPU, kernels \(BLAS.kernel)")
        }
    }
}
