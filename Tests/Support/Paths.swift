import Foundation

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

    /// The shared external vectors: `$PIAOJUE_VECTORS`, else `../shared/vectors` beside the package,
    /// else `/work/shared/vectors`. Tests that need them fail (not skip) when none exists.
    public static let vectors: URL = {
        var candidates: [URL] = []
        if let env = ProcessInfo.processInfo.environment["PIAOJUE_VECTORS"] { candidates.append(URL(fileURLWithPath: env)) }
        candidates.append(packageRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors"))
        candidates.append(URL(fileURLWithPath: "/work/shared/vectors"))
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("README.md").path) }
            ?? candidates[candidates.count - 1]
    }()

    /// `Tests/Fixtures` inside the package.
    public static let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures")

    /// `Config` inside the package.
    public static let config = packageRoot.appendingPathComponent("Config")
}

/// A fresh temporary directory, removed when the value is dropped.
public final class TemporaryDirectory: Sendable {
    public let url: URL

    public init(_ label: String = "piaojue") {
        let base = FileManager.default.temporaryDirectory
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
