public import Foundation

/// Where the package, its fixtures and the external test vectors are.
public enum TestPaths {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// The external test vectors, copied into the repository with their sources and licences:
    /// `Tests/Fixtures/vectors` (see its README).
    public static let vectors = packageRoot.appendingPathComponent("Tests/Fixtures/vectors")

    /// `Tests/Fixtures` inside the package.
    public static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures")

    /// `Config` inside the package.
    public static let config = packageRoot.appendingPathComponent("Config")
}

/// A fresh temporary directory, removed when the value is dropped.
public final class TemporaryDirectory: Sendable {
    public let url: URL

    /// A new directory in the system's temporary directory (`$TMPDIR`). With `inMemory`, in the
    /// RAM-backed `/dev/shm` when the system has one: for in-process tests of what the services
    /// decide, where every transaction's fsync on a shared disk would cost more than the test
    /// itself (durability is tested end to end, on the real temporary directory).
    public init(_ label: String = "piaojue", inMemory: Bool = false) {
        var base = FileManager.default.temporaryDirectory
        if inMemory, access("/dev/shm", W_OK | X_OK) == 0 { base = URL(fileURLWithPath: "/dev/shm") }
        url = base.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// A path inside the directory.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// A missing fixture value, named.
public struct MissingValue: Error, CustomStringConvertible {
    public let description: String
}

/// The value, or a thrown ``MissingValue`` naming `what`.
public func need<T>(_ value: T?, _ what: String = "value") throws -> T {
    guard let value else { throw MissingValue(description: "missing \(what)") }
    return value
}
