// SplitMix64's output function, the one 64-bit mixer behind the row hashes that pick sample rows by their
// content (so a sample does not depend on row order, threads or ranks).

/// A bijective 64-bit mixer (Steele, Lea & Flood, "Fast splittable pseudorandom number generators", 2014).
@inline(__always) public func mix64(_ x: UInt64) -> UInt64 {
    var z = x
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}
