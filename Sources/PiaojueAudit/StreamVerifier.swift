import PiaojueCrypto
public import PiaojueLedger

/// Receives every well-formed entry in order, to check what the entries mean (sessions, tallies).
public protocol EntryObserver: AnyObject {
    /// One entry, in ledger order.
    func observe(_ fields: EntryFields, leafHash: [UInt8])
    /// The observer's checks, after the last entry.
    func finish() -> [(name: String, ok: Bool, detail: String)]
}

/// Checks a stream of entry lines for form, order, chain, signatures and Merkle root, one line at a
/// time (memory does not grow with the ledger).
final class StreamVerifier {
    private(set) var format = CheckTally("条目格式与规范 JSON / entries well-formed and canonical (RFC 8785)")
    private(set) var sequence = CheckTally("序号连续 / index sequence 0…n−1")
    private(set) var chain = CheckTally("哈希链 / hash chain (prev = previous leaf hash)")
    private(set) var genesis = CheckTally("创建条目与机关公钥 / first entry and body key")
    private(set) var bodySignatures = CheckTally("机关签名 / body signatures on body entries")
    private(set) var credentialSignatures = CheckTally("选票凭证签名 / ballot credential signatures")

    /// The ledger's suite: the trusted key's (standard when none is known).
    let suite: CryptoSuite
    private(set) var frontier: MerkleFrontier
    private(set) var count = 0
    private var previousLeaf = [UInt8](repeating: 0, count: 32)
    private var batch: SignatureBatch
    /// Batches being verified in the background, oldest first (at most two, so memory is bounded).
    private var pending: [PendingBatch] = []
    private(set) var bodyKey: VerifyingKey?
    private(set) var keyName: String?
    /// What entry 0 records, once it is read and names the expected key.
    private(set) var identity: LedgerIdentity?
    private let expectedBodyKey: VerifyingKey?
    private var observers: [any EntryObserver]
    /// Called with the frontier after each entry, for checkpoints at intermediate sizes.
    var onFrontier: ((MerkleFrontier) -> Void)?

    /// `expectedBodyKey`: the key the first entry must name (from `body.pub.pem`), if known; its
    /// suite is the suite every hash and signature is checked in.
    init(expectedBodyKey: VerifyingKey?, observers: [any EntryObserver]) {
        self.expectedBodyKey = expectedBodyKey
        self.observers = observers
        suite = expectedBodyKey?.suite ?? .standard
        frontier = MerkleFrontier(suite: suite)
        batch = SignatureBatch(suite: suite)
    }

    /// Consumes one line; returns its leaf hash and, when well-formed, its fields.
    @discardableResult
    func consume(line: [UInt8]) -> (leaf: [UInt8], fields: EntryFields?) {
        let position = count
        let leaf = suite.leafHash(line)
        count += 1
        frontier.append(leafHash: leaf)
        onFrontier?(frontier)
        defer { previousLeaf = leaf }

        // Canonical form is found while parsing (the line is not written out again to compare).
        let parsed: CanonicalParse
        do { parsed = try JSONValue.parseCanonical(line) } catch {
            format.fail("第 \(position) 条不是合法 JSON：\(error.description) / entry \(position) is not valid JSON")
            chain.fail("第 \(position) 条无法读取 / entry \(position) unreadable")
            return (leaf, nil)
        }
        guard parsed.isCanonical else {
            format.fail("第 \(position) 条不是 RFC 8785 规范形式 / entry \(position) is not in canonical form")
            return (leaf, nil)
        }
        var fields: EntryFields
        do { fields = try EntryFields(value: parsed.value) } catch {
            format.fail("第 \(position) 条格式错误：\(error.description) / entry \(position) malformed")
            return (leaf, nil)
        }
        format.pass()
        // A canonical line holds its payload's canonical bytes: what a credential signed, and what
        // the observers decode and compare.
        fields.canonicalPayload = parsed.range(of: "payload").map { Array(line[$0]) }

        if fields.index == position { sequence.pass() } else {
            sequence.fail("第 \(position) 行记录的序号是 \(fields.index)（\(fields.kind)）/ line \(position) holds index \(fields.index)")
        }
        if fields.prev == previousLeaf { chain.pass() } else {
            chain.fail("第 \(position) 条（\(fields.kind)）的 prev 与上一条的哈希不符 / entry \(position) does not chain to entry \(position - 1)")
        }

        if position == 0 { checkGenesis(fields) }
        if fields.isCredentialSigned {
            queue(fields, position: position)
        } else if let bodyKey {
            if fields.signer == bodyKey.rawBytes { queue(fields, position: position) } else {
                bodySignatures.fail("第 \(position) 条（\(fields.kind)）由未知的密钥签名 / entry \(position) is signed by a key that is not the body's")
            }
        } else if position > 0 {
            bodySignatures.fail("没有机关公钥，无法核验第 \(position) 条 / no body key to check entry \(position)")
        }
        for observer in observers { observer.observe(fields, leafHash: leaf) }
        return (leaf, fields)
    }

    private func checkGenesis(_ fields: EntryFields) {
        guard fields.kind == "ledger.init", let recorded = LedgerIdentity(initPayload: fields.payload) else {
            genesis.fail("第 0 条不是 ledger.init 创建条目 / entry 0 is not a ledger.init entry")
            return
        }
        let key = recorded.publicKey
        if let expectedBodyKey, expectedBodyKey != key {
            genesis.fail("body.pub.pem 与第 0 条记录的机关公钥不同 / body.pub.pem differs from the key in entry 0")
            return
        }
        if key.suite != suite {
            genesis.fail("第 0 条的密码套件为 \(key.suite.rawValue)，核验用的是 \(suite.rawValue) / entry 0 is a \(key.suite.rawValue) ledger, checked as \(suite.rawValue)")
            return
        }
        bodyKey = key
        keyName = recorded.keyName
        identity = recorded
        genesis.pass()
    }

    /// Queues the entry's signature over ``EntryFields/signedBytes`` (for a ballot, the payload
    /// bytes sliced from its line).
    private func queue(_ fields: EntryFields, position: Int) {
        batch.add(SignatureBatch.Item(
            index: position, publicKey: fields.signer, message: fields.signedBytes, signature: fields.signature,
            isCredential: fields.isCredentialSigned))
        if batch.isFull {
            pending.append(batch.start())
            if pending.count > 2 { collect(pending.removeFirst()) }
        }
    }

    /// Waits for every batch, queued or running, and records the results in order.
    private func drain() {
        if !batch.items.isEmpty { pending.append(batch.start()) }
        while !pending.isEmpty { collect(pending.removeFirst()) }
    }

    private func collect(_ running: PendingBatch) {
        let total = running.count
        let credentialTotal = running.credentialCount
        let failed = running.wait()
        for item in failed {
            if item.isCredential {
                credentialSignatures.fail("第 \(item.index) 条选票的凭证签名无效 / ballot entry \(item.index) has an invalid credential signature")
            } else {
                bodySignatures.fail("第 \(item.index) 条的机关签名无效 / entry \(item.index) has an invalid body signature")
            }
        }
        let failedCredential = failed.filter(\.isCredential).count
        let okCredential = credentialTotal - failedCredential
        let okBody = total - credentialTotal - (failed.count - failedCredential)
        for _ in 0..<max(0, okCredential) { credentialSignatures.pass() }
        for _ in 0..<max(0, okBody) { bodySignatures.pass() }
    }

    /// The stream's checks, numbered from `firstID`, followed by the observers' checks.
    func finish(firstID: Int) -> (integrity: [Check], semantic: [(name: String, ok: Bool, detail: String)]) {
        drain()
        if count == 0 { format.skippedReason = "没有任何条目 / the ledger holds no entries" }
        var checks: [Check] = []
        var id = firstID
        func add(_ tally: CheckTally, _ pass: String) {
            checks.append(tally.check(id: id, passDetail: pass))
            id += 1
        }
        add(format, "\(format.checked) 条全部为规范 JSON / all \(format.checked) entries canonical")
        add(sequence, "0…\(max(count - 1, 0)) 连续 / contiguous")
        add(chain, "\(chain.checked) 条逐条相连 / every entry chains to the one before")
        add(genesis, "第 0 条为 ledger.init，机关公钥一致 / entry 0 is ledger.init with the body key")
        add(bodySignatures, "\(bodySignatures.checked) 条机关签名有效 / valid")
        add(credentialSignatures, "\(credentialSignatures.checked) 张选票的凭证签名有效 / valid")
        return (checks, observers.flatMap { $0.finish() })
    }
}
