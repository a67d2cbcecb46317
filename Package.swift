// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "CentreQL",
    products: [
        .library(name: "CentreQL", targets: ["CentreQL"]),
        .executable(name: "centreql", targets: ["CentreQLCommand"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // The engine: no terminal, no C, fully testable.
        .target(name: "CentreQL"),
        // libedit, for the REPL's line editing; `make` installs libedit-dev when it is missing.
        .systemLibrary(name: "CEditLine", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        // Queries compiled to SQL, run on an SQLite database (`--engine sqlite:FILE`); the tests' oracle.
        .target(name: "CentreQLSQLite", dependencies: ["CentreQL", "CSQLite"]),
        // PostgreSQL's client library; `make` installs libpq-dev when it is missing.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // Queries compiled to SQL, run on a PostgreSQL server (`--engine postgres:CONNINFO`).
        .target(name: "CentreQLPostgres", dependencies: ["CentreQL", "CLibPQ"]),
        // The command: argument parsing, the script runner and the REPL.
        .executableTarget(
            name: "CentreQLCommand",
            dependencies: [
                "CentreQL",
                "CentreQLSQLite",
                "CentreQLPostgres",
                "CEditLine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // SQLite: the peer the benchmark compares with, and an engine queries compile to; `make` installs libsqlite3-dev when it is missing.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // The side-by-side benchmark: `make benchmark` (see BENCHMARKS.md).
        .executableTarget(name: "CentreQLBenchmarks", dependencies: ["CentreQL", "CSQLite"], path: "Benchmarks"),
        .testTarget(
            name: "CentreQLTests",
            dependencies: ["CentreQL", "CentreQLSQLite", "CentreQLPostgres"],  // SQLite and PostgreSQL are the SQL tests' oracles
            exclude: ["Corpus"]
        ),
    ]
)
