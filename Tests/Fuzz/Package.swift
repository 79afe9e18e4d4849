// swift-tools-version: 6.0
// The parsers under libFuzzer and AddressSanitizer: `Tests/Fuzz/run TARGET SECONDS`. Their
// sources are the package's own (linked under Sources/): depending on the package itself would
// build its build-time tools with the fuzzer too.
import PackageDescription

let package = Package(
    name: "mailhound-fuzz",
    targets: [
        .systemLibrary(name: "CZlib", pkgConfig: "zlib"),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto"),
        .target(name: "CAuditJSON", cxxSettings: [.unsafeFlags(["-O3"])], linkerSettings: [.linkedLibrary("simdjson")]),
        .target(name: "AuditEvents", dependencies: ["CCrypto"]),
        .target(name: "AuditSources", dependencies: ["AuditEvents", "CAuditJSON", "CZlib"]),
        .executableTarget(
            name: "mailhound-fuzz", dependencies: ["AuditSources"],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    ],
    cxxLanguageStandard: .cxx17
)
