public import PiaojueDomain

// What the setup commands print with `--json`: named types shared by the command line's text,
// the web layer and the end-to-end tests. Keys are stable; new keys may be added, none dropped.

/// `init`.
public struct InitOutput: Codable, Sendable, Equatable {
    public let body: String
    public let level: String
    /// Base64 of the raw bytes of the body's public key (32 Ed25519, 65 SM2).
    public let publicKey: String
    /// The checkpoint origin.
    public let keyName: String
    public let db: String
    public let key: String
    /// The ledger's crypto suite: `standard` or `gm`.
    public let crypto: String
    /// A gm ledger's Ed25519 checkpoint key (`--also-ed25519`): base64 of its 32 bytes, and its file.
    public let ed25519PublicKey: String?
    /// The file of the Ed25519 key (mode 0600), beside the SM2 key.
    public let ed25519Key: String?

    public init(
        body: String, level: String, publicKey: String, keyName: String, db: String, key: String, crypto: String = "standard",
        ed25519PublicKey: String? = nil, ed25519Key: String? = nil
    ) {
        self.body = body
        self.level = level
        self.publicKey = publicKey
        self.keyName = keyName
        self.db = db
        self.key = key
        self.crypto = crypto
        self.ed25519PublicKey = ed25519PublicKey
        self.ed25519Key = ed25519Key
    }
}

/// `roster import`.
public struct RosterImportOutput: Codable, Sendable, Equatable {
    public let seated: Int
    public let imported: Int
    public let suspended: Int
    public let rosterHash: String

    public init(_ event: RosterImported) {
        seated = event.seated
        imported = event.deputies.count
        suspended = event.deputies.filter { $0.status == .suspended }.count
        rosterHash = event.rosterHash
    }
}

/// `roster list`.
public struct RosterListOutput: Codable, Sendable, Equatable {
    public let deputies: [Deputy]
    public let seated: Int

    public init(_ roster: RosterImported) {
        deputies = roster.deputies
        seated = roster.seated
    }
}

/// A failing command's error, as `--json` prints it on stderr: `{"error": {"code", "message", …}}`.
public struct ErrorOutput: Encodable, Sendable {
    public let code: String
    public let message: String
    public let exitStatus: Int32
    public let details: ErrorDetails

    public init(_ error: any ClerkFacingError, message: String) {
        code = error.code
        self.message = message
        exitStatus = error.exitStatus
        details = error.details
    }

    public init(code: String, message: String, exitStatus: Int32) {
        self.code = code
        self.message = message
        self.exitStatus = exitStatus
        details = ErrorDetails()
    }

    struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// `{"error": {"code": …, "message": …, <details>…}}`.
    public func encode(to encoder: any Encoder) throws {
        var outer = encoder.container(keyedBy: Key.self)
        var inner = outer.nestedContainer(keyedBy: Key.self, forKey: Key("error"))
        try inner.encode(code, forKey: Key("code"))
        try inner.encode(message, forKey: Key("message"))
        try inner.encode(Int(exitStatus), forKey: Key("exit"))
        for pair in details.pairs where !["code", "message", "exit"].contains(pair.name) {
            try inner.encode(pair.value, forKey: Key(pair.name))
        }
    }
}
