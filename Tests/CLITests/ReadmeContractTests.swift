// The README's command table and exit-code table say what `tenure --help` says: the binary's help is derived from
// the one declaration of each (the command list, `ExitCode`), so these fail when the README drifts from the code.
import Foundation
import Testing
import TestSupport

@Suite("README contracts: commands and exit codes")
struct ReadmeContractTests {
    static let readme = (try? String(contentsOfFile: Repository.path("README.md"), encoding: .utf8)) ?? ""

    /// Rows `| a | b | … |` of the markdown table whose header line is `marker`, header and rule left out.
    static func table(after marker: String) -> [[String]] {
        guard let start = readme.range(of: marker) else { return [] }
        let lines = readme[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
        let rows = lines.drop { !$0.hasPrefix("|") }.prefix { $0.hasPrefix("|") }
        return rows.filter { !$0.hasPrefix("|---") }.map { row in
            row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }

    @Test("the command table lists exactly the commands of tenure --help, in its order")
    func commands() throws {
        let listed = try Tenure.helpCommands()
        let documented = Self.table(after: "| command | what it does |\n").map { $0[0].replacingOccurrences(of: "`", with: "") }
        #expect(!listed.isEmpty)
        #expect(documented == listed, "README: \(documented)\nhelp: \(listed)")
    }

    @Test("the exit-code table is the binary's list of codes and meanings")
    func exitCodes() throws {
        let help = try Tenure.run(["--help"])
        let line = try #require(help.lines.first { $0.contains("Exit codes: ") })
        let summary = line[line.range(of: "Exit codes: ")!.upperBound...].dropLast()   // "0 success, 1 …, 64 usage"
        let fromHelp = summary.components(separatedBy: ", ").map { part -> [String] in
            let space = part.firstIndex(of: " ")!
            return [String(part[..<space]), String(part[part.index(after: space)...])]
        }
        let documented = Self.table(after: "| exit code | meaning | for example |\n").map { Array($0.prefix(2)) }
        #expect(!fromHelp.isEmpty && documented == fromHelp, "README: \(documented)\nhelp: \(fromHelp)")
    }
}
