public import Foundation
public import PiaojueCrypto
public import PiaojueDomain
public import PiaojueLedger

/// What the published documents of one session (`tally.json`, `report.html`, `report.md`) are
/// made from, gathered from the entries as they stream past: `audit publish` reads them from the
/// ledger, `audit verify DIR` from `ledger.jsonl` — so both make the documents the same way, and
/// the verifier regenerates them from the entries it has verified.
public final class SessionRecorder: EntryObserver {
    /// The session whose documents are wanted.
    public let session: String
    /// The body's name (`ledger.init`).
    public private(set) var body = ""
    /// The body key of `ledger.init` (raw bytes).
    public private(set) var bodyKey: [UInt8] = []
    /// The ledger's suite (`crypto` of `ledger.init`; standard when absent or unknown).
    public private(set) var suite: CryptoSuite = .standard
    public private(set) var ballotOpening: BallotSessionOpened?
    public private(set) var ratingOpening: RatingSessionOpened?
    public private(set) var batches: [CredentialsIssued] = []
    public private(set) var closed: SessionClosed?
    /// The last tally entry of the session: its kind, payload and time.
    public private(set) var tally: (kind: String, payload: JSONValue, time: String)?

    public init(session: String) { self.session = session }

    public func observe(_ fields: EntryFields, leafHash: [UInt8]) {
        if fields.index == 0, fields.kind == "ledger.init" {
            body = fields.payload["body"]?.stringValue ?? ""
            bodyKey = fields.payload["publicKey"]?.stringValue.flatMap(Encoding.unbase64) ?? []
            suite = LedgerIdentity(initPayload: fields.payload)?.suite ?? .standard
            return
        }
        guard fields.session == session else { return }
        switch fields.kind {
        case BallotSessionOpened.kind: ballotOpening = try? PayloadCoding.decode(BallotSessionOpened.self, from: fields.payload)
        case RatingSessionOpened.kind: ratingOpening = try? PayloadCoding.decode(RatingSessionOpened.self, from: fields.payload)
        case CredentialsIssued.kind: if let batch = try? PayloadCoding.decode(CredentialsIssued.self, from: fields.payload) { batches.append(batch) }
        case SessionClosed.kind: closed = try? PayloadCoding.decode(SessionClosed.self, from: fields.payload)
        case TallyResult.kind, RatingResult.kind: tally = (fields.kind, fields.payload, fields.time)
        default: break
        }
    }

    public func finish() -> [(name: String, ok: Bool, detail: String)] { [] }

    /// The session's items (candidates or projects) in ballot order, once its opening was seen.
    public var items: [String] { ballotOpening?.header.items ?? ratingOpening?.header.items ?? [] }
}

/// The documents of a tallied session, as the bundle holds them.
public struct SessionDocuments: Sendable {
    /// `tally.json` without its final newline.
    public let tallyJSON: Data
    public let report: ReportModel
    /// The items in ballot order (the columns of `ballots.csv`).
    public let items: [String]

    /// The documents of `record`'s session at `checkpoint`; refused when the session was not opened
    /// or not tallied before the checkpoint.
    public static func make(_ record: SessionRecorder, checkpoint: Checkpoint) throws(AuditFailure) -> SessionDocuments {
        let fingerprint = KeyFingerprint.text(rawKey: record.bodyKey)
        if let opened = record.ballotOpening {
            guard let tally = record.tally, tally.kind == TallyResult.kind,
                let result = try? PayloadCoding.decode(TallyResult.self, from: tally.payload),
                let json = try? AuditBundle.json(result)
            else { throw .notTallied(session: record.session) }
            var model = BallotReport.model(BallotReport.Source(
                body: record.body, opened: opened, batches: record.batches, closed: record.closed, tally: result,
                checkpoint: checkpoint, decidedAt: tally.time))
            model.keyFingerprint = fingerprint
            model.suite = record.suite
            return SessionDocuments(tallyJSON: json, report: model, items: opened.header.items)
        }
        if let opened = record.ratingOpening {
            guard let tally = record.tally, tally.kind == RatingResult.kind,
                let result = try? PayloadCoding.decode(RatingResult.self, from: tally.payload),
                let json = try? AuditBundle.json(RatingTallyOutput(result))
            else { throw .notTallied(session: record.session) }
            var model = RatingReport.model(
                body: record.body, opened: opened, result: result, batches: record.batches.count, closed: record.closed,
                checkpoint: checkpoint, decidedAt: tally.time)
            model.keyFingerprint = fingerprint
            model.suite = record.suite
            return SessionDocuments(tallyJSON: json, report: model, items: opened.header.items)
        }
        throw .noSession(session: record.session)
    }
}

/// `ballots.csv`, one row at a time: the header once the items are known, then a row per ballot
/// in ledger order — so a session of 100,000 ballots is written and checked without holding it.
public struct BallotRows: Sendable {
    public let items: [String]

    public init(items: [String]) { self.items = items }

    /// The first line: the byte order mark and the header, with its line ending.
    public var header: String { SpreadsheetText.byteOrderMark + SpreadsheetText.line(["receipt"] + items) }

    /// The row of one ballot, with its line ending: receipt, then each item's mark(s). Unmarked
    /// cells are empty; a cell with two marks shows both joined by `+` (the ballot is void).
    public func row(receipt: String, choices: Choices) -> String {
        var marks: [String: [String]] = [:]
        for mark in Mark.allCases { for id in choices[mark] { marks[id, default: []].append(mark.chinese) } }
        return SpreadsheetText.line([receipt] + items.map { marks[$0]?.joined(separator: "+") ?? "" })
    }
}
