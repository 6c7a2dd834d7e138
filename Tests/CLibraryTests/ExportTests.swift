// libtenurec.so exports exactly the functions include/tenure.h declares: no Swift symbol and no C shim
// (tenure_sha256_*, tenure_blas_*) a client could bind to by accident.
import Foundation
import Testing
import TestSupport

@Suite("C ABI exports")
struct ExportTests {
    @Test("the global symbols of libtenurec.so are the functions of tenure.h")
    func exportsMatchHeader() throws {
        let header = try String(contentsOfFile: Paths.repo("include/tenure.h"), encoding: .utf8)
        let declared = Set(header.matches(of: /\b(tenure_[a-z0-9_]+)\s*\(/).map { String($0.1) })
        #expect(declared.count >= 9)
        let nm = try run("/usr/bin/nm", ["-D", "--defined-only", Paths.library])
        try #require(nm.status == 0, "nm: \(nm.stderr)")
        // "ADDRESS TYPE NAME"; an upper-case type is a global symbol.
        let exported = Set(nm.lines.compactMap { line -> String? in
            let f = line.split(separator: " ")
            guard f.count == 3, let type = f[1].first, type.isUppercase else { return nil }
            return String(f[2])
        })
        #expect(exported == declared, "exported but not declared: \(exported.subtracting(declared).sorted().prefix(10)); declared but not exported: \(declared.subtracting(exported).sorted())")
    }
}
