// The libFuzzer entry point (built by `make fuzz` with -sanitize=fuzzer,address; never part of `swift build`).
// One binary for every target: TENURE_FUZZ_TARGET names which `FuzzTarget` this run exercises.
import Foundation
import FuzzTargets

nonisolated(unsafe) private var selected: FuzzTarget?

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>) -> Int32 {
    // `TENURE_FUZZ_LIST=1`: the targets and their -max_len, for scripts/fuzz.sh.
    if ProcessInfo.processInfo.environment["TENURE_FUZZ_LIST"] != nil {
        for t in FuzzTarget.allCases { print(t.rawValue, t.maxLength) }
        exit(0)
    }
    let name = ProcessInfo.processInfo.environment["TENURE_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        fputs("TENURE_FUZZ_TARGET must be one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n", stderr)
        exit(64)
    }
    selected = target
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    do { try selected!.run(bytes) } catch {
        fatalError("\(selected!.rawValue): \(error)")
    }
    return 0
}
