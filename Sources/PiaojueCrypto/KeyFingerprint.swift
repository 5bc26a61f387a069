/// The fingerprint of a public key as people compare it: read out in the hall, posted on the
/// notice board, printed in the 公告 — SHA-256 of the key's raw bytes, its first 128 bits as 32
/// lowercase hex digits in eight groups of four (`3f2a 91c0 …`). 128 bits leave no room to make
/// another key with the same fingerprint.
public enum KeyFingerprint {
    /// The fingerprint of `rawKey` (32 bytes for Ed25519).
    public static func text(rawKey: [UInt8]) -> String {
        let digest = SHA256.hash(rawKey)
        let hex = Encoding.hex(Array(digest.prefix(16)))
        var groups: [Substring] = []
        var rest = Substring(hex)
        while !rest.isEmpty {
            groups.append(rest.prefix(4))
            rest = rest.dropFirst(4)
        }
        return groups.joined(separator: " ")
    }
}
