// The tests' PostgreSQL server: the one `make test` started (TENURE_TEST_PG_URI, set by scripts/with-postgres.sh),
// or else a throwaway cluster started here by scripts/pg-cluster.sh and stopped when the test process exits.
import Foundation
import TestSupport

enum PostgresCluster {
    static let uri: Result<String, Error> = Result {
        if let given = ProcessInfo.processInfo.environment["TENURE_TEST_PG_URI"] { return given }
        let dir = NSTemporaryDirectory() + "tenure-pg-\(getpid())"
        let script = Repository.path("scripts/pg-cluster.sh")
        // system(3), not Foundation's Process: the server the script leaves running must not keep us waiting.
        guard system("'\(script)' start '\(dir)' > '\(dir).uri' 2> '\(dir).log'") == 0 else {
            let log = (try? String(contentsOfFile: dir + ".log", encoding: .utf8)) ?? ""
            throw SubprocessError("scripts/pg-cluster.sh start \(dir) failed: \(log)")
        }
        startedDir = dir
        atexit {
            guard let d = PostgresCluster.startedDir else { return }
            _ = system("'\(Repository.path("scripts/pg-cluster.sh"))' stop '\(d)'; rm -f '\(d).uri' '\(d).log'")
        }
        return try String(contentsOfFile: dir + ".uri", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }
    nonisolated(unsafe) static var startedDir: String?
}
