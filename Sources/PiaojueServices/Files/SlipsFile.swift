import Foundation
public import PiaojueDomain

/// The credential slips file: one code a line for printing and random hand-out, mode 0600.
///
/// It is written beside its final name first and linked into place only after the ledger entry
/// commits, so a failure leaves no slips for credentials that were never recorded.
public struct SlipsFile {
    public let path: String
    private let temporary: String

    /// Refuses a path that exists already or cannot be created.
    public init(path: String) throws(InputError) {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw InputError("凭证文件 \(path) 已存在，不会覆盖；请换一个文件名。The slips file \(path) exists; it is never overwritten.")
        }
        self.path = path
        self.temporary = path + ".writing-\(getpid())"
    }

    /// Writes `lines` to the temporary file (mode 0600, fsynced).
    public func prepare(_ lines: [String]) throws(InputError) {
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw InputError("无法创建凭证文件 \(path)（\(String(cString: strerror(errno)))），请检查目录。Cannot create the slips file.")
        }
        var bytes = Array(lines.joined(separator: "\n").utf8) + [0x0A]
        defer { bytes.withUnsafeMutableBytes { raw in if let base = raw.baseAddress { memset(base, 0, raw.count) } } }
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == bytes.count, synced == 0 else {
            unlink(temporary)
            throw InputError("写入凭证文件 \(path) 失败。Writing the slips file failed.")
        }
    }

    /// Gives the prepared file its final name (refusing to replace anything).
    public func commit() throws(InputError) {
        defer { unlink(temporary) }
        guard link(temporary, path) == 0 else {
            throw InputError("无法把凭证文件放到 \(path)（\(String(cString: strerror(errno)))）。Cannot place the slips file.")
        }
    }

    /// Removes the prepared file.
    public func discard() { unlink(temporary) }
}
