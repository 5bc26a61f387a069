import Foundation
import PiaojueAudit
import PiaojueDomain
import PiaojueTestSupport
import Testing

/// `OutputPaths`: files are created new (never replacing one, never through a symbolic link) in a
/// directory that exists; output directories are new or empty and never reached by `..`.
@Suite struct OutputPathsTests {
    /// The file failure `body` throws (nil when it throws none, or something else).
    func failure(_ body: () throws -> Void) -> FileFailure? {
        do {
            try body()
            return nil
        } catch {
            return error as? FileFailure
        }
    }

    @Test(arguments: [("report.html", "."), ("/report.html", "/"), ("a/b/c.txt", "a/b"), ("/tmp/x", "/tmp"), ("dir/", "dir")])
    func theParentOfAPath(_ path: String, _ parent: String) {
        #expect(OutputPaths.parent(of: path) == parent)
    }

    @Test func aNewFileIsCreatedWithItsModeAndNeverReplaced() throws {
        let directory = TemporaryDirectory("piaojue-paths", inMemory: true)
        let path = directory.path("proof.json")
        try OutputPaths.checkNewFile(path)
        try OutputPaths.writeNewFile(path, Array("{}\n".utf8), mode: 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{}\n")
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
        #expect(failure { try OutputPaths.checkNewFile(path) } == .outputExists(path: path))
        #expect(failure { try OutputPaths.writeNewFile(path, Array("replaced".utf8)) } == .outputExists(path: path))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{}\n")
    }

    @Test func symbolicLinksAreRefusedDanglingOnesIncluded() throws {
        let directory = TemporaryDirectory("piaojue-paths", inMemory: true)
        let target = directory.path("target.txt")
        let dangling = directory.path("dangling")
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: target)
        #expect(failure { try OutputPaths.checkNewFile(dangling) } == .outputIsSymlink(path: dangling))
        #expect(failure { try OutputPaths.writeNewFile(dangling, [1]) } == .outputIsSymlink(path: dangling))
        #expect(!FileManager.default.fileExists(atPath: target))
        let refused = failure { try OutputPaths.checkNewFile(dangling) }
        #expect(refused?.code == "file.output-is-symlink")
        #expect(refused?.exitStatus == 2)
    }

    @Test func theParentDirectoryMustExist() throws {
        let directory = TemporaryDirectory("piaojue-paths", inMemory: true)
        let path = directory.path("missing/out.txt")
        let refused = failure { try OutputPaths.checkNewFile(path) }
        #expect(refused == .outputDirectoryMissing(path: path, directory: directory.path("missing")))
        #expect(refused?.details == ["path": .text(path), "directory": .text(directory.path("missing"))])
        try Data().write(to: URL(fileURLWithPath: directory.path("plain")))
        let underAFile = directory.path("plain/out.txt")
        #expect(failure { try OutputPaths.checkNewFile(underAFile) } == .outputDirectoryMissing(path: underAFile, directory: directory.path("plain")))
        #expect(failure { try OutputPaths.checkNewFile("") } == .outputMissing)
        #expect(failure { try OutputPaths.checkNewFile("") }?.code == "file.output-missing")
    }

    @Test(.enabled(if: getuid() != 0, "root may write anywhere"))
    func aReadOnlyParentIsRefused() throws {
        let directory = TemporaryDirectory("piaojue-paths", inMemory: true)
        let locked = directory.path("locked")
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o555])
        defer { chmod(locked, 0o755) }
        let path = locked + "/out.txt"
        #expect(failure { try OutputPaths.checkNewFile(path) } == .outputDirectoryNotWritable(path: path, directory: locked))
        #expect(failure { try OutputPaths.checkDirectory(locked + "/bundle") } == .outputDirectoryNotWritable(path: locked + "/bundle", directory: locked))
    }

    @Test func anOutputDirectoryIsCreatedWhenMissingAndTakenWhenEmpty() throws {
        let directory = TemporaryDirectory("piaojue-paths", inMemory: true)
        let bundle = directory.path("bundle")
        try OutputPaths.checkDirectory(bundle)
        #expect(!FileManager.default.fileExists(atPath: bundle))
        try OutputPaths.prepareDirectory(bundle)
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: bundle, isDirectory: &isDirectory) && isDirectory.boolValue)
        // Empty: taken as it is.
        try OutputPaths.prepareDirectory(bundle)
        try Data().write(to: URL(fileURLWithPath: bundle + "/tally.json"))
        #expect(failure { try OutputPaths.prepareDirectory(bundle) } == .directoryNotEmpty(path: bundle))
        #expect(failure { try OutputPaths.checkDirectory(bundle) } == .directoryNotEmpty(path: bundle))
        #expect(try FileManager.default.contentsOfDirectory(atPath: bundle) == ["tally.json"])
    }

    @Test func anOutputDirectoryIsNeverAFileALinkOrReachedByClimbing() throws {
        let directory = TemporaryDirectory("piaojue-paths", inMemory: true)
        let file = directory.path("file")
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        #expect(failure { try OutputPaths.prepareDirectory(file) } == .notADirectory(path: file))
        let real = directory.path("real")
        try FileManager.default.createDirectory(atPath: real, withIntermediateDirectories: false)
        let link = directory.path("link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        #expect(failure { try OutputPaths.prepareDirectory(link) } == .notADirectory(path: link))
        for climbing in [directory.path("real/../escape"), "..", "../x", "a/../../b"] {
            #expect(failure { try OutputPaths.prepareDirectory(climbing) } == .outputClimbs(path: climbing))
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path("escape")))
        // Dots inside a name are not climbing.
        try OutputPaths.prepareDirectory(directory.path("v1..v2"))
        let missing = directory.path("no/such")
        #expect(failure { try OutputPaths.prepareDirectory(missing) } == .outputDirectoryMissing(path: missing, directory: directory.path("no")))
        #expect(failure { try OutputPaths.prepareDirectory("") } == .outputMissing)
        #expect(!FileManager.default.fileExists(atPath: directory.path("no")))
    }
}
