/// Why a session action (check-in, issue, cast, paper import, close) is refused. Ballot and rating
/// sessions share the machinery; the code names the stage the clerk is in: `ballot.no-quorum` for
/// a vote, `evaluate.no-quorum` for a rating session.
public struct SessionRefusal: ClerkFacingError, Equatable {
    /// What went wrong.
    public enum Reason: Sendable, Equatable {
        case notOpened(session: String)
        case closed(session: String)
        case wrongShape(session: String, shape: String)
        case noDeputies
        case notOnRoster(deputy: String)
        case lookAlikeOnRoster(deputy: String, onRoster: String)
        case suspended(deputy: String, name: String)
        case noQuorum(seated: Int, present: Int, needed: Int, quorum: String)
        case allIssued(present: Int)
        case alreadyVoted(entry: Int)
        case otherSession(session: String, other: String)
        case notIssued(session: String)
        case mistypedCode(why: String)
        case markNotOnForm(mark: String)
        case approveOnly
        case notOnBallot(id: String, items: [String])
        case markedTwice(id: String, first: String, second: String)
        case nothingIssued(session: String)
        case negativeReturned
        case returnedBelowRecorded(returned: Int, recorded: Int)
        case duplicateCredential(file: String, line: Int, firstLine: Int)
        case mistypedPaperCode(file: String, line: Int, why: String)
        case paperNotOnBallot(file: String, line: Int, id: String)
        case codeAsHeader(file: String, column: Int, expected: String)
        case unknownColumn(file: String, column: String, expected: String)
        case missingCredentialColumn(file: String)
        case noBallots(file: String)
        case moreBallotsThanSlips(recorded: Int, adding: Int, handedOut: Int)
        case noSlipsFile
    }

    /// The shape of the session (or of the command) the refusal is about.
    public let shape: SessionShape
    public let reason: Reason

    public init(_ reason: Reason, shape: SessionShape) {
        self.reason = reason
        self.shape = shape
    }

    public var code: String { (shape == .vote ? "ballot." : "evaluate.") + ErrorReflection.kebabCase(reasonName) }

    /// The reason's case name (reflection reads those with values).
    var reasonName: String {
        switch reason {
        case .noDeputies: "noDeputies"
        case .noSlipsFile: "noSlipsFile"
        case .approveOnly: "approveOnly"
        case .negativeReturned: "negativeReturned"
        default: ErrorReflection.caseName(of: reason)
        }
    }
    public var details: ErrorDetails { ErrorReflection.details(of: reason) }

    public var exitStatus: Int32 {
        switch reason {
        case .noDeputies, .notOnRoster, .lookAlikeOnRoster, .wrongShape, .mistypedCode, .markNotOnForm, .approveOnly, .notOnBallot, .markedTwice,
            .negativeReturned, .duplicateCredential, .mistypedPaperCode, .paperNotOnBallot, .codeAsHeader, .unknownColumn, .missingCredentialColumn, .noBallots:
            2
        default: 1
        }
    }

    public var description: String {
        let items = shape == .vote ? "候选项目" : "测评项目"
        switch reason {
        case let .notOpened(session):
            return shape == .vote
                ? "会期 \(session) 不存在或尚未通过并冻结票决办法，不能进行此操作：请核对会期编号（`piaojue log --kind ballot.open` 列出已开启的会期），或先 `piaojue ballot open --list 候选名单`。Session \(session) does not exist or has no adopted voting rules: check the id, or open it first."
                : "没有测评会期 \(session)，请先 `piaojue evaluate open`。There is no rating session \(session)."
        case let .closed(session):
            return "会期 \(session) 已结束投票，不能再签到、发放凭证或投票。Session \(session) is closed."
        case let .wrongShape(session, shape):
            return shape == SessionShape.rating.rawValue
                ? "\(session) 是测评会期，请用 `piaojue evaluate`。\(session) is a rating session."
                : "\(session) 是票决会期，请用 `piaojue ballot`。\(session) is a ballot session; use piaojue ballot."
        case .noDeputies:
            return "请用 --deputy 或 --present 给出签到的代表编号。Give the deputies present."
        case let .notOnRoster(deputy):
            return "代表编号 \(deputy) 不在本会期的代表名册中，请核对签到名单。Deputy \(deputy) is not on this session's roster."
        case let .lookAlikeOnRoster(deputy, onRoster):
            return "代表编号 \(deputy) 不在本会期的代表名册中；名册上有只差大小写或全角半角的“\(onRoster)”，请核对签到名单后照名册写法重填。Deputy \(deputy) is not on the roster; the roster has the look-alike \"\(onRoster)\"."
        case let .suspended(deputy, name):
            return "代表 \(deputy)（\(name)）已暂停代表职务，不能签到参加表决。Deputy \(deputy) is suspended and cannot vote."
        case let .noQuorum(seated, present, needed, quorum):
            return "未达到法定人数：实有代表 \(seated) 名，出席 \(present) 名，至少需要 \(needed) 名（\(quorum)），不能发放选票。No quorum: \(present) of \(seated) present, \(needed) needed."
        case let .allIssued(present):
            return "出席的 \(present) 名代表都已领取凭证，没有需要发放的。Every present deputy already has a credential."
        case let .alreadyVoted(entry):
            return "该凭证已经投过票（第 \(entry) 条），第一次投出的选票有效，本次拒绝。This credential has already voted (entry \(entry)); the first ballot stands."
        case let .otherSession(session, other):
            return "该凭证属于会期 \(other)，不能在会期 \(session) 投票。This credential belongs to session \(other), not \(session)."
        case let .notIssued(session):
            return "该凭证不是本会期 \(session) 发放的，拒绝投票。This credential was not issued for session \(session)."
        case let .mistypedCode(why):
            return "凭证码有误（\(why)），请核对凭证上的字母数字后重输。The credential code is mistyped; check it and enter it again."
        case let .markNotOnForm(mark):
            let word = Mark(rawValue: mark)?.chinese ?? mark
            return "本会期的选票不接受“\(word)”(\(mark))。This ballot has no \(mark) mark."
        case .approveOnly:
            return "勾选式选票只能标记赞成，未勾选即不赞成。An approve-only ballot takes ticks (--approve) only."
        case let .notOnBallot(id, list):
            return "编号 \(id) 不在本会期的\(items)中（\(list.joined(separator: ","))）。\(id) is not on this ballot."
        case let .markedTwice(id, first, second):
            let a = Mark(rawValue: first)?.chinese ?? first
            let b = Mark(rawValue: second)?.chinese ?? second
            return "项目 \(id) 同时标记为“\(a)”和“\(b)”，每个项目只能标记一次。\(id) is marked twice."
        case let .nothingIssued(session):
            let command = shape == .vote ? "ballot" : "evaluate"
            return "会期 \(session) 还没有发放任何凭证，不能结束投票；请先 `piaojue \(command) issue \(session) --out 凭证文件`。No credentials were issued in \(session); issue them first."
        case .negativeReturned:
            return "收回票数 --returned 不能为负。--returned cannot be negative."
        case let .returnedBelowRecorded(returned, recorded):
            return "收回票数 \(returned) 少于已录入的 \(recorded) 张选票，请核对。Returned (\(returned)) is less than the \(recorded) ballots recorded."
        case let .duplicateCredential(file, line, first):
            return "文件 \(file) 第 \(line) 行与第 \(first) 行是同一张凭证，整份文件未录入。Line \(line) repeats the credential of line \(first)."
        case let .mistypedPaperCode(file, line, why):
            return "文件 \(file) 第 \(line) 行的凭证码有误（\(why)），整份文件未录入。Line \(line): the credential code is mistyped; nothing was imported."
        case let .paperNotOnBallot(file, line, id):
            return "文件 \(file) 第 \(line) 行的编号 \(id) 不在本会期的选票上，整份文件未录入。Line \(line): \(id) is not on this ballot; nothing was imported."
        case let .codeAsHeader(file, column, expected):
            return "文件 \(file) 第 1 行第 \(column) 列是凭证码而不是列名：缺少表头行 \(expected)，整份文件未录入。Line 1 of \(file) holds a credential code, not a column name: the header line \(expected) is missing; nothing was imported."
        case let .unknownColumn(file, column, expected):
            return "文件 \(file) 的表头“\(column)”无法识别，应为 \(expected)。Unknown column \"\(column)\"."
        case let .missingCredentialColumn(file):
            return "文件 \(file) 缺少 credential（凭证码）列。The column credential is missing."
        case let .noBallots(file):
            return "文件 \(file) 中没有选票。\(file) holds no ballots."
        case let .moreBallotsThanSlips(recorded, adding, handedOut):
            return "本会期已发出 \(handedOut) 张凭证，已录入 \(recorded) 张选票，再录入 \(adding) 张将多于发出数：密封保存的凭证须先经签到发出（`issue`）才能投票。Only \(handedOut) slips were handed out and \(recorded) ballots are recorded; \(adding) more would exceed the slips handed out."
        case .noSlipsFile:
            return "首次发放凭证须用 --out 指定凭证文件。The first issue of a session needs --out FILE for the slips."
        }
    }
}
