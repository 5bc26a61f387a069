public import PiaojueCrypto

/// The body of a tlog-witness v1.0.0 `add-checkpoint` request: `old <size>`, zero to 63 base64
/// consistency-proof lines, an empty line, then the signed checkpoint note.
public struct AddCheckpointRequest: Sendable, Equatable {
    /// The most proof lines a request may carry (tlog-witness: a client MUST NOT send more than 63).
    public static let maximumProofLines = 63
    /// The largest body accepted (a checkpoint request is a few hundred bytes).
    public static let maximumBodyBytes = 64 * 1024

    /// The size of the client's previous checkpoint (0 when it knows none).
    public let oldSize: Int
    /// The RFC 6962 consistency proof from the old size to the checkpoint's size, 32 bytes a hash.
    public let proof: [[UInt8]]
    /// The signed checkpoint as sent.
    public let note: SignedNote
    /// Its parsed text.
    public let checkpoint: CheckpointText

    /// A request from its parts, checked as the parser checks a body.
    public init(oldSize: Int, proof: [[UInt8]], note: SignedNote) throws(WitnessRefusal) {
        guard oldSize >= 0 else { throw .malformed(reason: "旧大小为负 the old size is negative") }
        guard proof.count <= Self.maximumProofLines else {
            throw .malformed(reason: "一致性证明超过 63 行 more than 63 proof lines")
        }
        guard proof.allSatisfy({ $0.count == 32 }) else {
            throw .malformed(reason: "证明的每行应是 32 字节 every proof hash has 32 bytes")
        }
        let checkpoint: CheckpointText
        do { checkpoint = try CheckpointText(parsing: note.text) } catch {
            throw .malformed(reason: "检查点 checkpoint: \(error.description)")
        }
        self.oldSize = oldSize
        self.proof = proof
        self.note = note
        self.checkpoint = checkpoint
    }

    /// The request read from a body.
    public init(parsing body: [UInt8]) throws(WitnessRefusal) {
        guard body.count <= Self.maximumBodyBytes else {
            throw .malformed(reason: "请求超过 \(Self.maximumBodyBytes) 字节 the body exceeds \(Self.maximumBodyBytes) bytes")
        }
        guard String(validating: body, as: UTF8.self) != nil else {
            throw .malformed(reason: "请求不是 UTF-8 文本 the body is not UTF-8")
        }
        guard let blank = body.indices.dropLast().first(where: { body[$0] == 0x0a && body[$0 + 1] == 0x0a }) else {
            throw .malformed(reason: "缺少证明与检查点之间的空行 no empty line before the checkpoint")
        }
        // Both halves split at ASCII newlines of valid UTF-8, so each is valid UTF-8 too.
        let control = String(decoding: body[..<blank], as: UTF8.self)
        let noteText = String(decoding: body[(blank + 2)...], as: UTF8.self)
        let lines = control.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, first.hasPrefix("old ") else {
            throw .malformed(reason: "第一行应是 `old <大小>` the first line is not `old <size>`")
        }
        let sizeText = first.dropFirst(4)
        guard !sizeText.isEmpty, sizeText.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let oldSize = Int(sizeText), String(oldSize) == sizeText
        else {
            throw .malformed(reason: "旧大小“\(sizeText)”不是无前导零的十进制数 the old size is not a decimal without leading zeros")
        }
        let proofLines = lines.dropFirst()
        guard proofLines.count <= Self.maximumProofLines else {
            throw .malformed(reason: "一致性证明超过 63 行 more than 63 proof lines")
        }
        var proof: [[UInt8]] = []
        for (offset, line) in proofLines.enumerated() {
            guard let hash = Encoding.unbase64(line), hash.count == 32 else {
                throw .malformed(reason: "证明第 \(offset + 1) 行不是 32 字节的 base64 proof line \(offset + 1) is not base64 of 32 bytes")
            }
            proof.append(hash)
        }
        let note: SignedNote
        do { note = try SignedNote(parsing: noteText) } catch {
            throw .malformed(reason: "签名检查点 signed checkpoint: \(error.description)")
        }
        try self.init(oldSize: oldSize, proof: proof, note: note)
    }

    /// The body as sent over HTTP or written to a request file.
    public var body: String {
        "old \(oldSize)\n" + proof.map { Encoding.base64($0) + "\n" }.joined() + "\n" + note.serialized
    }
}
