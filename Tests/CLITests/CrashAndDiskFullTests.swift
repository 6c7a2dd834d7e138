// A hostile machine under the nightly `tenure score --out DIR/`: kill -9 at random moments, a disk that fills,
// a read-only directory. After each, DIR holds last night's matching pair, tonight's, or something `verify`
// refuses — never a mismatched pair `verify` accepts — and a failure leaves the previous outputs untouched and
// no temporary file behind.
import Foundation
import Testing
import TestSupport

/// Two nights' reference runs of the cron fixture, each in its own directory.
private final class Nights: @unchecked Sendable {
    static let asOfs = ["2026-04-20", "2026-04-21"]
    let fixture: CronFixture
    /// as-of → the list bytes that night's complete run writes.
    var lists: [String: Data] = [:]

    static let shared = Result { try Nights() }

    private init() throws {
        fixture = try CronFixture.shared.get()
        for asOf in Self.asOfs {
            let dir = try Scratch()
            let run = try fixture.score(["--out", dir.path("run") + "/"], asOf: asOf)
            try #require(run.status == 0, "\(run.stderr)")
            lists[asOf] = dir.bytes("run/scores.csv")
        }
        try #require(lists[Self.asOfs[0]] != lists[Self.asOfs[1]], "the two nights must write different lists")
    }

    func arguments(out: String, asOf: String) -> [String] {
        ["score", "--model", fixture.model, "--events", fixture.events, "--as-of", asOf, "--out", out]
    }
}

/// The manifest's as-of, or nil when it is absent or unreadable.
private func manifestAsOf(_ dir: String) -> String? {
    guard let data = FileManager.default.contents(atPath: dir + "/manifest.json"),
          let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
    return object["as_of"] as? String
}

/// Files a run left under temporary names.
private func temporaries(_ dir: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.contains(".tmp-") || $0.hasPrefix(".tenure-") }
}

@Suite("kill -9 and a full disk under score --out DIR/", .serialized)
struct CrashAndDiskFullTests {
    @Test("SIGKILL at 32 random moments: every state is a matching pair or refused by verify")
    func killAtRandomMoments() throws {
        let nights = try Nights.shared.get()
        let scratch = try Scratch()
        let dir = scratch.path("run")
        let first = try nights.fixture.score(["--out", dir + "/"], asOf: Nights.asOfs[0])
        try #require(first.status == 0, "\(first.stderr)")
        // How long one run takes here, so the kills spread over its whole duration.
        let started = Date()
        let timed = try nights.fixture.score(["--out", dir + "/"], asOf: Nights.asOfs[1])
        try #require(timed.status == 0)
        let duration = Date().timeIntervalSince(started)

        var rng = SplitMix64(seed: 14)
        var states: [String: Int] = [:]
        for trial in 0..<32 {
            let asOf = Nights.asOfs[trial % 2]
            // Half the kills anywhere in the run, half in its last fifth, where the files are renamed.
            let fraction = trial % 4 < 2 ? rng.uniform() * 1.1 : 0.8 + rng.uniform() * 0.3
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Tenure.binary)
            process.arguments = nights.arguments(out: dir + "/", asOf: asOf)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(useconds_t(fraction * duration * 1_000_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            let verify = try Tenure.run(["verify", dir + "/"])
            if verify.status == 0 {
                // Accepted: the list must be the one that night's complete run writes, for the night the manifest names.
                let named = try #require(manifestAsOf(dir), "trial \(trial): verify accepted a directory without a readable manifest")
                #expect(Nights.asOfs.contains(named), "trial \(trial): manifest as of \(named)")
                #expect(scratch.bytes("run/scores.csv") == nights.lists[named],
                        "trial \(trial): verify accepted a list that is not the \(named) list")
                states[named == asOf ? "tonight's pair" : "last night's pair", default: 0] += 1
            } else {
                #expect(verify.status == 2, "trial \(trial): verify exited \(verify.status): \(verify.stderr)")
                #expect(!verify.stderr.isEmpty)
                states["refused: " + (manifestAsOf(dir) == nil ? "no manifest" : "mismatch"), default: 0] += 1
            }
        }
        // Never last night's manifest beside tonight's list: the old manifest goes before the new list is renamed.
        #expect(states["refused: mismatch"] == nil, "\(states)")
        // The next complete run repairs the directory and removes what the killed runs left.
        let repair = try nights.fixture.score(["--out", dir + "/"], asOf: Nights.asOfs[0])
        #expect(repair.status == 0, "\(repair.stderr)")
        #expect(try Tenure.run(["verify", dir + "/"]).status == 0)
        #expect(temporaries(dir).isEmpty, "\(temporaries(dir))")
        print("kill -9 trials: \(states.sorted { $0.key < $1.key })")
        // The one state a kill inside the rename window leaves (microseconds wide, so random kills rarely land
        // there): tonight's list, no manifest. verify refuses it and says why.
        try FileManager.default.removeItem(atPath: dir + "/manifest.json")
        let window = try Tenure.run(["verify", dir + "/"])
        #expect(window.status == 2 && window.stderr.contains("no manifest.json beside scores.csv"), "\(window.stderr)")
    }

    /// A preload library that makes writes into `TENURE_SHIM_DIR` fail: with `TENURE_SHIM_ENOSPC_AFTER=N`, every
    /// byte past the first N written there (the disk is full); with `TENURE_SHIM_READONLY=1`, creating or
    /// opening a file there for writing (EROFS). Built with the toolchain's clang the first time it is needed.
    static let shim: Result<String, Error> = Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tenure-shim-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let source = dir + "/shim.c", library = dir + "/shim.so"
        try Data(shimSource.utf8).write(to: URL(fileURLWithPath: source))
        let clang = ["/opt/swift/usr/bin/clang", "/usr/bin/clang", "/usr/bin/cc"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let build = try Subprocess.run(try #require(clang, "no C compiler"), ["-shared", "-fPIC", "-O1", "-o", library, source, "-ldl"])
        try #require(build.status == 0, "\(build.stderr)")
        return library
    }

    func runShimmed(_ arguments: [String], _ environment: [String: String]) throws -> ProcessOutput {
        let library = try Self.shim.get()
        return try Subprocess.run(Tenure.binary, arguments, environment: environment.merging(["LD_PRELOAD": library]) { $1 })
    }

    @Test("a disk that fills while the list or the manifest is written: exit 1, a clear message, the old pair untouched",
          arguments: [0, 2_000, -1])
    func diskFull(budget: Int) throws {
        let nights = try Nights.shared.get()
        let scratch = try Scratch()
        let dir = scratch.path("run")
        let first = try nights.fixture.score(["--out", dir + "/"], asOf: Nights.asOfs[0])
        try #require(first.status == 0, "\(first.stderr)")
        let before = (scratch.bytes("run/scores.csv"), scratch.bytes("run/manifest.json"))
        // -1: room for the whole list and a little more, so the manifest is the write that fails.
        let allowed = budget >= 0 ? budget : (before.0?.count ?? 0) + 100
        let run = try runShimmed(nights.arguments(out: dir + "/", asOf: Nights.asOfs[1]),
                                 ["TENURE_SHIM_DIR": dir, "TENURE_SHIM_ENOSPC_AFTER": String(allowed)])
        #expect(run.status == 1, "budget \(allowed): exit \(run.status): \(run.stderr)")
        #expect(run.stderr.contains("No space left on device") && run.stderr.contains(dir), "\(run.stderr)")
        #expect(scratch.bytes("run/scores.csv") == before.0 && scratch.bytes("run/manifest.json") == before.1)
        #expect(temporaries(dir).isEmpty, "\(temporaries(dir))")
        #expect(try Tenure.run(["verify", dir + "/"]).status == 0)
        // A directory the run would have created is not left behind either.
        let fresh = scratch.path("new-run")
        let created = try runShimmed(nights.arguments(out: fresh + "/", asOf: Nights.asOfs[1]),
                                     ["TENURE_SHIM_DIR": fresh, "TENURE_SHIM_ENOSPC_AFTER": String(allowed)])
        #expect(created.status == 1 && !FileManager.default.fileExists(atPath: fresh), "\(created.stderr)")
    }

    @Test("a read-only run directory: exit 1 before any work, naming the directory; nothing changes")
    func readOnlyDirectory() throws {
        let nights = try Nights.shared.get()
        let scratch = try Scratch()
        let dir = scratch.path("run")
        let first = try nights.fixture.score(["--out", dir + "/"], asOf: Nights.asOfs[0])
        try #require(first.status == 0, "\(first.stderr)")
        let before = scratch.listing
        let listBefore = scratch.bytes("run/scores.csv")
        // chmod does not stop root, so the read-only file system comes from the preload library.
        let run = try runShimmed(nights.arguments(out: dir + "/", asOf: Nights.asOfs[1]), ["TENURE_SHIM_DIR": dir, "TENURE_SHIM_READONLY": "1"])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("Read-only file system") && run.stderr.contains(dir), "\(run.stderr)")
        #expect(!run.stderr.contains("rows read"), "the refusal comes before the log is read")
        #expect(scratch.listing == before && scratch.bytes("run/scores.csv") == listBefore)
        #expect(temporaries(dir).isEmpty)
    }
}

private let shimSource = #"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long long written = 0;

/* The fd's path is under TENURE_SHIM_DIR. */
static int watched_fd(int fd) {
    const char *dir = getenv("TENURE_SHIM_DIR");
    if (!dir || fd <= 2) return 0;
    char link[64], path[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n <= 0) return 0;
    path[n] = 0;
    return strncmp(path, dir, strlen(dir)) == 0;
}

static int watched_path(const char *p) {
    const char *dir = getenv("TENURE_SHIM_DIR");
    return dir && p && strncmp(p, dir, strlen(dir)) == 0;
}

/* How many of `n` bytes may still be written; 0 with errno ENOSPC once the budget is spent. */
static size_t allow(int fd, size_t n) {
    const char *after = getenv("TENURE_SHIM_ENOSPC_AFTER");
    if (!after || !watched_fd(fd)) return n;
    long long budget = atoll(after);
    if (written >= budget) { errno = ENOSPC; return 0; }
    size_t room = (size_t)(budget - written) < n ? (size_t)(budget - written) : n;
    written += room;
    return room;
}

size_t fwrite(const void *p, size_t size, size_t count, FILE *f) {
    static size_t (*real)(const void *, size_t, size_t, FILE *);
    if (!real) real = dlsym(RTLD_NEXT, "fwrite");
    size_t bytes = size * count;
    size_t ok = allow(fileno(f), bytes);
    if (ok < bytes) { if (ok) real(p, 1, ok, f); errno = ENOSPC; return size ? ok / size : 0; }
    return real(p, size, count, f);
}

ssize_t write(int fd, const void *p, size_t n) {
    static ssize_t (*real)(int, const void *, size_t);
    if (!real) real = dlsym(RTLD_NEXT, "write");
    size_t ok = allow(fd, n);
    if (ok == 0 && n > 0) { errno = ENOSPC; return -1; }
    return real(fd, p, ok);
}

static int readonly_open(const char *path, int flags) {
    return getenv("TENURE_SHIM_READONLY") && watched_path(path) && (flags & (O_WRONLY | O_RDWR | O_CREAT));
}

#define OPEN_WRAPPER(name)                                                     \
int name(const char *path, int flags, ...) {                                   \
    static int (*real)(const char *, int, ...);                                \
    if (!real) real = dlsym(RTLD_NEXT, #name);                                 \
    if (readonly_open(path, flags)) { errno = EROFS; return -1; }              \
    va_list ap; va_start(ap, flags); int mode = va_arg(ap, int); va_end(ap);   \
    return real(path, flags, mode);                                            \
}
OPEN_WRAPPER(open)
OPEN_WRAPPER(open64)

#define FOPEN_WRAPPER(name)                                                    \
FILE *name(const char *path, const char *mode) {                               \
    static FILE *(*real)(const char *, const char *);                          \
    if (!real) real = dlsym(RTLD_NEXT, #name);                                 \
    if (getenv("TENURE_SHIM_READONLY") && watched_path(path) && strpbrk(mode, "wa+")) { errno = EROFS; return NULL; } \
    return real(path, mode);                                                   \
}
FOPEN_WRAPPER(fopen)
FOPEN_WRAPPER(fopen64)

int mkdir(const char *path, mode_t mode) {
    static int (*real)(const char *, mode_t);
    if (!real) real = dlsym(RTLD_NEXT, "mkdir");
    if (getenv("TENURE_SHIM_READONLY") && watched_path(path)) { errno = EROFS; return -1; }
    return real(path, mode);
}
"""#
