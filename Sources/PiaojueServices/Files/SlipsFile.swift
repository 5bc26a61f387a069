import Foundation
import PiaojueAudit
public import PiaojueDomain

/// The credential slips file: one code a line for printing and random hand-out, mode 0600.
///
/// Its path is checked before the transaction (not existing, not a symbolic link, its directory
/// writable); it is written beside its final name first and linked into place only after the
/// ledger entry commits, so a failure leaves no slips for credentials that were never recorded.
/// If linking still fails after the commit, the codes stay in the temporary file, whose name the
/// error gives: they are never lost.
public struct SlipsFile {
    public let path: String
    private let temporary: String

    /// Refuses a path that exists already (a dangling symbolic link included) or cannot be created.
    public init(path: String) throws(FileFailure) {
        try OutputPaths.checkNewFile(path)
        self.path = path
        self.temporary = path + ".writing-\(getpid())"
    }

    /// Writes `lines` to the temporary file (mode 0600, fsynced).
    public func prepare(_ lines: [String]) throws(FileFailure) {
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .cannotCreate(path: path, why: String(cString: strerror(errno))) }
        var bytes = Array(lines.joined(separator: "\n").utf8) + [0x0A]
        defer { bytes.withUnsafeMutableBytes { raw in if let base = raw.baseAddress { memset(base, 0, raw.count) } } }
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == bytes.count, synced == 0 else {
            unlink(temporary)
            throw .writeFailed(path: path, why: String(cString: strerror(errno)))
        }
    }

    /// Gives the prepared file its final name (refusing to replace anything). On failure the
    /// temporary file is kept and named in the error.
    public func commit() throws(FileFailure) {
        guard link(temporary, path) == 0 else {
            throw .cannotPlace(path: path, why: String(cString: strerror(errno)), kept: temporary)
        }
        unlink(temporary)
    }

    /// Removes the prepared file.
    public func discard() { unlink(temporary) }
}
