public import Foundation

/// A command-line tool found on `PATH` (python3, openssl, …), run to completion.
public enum Tool {
    /// Runs `arguments` (the tool's name first) through `/usr/bin/env`, in `directory` when given;
    /// its exit status and its standard output and error together.
    public static func run(_ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
