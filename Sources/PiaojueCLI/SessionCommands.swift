import ArgumentParser
import Foundation
import PiaojueDomain
import PiaojueServices

/// What ballot and rating sessions share on the command line: check-in, issue, import, close.
enum SessionCommands {
    static func ids(_ values: [String]) -> [String] {
        values.flatMap { $0.split(whereSeparator: { ",，;；、 ".contains($0) }).map(String.init) }.filter { !$0.isEmpty }
    }

    static func checkin(session: String, deputies: [String], presentFile: String?, global: GlobalOptions) throws {
        var list = ids(deputies)
        if let presentFile {
            let text = String(decoding: try FileInput.read(presentFile), as: UTF8.self)
            for raw in text.split(whereSeparator: \.isNewline) {
                let line = raw.trimmingSpaces()
                if line.isEmpty || line.hasPrefix("#") { continue }
                list.append(contentsOf: ids([line]))
            }
        }
        guard !list.isEmpty else {
            throw ValidationError("请用 --deputy ID… 或 --present FILE 给出签到的代表。Give --deputy or --present.")
        }
        let result = try SessionService.checkin(session: session, deputies: list, workspace: global.workspace())
        struct Result: Encodable {
            let present: Int
            let seated: Int
            let quorum: Bool
            let quorumNeeded: Int
            let added: Int
        }
        global.emit(Result(present: result.present, seated: result.seated, quorum: result.quorum, quorumNeeded: result.quorumNeeded, added: result.added.count)) {
            let quorum = result.quorum
                ? "已达到法定人数（至少 \(result.quorumNeeded) 名）。Quorum reached."
                : "尚未达到法定人数（至少需要 \(result.quorumNeeded) 名）。No quorum yet."
            return "会期 \(session) 签到：新增 \(result.added.count) 名，出席 \(result.present) 名 / 实有 \(result.seated) 名，\(quorum)"
        }
    }

    static func issue(session: String, out: String, global: GlobalOptions) throws {
        let result = try SessionService.issue(session: session, slipsPath: out, workspace: global.workspace())
        struct Result: Encodable {
            let issued: Int
            let batch: Int
            let count: Int
            let slips: String
        }
        global.emit(Result(issued: result.issued, batch: result.batch, count: result.count, slips: result.slipsPath)) {
            var text = "会期 \(session) 第 \(result.batch) 批发放凭证 \(result.count) 张（累计 \(result.issued) 张），凭证码已写入 \(result.slipsPath)（仅本人可读）。请打印、裁开、打乱后随机发放，打印后销毁文件。\nIssued \(result.count) credentials (total \(result.issued)); slips in \(result.slipsPath) (mode 0600)."
            if result.batch > 1 {
                text += "\n注意：本批只有 \(result.count) 张，匿名范围较小（第一批之后签到的代表）。Note: this batch's anonymity set is only \(result.count)."
            }
            return text
        }
    }

    static func importPaper(session: String, file: String, shape: SessionShape, global: GlobalOptions) throws {
        let result = try SessionService.importPaper(session: session, path: file, shape: shape, workspace: global.workspace())
        struct Result: Encodable {
            let imported: Int
            let void: Int
        }
        global.emit(Result(imported: result.imported, void: result.void)) {
            "已录入纸质选票 \(result.imported) 张，其中废票 \(result.void) 张（照录，计票时不计入任何项目）。Imported \(result.imported) paper ballots, \(result.void) void."
        }
    }

    static func close(session: String, returned: Int?, global: GlobalOptions) throws {
        let closed = try SessionService.close(session: session, returned: returned, workspace: global.workspace())
        struct Result: Encodable {
            let issued: Int
            let returned: Int
            let recorded: Int
        }
        global.emit(Result(issued: closed.issued, returned: closed.returned, recorded: closed.recorded)) {
            var text = "会期 \(session) 投票结束：发出 \(closed.issued) 张，收回 \(closed.returned) 张，账本中 \(closed.recorded) 张。Closed: issued \(closed.issued), returned \(closed.returned)."
            if closed.returned > closed.issued {
                text += "\n收回票数多于发出票数，本轮投票将被判定无效。More returned than issued: the round will be void."
            } else if closed.returned < closed.issued {
                text += "\n未收回 \(closed.issued - closed.returned) 张。\(closed.issued - closed.returned) not returned."
            }
            return text
        }
    }
}
