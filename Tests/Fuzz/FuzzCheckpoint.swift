// libFuzzer target `checkpoint`: the C2SP signed-note and tlog-checkpoint parsers, as
// `audit consistency` and `audit verify DIR` feed them files from outside. Any text is refused
// with a CryptoInputError or parses to a note that serializes back to the same text; a parsed
// checkpoint prints back to its own text; checking a signature of any length against a fixed key
// returns false without crashing. Built by `Scripts/fuzz checkpoint N` with Sources/PiaojueCrypto.

private let fixedKey: Ed25519PublicKey? = {
    guard let key = try? Ed25519PrivateKey(seed: Array(repeating: 7, count: 32)) else { return nil }
    return key.publicKey
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoint(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let text = String(decoding: bytes, as: UTF8.self)
    if let checkpoint = try? Checkpoint(text: text) {
        precondition(checkpoint.text == text, "a checkpoint does not print back to its text")
        precondition((try? Checkpoint(text: checkpoint.text)) == checkpoint, "a printed checkpoint does not parse again")
    }
    guard let note = try? SignedNote(parsing: text) else { return 0 }
    precondition(note.serialized == text, "a signed note does not serialize back to its text")
    precondition((try? SignedNote(parsing: note.serialized)) == note, "a serialized note does not parse again")
    if let fixedKey {
        precondition(!note.isSigned(by: fixedKey, keyName: note.signatures[0].keyName), "a random note verified")
    }
    if let checkpoint = try? Checkpoint(text: note.text) {
        precondition(checkpoint.text == note.text, "a checkpoint does not print back to its note text")
    }
    return 0
}
