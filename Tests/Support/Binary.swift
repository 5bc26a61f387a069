public import Foundation

/// The result of running the `piaojue` binary.
public struct RunResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    /// stdout parsed as one JSON object.
    public func json() throws -> [String: Any] {
        let data = Data(stdout.utf8)
        return try need(try JSONSerialization.jsonObject(with: data) as? [String: Any], "JSON object on stdout: \(stdout)")
    }
}

/// Runs the built `piaojue` binary as a user would: in a directory, with an environment.
public struct PiaojueBinary: Sendable {
    /// The binary: `$PIAOJUE_BIN`, else `piaojue` beside the test bundle, else under `.build/`.
    public static let path: String = {
        if let explicit = ProcessInfo.processInfo.environment["PIAOJUE_BIN"] { return explicit }
        var candidates: [URL] = []
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(directory.appendingPathComponent("piaojue"))
            directory.deleteLastPathComponent()
        }
        candidates.append(TestPaths.packageRoot.appendingPathComponent(".build/debug/piaojue"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }?.path
            ?? candidates[candidates.count - 1].path
    }()

    public let directory: URL
    public var environment: [String: String]

    /// A runner in `directory` whose ledger is `directory/piaojue.sqlite` and whose rules come from
    /// the package's `Config`.
    public init(directory: URL, now: String? = nil) {
        self.directory = directory
        var environment = ProcessInfo.processInfo.environment
        environment["PIAOJUE_DB"] = nil
        environment["PIAOJUE_KEY"] = nil
        environment["PIAOJUE_CONFIG"] = TestPaths.config.path
        if let now { environment["PIAOJUE_NOW"] = now } else { environment["PIAOJUE_NOW"] = nil }
        self.environment = environment
    }

    /// Runs `piaojue` with `arguments` (and `input` on stdin) and waits for it.
    @discardableResult
    public func run(_ arguments: [String], input: String? = nil) throws -> RunResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.path)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let inPipe = Pipe()
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inPipe.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a large output cannot block the child.
        let group = DispatchGroup()
        let collected = Collected()
        group.enter()
        DispatchQueue.global().async {
            collected.setErr(Self.readAll(err.fileHandleForReading.fileDescriptor))
            group.leave()
        }
        let stdoutData = Self.readAll(out.fileHandleForReading.fileDescriptor)
        group.wait()
        process.waitUntilExit()
        return RunResult(
            status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
            stderr: String(decoding: collected.err, as: UTF8.self))
    }

    /// Everything readable from `fd` until end of file, retrying reads interrupted by signals
    /// (Foundation's readDataToEndOfFile traps on EINTR).
    public static func readAll(_ fd: Int32) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                data.append(contentsOf: buffer[0..<count])
            } else if count == 0 || errno != EINTR {
                return data
            }
        }
    }

    /// Runs and requires exit status 0, returning the result.
    @discardableResult
    public func ok(_ arguments: [String], input: String? = nil) throws -> RunResult {
        let result = try run(arguments, input: input)
        guard result.status == 0 else {
            throw MissingValue(description: "piaojue \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return result
    }
}

private final class Collected: @unchecked Sendable {
    // Safe: written once by the reader thread before `group.leave()`, read after `group.wait()`.
    var err = Data()
    func setErr(_ data: Data) { err = data }
}
