import Foundation
public import PiaojueCrypto

/// The body's signing key on disk: PEM PKCS#8, created with mode 0600, refused when others can read it.
public enum KeyFile {
    /// Writes `key` to a new file at `path` (mode 0600). Refuses to replace an existing file.
    public static func create(_ key: Ed25519PrivateKey, at path: String) throws(LedgerError) {
        try create(SigningKey(key), at: path)
    }

    /// Writes `key` (Ed25519 or SM2, PKCS#8) to a new file at `path` (mode 0600). Refuses to
    /// replace an existing file.
    public static func create(_ key: SigningKey, at path: String) throws(LedgerError) {
        let pem: String
        do { pem = try key.pemPKCS8() } catch { throw .storage(detail: "\(error)") }
        let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { throw .keyExists(path: path) }
            throw .cannotCreate(path: path, detail: String(cString: strerror(errno)))
        }
        var bytes = Array(pem.utf8)
        defer { Ed25519PrivateKey.cleanse(&bytes) }
        let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == bytes.count, synced == 0 else {
            unlink(path)
            throw .cannotCreate(path: path, detail: "short write")
        }
    }

    /// Reads the Ed25519 key at `path`; refuses a file readable or writable by group or others.
    public static func load(from path: String) throws(LedgerError) -> Ed25519PrivateKey {
        let text = try readProtected(path)
        do {
            return try Ed25519PrivateKey(pem: text)
        } catch {
            throw .keyUnreadable(path: path, detail: "不是 Ed25519 PEM 私钥 / not an Ed25519 PEM private key")
        }
    }

    /// Reads the key at `path`, Ed25519 or SM2 (its suite is the key's type); refuses a file
    /// readable or writable by group or others.
    public static func loadSigningKey(from path: String) throws(LedgerError) -> SigningKey {
        let text = try readProtected(path)
        do {
            return try SigningKey(pem: text)
        } catch {
            throw .keyUnreadable(path: path, detail: "不是 Ed25519 或 SM2 PEM 私钥 / not an Ed25519 or SM2 PEM private key")
        }
    }

    /// Where a gm ledger's Ed25519 checkpoint key lives beside its SM2 key at `path`:
    /// `body.key` → `body.ed25519.key`, any other name gets `.ed25519` appended.
    public static func ed25519Path(beside path: String) -> String {
        path.hasSuffix(".key") ? String(path.dropLast(4)) + ".ed25519.key" : path + ".ed25519"
    }

    private static func readProtected(_ path: String) throws(LedgerError) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { throw .keyMissing(path: path) }
            throw .keyUnreadable(path: path, detail: String(cString: strerror(errno)))
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else { throw .keyTooOpen(path: path, mode: String(mode, radix: 8)) }
        guard var data = FileManager.default.contents(atPath: path) else {
            throw .keyUnreadable(path: path, detail: "permission denied")
        }
        defer { data.resetBytes(in: 0..<data.count) }
        return String(decoding: data, as: UTF8.self)
    }
}
