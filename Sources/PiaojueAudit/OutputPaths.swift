import Foundation
public import PiaojueDomain

/// Where a command may write: every output path is checked before anything is recorded, so a
/// refused path never leaves a ledger entry behind it. Files are created new (never replacing one,
/// never through a symbolic link); directories are new or empty.
public enum OutputPaths {
    /// Refuses an empty path, an existing file or symbolic link (dangling ones included), and a
    /// parent directory that is missing or not writable.
    public static func checkNewFile(_ path: String) throws(FileFailure) {
        guard !path.isEmpty else { throw .outputMissing }
        var info = stat()
        if lstat(path, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFLNK { throw .outputIsSymlink(path: path) }
            throw .outputExists(path: path)
        }
        let directory = parent(of: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .outputDirectoryMissing(path: path, directory: directory)
        }
        guard access(directory, W_OK | X_OK) == 0 else { throw .outputDirectoryNotWritable(path: path, directory: directory) }
    }

    /// The directory a path's file goes into (`.` for a bare name).
    public static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let head = String(path[..<slash])
        return head.isEmpty ? "/" : head
    }

    /// Creates a new file at `path` with permission bits `mode` holding `data`, synced to disk.
    /// (`mode` is a plain integer: a `mode_t` in the signature needs a public import of the C
    /// library, which a debug build and a whole-module release build judge differently.)
    public static func writeNewFile(_ path: String, _ data: [UInt8], mode: UInt32 = 0o644) throws(FileFailure) {
        try checkNewFile(path)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(mode))
        guard fd >= 0 else { throw .cannotCreate(path: path, why: String(cString: strerror(errno))) }
        let written = data.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == data.count, synced == 0 else {
            unlink(path)
            throw .writeFailed(path: path, why: String(cString: strerror(errno)))
        }
    }

    /// Refuses `--out` paths that climb (`..`), symbolic links, files and non-empty directories;
    /// creates the directory when it does not exist. Nothing else is touched.
    public static func prepareDirectory(_ path: String) throws(FileFailure) {
        try checkDirectory(path)
        var info = stat()
        if lstat(path, &info) != 0 {
            guard mkdir(path, 0o755) == 0 else { throw .cannotCreate(path: path, why: String(cString: strerror(errno))) }
        }
    }

    /// ``prepareDirectory(_:)`` without creating anything: for checks made before a transaction.
    public static func checkDirectory(_ path: String) throws(FileFailure) {
        guard !path.isEmpty else { throw .outputMissing }
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        guard !components.contains("..") else { throw .outputClimbs(path: path) }
        var info = stat()
        if lstat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else { throw .notADirectory(path: path) }
            let contents = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? ["?"]
            guard contents.isEmpty else { throw .directoryNotEmpty(path: path) }
        } else {
            let directory = parent(of: path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw .outputDirectoryMissing(path: path, directory: directory)
            }
            guard access(directory, W_OK | X_OK) == 0 else { throw .outputDirectoryNotWritable(path: path, directory: directory) }
        }
    }
}
