// swift-tools-version: 6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "mailhound",
    products: [
        .executable(name: "mailhound", targets: ["mailhound"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // C libraries from Debian: libpq-dev, zlib1g-dev, libsimdjson-dev, libssl-dev, libcurl4-openssl-dev.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(
            name: "CAuditJSON",
            cxxSettings: [.unsafeFlags(["-O3"])],
            linkerSettings: [.linkedLibrary("simdjson")]
        ),

        // sources → normalized events
        .target(name: "AuditEvents", dependencies: ["CCrypto"], swiftSettings: strict),
        .target(name: "AuditSources", dependencies: ["AuditEvents", "CAuditJSON", "CZlib"], swiftSettings: strict),

        // Microsoft 365 → events: HTTP through libcurl, OAuth2 client credentials and the Management
        // Activity API, then the pull that streams content blobs into the ingest.
        .target(name: "WebTransport", dependencies: ["CCurl"], swiftSettings: strict),
        .target(
            name: "M365",
            dependencies: ["WebTransport", "CCrypto", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .target(
            name: "Pull",
            dependencies: [
                "M365", "Ingest", "AuditSources", "PostgresClient", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict),

        // sql/ built into the binary: a build plugin runs embed-sql over every file at build time.
        .executableTarget(name: "embed-sql", swiftSettings: strict),
        .plugin(
            name: "EmbedSQLPlugin", capability: .buildTool(), dependencies: ["embed-sql"],
            path: "Sources/EmbedSQLPlugin"),
        .target(name: "EmbeddedSQL", swiftSettings: strict, plugins: ["EmbedSQLPlugin"]),

        // Postgres
        .target(name: "PostgresClient", dependencies: ["CLibPQ"], swiftSettings: strict),
        .target(
            name: "Store",
            dependencies: [
                "PostgresClient", "EmbeddedSQL", "CCrypto", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // events → Postgres
        .target(
            name: "Ingest",
            dependencies: [
                "AuditSources", "AuditEvents", "PostgresClient", "Store", "CCrypto",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // Postgres → detectors → rankings → output
        .target(
            name: "Detection",
            dependencies: ["PostgresClient", "Store", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // What the rankings and listings are, as values with their JSON contracts: no database.
        .target(name: "Rankings", swiftSettings: strict),
        // The queries that read them from PostgreSQL.
        .target(name: "ReadModel", dependencies: ["Rankings", "PostgresClient"], swiftSettings: strict),
        // Pure formatting: tables, CSV and JSON of the rankings.
        .target(name: "Reports", dependencies: ["Rankings"], swiftSettings: strict),
        // The bundled demo tenant, and the simulated tenants and benchmark corpora of the lab.
        .target(name: "DemoData", swiftSettings: strict),
        .target(name: "Simulation", dependencies: ["AuditEvents", "DemoData"], swiftSettings: strict),

        // The command line: what both executables share, mailhound for users, mailhound-lab for
        // the simulator and the benchmarks.
        .target(
            name: "CommandSupport",
            dependencies: [
                "AuditSources", "Ingest", "Rankings", "Reports", "Store", "PostgresClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "mailhound",
            dependencies: [
                "CommandSupport", "AuditSources", "Ingest", "Detection", "Rankings", "ReadModel", "Reports", "Store",
                "PostgresClient", "DemoData", "M365", "Pull", "WebTransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "mailhound-lab",
            dependencies: [
                "CommandSupport", "AuditSources", "AuditEvents", "Ingest", "Detection", "Rankings", "ReadModel",
                "Reports", "Store", "PostgresClient", "Simulation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // An emulator of the Microsoft 365 endpoints `pull` talks to, for the tests.
        .target(name: "M365Emulator", dependencies: ["CCrypto"], path: "Tests/M365Emulator", swiftSettings: strict),
        .testTarget(
            name: "PullTests", dependencies: ["M365", "WebTransport", "Pull", "M365Emulator"], swiftSettings: strict),
        .testTarget(
            name: "AuditSourcesTests", dependencies: ["AuditSources", "AuditEvents"],
            exclude: ["Fixtures", "FuzzCrashes"],
            swiftSettings: strict),
        .testTarget(
            name: "IngestTests", dependencies: ["Ingest", "AuditSources", "AuditEvents", "PostgresClient"],
            swiftSettings: strict),
        .testTarget(name: "DetectionTests", dependencies: ["Detection", "Store"], swiftSettings: strict),
        .testTarget(name: "SimulationTests", dependencies: ["Simulation", "DemoData"], swiftSettings: strict),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Rankings"], swiftSettings: strict),
        .testTarget(
            name: "CommandLineTests",
            dependencies: ["mailhound", "CommandSupport", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "Ingest", "Detection", "Rankings", "ReadModel", "Store", "PostgresClient", "DemoData", "Simulation",
                "AuditSources", "AuditEvents", "Reports", "CZlib", "M365Emulator", "CommandSupport",
            ],
            swiftSettings: strict
        ),
    ],
    cxxLanguageStandard: .cxx17
)
