import PiaojueDomain
import PiaojueServices

/// The console's pages for rating sessions (监督评议): opening one, and its steps.
extension ConsolePages {
    /// The overview's form opening a rating session over the projects eligible now.
    static func openRating(_ overview: ConsoleOverviewOutput, csrf: String?) -> String {
        var h = "<section class=\"card\" aria-labelledby=\"rating-title\"><h2 id=\"rating-title\">开启测评会期 <span class=\"en\" lang=\"en\">Open a rating session</span></h2>\n"
        guard !overview.projects.isEmpty else {
            return h + "<p>尚无可测评的项目（须经票决计票确定，且不在进行中的测评会期内）。No project can be rated now.</p></section>\n"
        }
        h += "<form method=\"post\" action=\"/console/ratings\">\(csrfField(csrf))\n"
        h += "<fieldset><legend>测评项目 <span class=\"en\" lang=\"en\">Projects rated</span></legend><ul class=\"deputies\">\n"
        for project in overview.projects {
            let box = "p-\(e(project.id))"
            h += "<li><input type=\"checkbox\" id=\"\(box)\" name=\"projects\" value=\"\(e(project.id))\" checked>"
            h += "<label for=\"\(box)\"><span class=\"id\">\(e(project.id))</span> \(e(project.title))"
            h += " <span class=\"muted\">\(e(project.chosenIn)) · \(e(project.chosenOn.description))</span>"
            h += project.rerate ? " <span class=\"tag\">再测评</span>" : ""
            h += "</label></li>\n"
        }
        h += "</ul></fieldset>\n<p class=\"help\">测评人员为登记在册的代表。Raters are the seated roster (a committee roster: <code>piaojue evaluate open --roster</code>).</p>\n"
        h += "<label for=\"rating-rules\">测评办法 <span class=\"en\" lang=\"en\">Rules preset</span></label><select id=\"rating-rules\" name=\"rules\">"
        for preset in overview.presets { h += "<option value=\"\(e(preset))\">\(e(preset))</option>" }
        h += "</select>\n<button type=\"submit\" class=\"primary\">开启测评 Open the rating session</button></form></section>\n"
        return h
    }

    /// A rating session's page: check-in, issue and print, close, tally, publish.
    static func rating(_ page: ConsoleRatingOutput, csrf: String?, notice: String? = nil, error: ErrorOutput? = nil) -> String {
        let status = page.status
        let opened = page.opened
        let id = e(status.session)
        let base = "/console/sessions/\(id)"
        var h = head("测评会期 \(status.session) · 票决控制台") + "<body class=\"console\"><main>\n"
        h += masthead("测评会期 \(status.session)\(opened.year.map { " · \($0) 年度" } ?? "") · 项目 \(opened.header.items.count) 项 · \(opened.rulesName)", csrf: csrf)
        let open = status.status == "open"
        h += attendanceAndIssue(
            status, base: base, checkin: (page.query, page.delegations, page.deputies), slips: page.slips,
            paperLabel: "打印纸质测评票 Print paper rating ballots", notice: notice, error: error, csrf: csrf)
        h += "<p class=\"help\">测评人员在投票终端（/booth）投票；纸质测评票用 <code>piaojue evaluate import \(id) 文件.csv</code> 录入。"
        h += "<span class=\"en\" lang=\"en\">Raters vote at the booth; paper ballots are entered with evaluate import.</span></p></section>\n"

        // 3 · close
        h += "<section class=\"card\" aria-labelledby=\"close-title\"><h2 id=\"close-title\">3 · 结束投票 <span class=\"en\" lang=\"en\">Close</span></h2>\n"
        if open {
            h += "<form method=\"post\" action=\"\(base)/close\" class=\"row\">\(csrfField(csrf))"
            h += "<label for=\"returned\">收回测评票数（纸质票箱清点；无纸质票可留空）<span class=\"en\" lang=\"en\">Ballots returned</span></label>"
            h += "<input id=\"returned\" name=\"returned\" type=\"number\" min=\"0\" inputmode=\"numeric\">"
            h += "<button type=\"submit\" class=\"primary\">结束投票 Close the session</button></form>"
        } else {
            h += "<p>投票已结束。Casting is closed.</p>"
        }
        h += "</section>\n"

        // 4 · tally
        h += "<section class=\"card\" aria-labelledby=\"tally-title\"><h2 id=\"tally-title\">4 · 计票 <span class=\"en\" lang=\"en\">Tally</span></h2>\n"
        if let tally = page.tally {
            h += ratingTable(tally, opened: opened)
        } else {
            h += button("\(base)/tally", "计票 Tally", csrf: csrf)
        }
        h += "</section>\n"

        h += publishSection(step: 5, base: base, published: page.published, csrf: csrf)
        return h
    }

    static func ratingWord(_ status: RatingStatus) -> String {
        switch status {
        case .decided: "已评定 decided"
        case .void: "本次测评无效 void"
        }
    }

    static func ratingTable(_ tally: RatingResult, opened: RatingSessionOpened) -> String {
        var h = "<p class=\"result\">\(ratingWord(tally.status))：有效票 \(tally.valid)，无效票 \(tally.invalid)。\(e(tally.explanation ?? ""))</p>\n"
        guard tally.status == .decided else { return h }
        h += "<table><thead><tr><th scope=\"col\">项目</th><th scope=\"col\">满意</th><th scope=\"col\">基本满意</th><th scope=\"col\">不满意</th>"
        h += "<th scope=\"col\">弃权</th><th scope=\"col\">满意率</th><th scope=\"col\">评定</th></tr></thead><tbody>\n"
        for rating in tally.projects {
            let title = opened.projects.first { $0.id == rating.id }?.title ?? ""
            h += "<tr><th scope=\"row\">\(e(rating.id)) \(e(title))</th><td>\(rating.satisfied)</td><td>\(rating.basic)</td><td>\(rating.dissatisfied)</td>"
            h += "<td>\(rating.abstain)</td><td>\(e(rating.rate?.percentText ?? "—"))</td>"
            h += "<td>\(e(rating.classification?.rawValue ?? "—"))\(rating.rectify ? " <span class=\"tag\">须整改</span>" : "")</td></tr>\n"
        }
        return h + "</tbody></table>\n"
    }
}
