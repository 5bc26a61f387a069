/// A checkpoint note text as c2sp.org/tlog-checkpoint@v1.0.0 defines it, extension lines allowed:
/// the origin, the tree size, the base64 root hash, then optional non-empty extension lines.
///
/// ``Checkpoint`` is the three-line form our own ledger signs; this is what a witness must accept
/// from any log. The text is kept byte for byte, since cosignatures sign it whole.
public struct CheckpointText: Sendable, Equatable {
    /// The origin line: the log's identity.
    public let origin: String
    /// The tree size.
    public let size: Int
    /// The 32-byte root hash.
    public let root: [UInt8]
    /// The extension lines, without newlines (usually none).
    public let extensions: [String]
    /// The whole note text, every line ending in `\n`.
    public let text: String

    /// The checkpoint read from a note text.
    public init(parsing text: String) throws(CryptoInputError) {
        guard text.hasSuffix("\n") else { throw CryptoInputError("a checkpoint text ends in a newline") }
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 3 else {
            throw CryptoInputError("a checkpoint has at least three lines (origin, size, root), not \(lines.count)")
        }
        guard lines.allSatisfy({ !$0.isEmpty }) else { throw CryptoInputError("a checkpoint line is empty") }
        let sizeText = lines[1]
        guard sizeText.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let size = Int(sizeText), String(size) == sizeText
        else {
            throw CryptoInputError("the checkpoint size \"\(sizeText)\" is not a decimal number without leading zeros")
        }
        guard let root = Encoding.unbase64(lines[2]), root.count == 32 else {
            throw CryptoInputError("the checkpoint root \"\(lines[2])\" is not base64 of 32 bytes")
        }
        self.origin = String(lines[0])
        self.size = size
        self.root = root
        self.extensions = lines.dropFirst(3).map(String.init)
        self.text = text
    }
}
