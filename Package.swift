// swift-tools-version:6.2
// Piaojue (票决): 民生实事项目人大代表票决制 as one signed, append-only, verifiable ledger.
import PackageDescription

/// Every target of ours: Swift 6 language mode (the package default), warnings are errors.
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]
/// Targets added since: also explicit import visibility and `any` for existentials.
let stricter: [SwiftSetting] = strict + [
    .enableUpcomingFeature("InternalImportsByDefault"), .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Piaojue",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "piaojue", targets: ["piaojue"]),
        .library(name: "PiaojueCrypto", targets: ["PiaojueCrypto"]),
        .library(name: "PiaojueDomain", targets: ["PiaojueDomain"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // System libraries: OpenSSL 3 libcrypto and SQLite 3, found through pkg-config.
        .systemLibrary(
            name: "COpenSSL", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]),
        .systemLibrary(
            name: "CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]),
        // libxml2's SAX2 push parser and zlib's crc32, for the parts of .xlsx workbooks (see PiaojueWorkbook).
        .systemLibrary(
            name: "CLibXML2", pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]),

        // Bytes in, bytes out: SHA-256, Ed25519, RFC 9162 Merkle trees, RFC 8785 JSON, signed notes.
        .target(name: "PiaojueCrypto", dependencies: ["COpenSSL"], swiftSettings: strict),
        // The rules of RULES.md: no I/O, no C, no database.
        .target(name: "PiaojueDomain", swiftSettings: strict),
        // The only writer: the append-only, hash-chained, signed SQLite ledger.
        .target(name: "PiaojueLedger", dependencies: ["PiaojueCrypto", "CSQLite"], swiftSettings: strict),
        // Read-only verification of a published bundle or of a ledger, and the bundle writer.
        .target(
            name: "PiaojueAudit", dependencies: ["PiaojueCrypto", "PiaojueDomain", "PiaojueLedger"],
            swiftSettings: strict),
        // File formats: .xlsx workbooks read (streamed, bounded) and written; no ledger, no rules.
        .target(
            name: "PiaojueWorkbook",
            dependencies: ["PiaojueDomain", "CLibXML2", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: stricter),
        // The stage workflows: read the ledger, apply the domain rules, append entries.
        .target(
            name: "PiaojueServices",
            dependencies: [
                "PiaojueCrypto", "PiaojueDomain", "PiaojueLedger", "PiaojueAudit", "PiaojueWorkbook",
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: strict),
        // Parse, call, render: the command line.
        .target(
            name: "PiaojueCLI",
            dependencies: [
                "PiaojueServices", "PiaojueAudit", "PiaojueDomain", "PiaojueLedger", "PiaojueCrypto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        .executableTarget(name: "piaojue", dependencies: ["PiaojueCLI"], swiftSettings: strict),
        // Scripts/bench's in-process measurements: ledger generation, durable casts, tally, raw SQLite.
        .executableTarget(
            name: "piaojue-bench",
            dependencies: ["PiaojueServices", "PiaojueAudit", "PiaojueLedger", "PiaojueDomain", "PiaojueCrypto", "CSQLite"],
            path: "Sources/PiaojueBench", swiftSettings: strict),
        // Scripts/bench-xlsx's reader: one table read (CSV or .xlsx) per process, for time and peak memory.
        .executableTarget(
            name: "piaojue-workbook-bench", dependencies: ["PiaojueServices", "PiaojueWorkbook"],
            path: "Sources/PiaojueWorkbookBench", swiftSettings: stricter),

        // Helpers shared by the test targets: fixture paths, temporary directories, running the binary.
        .target(name: "PiaojueTestSupport", path: "Tests/Support", swiftSettings: strict),
        .testTarget(
            name: "PiaojueCryptoTests", dependencies: ["PiaojueCrypto", "PiaojueTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "PiaojueDomainTests", dependencies: ["PiaojueDomain", "PiaojueTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "PiaojueLedgerTests", dependencies: ["PiaojueLedger", "PiaojueCrypto", "PiaojueAudit", "CSQLite", "PiaojueTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "PiaojueWorkbookTests", dependencies: ["PiaojueWorkbook", "PiaojueDomain", "PiaojueTestSupport"],
            swiftSettings: stricter),
        .testTarget(
            name: "PiaojueServicesTests",
            dependencies: [
                "PiaojueServices", "PiaojueDomain", "PiaojueLedger", "PiaojueCrypto", "PiaojueAudit", "PiaojueWorkbook",
                "PiaojueTestSupport",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "PiaojueEndToEndTests", dependencies: ["piaojue", "PiaojueCrypto", "PiaojueTestSupport"],
            swiftSettings: strict),
    ]
)
