// swift-tools-version:6.2
// Piaojue (票决): 民生实事项目人大代表票决制 as one signed, append-only, verifiable ledger.
import PackageDescription

/// Every target of ours: Swift 6 language mode (the package default), warnings are errors, and the
/// upcoming features that make a leak between layers a compile error: imports are internal unless
/// marked `public import`, members are visible only from modules a file imports, existentials
/// are spelled `any`.
let strict: [SwiftSetting] = [
    .treatAllWarnings(as: .error),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
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
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
    ],
    targets: [
        // System libraries: OpenSSL 3 libcrypto and SQLite 3, found through pkg-config.
        .systemLibrary(
            name: "COpenSSL", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]),
        .systemLibrary(
            name: "CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]),
        // Debian's libqrencode, for the QR codes of receipts.
        .systemLibrary(
            name: "CQRencode", pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"]), .brew(["qrencode"])]),

        // Bytes in, bytes out: SHA-256, Ed25519, RFC 9162 Merkle trees, RFC 8785 JSON, signed notes.
        .target(name: "PiaojueCrypto", dependencies: ["COpenSSL"], swiftSettings: strict),
        // QR code symbols (libqrencode) and their SVG rendering; knows nothing about voting.
        .target(name: "PiaojueQR", dependencies: ["CQRencode"], swiftSettings: strict),
        // The rules of RULES.md: no I/O, no C, no database.
        .target(name: "PiaojueDomain", swiftSettings: strict),
        // The only writer: the append-only, hash-chained, signed SQLite ledger.
        .target(name: "PiaojueLedger", dependencies: ["PiaojueCrypto", "PiaojueDomain", "CSQLite"], swiftSettings: strict),
        // A C2SP tlog-witness: its own key and SQLite state, cosigning the logs it trusts; tlog-policy.
        .target(
            name: "PiaojueWitness", dependencies: ["PiaojueCrypto", "PiaojueDomain", "PiaojueLedger", "CSQLite"],
            swiftSettings: strict),
        // Read-only verification of a published bundle or of a ledger (with a tlog-policy's quorum of
        // witness cosignatures), and the bundle writer.
        .target(
            name: "PiaojueAudit", dependencies: ["PiaojueCrypto", "PiaojueDomain", "PiaojueLedger", "PiaojueWitness"],
            swiftSettings: strict),
        // The stage workflows: read the ledger, apply the domain rules, append entries.
        .target(
            name: "PiaojueServices",
            dependencies: [
                "PiaojueCrypto", "PiaojueDomain", "PiaojueLedger", "PiaojueAudit", "PiaojueWitness", "PiaojueQR",
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: strict),
        // Parse, call, render: the HTTP server (Hummingbird), one folder per group of routes. Like
        // the command line it sees the services and the domain's value types only.
        .target(
            name: "PiaojueWeb",
            dependencies: [
                "PiaojueServices", "PiaojueDomain",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict),
        // Parse, call, render: the command line. It sees the services, the web layer and the
        // domain's value types only — never the ledger, the audit, the crypto or a C module.
        .target(
            name: "PiaojueCLI",
            dependencies: [
                "PiaojueServices", "PiaojueDomain", "PiaojueWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        .executableTarget(name: "piaojue", dependencies: ["PiaojueCLI"], swiftSettings: strict),

        // Helpers shared by the test targets: fixture paths, temporary directories, running the binary,
        // and a ledger driven through the services with an injected clock and randomness.
        .target(
            name: "PiaojueTestSupport", dependencies: ["PiaojueDomain", "PiaojueCrypto", "PiaojueLedger", "PiaojueServices"],
            path: "Tests/Support", swiftSettings: strict),
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
            name: "PiaojueAuditTests",
            dependencies: [
                "PiaojueAudit", "PiaojueLedger", "PiaojueDomain", "PiaojueCrypto", "PiaojueServices", "PiaojueTestSupport",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "PiaojueServicesTests",
            dependencies: [
                "PiaojueServices", "PiaojueDomain", "PiaojueLedger", "PiaojueCrypto", "PiaojueAudit",
                "PiaojueTestSupport",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "PiaojueWitnessTests",
            dependencies: [
                "PiaojueWitness", "PiaojueCrypto", "PiaojueDomain", "PiaojueLedger", "CSQLite", "PiaojueServices", "PiaojueWeb",
                "PiaojueTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "PiaojueWebTests",
            dependencies: [
                "PiaojueWeb", "PiaojueServices", "PiaojueDomain", "PiaojueCrypto", "PiaojueLedger", "PiaojueQR", "PiaojueTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict),
        .testTarget(
            name: "PiaojueEndToEndTests", dependencies: ["piaojue", "PiaojueServices", "PiaojueDomain", "PiaojueCrypto", "PiaojueTestSupport"],
            swiftSettings: strict),
    ]
)

// Scripts/bench's in-process measurements (ledger generation, durable casts, tally, the raw SQLite
// limit) are built only when asked: `PIAOJUE_BENCH=1 swift build -c release --product piaojue-bench`
// (Scripts/bench sets it), as Hummingbird builds its benchmarks only on request, so that neither
// `swift build --build-tests` nor CI compiles them.
if Context.environment["PIAOJUE_BENCH"] != nil {
    package.targets.append(
        .executableTarget(
            name: "piaojue-bench",
            dependencies: ["PiaojueServices", "PiaojueAudit", "PiaojueLedger", "PiaojueDomain", "PiaojueCrypto", "CSQLite"],
            path: "Sources/PiaojueBench", swiftSettings: strict))
}
