import Foundation
import PiaojueCrypto
import PiaojueServices
import PiaojueTestSupport
import Testing

/// Replays every committed fuzz input (Tests/Fixtures/fuzz/TARGET/: the seeds and every input the
/// fuzzers of Scripts/fuzz found worth keeping, crashes included once fixed) through the same
/// functions and properties as the libFuzzer entry points in Tests/Fuzz/, without a sanitizer build.
@Suite struct FuzzRegressionTests {
    static let root = TestPaths.fixtures.appendingPathComponent("fuzz")

    static func inputs(_ target: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(target).path)) ?? []
        return names.sorted()
    }

    static func bytes(_ target: String, _ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: root.appendingPathComponent(target).appendingPathComponent(name)))
    }

    @Test func everyTargetHasCommittedInputs() {
        for target in ["csv", "jcs", "checkpoint", "secretcode"] {
            #expect(!Self.inputs(target).isEmpty, "no inputs for \(target)")
        }
    }

    /// Each committed input, named in any failure (one test per target: there are hundreds).
    func replay(_ target: String, _ check: (String, [UInt8]) throws -> Void) throws {
        for name in Self.inputs(target) {
            do { try check(name, try Self.bytes(target, name)) } catch {
                Issue.record("\(target)/\(name): \(error)")
            }
        }
    }

    @Test func csvImporter() throws { try replay("csv", checkCSV) }
    @Test func canonicalJSON() throws { try replay("jcs", checkJCS) }
    @Test func checkpointParser() throws { try replay("checkpoint", checkCheckpoint) }
    @Test func credentialCodes() throws { try replay("secretcode", checkSecretCode) }

    func checkCSV(_ name: String, _ bytes: [UInt8]) throws {
        for encoding in TextEncodingChoice.allCases {
            guard let text = try? TextDecoding.decode(bytes, encoding: encoding, name: name),
                let table = try? CSV.parse(text, name: name)
            else { continue }
            var previous = 1
            for row in table.rows {
                #expect(row.fields.count == table.header.count, "csv/\(name)")
                #expect(row.line > previous, "csv/\(name)")
                previous = row.line
            }
            guard !([table.header] + table.rows.map(\.fields)).contains(where: { $0 == [""] }) else { continue }
            let written = CSV.document(header: table.header, rows: table.rows.map(\.fields))
            let reread = try CSV.parse(String(written.unicodeScalars.dropFirst()), name: "written.csv")
            #expect(reread.rows.count <= table.rows.count, "csv/\(name)")
        }
    }

    func checkJCS(_ name: String, _ bytes: [UInt8]) throws {
        guard let value = try? JSONValue.parse(bytes) else { return }
        let canonical = value.canonicalBytes
        let again = try JSONValue.parse(canonical)
        #expect(again == value, "jcs/\(name)")
        #expect(again.canonicalBytes == canonical, "jcs/\(name)")
    }

    func checkCheckpoint(_ name: String, _ bytes: [UInt8]) throws {
        let text = String(decoding: bytes, as: UTF8.self)
        if let checkpoint = try? Checkpoint(text: text) {
            #expect(checkpoint.text == text, "checkpoint/\(name)")
        }
        guard let note = try? SignedNote(parsing: text) else { return }
        #expect(note.serialized == text, "checkpoint/\(name): a signed note does not serialize back to its own text")
        #expect(try SignedNote(parsing: note.serialized) == note, "checkpoint/\(name)")
        if let checkpoint = try? Checkpoint(text: note.text) {
            #expect(checkpoint.text == note.text, "checkpoint/\(name)")
        }
    }

    func checkSecretCode(_ name: String, _ bytes: [UInt8]) throws {
        let text = String(decoding: bytes, as: UTF8.self)
        _ = SecretCode.redacted(in: text)
        if let secret = try? SecretCode.decode(text) {
            #expect(secret.count == 32, "secretcode/\(name)")
            let code = try SecretCode.encode(secret)
            #expect(try SecretCode.decode(code) == secret, "secretcode/\(name)")
            #expect(try SecretCode.decode(code.lowercased()) == secret, "secretcode/\(name)")
            for spelling in [code, code.lowercased(), code.replacingOccurrences(of: "-", with: ""), code.replacingOccurrences(of: "-", with: " ")] {
                #expect(!SecretCode.redacted(in: "第 3 行“\(spelling)”。Line 3: \(spelling).").contains(spelling), "secretcode/\(name)")
            }
        }
        if bytes.count >= 32 {
            let code = try SecretCode.encode(Array(bytes.prefix(32)))
            #expect(try SecretCode.decode(code) == Array(bytes.prefix(32)), "secretcode/\(name)")
        }
    }

    // MARK: What the fuzzers found, as plain unit tests

    /// Found by the `checkpoint` target: Foundation's base64 decoder accepts a last digit whose
    /// unused bits are set, so a note's signature (or an entry's `sig`, `signer`, a checkpoint root)
    /// had several spellings of one value — a note that did not serialize back to its own text, and
    /// an entry whose bytes, and so its receipt, could change without failing verification.
    @Test func base64HasOneSpellingPerValue() {
        #expect(Encoding.unbase64("QQ==") == [0x41])
        #expect(Encoding.unbase64("QR==") == nil)
        #expect(Encoding.unbase64("QUI=") == [0x41, 0x42])
        #expect(Encoding.unbase64("QUJ=") == nil)
        #expect(Encoding.unbase64("QQ") == nil)
        #expect(Encoding.unbase64("") == [])
        let key = [UInt8](repeating: 0xA7, count: 32)
        #expect(Encoding.unbase64(Encoding.base64(key)) == key)
    }

    @Test func redactionHidesCodesInEverySpellingAndLeavesReceiptsAlone() throws {
        let code = try SecretCode.encode([UInt8](repeating: 0x5A, count: 32))
        for spelling in [code, code.lowercased(), code.replacingOccurrences(of: "-", with: ""), code.replacingOccurrences(of: "-", with: " ")] {
            let shown = SecretCode.redacted(in: "文件 a.csv 的表头“\(spelling)”无法识别。Unknown column \"\(spelling)\".")
            #expect(!shown.contains(spelling))
            #expect(shown.contains(SecretCode.hidden) && shown.hasPrefix("文件 a.csv 的表头“") && shown.hasSuffix("\"."))
        }
        let receipt = String(repeating: "ab", count: 32)
        let plain = "回执 \(receipt)，公钥 CwkMUqszsfhwp+bJV4HI9P2gF7TSKTDKNNCOzBsJOrs=，第 3 行 P1、P2。Receipt \(receipt)."
        #expect(SecretCode.redacted(in: plain) == plain)
        #expect(SecretCode.redacted(in: "") == "")
    }
}
