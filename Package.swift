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
        // C libraries from Debian: libpq-dev, zlib1g-dev, libsimdjson-dev.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .target(
            name: "CAuditJSON",
            cxxSettings: [.unsafeFlags(["-O3"])],
            linkerSettings: [.linkedLibrary("simdjson")]
        ),

        // sources → normalized events
        .target(name: "AuditEvents", dependencies: ["CCrypto"], swiftSettings: strict),
        .target(name: "AuditSources", dependencies: ["AuditEvents", "CAuditJSON", "CZlib"], swiftSettings: strict),

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

        // Postgres → detectors → ranked sessions → output
        .target(
            name: "Detection",
            dependencies: ["PostgresClient", "Store", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .target(name: "Reports", dependencies: ["Detection", "Ingest"], swiftSettings: strict),
        .target(name: "SyntheticData", dependencies: ["AuditEvents"], swiftSettings: strict),

        .executableTarget(
            name: "mailhound",
            dependencies: [
                "AuditSources", "Ingest", "Detection", "Reports", "Store", "PostgresClient", "SyntheticData",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        .testTarget(
            name: "AuditSourcesTests", dependencies: ["AuditSources", "AuditEvents"], exclude: ["Fixtures"],
            swiftSettings: strict),
        .testTarget(
            name: "IngestTests", dependencies: ["Ingest", "AuditSources", "AuditEvents", "PostgresClient"],
            swiftSettings: strict),
        .testTarget(name: "DetectionTests", dependencies: ["Detection", "Store"], swiftSettings: strict),
        .testTarget(name: "SyntheticDataTests", dependencies: ["SyntheticData"], swiftSettings: strict),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Detection"], swiftSettings: strict),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "Ingest", "Detection", "Store", "PostgresClient", "SyntheticData", "AuditSources", "Reports",
            ],
            swiftSettings: strict
        ),
    ],
    cxxLanguageStandard: .cxx17
)
