import CSQLite
public import PiaojueCrypto

/// A witness's cosignature of a stored checkpoint (a C2SP `cosignature/v1` signature line), as
/// `audit witness` received it.
public struct StoredCosignature: Sendable, Equatable {
    /// The size of the checkpoint it cosigns.
    public let size: Int
    /// The signature line.
    public let signature: SignedNote.Signature
    /// When it was stored (entry time form).
    public let received: String
    /// Where it came from: the witness's URL, or the response file's name.
    public let source: String
}

extension LedgerReader {
    /// The stored cosignatures, of the checkpoint of `size` or of every checkpoint, in the order
    /// they were received.
    public func cosignatures(size: Int? = nil) throws -> [StoredCosignature] {
        // A ledger read at schema 3 (read-only, not migrated) has none.
        guard try connection.scalarInt("PRAGMA user_version") >= 4 else { return [] }
        let filter = size == nil ? "" : " WHERE size = ?"
        let statement = try connection.statement(
            "SELECT size, line, received, source FROM cosignatures\(filter) ORDER BY received, size, witness, line")
        defer { statement.reset() }
        if let size { try statement.bind(1, Int64(size)) }
        var result: [StoredCosignature] = []
        while try statement.step() {
            let line = statement.text(1) ?? ""
            let signature: SignedNote.Signature
            do { signature = try SignedNote.Signature(parsingLine: line) } catch {
                throw LedgerError.corrupt(path: ledger.path, detail: "cosignature of checkpoint \(statement.int(0)): \(error.description)")
            }
            result.append(StoredCosignature(
                size: Int(statement.int(0)), signature: signature, received: statement.text(2) ?? "", source: statement.text(3) ?? ""))
        }
        return result
    }

    /// The checkpoint's signed note with every stored cosignature appended after its own
    /// signature lines (the body's first), as bundles carry it: at most 100 lines in all, as a
    /// signed note allows, and no line twice.
    public func cosignedNote(_ checkpoint: StoredCheckpoint) throws -> String {
        let cosignatures = try cosignatures(size: checkpoint.size)
        guard !cosignatures.isEmpty else { return checkpoint.note }
        let note: SignedNote
        do { note = try SignedNote(parsing: checkpoint.note) } catch {
            throw LedgerError.corrupt(path: ledger.path, detail: "checkpoint \(checkpoint.size): \(error.description)")
        }
        var lines = note.signatures
        for cosignature in cosignatures where lines.count < 100 && !lines.contains(cosignature.signature) {
            lines.append(cosignature.signature)
        }
        return note.keeping([]).appending(lines).serialized
    }
}

extension LedgerWriter {
    /// Stores cosignature lines of the stored checkpoint of `size` (refused when there is none);
    /// a line stored before is skipped, and so is a witness's later cosignature of a checkpoint it
    /// has cosigned already (the same key name and key ID: asked again a second later, a witness
    /// signs again with a new timestamp, which adds nothing). Returns how many were new. Durable
    /// once the transaction commits.
    @discardableResult
    public func storeCosignatures(_ signatures: [SignedNote.Signature], size: Int, source: String) throws -> Int {
        let insert = try connection.statement(
            "INSERT OR IGNORE INTO cosignatures(size, line, witness, received, source) VALUES (?, ?, ?, ?, ?)")
        defer { insert.reset() }
        let earlier = try connection.statement("SELECT line FROM cosignatures WHERE size = ? AND witness = ?")
        defer { earlier.reset() }
        var stored = 0
        for signature in signatures {
            earlier.reset()
            try earlier.bind(1, Int64(size))
            try earlier.bind(2, signature.keyName)
            var cosigned = false
            while try earlier.step() {
                if let line = earlier.text(0), let encoded = line.split(separator: " ").last, let bytes = Encoding.unbase64(String(encoded)),
                    bytes.prefix(4).elementsEqual(signature.keyID)
                {
                    cosigned = true
                }
            }
            if cosigned { continue }
            insert.reset()
            try insert.bind(1, Int64(size))
            try insert.bind(2, signature.line)
            try insert.bind(3, signature.keyName)
            try insert.bind(4, time)
            try insert.bind(5, source)
            do { _ = try insert.step() } catch { throw Ledger.classify(error, path: ledger.path) }
            stored += Int(sqlite3_changes(connection.handle))
        }
        return stored
    }
}
