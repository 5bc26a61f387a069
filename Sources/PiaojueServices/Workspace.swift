public import Foundation
public import PiaojueCrypto
public import PiaojueDomain
public import PiaojueLedger

/// Where the ledger, key and configuration are, and the injected clock and randomness.
public struct Settings: Sendable {
    public var databasePath: String
    public var keyPath: String
    public var configDirectory: String
    public var clock: @Sendable () -> Date
    public var random: any RandomSource

    public init(
        databasePath: String, keyPath: String? = nil, configDirectory: String = "Config",
        clock: @escaping @Sendable () -> Date = { Date() }, random: any RandomSource = SystemRandom()
    ) {
        self.databasePath = databasePath
        self.keyPath = keyPath ?? databasePath + ".key"
        self.configDirectory = configDirectory
        self.clock = clock
        self.random = random
    }

    /// Settings from the command line and the environment, as CLI.md documents: `--db`, else
    /// `$PIAOJUE_DB`, else `./piaojue.sqlite`; `--key`, else `$PIAOJUE_KEY`, else `<db>.key`;
    /// `$PIAOJUE_CONFIG`, else `./Config`. `$PIAOJUE_NOW` (`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SSZ`)
    /// fixes the clock, for tests and for entering a meeting's records after the fact.
    public static func fromEnvironment(db: String?, key: String?) throws(SetupFailure) -> Settings {
        let environment = ProcessInfo.processInfo.environment
        let database = db ?? environment["PIAOJUE_DB"] ?? "piaojue.sqlite"
        let keyPath = key ?? environment["PIAOJUE_KEY"] ?? database + ".key"
        let config = environment["PIAOJUE_CONFIG"] ?? "Config"
        var clock: @Sendable () -> Date = { Date() }
        if let now = environment["PIAOJUE_NOW"], !now.isEmpty {
            guard let fixed = LedgerTime.parse(now) ?? LedgerTime.parse(now + "T00:00:00Z") else {
                throw .now(value: now)
            }
            clock = { fixed }
        }
        return Settings(databasePath: database, keyPath: keyPath, configDirectory: config, clock: clock)
    }

    /// Today's date by the injected clock (UTC).
    public var today: Day {
        Day(ledgerTime: LedgerTime.format(clock())) ?? Day(ordinal: 0)
    }
}

/// Opens the ledger the way each command needs it.
public struct Workspace: Sendable {
    public let settings: Settings

    public init(settings: Settings) { self.settings = settings }

    /// The ledger for commands that only read. It is opened read-write, without the body key: an
    /// older schema is migrated forward on the way (a read-only connection could not), and no
    /// body entry can be appended without the key.
    public func openForReading() throws -> Ledger {
        try Ledger.open(at: settings.databasePath, readOnly: false, clock: settings.clock)
    }

    /// The ledger with the body's key attached, for commands that write body entries.
    public func openForWriting() throws -> Ledger {
        let ledger = try Ledger.open(at: settings.databasePath, clock: settings.clock)
        let key = try KeyFile.loadSigningKey(from: settings.keyPath)
        // A gm ledger created with --also-ed25519 signs each checkpoint with its Ed25519 key too,
        // kept beside the SM2 key.
        let ed25519Path = KeyFile.ed25519Path(beside: settings.keyPath)
        let ed25519Key = try ledger.identity.ed25519Key.map { _ throws(LedgerError) in try KeyFile.loadSigningKey(from: ed25519Path) }
        try ledger.attach(bodyKey: key, from: settings.keyPath, ed25519Key: ed25519Key, ed25519Path: ed25519Path)
        return ledger
    }

    /// The ledger for casting ballots: credentials sign the ballots, and the body's key signs the
    /// checkpoint each cast gets after its commit (the receipt is a proof against it).
    public func openForCasting() throws -> Ledger { try openForWriting() }

    /// The rules named by `--rules` (or the default preset).
    public func rules(_ argument: String?) throws(RulesFailure) -> Rules {
        try RulesLoader.resolve(argument, configDirectory: settings.configDirectory)
    }
}

extension LedgerWriter {
    /// Appends a body-signed entry carrying `payload`, refused (nothing written) when any of its
    /// texts holds a control character or a bare carriage return (``PayloadText``).
    @discardableResult
    public func append<P: EntryPayload>(_ payload: P) throws -> LedgerEntry {
        let value = try PayloadCoding.encode(payload)
        try PayloadText.check(value, path: "")
        return try append(NewEntry(kind: P.kind, payload: value))
    }
}

/// The last line of defence for free text: every string of a body-signed payload is checked by
/// ``CleanText/text(_:field:multiline:)`` (line feeds allowed, since a payload does not say which
/// fields are single-line: the parsers check that, naming the file, line and field). So whatever
/// path a text takes, no terminal escape sequence, C1 control or bare CR reaches the ledger.
enum PayloadText {
    static func check(_ value: JSONValue, path: String) throws(InputFailure) {
        switch value {
        case let .string(text):
            _ = try CleanText.text(text, field: path.isEmpty ? "payload" : path, multiline: true)
        case let .array(items):
            for (n, item) in items.enumerated() { try check(item, path: "\(path)[\(n)]") }
        case let .object(object):
            for member in object.members {
                _ = try CleanText.text(member.key, field: path.isEmpty ? "payload" : path, multiline: false)
                try check(member.value, path: path.isEmpty ? member.key : path + "." + member.key)
            }
        default: break
        }
    }
}

extension LedgerReader {
    /// Every payload of kind `P.kind` (optionally of one session), oldest first.
    public func events<P: EntryPayload>(_ type: P.Type, session: String? = nil) throws -> [P] {
        try entries(kinds: [P.kind], session: session).map { try $0.payload(P.self) }
    }

    /// The latest payload of kind `P.kind`, or nil.
    public func latestEvent<P: EntryPayload>(_ type: P.Type, session: String? = nil) throws -> P? {
        try latest(kind: P.kind, session: session).map { try $0.payload(P.self) }
    }
}

extension LedgerEntry {
    /// The payload decoded as `P`.
    public func payload<P: Decodable>(_ type: P.Type) throws -> P {
        let fields = try fields()
        return try PayloadCoding.decode(P.self, from: fields.payload)
    }
}

/// SHA-256 (hex) of the canonical JSON of `value`: how lists and rosters are fingerprinted.
public func canonicalHash(_ value: some Encodable) throws -> String {
    Encoding.hex(SHA256.hash(try PayloadCoding.encode(value).canonicalBytes))
}
