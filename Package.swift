// swift-tools-version:6.0
// Tenure: churn and activation prediction from raw user event logs.
//
// Dependencies point one way (Parquet and Postgres, the readers of other sources, sit beside TenureCore, under EventLog):
//   TenureCore (error categories, parameter tables, UTC time spans, JSON merge, atomic output, SHA-256, the version,
//   parallel chunks) →
//   EventLog → Features → (LinearModels, GradientBoosting, Evaluation) → ModelFormat → Training, Scoring → CLI
// Only LinearAlgebra talks to BLAS/LAPACK (through the CTenureBLAS shim); only EventLog and Parquet talk to zlib,
// only Parquet to snappy, zstd and lz4; only Postgres to libpq;
// only TenureCore talks to OpenSSL's libcrypto (SHA-256); only TenureMPI to Open MPI (loaded at run time).
import PackageDescription

let optimized: [SwiftSetting] = [
    // Hot loops index arrays in tight loops; exclusivity checks there cost ~20%.
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "Tenure",
    products: [
        .executable(name: "tenure", targets: ["TenureCLI"]),
        .executable(name: "tenure-bench", targets: ["TenureBench"]),
        .library(name: "Tenure", targets: ["Tenure"]),
        // libtenurec.so: the C ABI for services in other languages (header: include/tenure.h). Not "tenure":
        // SwiftPM drops a second product of the same name as the `tenure` executable, so no .so was built.
        .library(name: "tenurec", type: .dynamic, targets: ["TenureC"]),
    ],
    targets: [
        // System-library shims.
        .target(
            name: "CTenureBLAS",
            linkerSettings: [.linkedLibrary("openblas"), .linkedLibrary("lapacke"), .linkedLibrary("dl")]
        ),
        .target(name: "CTenureZlib", linkerSettings: [.linkedLibrary("z")]),
        .target(name: "CTenureHints"),
        .target(name: "CTenureCrypto", linkerSettings: [.linkedLibrary("crypto")]),
        .target(name: "CTenurePQ", linkerSettings: [.linkedLibrary("pq")]),
        // Open MPI, dlopened at run time (libmpi.so.40), so only `train --distributed` needs it installed.
        .target(name: "CTenureMPI", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "CTenureCompression",
                linkerSettings: [.linkedLibrary("snappy"), .linkedLibrary("zstd"), .linkedLibrary("lz4")]),

        // `Collective` over MPI for distributed training (`train --distributed` under mpirun).
        .target(name: "TenureMPI", dependencies: ["TenureCore", "CTenureMPI"]),
        // The primitives every module shares (the lowest Swift module).
        .target(name: "TenureCore", dependencies: ["CTenureCrypto", "CTenureHints"], swiftSettings: optimized),

        // Pipeline modules.
        .target(name: "EventLog", dependencies: ["TenureCore", "CTenureZlib", "CTenureHints", "Parquet", "Postgres"], swiftSettings: optimized),
        .target(name: "Features", dependencies: ["TenureCore", "EventLog", "Parquet"], swiftSettings: optimized),
        // PostgreSQL through libpq: rows streamed by binary COPY.
        .target(name: "Postgres", dependencies: ["TenureCore", "CTenurePQ"], swiftSettings: optimized),
        // The nightly list into a PostgreSQL table (score --out postgresql://… --out-table), runs in tenure_runs.
        .target(name: "PostgresSink", dependencies: ["TenureCore", "EventLog", "Postgres", "Targeting"]),
        // Parquet files read without Arrow (Debian has none): footer, pages, encodings, codecs.
        .target(name: "Parquet", dependencies: ["TenureCore", "CTenureCompression", "CTenureZlib"], swiftSettings: optimized),
        .target(name: "Synthetic", dependencies: ["TenureCore", "EventLog"], swiftSettings: optimized),
        .target(name: "LinearAlgebra", dependencies: ["TenureCore", "CTenureBLAS"], swiftSettings: optimized),
        .target(name: "LinearModels", dependencies: ["TenureCore", "LinearAlgebra"], swiftSettings: optimized),
        .target(name: "GradientBoosting", dependencies: ["TenureCore", "CTenureHints"], swiftSettings: optimized),
        .target(name: "Evaluation", dependencies: ["TenureCore"], swiftSettings: optimized),
        .target(
            name: "ModelFormat",
            dependencies: ["TenureCore", "Features", "LinearModels", "GradientBoosting", "Evaluation"],
            swiftSettings: optimized
        ),
        .target(
            name: "Training",
            dependencies: ["TenureCore", "ModelFormat", "Features", "EventLog", "LinearModels", "GradientBoosting", "Evaluation"],
            swiftSettings: optimized
        ),
        .target(
            name: "Scoring",
            dependencies: ["TenureCore", "ModelFormat", "Features", "EventLog", "Evaluation", "GradientBoosting"],
            swiftSettings: optimized
        ),
        .target(name: "Tenure", dependencies: ["TenureCore", "Scoring"]),
        .target(
            name: "TenureC", dependencies: ["TenureCore", "Scoring"], exclude: ["linker"], swiftSettings: optimized,
            // Only the tenure_* functions are exported from libtenurec.so (see linker/exports.map).
            linkerSettings: [.unsafeFlags(["-Xlinker", "--version-script=\(Context.packageDirectory)/Sources/TenureC/linker/exports.map"])]
        ),
        // The run manifest: written by Targeting (tenure score), read by Report (tenure report).
        .target(name: "Manifest", dependencies: ["TenureCore"]),
        .target(
            name: "Targeting",
            dependencies: ["TenureCore", "Manifest", "Scoring", "ModelFormat", "Features", "EventLog", "Evaluation"],
            swiftSettings: optimized
        ),
        .target(name: "Retention", dependencies: ["TenureCore", "EventLog"], swiftSettings: optimized),
        .target(name: "Report", dependencies: ["TenureCore", "Manifest", "ModelFormat", "Evaluation", "Retention"]),
        .executableTarget(
            name: "TenureCLI",
            dependencies: ["TenureCore", "Tenure", "Training", "Synthetic", "Features", "EventLog", "LinearAlgebra", "LinearModels",
                           "GradientBoosting", "Evaluation", "ModelFormat", "Manifest", "Scoring", "Targeting", "Retention", "Report",
                           "Postgres", "PostgresSink", "TenureMPI"],
            swiftSettings: optimized
        ),
        // The Swift side of bench/ (times library calls on in-memory matrices; not shipped).
        .executableTarget(
            name: "TenureBench",
            dependencies: ["TenureCore", "EventLog", "LinearModels", "GradientBoosting", "Evaluation", "Training", "ModelFormat", "CTenureBLAS"],
            swiftSettings: optimized
        ),
        // The README's service example, built with everything else so it cannot rot.
        .executableTarget(name: "ScoringServiceExample", dependencies: ["Tenure"], path: "examples/scoring-service"),

        // The fuzzing suite's targets (one body per target): run by the libFuzzer binary `make fuzz` links
        // (fuzz/FuzzMain.swift) and by FuzzReplayTests over the committed corpora and regressions.
        .target(
            name: "FuzzTargets",
            dependencies: ["TenureCore", "EventLog", "Features", "GradientBoosting", "LinearModels", "ModelFormat", "Targeting"]
        ),

        // Tests: one target per module, plus end-to-end CLI tests.
        // Seeded random data, repository paths and a subprocess runner shared by the test targets.
        .target(name: "TestSupport", dependencies: ["TenureCore"], path: "Tests/TestSupport"),
        .testTarget(name: "TenureCoreTests", dependencies: ["TenureCore"]),
        .testTarget(name: "EventLogTests", dependencies: ["EventLog", "TestSupport"]),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"]),
        .testTarget(name: "ParquetTests", dependencies: ["Parquet", "TestSupport"], exclude: ["make_fixtures.py"], resources: [.copy("Fixtures")]),
        .testTarget(name: "FeaturesTests", dependencies: ["TenureCore", "Features", "EventLog", "Synthetic"]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "LinearModelsTests", dependencies: ["LinearModels", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "GradientBoostingTests", dependencies: ["GradientBoosting", "TenureCore"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "TestSupport"]),
        .testTarget(name: "ModelFormatTests", dependencies: ["TenureCore", "ModelFormat"], resources: [.copy("Golden")]),
        .testTarget(name: "ScoringTests", dependencies: ["TenureCore", "Scoring", "Synthetic"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Synthetic", "TestSupport"]),
        .testTarget(name: "TargetingTests", dependencies: ["Targeting", "Manifest", "Scoring", "Synthetic", "TestSupport"]),
        .testTarget(name: "RetentionTests", dependencies: ["Retention", "EventLog"]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Manifest", "ModelFormat", "Evaluation", "Retention", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "Postgres", "Evaluation"]),
        .testTarget(name: "FuzzReplayTests", dependencies: ["FuzzTargets", "TestSupport"]),
        // libtenurec from C (gcc against include/tenure.h), the service example, compared with Scoring's Scorer.
        .testTarget(name: "CLibraryTests", dependencies: ["Scoring", "TestSupport"], exclude: ["c"]),
    ]
)
