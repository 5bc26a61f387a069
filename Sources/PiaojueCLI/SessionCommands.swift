import ArgumentParser
import PiaojueDomain
import PiaojueServices

/// What ballot and rating sessions share on the command line: check-in, issue, import, close.
enum SessionCommands {
    static func checkin(session: String, deputies: [String], presentFile: String?, shape: SessionShape, global: GlobalOptions) throws {
        let result = try SessionService.checkin(
            session: session, deputies: deputies, presentFile: presentFile, shape: shape, workspace: global.workspace())
        global.emit(result) {
            let quorum = result.quorum
                ? "已达到法定人数（至少 \(result.quorumNeeded) 名）。Quorum reached."
                : "尚未达到法定人数（至少需要 \(result.quorumNeeded) 名）。No quorum yet."
            return "会期 \(session) 签到：新增 \(result.added) 名，出席 \(result.present) 名 / 实有 \(result.seated) 名，\(quorum)"
        }
    }

    static func issue(session: String, out: String?, shape: SessionShape, global: GlobalOptions) throws {
        let result = try SessionService.issue(session: session, slipsPath: out, shape: shape, workspace: global.workspace())
        global.emit(result) {
            guard !result.slips.isEmpty else {
                return "会期 \(session) 从密封的凭证中再发出 \(result.count) 张（签到较晚的代表各随机抽取一张），累计发出 \(result.issued) 张，仍密封 \(result.sealed) 张。Handed out \(result.count) sealed slips (total \(result.issued)); \(result.sealed) still sealed."
            }
            return "会期 \(session) 印制凭证 \(result.printed) 张（实有代表每人一张），发给出席代表 \(result.count) 张，其余 \(result.sealed) 张密封交监票人保存，供迟到代表签到后随机抽取；凭证码已写入 \(result.slips)（仅本人可读）。请打印、裁开、打乱后随机发放，打印后销毁文件。\nPrinted \(result.printed) credentials (one per seated deputy): \(result.count) handed out, \(result.sealed) sealed for late arrivals; slips in \(result.slips) (mode 0600)."
        }
    }

    static func importPaper(session: String, file: String, sheet: String?, proofOut: String?, shape: SessionShape, global: GlobalOptions) throws {
        if let proofOut { try AuditService.checkProofPath(proofOut) }
        let result = try SessionService.importPaper(session: session, path: file, sheet: sheet, shape: shape, workspace: global.workspace())
        if let proofOut { try AuditService.writeProofText(result.proof, to: proofOut) }
        global.emit(result) {
            "已录入纸质选票 \(result.imported) 张，其中废票 \(result.void) 张（照录，计票时不计入任何项目）。Imported \(result.imported) paper ballots, \(result.void) void."
        }
    }

    static func close(session: String, returned: Int?, shape: SessionShape, global: GlobalOptions) throws {
        let closed = try SessionService.close(session: session, returned: returned, shape: shape, workspace: global.workspace())
        global.emit(closed) {
            var text = "会期 \(session) 投票结束：发出 \(closed.issued) 张，收回 \(closed.returned) 张，账本中 \(closed.recorded) 张。Closed: issued \(closed.issued), returned \(closed.returned)."
            if closed.voidRound {
                text += "\n收回票数多于发出票数，本轮投票将被判定无效。More returned than issued: the round will be void."
            } else if closed.returned > closed.issued {
                text += "\n收回票数多于发出票数（规则未规定本轮因此无效，照常计票）。More returned than issued; the rules count the round anyway."
            } else if closed.returned < closed.issued {
                text += "\n未收回 \(closed.issued - closed.returned) 张。\(closed.issued - closed.returned) not returned."
            }
            for finding in closed.findings { text += "\n注意 Discrepancy：" + finding }
            return text
        }
    }
}
