import Foundation
import PiaojueTestSupport
import Testing

/// Secrets on disk and on the terminal: key and slips files are 0600, a key others can read is
/// refused, and no error or output ever repeats a credential code — not even a mistyped one, one in
/// the wrong column, or one where a header should be. (The ledger and the bundle are searched for
/// codes by SecrecyEndToEndTests.)
@Suite struct SecretsEndToEndTests {
    static func mode(_ path: String) throws -> Int {
        try need((try FileManager.default.attributesOfItem(atPath: path))[.posixPermissions] as? NSNumber, "mode").intValue
    }

    @Test func keyAndSlipsFilesAre0600AndAKeyOthersCanReadIsRefused() throws {
        let congress = try E2EScenario(seated: 6)
        #expect(try Self.mode(congress.path("piaojue.sqlite.key")) == 0o600)
        let list = try congress.shortlist(seats: 1, try congress.proposals(2))
        let session = try congress.open(list: list)
        try congress.checkin(session, 1...6)
        _ = try congress.issue(session)
        #expect(try Self.mode(congress.path("slips-\(session)-1.txt")) == 0o600)
        let entries = try congress.entryCount()
        for mode in [0o644, 0o640, 0o604, 0o660, 0o602] {
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: congress.path("piaojue.sqlite.key"))
            let refused = try congress.run(["collect", "submit", "--title", "路灯", "--category", "市政建设", "--content", "安装"])
            #expect(refused.status == 2, "mode \(String(mode, radix: 8)): \(refused.stderr)")
            #expect(refused.stderr.contains("chmod 600"))
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: congress.path("piaojue.sqlite.key"))
        #expect(try congress.entryCount() == entries)
        try congress.ok(["collect", "submit", "--title", "路灯", "--category", "市政建设", "--content", "安装"])
    }

    @Test func noErrorRepeatsACredentialCode() throws {
        let congress = try E2EScenario(seated: 12)
        let list = try congress.shortlist(seats: 2, try congress.proposals(3))
        let session = try congress.open(list: list)
        try congress.checkin(session, 1...12)
        let codes = try congress.issue(session)
        try congress.cast(session, codes[0], approve: ["P1"])
        // A mistyped code: one digit changed, so that its checksum fails.
        let typo = E2EScenario.mistyped(codes[1])

        func spellings(_ code: String) -> [String] {
            [code, code.lowercased(), code.replacingOccurrences(of: "-", with: ""), code.replacingOccurrences(of: "-", with: " ")]
        }
        func expectHidden(_ arguments: [String], status: Int32, codes shown: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
            let result = try congress.run(arguments)
            #expect(result.status == status, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
            #expect(status == 0 || !result.stderr.isEmpty, sourceLocation: sourceLocation)
            for code in shown {
                for spelling in spellings(code) {
                    #expect(!result.stderr.contains(spelling) && !result.stdout.contains(spelling), "a code was shown: \(result.stderr)", sourceLocation: sourceLocation)
                }
            }
        }

        // Electronic casting.
        try expectHidden(["ballot", "cast", session, "--credential", codes[0], "--approve", "P2"], status: 1, codes: [codes[0]])
        try expectHidden(["ballot", "cast", session, "--credential", typo, "--approve", "P2"], status: 2, codes: [typo, codes[1]])
        try expectHidden(["ballot", "cast", session, "--credential", codes[2], codes[3]], status: 2, codes: [codes[2], codes[3]])
        try expectHidden(["ballot", "cast", session, "--credentail", codes[2]], status: 2, codes: [codes[2]])
        try expectHidden(["ballot", "cast", session, "--credential", codes[2], "--approve", "P9"], status: 2, codes: [codes[2]])
        try expectHidden(["ballot", "cast", session, "--credential", codes[2].replacingOccurrences(of: "-", with: " "), "--approve", "P1,P1"], status: 2, codes: [codes[2]])

        // Paper ballots: every way a counter can get the sheet wrong.
        let sheets: [(String, String, Int32)] = [
            ("no-header.csv", "\(codes[4]),P1,,\n\(codes[5]),,P1,\n", 2),
            ("mistyped.csv", "credential,approve,oppose,abstain\n\(codes[4]),P1,,\n\(typo),P2,,\n", 2),
            ("swapped.csv", "approve,credential,oppose,abstain\n\(codes[4]),P1,,\n", 2),
            ("used.csv", "credential,approve,oppose,abstain\n\(codes[4]),P1,,\n\(codes[0]),P2,,\n", 1),
            ("repeated.csv", "credential,approve,oppose,abstain\n\(codes[4]),P1,,\n\(codes[4]),P2,,\n", 2),
            ("ragged.csv", "credential,approve,oppose,abstain\n\(codes[4]),P1,,,\n", 2),
        ]
        let before = try congress.entryCount()
        for (name, text, status) in sheets {
            try congress.write(name, text)
            try expectHidden(["ballot", "import", session, name], status: status, codes: [codes[0], codes[4], codes[5], typo])
        }
        #expect(try congress.entryCount() == before, "a refused sheet wrote to the ledger")

        // What succeeds shows no code either.
        try congress.write("good.csv", "credential,approve,oppose,abstain\n\(codes[4]),P1,,\n")
        try expectHidden(["ballot", "import", session, "good.csv", "--json"], status: 0, codes: [codes[4]])
    }
}
