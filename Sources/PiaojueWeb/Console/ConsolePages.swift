import PiaojueDomain
import PiaojueServices

/// The console's pages, rendered on the server: Chinese first, self-contained (``ConsoleAssets``),
/// no inline script or style, every control labelled, large controls, and every state-changing
/// form carrying the login session's CSRF token.
enum ConsolePages {
    static let e = HTMLText.escape

    static func head(_ title: String, css: [String] = ["console.css"], js: Bool = true) -> String {
        """
        <!DOCTYPE html>
        <html lang="zh-CN"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>\(e(title))</title>
        \(css.map { "<link rel=\"stylesheet\" href=\"/assets/\($0)\">" }.joined(separator: "\n"))\(js ? "\n<script src=\"/assets/console.js\" defer></script>" : "")
        </head>

        """
    }

    /// The hidden CSRF field of a form (nothing for a bearer request, which needs none).
    static func csrfField(_ csrf: String?) -> String {
        csrf.map { "<input type=\"hidden\" name=\"csrf\" value=\"\(e($0))\">" } ?? ""
    }

    /// A one-button form posting to `action`.
    static func button(_ action: String, _ label: String, csrf: String?, extra: String = "", kind: String = "primary") -> String {
        "<form method=\"post\" action=\"\(e(action))\" class=\"inline\">\(csrfField(csrf))\(extra)<button type=\"submit\" class=\"\(kind)\">\(label)</button></form>"
    }

    static func messages(notice: String?, error: ErrorOutput?) -> String {
        var h = ""
        if let notice { h += "<p class=\"notice\" role=\"status\">\(e(notice))</p>\n" }
        if let error {
            h += "<p class=\"refusal\" role=\"alert\">\(e(error.message)) <code class=\"code\">\(e(error.code))</code></p>\n"
        }
        return h
    }

    static func masthead(_ title: String, csrf: String?) -> String {
        """
        <header class="masthead"><h1><a href="/console">票决控制台</a> <span class="en" lang="en">Clerk's console</span></h1>
        <p class="sub">\(e(title))</p>
        \(csrf != nil ? button("/console/logout", "退出 Log out", csrf: csrf, kind: "quiet") : "")
        </header>

        """
    }

    // MARK: Login

    static func login(error: ErrorOutput?) -> String {
        head("控制台登录 Console login", js: false) + """
            <body class="console"><main class="narrow">
            <header class="masthead"><h1>票决控制台 <span class="en" lang="en">Clerk's console</span></h1></header>
            \(messages(notice: nil, error: error))
            <form method="post" action="/console/login" class="card">
            <label for="token">控制台口令 <span class="en" lang="en">Console token</span></label>
            <input id="token" name="token" type="password" autocomplete="off" required autofocus aria-describedby="token-help">
            <p id="token-help" class="help">口令在启动 <code>piaojue serve</code> 时显示一次，保存在账本旁的 console-token 文件中（仅本人可读）。\
            <span class="en" lang="en">Shown once when piaojue serve first starts; kept beside the ledger, mode 0600.</span></p>
            <button type="submit" class="primary">登录 Log in</button>
            </form></main></body></html>

            """
    }

    static func error(_ output: ErrorOutput) -> String {
        head("票决控制台 Console", js: false) + """
            <body class="console"><main class="narrow">
            <header class="masthead"><h1><a href="/console">票决控制台</a> <span class="en" lang="en">Clerk's console</span></h1></header>
            \(messages(notice: nil, error: output))
            <p><a href="/console">返回控制台 Back to the console</a></p></main></body></html>

            """
    }

    // MARK: Overview

    static func overview(_ overview: ConsoleOverviewOutput, csrf: String?, error: ErrorOutput? = nil) -> String {
        var h = head("票决控制台 Console") + "<body class=\"console\"><main>\n" + masthead("会期一览 Sessions", csrf: csrf)
        h += messages(notice: nil, error: error)
        h += "<section class=\"card\" aria-labelledby=\"sessions-title\"><h2 id=\"sessions-title\">会期 <span class=\"en\" lang=\"en\">Sessions</span></h2>\n"
        if overview.sessions.isEmpty {
            h += "<p>尚无会期。No session yet.</p>\n"
        } else {
            h += "<table><thead><tr><th scope=\"col\">会期</th><th scope=\"col\">类型</th><th scope=\"col\">状态</th><th scope=\"col\">出席 / 实有</th><th scope=\"col\">发出凭证</th><th scope=\"col\">已投</th></tr></thead><tbody>\n"
            for row in overview.sessions {
                let link = "<a href=\"/console/sessions/\(e(row.session))\">\(e(row.session))</a>"
                h += "<tr><th scope=\"row\">\(link)</th><td>\(row.shape == .vote ? "票决" : "测评")</td><td>\(statusWord(row.status))</td>"
                h += "<td>\(row.present) / \(row.seated)</td><td>\(row.issued)</td><td>\(row.cast)</td></tr>\n"
            }
            h += "</tbody></table>\n"
        }
        h += "</section>\n"
        h += "<section class=\"card\" aria-labelledby=\"open-title\"><h2 id=\"open-title\">开启票决会期 <span class=\"en\" lang=\"en\">Open a vote session</span></h2>\n"
        if overview.lists.isEmpty {
            h += "<p>尚无冻结的候选名单：请先用命令行 <code>piaojue collect shortlist</code>。No frozen list yet.</p>\n"
        } else {
            h += "<form method=\"post\" action=\"/console/sessions\">\(csrfField(csrf))\n"
            h += "<label for=\"list\">候选名单 <span class=\"en\" lang=\"en\">Frozen list</span></label><select id=\"list\" name=\"list\">"
            for list in overview.lists {
                h += "<option value=\"\(e(list.list))\">\(e(list.list))（应选 \(list.seats) 项，候选 \(list.candidates) 项）</option>"
            }
            h += "</select>\n<label for=\"rules\">票决办法 <span class=\"en\" lang=\"en\">Rules preset</span></label><select id=\"rules\" name=\"rules\">"
            for preset in overview.presets { h += "<option value=\"\(e(preset))\">\(e(preset))</option>" }
            h += "</select>\n<label for=\"scrutineers\">监票人（每行一人）<span class=\"en\" lang=\"en\">Scrutineers, one a line</span></label>"
            h += "<textarea id=\"scrutineers\" name=\"scrutineers\" rows=\"3\"></textarea>\n"
            h += "<button type=\"submit\" class=\"primary\">开启会期 Open the session</button></form>\n"
        }
        h += "</section>\n" + openRating(overview, csrf: csrf)
        h += "</main></body></html>\n"
        return h
    }

    static func statusWord(_ status: String) -> String {
        switch status {
        case "open": "投票中 open"
        case "closed": "已结束投票 closed"
        case "tallied": "已计票 tallied"
        default: e(status)
        }
    }

    static func tallyWord(_ status: TallyStatus) -> String {
        switch status {
        case .decided: "已产生结果 decided"
        case .runoffRequired: "须另行投票 runoff required"
        case .void: "本轮无效 void"
        }
    }

    static func quorumLine(_ status: SessionStatusOutput) -> String {
        let reached = status.quorum ? "已达到法定人数 Quorum reached" : "未达到法定人数 No quorum yet"
        return "出席 <strong data-field=\"present\">\(status.present)</strong> / 实有 <strong>\(status.seated)</strong>，须 \(status.quorumNeeded) 人："
            + "<strong data-field=\"quorum\">\(reached)</strong>；已发凭证 <strong data-field=\"issued\">\(status.issued)</strong>，"
            + "已投 <strong data-field=\"cast\">\(status.cast)</strong>"
    }

    // MARK: The session

    static func session(_ page: ConsoleSessionOutput, csrf: String?, notice: String? = nil, error: ErrorOutput? = nil) -> String {
        let status = page.status
        let id = e(status.session)
        let base = "/console/sessions/\(id)"
        var h = head("会期 \(status.session) · 票决控制台") + "<body class=\"console\"><main>\n"
        h += masthead("会期 \(status.session) · \(page.list) · 第 \(page.round) 轮\(page.parent.map { "（\($0) 的另行投票）" } ?? "") · \(page.rules)", csrf: csrf)
        let open = status.status == "open"
        h += attendanceAndIssue(
            status, base: base, checkin: (page.query, page.delegations, page.deputies), slips: page.slips,
            paperLabel: "打印纸质选票 Print paper ballots", notice: notice, error: error, csrf: csrf)
        h += "</section>\n"

        // 3 · paper ballots, entered twice
        let counting = page.counting
        h += "<section class=\"card\" aria-labelledby=\"count-title\"><h2 id=\"count-title\">3 · 纸质选票双人录入 <span class=\"en\" lang=\"en\">Paper ballots, entered twice</span></h2>\n"
        h += "<p>录入员 A 已录 \(counting.a) 张，录入员 B 已录 \(counting.b) 张，待核定 \(counting.differences) 张。</p>"
        if open {
            h += "<p><a class=\"action\" href=\"\(base)/count/A\">录入员 A Counter A</a> <a class=\"action\" href=\"\(base)/count/B\">录入员 B Counter B</a> "
            h += "<a class=\"action\" href=\"\(base)/reconcile\">监票人核对 Reconcile</a></p>"
            h += button("\(base)/import", "导入已核对的纸质选票 Import the reconciled ballots", csrf: csrf)
        }
        h += "</section>\n"

        // 4 · close
        h += "<section class=\"card\" aria-labelledby=\"close-title\"><h2 id=\"close-title\">4 · 结束投票 <span class=\"en\" lang=\"en\">Close</span></h2>\n"
        if open {
            h += "<form method=\"post\" action=\"\(base)/close\" class=\"row\">\(csrfField(csrf))"
            h += "<label for=\"returned\">收回选票数（纸质票箱清点；无纸质票可留空）<span class=\"en\" lang=\"en\">Ballots returned</span></label>"
            h += "<input id=\"returned\" name=\"returned\" type=\"number\" min=\"0\" inputmode=\"numeric\">"
            h += "<button type=\"submit\" class=\"primary\">结束投票 Close the session</button></form>"
        } else {
            h += "<p>投票已结束。Casting is closed.</p>"
        }
        h += "</section>\n"

        // 5 · tally, runoff
        h += "<section class=\"card\" aria-labelledby=\"tally-title\"><h2 id=\"tally-title\">5 · 计票 <span class=\"en\" lang=\"en\">Tally</span></h2>\n"
        if let tally = page.tally {
            h += tallyTable(tally, ballot: page.ballot)
            if tally.status == .runoffRequired { h += button("\(base)/runoff", "开启另行投票 Open the runoff", csrf: csrf) }
        } else {
            h += button("\(base)/tally", "计票 Tally", csrf: csrf)
        }
        h += "</section>\n"

        h += publishSection(step: 6, base: base, published: page.published, csrf: csrf)
        return h
    }

    /// The last step of a session's page, and the page's end: publish, then download the bundle.
    static func publishSection(step: Int, base: String, published: Bool, csrf: String?) -> String {
        var h = "<section class=\"card\" aria-labelledby=\"publish-title\"><h2 id=\"publish-title\">\(step) · 发布审计包 <span class=\"en\" lang=\"en\">Publish</span></h2>\n"
        if published {
            h += "<p><a class=\"action\" id=\"download\" href=\"\(base)/bundle.zip\" download>下载审计包 .zip Download the bundle</a></p>"
        } else {
            h += button("\(base)/publish", "发布审计包 Publish the audit bundle", csrf: csrf)
        }
        h += "</section></main></body></html>\n"
        return h
    }

    /// Step 1 of a session's page: the card-scan field, the search, whole delegations, the roster.
    /// The part every session page shares: the live quorum line, the notice or refusal, step 1
    /// (check-in) and step 2 (issue and print), its section left open for the page's own notes.
    static func attendanceAndIssue(
        _ status: SessionStatusOutput, base: String, checkin: (query: String, delegations: [String], deputies: [ConsoleDeputy]),
        slips: Bool, paperLabel: String, notice: String?, error: ErrorOutput?, csrf: String?
    ) -> String {
        let id = e(status.session)
        var h = "<p id=\"quorum\" class=\"quorum\(status.quorum ? " reached" : "")\" role=\"status\" aria-live=\"polite\" data-session=\"\(id)\">"
        h += quorumLine(status) + " · <span data-field=\"status\">\(statusWord(status.status))</span></p>\n"
        h += messages(notice: notice, error: error)
        h += checkinSection(base: base, query: checkin.query, delegations: checkin.delegations, deputies: checkin.deputies, csrf: csrf)
        h += "<section class=\"card\" aria-labelledby=\"issue-title\"><h2 id=\"issue-title\">2 · 发放凭证与打印 <span class=\"en\" lang=\"en\">Issue and print</span></h2>\n"
        if status.status == "open" { h += button("\(base)/issue", "发放凭证 Issue credentials", csrf: csrf) }
        if slips {
            h += "<p><a class=\"action\" href=\"\(base)/slips\">打印凭证 Print the slips</a> <a class=\"action\" href=\"\(base)/paper\">\(paperLabel)</a></p>"
            h += button("\(base)/slips/destroy", "已打印，销毁凭证文件 Printed — destroy the file", csrf: csrf, kind: "danger")
        } else {
            h += "<p class=\"muted\">没有凭证文件（尚未发放，或打印后已销毁）。No slips file.</p>"
        }
        return h
    }

    static func checkinSection(base: String, query: String, delegations: [String], deputies: [ConsoleDeputy], csrf: String?) -> String {
        var h = ""
        h += "<section class=\"card\" aria-labelledby=\"checkin-title\"><h2 id=\"checkin-title\">1 · 签到 <span class=\"en\" lang=\"en\">Check-in</span></h2>\n"
        h += "<form method=\"post\" action=\"\(base)/checkin\" class=\"row\">\(csrfField(csrf))"
        h += "<label for=\"scan\">刷代表证或输入代表编号后回车 <span class=\"en\" lang=\"en\">Scan a deputy card or type an id, then Enter</span></label>"
        h += "<input id=\"scan\" name=\"deputy\" type=\"text\" autocomplete=\"off\" autofocus class=\"wide\">"
        h += "<button type=\"submit\" class=\"primary\">签到 Check in</button></form>\n"
        h += "<form method=\"get\" action=\"\(base)\" class=\"row\" role=\"search\"><label for=\"q\">按姓名、编号或代表团查找 <span class=\"en\" lang=\"en\">Search</span></label>"
        h += "<input id=\"q\" name=\"q\" type=\"search\" value=\"\(e(query))\" class=\"wide\"><button type=\"submit\">查找 Search</button></form>\n"
        if !delegations.isEmpty {
            h += "<form method=\"post\" action=\"\(base)/checkin\" class=\"delegations\">\(csrfField(csrf))<fieldset><legend>整团签到 <span class=\"en\" lang=\"en\">Tick a whole delegation</span></legend>"
            for delegation in delegations {
                h += "<button type=\"submit\" name=\"delegation\" value=\"\(e(delegation))\">\(e(delegation))</button>"
            }
            h += "</fieldset></form>\n"
        }
        h += "<form method=\"post\" action=\"\(base)/checkin\">\(csrfField(csrf))<fieldset><legend>代表名单 <span class=\"en\" lang=\"en\">Roster</span>"
        h += query.isEmpty ? "" : "（查找“\(e(query))”：\(deputies.count) 人）"
        h += "</legend><ul class=\"deputies\">\n"
        for deputy in deputies {
            let box = "d-\(e(deputy.id))"
            let state = deputy.present ? " checked disabled" : deputy.suspended ? " disabled" : ""
            h += "<li><input type=\"checkbox\" id=\"\(box)\" name=\"deputy\" value=\"\(e(deputy.id))\"\(state)>"
            h += "<label for=\"\(box)\"><span class=\"id\">\(e(deputy.id))</span> \(e(deputy.name))"
            h += deputy.delegation.map { " <span class=\"muted\">\(e($0))</span>" } ?? ""
            h += deputy.present ? " <span class=\"tag\">已签到</span>" : deputy.suspended ? " <span class=\"tag\">暂停职务</span>" : ""
            h += "</label></li>\n"
        }
        h += "</ul><button type=\"submit\" class=\"primary\">为所选代表签到 Check in the ticked</button></fieldset></form></section>\n"

        return h
    }

    static func tallyTable(_ tally: TallyResult, ballot: BoothBallotOutput) -> String {
        var h = "<p class=\"result\">\(tallyWord(tally.status))：有效票 \(tally.valid)，无效票 \(tally.invalid)，当选须赞成 \(tally.threshold) 票。</p>\n"
        h += "<table><thead><tr><th scope=\"col\">候选项目</th><th scope=\"col\">赞成</th><th scope=\"col\">反对</th><th scope=\"col\">弃权</th><th scope=\"col\">结果</th></tr></thead><tbody>\n"
        for count in tally.ranked {
            let title = ballot.items.first { $0.id == count.id }?.title ?? ""
            let outcome = tally.chosen.contains(count.id) ? "入选" : tally.runoff.contains(count.id) ? "另行投票" : "未入选"
            h += "<tr><th scope=\"row\">\(e(count.id)) \(e(title))</th><td>\(count.approve)</td><td>\(count.oppose)</td><td>\(count.abstain)</td><td>\(outcome)</td></tr>\n"
        }
        return h + "</tbody></table>\n"
    }

    // MARK: Print pages

    /// A code in short groups: its own separators kept, else groups of four (spans only, so the
    /// text copied is the code as written).
    static func grouped(_ code: String) -> String {
        if code.contains("-") {
            // Each hyphen stays with the group before it: the line breaks after it, never inside a group.
            let parts = code.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            return parts.enumerated().map { n, part in
                "<span class=\"group\">\(e(part + (n < parts.count - 1 ? "-" : "")))</span>"
            }.joined()
        }
        var groups: [String] = []
        var rest = Substring(code)
        while !rest.isEmpty {
            groups.append(String(rest.prefix(4)))
            rest = rest.dropFirst(4)
        }
        return groups.map { "<span class=\"group\">\(e($0))</span>" }.joined()
    }

    static func qr(_ code: String, label: String) -> String {
        PlenaryService.qrCode(code, label: label) ?? ""
    }

    /// The credential slips: one card per credential, eight to an A4 page, cut marks on each.
    static func slips(_ slips: ConsoleSlipsOutput, csrf: String?) -> String {
        var h = head("凭证打印 Slips · \(slips.session)", css: ["console.css", "print.css"]) + "<body class=\"print\"><main>\n"
        h += "<div class=\"screen-only\"><p><a href=\"/console/sessions/\(e(slips.session))\">返回会期 Back</a> · 共 \(slips.codes.count) 张，请用浏览器打印（A4）。"
        h += "<button type=\"button\" class=\"primary\" data-print>打印 Print</button></p>"
        h += button("/console/sessions/\(e(slips.session))/slips/destroy", "已打印，销毁凭证文件 Printed — destroy the file", csrf: csrf, kind: "danger")
        h += "</div>\n<ol class=\"slips\">\n"
        for (n, code) in slips.codes.enumerated() {
            h += "<li class=\"slip\"><p class=\"slip-title\">\(e(slips.ballot.body))<br>投票凭证 · 会期 \(e(slips.session))</p>"
            h += "<div class=\"qr\">\(qr(code, label: "凭证 \(n + 1) 的二维码 QR of credential \(n + 1)"))</div>"
            h += "<p class=\"slip-code\" data-code>\(grouped(code))</p>"
            h += "<p class=\"slip-help\">投票时输入或扫描此码；只能投一次。Type or scan this code to vote; it works once.</p></li>\n"
        }
        return h + "</ol></main></body></html>\n"
    }

    /// Paper ballots: one sheet per credential, the candidates with 赞成 / 反对 / 弃权 boxes, the
    /// credential as QR and text, so that a sheet drawn at random is both ballot and credential.
    static func paperBallots(_ slips: ConsoleSlipsOutput) -> String {
        let ballot = slips.ballot
        var h = head("纸质选票打印 Paper ballots · \(slips.session)", css: ["console.css", "print.css"]) + "<body class=\"print\"><main>\n"
        h += "<div class=\"screen-only\"><p><a href=\"/console/sessions/\(e(slips.session))\">返回会期 Back</a> · 共 \(slips.codes.count) 张。"
        h += "<button type=\"button\" class=\"primary\" data-print>打印 Print</button></p></div>\n"
        for (n, code) in slips.codes.enumerated() {
            h += "<article class=\"paper\" aria-label=\"选票 \(n + 1)\"><h2>\(e(ballot.body))</h2><p class=\"paper-title\">\(e(ballot.title))</p>"
            h += ballot.shape == .rating
                ? "<p class=\"paper-help\">请在每个项目的“满意”“基本满意”“不满意”“弃权”中选一格划“✓”；未划视为弃权。</p>"
                : "<p class=\"paper-help\">请在每个项目的“赞成”“反对”“弃权”中选一格划“✓”；赞成不得超过应选 \(ballot.seats ?? 0) 项，多划作废票。</p>"
            h += "<table class=\"paper-items\"><thead><tr><th scope=\"col\">编号</th><th scope=\"col\">项目</th>"
            for mark in ballot.marks { h += "<th scope=\"col\">\(mark.chinese)</th>" }
            h += "</tr></thead><tbody>\n"
            for item in ballot.items {
                h += "<tr><td>\(e(item.id))</td><td>\(e(item.title))</td>"
                for _ in ballot.marks { h += "<td class=\"box\"><span class=\"square\"></span></td>" }
                h += "</tr>\n"
            }
            h += "</tbody></table><div class=\"paper-credential\"><div class=\"qr\">\(qr(code, label: "选票 \(n + 1) 的凭证二维码"))</div>"
            h += "<div><p class=\"slip-code\" data-code>\(grouped(code))</p>"
            h += "<p class=\"slip-help\">本张选票同时是投票凭证：码只能用一次。This sheet is both the ballot and its credential.</p></div></div></article>\n"
        }
        return h + "</main></body></html>\n"
    }

    // MARK: Counting

    static func marksTable(_ ballot: BoothBallotOutput, prefix: String, checked: Choices? = nil) -> String {
        var h = "<table class=\"marks\"><thead><tr><th scope=\"col\">项目</th>"
        for mark in ballot.marks { h += "<th scope=\"col\">\(mark.chinese)</th>" }
        h += "</tr></thead><tbody>\n"
        for item in ballot.items {
            let rowID = "\(prefix)-\(e(item.id))"
            h += "<tr><th scope=\"row\" id=\"\(rowID)\">\(e(item.id)) \(e(item.title))</th>"
            for mark in ballot.marks {
                let box = "\(rowID)-\(mark.rawValue)"
                let on = checked?[mark].contains(item.id) == true ? " checked" : ""
                h += "<td><input type=\"checkbox\" class=\"mark-box\" id=\"\(box)\" name=\"\(mark.rawValue)\" value=\"\(e(item.id))\"\(on) "
                h += "aria-labelledby=\"\(rowID) \(box)-l\"><label id=\"\(box)-l\" for=\"\(box)\" class=\"mark-label \(mark.rawValue)\">\(mark.chinese)</label></td>"
            }
            h += "</tr>\n"
        }
        return h + "</tbody></table>\n"
    }

    static func count(
        _ counting: ConsoleCountingOutput, counter: DoubleEntry.Counter, csrf: String?, notice: String? = nil, error: ErrorOutput? = nil
    ) -> String {
        let base = "/console/sessions/\(e(counting.session))"
        var h = head("录入 \(counter.rawValue) · \(counting.session)") + "<body class=\"console\"><main>\n"
        h += masthead("会期 \(counting.session) · 纸质选票录入 · \(counter.label)", csrf: csrf)
        h += "<p class=\"quorum\" role=\"status\">本录入员已录 <strong>\(counter == .a ? counting.a : counting.b)</strong> 张；"
        h += "另一录入员 \(counter == .a ? counting.b : counting.a) 张；待核定 \(counting.differences.count) 张。</p>\n"
        h += messages(notice: notice, error: error)
        h += "<form method=\"post\" action=\"\(base)/count/\(counter.rawValue)\" id=\"count-form\" class=\"card\">\(csrfField(csrf))\n"
        h += "<label for=\"code\">扫描选票上的二维码或输入凭证码 <span class=\"en\" lang=\"en\">Scan the ballot's QR or type its code</span></label>"
        h += "<input id=\"code\" name=\"code\" type=\"text\" autocomplete=\"off\" autofocus required class=\"wide\" data-next-focus>\n"
        h += "<fieldset><legend>按纸面所划勾选（一项划多格、赞成超过应选数、空白票都照实录入）"
        h += "<span class=\"en\" lang=\"en\">Tick the marks as they stand on the paper, void and blank ballots included</span></legend>\n"
        h += marksTable(counting.ballot, prefix: "c") + "</fieldset>\n"
        h += "<p class=\"check\"><input type=\"checkbox\" id=\"replace\" name=\"replace\" value=\"1\"><label for=\"replace\">更正本录入员此前对这张票的录入 Correct my earlier entry</label></p>"
        h += "<button type=\"submit\" class=\"primary\">录入，下一张 Enter, next</button></form>\n"
        h += "<p><a href=\"\(base)\">返回会期 Back to the session</a> · <a href=\"\(base)/reconcile\">监票人核对 Reconcile</a></p>"
        return h + "</main></body></html>\n"
    }

    static func reading(_ choices: Choices?, ballot: BoothBallotOutput) -> String {
        guard let choices else { return "<em>未录入 not entered</em>" }
        let parts = ballot.marks.compactMap { mark -> String? in
            let ids = choices[mark]
            return ids.isEmpty ? nil : "\(mark.chinese) \(e(ids.joined(separator: " ")))"
        }
        return parts.isEmpty ? "空白票 blank" : parts.joined(separator: "；")
    }

    static func reconcile(_ counting: ConsoleCountingOutput, csrf: String?, notice: String? = nil, error: ErrorOutput? = nil) -> String {
        let base = "/console/sessions/\(e(counting.session))"
        var h = head("核对 Reconcile · \(counting.session)") + "<body class=\"console\"><main>\n"
        h += masthead("会期 \(counting.session) · 监票人核对双人录入 Reconcile", csrf: csrf)
        h += "<p class=\"quorum\" role=\"status\">录入员 A \(counting.a) 张，录入员 B \(counting.b) 张，一致 \(counting.agreed) 张，"
        h += "<strong id=\"open-differences\">不一致 \(counting.differences.count) 张</strong>。</p>\n"
        h += messages(notice: notice, error: error)
        if counting.differences.isEmpty {
            h += "<p class=\"notice\">两名录入员的录入完全一致（或已全部核定），可以导入。All entries agree.</p>"
        } else {
            h += "<table class=\"differences\"><thead><tr><th scope=\"col\">选票</th><th scope=\"col\">录入员 A</th><th scope=\"col\">录入员 B</th><th scope=\"col\">核定 Settle</th></tr></thead><tbody>\n"
            for difference in counting.differences {
                let key = "<input type=\"hidden\" name=\"key\" value=\"\(e(difference.key))\">"
                h += "<tr class=\"difference\"><th scope=\"row\">第 \(difference.position) 张</th>"
                h += "<td>\(reading(difference.a, ballot: counting.ballot))</td><td>\(reading(difference.b, ballot: counting.ballot))</td><td>"
                if difference.a != nil { h += button("\(base)/reconcile", "采用 A Take A", csrf: csrf, extra: key + "<input type=\"hidden\" name=\"take\" value=\"A\">") }
                if difference.b != nil { h += button("\(base)/reconcile", "采用 B Take B", csrf: csrf, extra: key + "<input type=\"hidden\" name=\"take\" value=\"B\">") }
                h += "<details><summary>重新录入 Re-enter</summary><form method=\"post\" action=\"\(base)/reconcile\">\(csrfField(csrf))\(key)"
                h += "<input type=\"hidden\" name=\"take\" value=\"own\">"
                h += marksTable(counting.ballot, prefix: "s\(difference.position)", checked: difference.a ?? difference.b)
                h += "<button type=\"submit\">按监票人核定 Settle as ticked</button></form></details></td></tr>\n"
            }
            h += "</tbody></table>\n"
        }
        h += button("\(base)/import", "导入已核对的纸质选票 Import the reconciled ballots", csrf: csrf)
        h += "<p><a href=\"\(base)\">返回会期 Back to the session</a></p>"
        return h + "</main></body></html>\n"
    }
}
