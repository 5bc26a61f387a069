public import PiaojueCrypto
public import PiaojueDomain
public import PiaojueLedger

/// The rating-session part of the audit: raters frozen, every classification re-derived from the
/// ballots by the frozen rules (镇海 rule), every rectification following a flagged rating.
public final class RatingAudit: SessionAuditExtension {
    var opened = CheckTally("测评会期的规则、项目与测评人冻结 / rating sessions: rules, projects and raters frozen")
    var classes = CheckTally("测评等次由选票重新推导一致 / rating classes and rates re-derived from the ballots")
    var rectifications = CheckTally("整改记录对应被标记整改的项目 / every rectification follows a flagged rating")
    private var openings: [String: RatingSessionOpened] = [:]
    private var results: [String: RatingResult] = [:]

    public init() {}

    public func observe(_ fields: EntryFields, auditor: SessionAuditor) {
        let at = EntryPlace(fields)
        switch fields.kind {
        case RaterRoster.kind:
            guard let roster = auditor.decode(RaterRoster.self, fields) else {
                opened.fail("\(at) 测评人名单无法读取 / unreadable raters")
                return
            }
            let hash = (try? PayloadCoding.encode(roster.deputies).canonicalBytes).map { Encoding.hex(SHA256.hash($0)) }
            if hash != roster.rosterHash || roster.seated != roster.deputies.count {
                opened.fail("\(at) 测评人名单的哈希或人数不符 / the raters' hash or count is wrong")
            }
            auditor.rosters[fields.index] = SessionAuditor.RosterInfo(
                hash: roster.rosterHash, seated: roster.seated,
                statuses: Dictionary(roster.deputies.map { ($0.id, $0.status) }, uniquingKeysWith: { first, _ in first }))
        case RatingSessionOpened.kind:
            guard let event = auditor.decode(RatingSessionOpened.self, fields) else {
                opened.fail("\(at) 测评会期无法读取 / unreadable rating session")
                return
            }
            var problems: [String] = []
            if auditor.tracks[event.session] != nil { problems.append("会期编号重复 / session id reused") }
            if (try? PayloadCoding.encode(event.rules).canonicalBytes).map({ Encoding.hex(SHA256.hash($0)) }) != event.rulesHash {
                problems.append("规则哈希不符 / rules hash differs")
            }
            if let roster = auditor.rosters[event.header.rosterEntry] {
                if roster.hash != event.header.rosterHash || roster.seated != event.header.seated {
                    problems.append("测评人名单哈希或人数不符 / raters hash or count differs")
                }
            } else {
                problems.append("名册条目 \(event.header.rosterEntry) 不存在 / roster entry missing")
            }
            if event.header.shape != .rating || event.header.items != event.projects.map(\.id) || event.header.session != event.session {
                problems.append("会期头信息不一致 / header inconsistent")
            }
            for project in event.projects {
                if auditor.tallies[project.chosenIn]?.chosen.contains(project.id) != true {
                    problems.append("\(project.id) 未经会期 \(project.chosenIn) 票决当选 / \(project.id) was not chosen in \(project.chosenIn)")
                }
            }
            if problems.isEmpty { opened.pass() } else { opened.fail("\(at)：\(problems.joined(separator: "；"))") }
            openings[event.session] = event
            auditor.register(SessionAuditor.Track(
                session: event.session, shape: .rating, openIndex: fields.index, header: event.header, ballot: nil))
        case RatingResult.kind:
            guard let session = fields.session, let track = auditor.tracks[session], let event = openings[session] else {
                auditor.frozen.fail("\(at) 所属测评会期此前未开启 / its rating session was not opened before")
                return
            }
            guard let recorded = auditor.decode(RatingResult.self, fields) else {
                classes.fail("\(at) 测评结果无法读取 / unreadable rating result")
                return
            }
            guard let closed = track.closed else {
                classes.fail("\(at) 测评会期未结束就计票 / tallied before closing")
                return
            }
            let computed = RatingTally.decide(RatingTallyInput(
                session: session, projects: event.header.items, rules: event.rules, seated: event.header.seated,
                present: track.present.count, issued: closed.issued, returned: closed.returned, ballots: track.ballots))
            if ReturnedRule.voidsRound(returned: closed.returned, issued: closed.issued, excessReturnedVoidsRound: ReturnedRule.ratingsVoidOnExcess) {
                if recorded.status == .void { auditor.returned.pass() } else {
                    auditor.returned.fail("\(at) 收回多于发出，测评应无效 / more returned than issued but not void")
                }
            } else {
                auditor.returned.pass()
            }
            if computed == recorded { classes.pass() } else {
                classes.fail("\(at) 会期 \(session) 由选票重新得出的测评结果与记录不符 / the re-derived rating of \(session) differs from the record")
            }
            results[session] = recorded
            track.ballots = []
        case Rectification.kind:
            guard let event = auditor.decode(Rectification.self, fields) else {
                rectifications.fail("\(at) 整改记录无法读取 / unreadable rectification")
                return
            }
            if results[event.session]?.rectify.contains(event.project) == true { rectifications.pass() } else {
                rectifications.fail("\(at) \(event.project) 在会期 \(event.session) 中未被标记整改 / \(event.project) was not flagged in \(event.session)")
            }
        default:
            break
        }
    }

    public func finish() -> [(name: String, ok: Bool, detail: String)] {
        func row(_ tally: CheckTally, _ pass: String) -> (name: String, ok: Bool, detail: String) {
            let check = tally.check(id: 0, passDetail: pass)
            return (check.name, check.ok, check.detail)
        }
        return [
            row(opened, "\(opened.checked) 个测评会期均已冻结 / all frozen"),
            row(classes, "\(classes.checked) 次测评的等次与满意率均可由选票重新得出 / all re-derived"),
            row(rectifications, "\(rectifications.checked) 条整改记录均对应被标记的项目 / all follow a flagged rating"),
        ]
    }
}

/// Builds the report model of a rating session.
public enum RatingReport {
    public static func model(
        body: String, opened: RatingSessionOpened, result: RatingResult, batches: Int, checkpoint: Checkpoint, decidedAt: String
    ) -> ReportModel {
        let date = String(decidedAt.prefix(10))
        let titles = Dictionary(uniqueKeysWithValues: opened.projects.map { ($0.id, $0.title) })
        var announcement: [String] = []
        if result.status == .void {
            announcement.append("\(date)，\(body)对民生实事项目进行满意度测评（会期 \(result.session)）。发出测评票 \(result.issued) 张，收回 \(result.returned) 张，收回多于发出，本次测评无效，须重新测评。")
        } else {
            let rows = result.projects.map { rating -> String in
                "\(titles[rating.id] ?? rating.id)（\(rating.id)）：满意 \(rating.satisfied)、基本满意 \(rating.basic)、不满意 \(rating.dissatisfied)，测评等次“\(rating.classification?.rawValue ?? "—")”，满意率 \(rating.rate?.percentText ?? "—")"
            }
            announcement.append("\(date)，\(body)以无记名投票方式对 \(result.projects.count) 个民生实事项目进行满意度测评（会期 \(result.session)\(opened.rerated.isEmpty ? "" : "，含再测评 \(opened.rerated.joined(separator: "、"))")）。应到 \(result.seated) 名，实到 \(result.present) 名；发出测评票 \(result.issued) 张，收回 \(result.returned) 张，有效 \(result.valid) 张，无效 \(result.invalid) 张。")
            announcement.append(rows.joined(separator: "；") + "。")
            if !result.rectify.isEmpty {
                announcement.append("测评等次为“\(opened.rules.rectifyClass.rawValue)”的项目须整改并再次测评：\(result.rectify.map { "\(titles[$0] ?? $0)（\($0)）" }.joined(separator: "、"))。")
            }
            announcement.append("Rating session \(result.session): \(result.valid) valid ballots of \(result.seated) raters; classes \(result.projects.map { "\($0.id) \($0.classification?.rawValue ?? "-")" }.joined(separator: ", ")).")
        }
        let bars = result.projects.map { rating -> ReportModel.Bar in
            ReportModel.Bar(
                id: rating.id, title: titles[rating.id] ?? rating.id,
                segments: [
                    ("满意 satisfied", rating.satisfied, "#2e7d32"), ("基本满意 basic", rating.basic, "#81c784"),
                    ("不满意 dissatisfied", rating.dissatisfied, "#c62828"), ("弃权 abstain", rating.abstain, "#bdbdbd"),
                ],
                outcome: "\(rating.classification?.rawValue ?? "—") \(rating.rate?.percentText ?? "")",
                highlighted: rating.classification == .satisfied)
        }
        var notes: [String] = []
        if let explanation = result.explanation { notes.append(explanation) }
        for project in opened.projects where project.rerate {
            notes.append("\(project.id) \(project.title) 为再测评：上次测评 \(project.previousRating ?? "") 后已记录整改（第 \(project.rectification ?? 0) 条）。Re-rated after rectification.")
        }
        let baseText = switch result.base {
        case .seated: "应到测评人 \(result.baseCount) 名 / all \(result.baseCount) raters entitled"
        case .present: "实到 \(result.baseCount) 名 / \(result.baseCount) present"
        case .valid: "有效票 \(result.baseCount) 张 / \(result.baseCount) valid ballots"
        }
        return ReportModel(
            body: body, title: "\(body)民生实事项目满意度测评结果", subtitle: "Year-end satisfaction rating · 会期 Session \(result.session) · \(date)",
            announcement: announcement,
            facts: [
                ("应到 Raters entitled", String(result.seated)), ("实到 Present", String(result.present)),
                ("发出 Issued", "\(result.issued)（\(batches) 批）"), ("收回 Returned", String(result.returned)),
                ("有效 Valid", String(result.valid)), ("无效 Invalid", String(result.invalid)), ("结果 Status", result.status.rawValue),
            ],
            rules: [
                ("规则名称 Preset", opened.rulesName), ("测评人 Raters", opened.raters.rawValue),
                ("等次基数 Base", baseText + (result.strict ? "，须超过半数（恰好一半不通过）strict" : "")),
                ("等次规则 Rule", "满意 > 基数/2 → 满意；否则 满意+基本满意 > 基数/2 → 基本满意；否则 不满意"),
                ("整改 Rectification", "等次为“\(opened.rules.rectifyClass.rawValue)”\(opened.rules.rectifyBelowRate.map { " 或满意率低于 \($0.percentText)" } ?? "")"),
                ("规则指纹 Rules SHA-256", opened.rulesHash), ("名册指纹 Roster SHA-256", opened.header.rosterHash),
            ],
            bars: bars,
            threshold: result.status == .void ? nil : (result.threshold, "过半数线：\(result.threshold) 票 / majority line: \(result.threshold)"),
            scale: max(result.valid, result.threshold, 1), chartTitle: "各项目测评票 Ratings per project", notes: notes,
            checkpointOrigin: checkpoint.origin, checkpointSize: checkpoint.size, checkpointRootBase64: Encoding.base64(checkpoint.root),
            checkpointRootHex: Encoding.hex(checkpoint.root), generated: "检查点 checkpoint \(checkpoint.size)")
    }
}
