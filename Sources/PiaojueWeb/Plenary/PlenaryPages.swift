import PiaojueDomain
import PiaojueServices

/// The pages of the hall, rendered on the server: Chinese first, self-contained (styles and scripts
/// are files of this server, see ``PlenaryAssets``), no inline script or style, every control
/// named for screen readers.
enum PlenaryPages {
    static let e = HTMLText.escape

    enum Waiting {
        case booth, screen
    }

    static func head(_ title: String, css: String, js: String?) -> String {
        """
        <!DOCTYPE html>
        <html lang="zh-CN"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>\(e(title))</title>
        <link rel="stylesheet" href="/assets/\(css)">\(js.map { "\n<script src=\"/assets/\($0)\" defer></script>" } ?? "")
        </head>
        """
    }

    /// The booth: the ballot at once, the code field, large 表决器 buttons per item, the live count,
    /// one review-and-cast step, then the receipt.
    static func booth(_ ballot: BoothBallotOutput) -> String {
        let vote = ballot.shape == .vote
        var h = head("投票 Booth · \(ballot.session)", css: "booth.css", js: "booth.js")
        h += """
            <body class="booth">
            <main id="booth" data-session="\(e(ballot.session))" data-shape="\(ballot.shape.rawValue)" \
            data-seats="\(ballot.seats.map(String.init) ?? "")" data-form="\(ballot.form?.rawValue ?? "")" \
            data-unmarked="\(e(ballot.unmarked))" data-items="\(ballot.items.count)">
            <header class="masthead">
            <h1>\(e(ballot.body))</h1>
            <p class="sub">\(e(ballot.title)) <span class="en" lang="en">Session \(e(ballot.session))</span></p>
            </header>
            <form id="ballot" novalidate>
            <section class="credential" aria-labelledby="code-label">
            <label id="code-label" for="code">凭证码 <span class="en" lang="en">Credential code</span></label>
            <input id="code" name="code" type="text" autocomplete="off" autocapitalize="characters" autocorrect="off" \
            spellcheck="false" required aria-describedby="code-help">
            <p id="code-help" class="help">输入或扫描凭证上的码；凭证码是唯一的身份，投票后即失效。\
            <span class="en" lang="en">Type or scan the code on your slip. It is your only credential and works once.</span></p>
            </section>

            """
        h += "<p id=\"count\" class=\"count\" role=\"status\" aria-live=\"polite\">"
        h += vote ? "赞成 <strong id=\"approved\">0</strong> / 应选 <strong>\(ballot.seats ?? 0)</strong>" :
            "已评 <strong id=\"approved\">0</strong> / 共 <strong>\(ballot.items.count)</strong> 项"
        h += "</p>\n<p id=\"overmark\" class=\"warning\" hidden>赞成超过应选数：与纸质选票一样，这张票将作为废票。请减少赞成，或在投出时再确认一次。"
            + "<span class=\"en\" lang=\"en\">More 赞成 than seats: as on paper, this ballot will be void.</span></p>\n"
        h += "<ol class=\"items\">\n"
        for item in ballot.items {
            let titleID = "t-\(e(item.id))"
            h += "<li class=\"item\" data-id=\"\(e(item.id))\">\n<div class=\"info\">"
            h += "<p class=\"title\" id=\"\(titleID)\"><span class=\"id\">\(e(item.id))</span> \(e(item.title))</p>\n"
            var facts: [String] = []
            if let location = item.location, !location.isEmpty { facts.append("地点 \(e(location))") }
            if let budget = item.budgetText { facts.append("概算 \(e(budget))") }
            if let unit = item.unit, !unit.isEmpty { facts.append("责任单位 \(e(unit))") }
            if !facts.isEmpty { h += "<p class=\"facts\">\(facts.joined(separator: " · "))</p>\n" }
            // Native radio buttons in a named group: Tab reaches the group, the arrow keys choose,
            // and a screen reader says the item's title with each button's word.
            h += "</div>\n<div class=\"marks\" role=\"radiogroup\" aria-labelledby=\"\(titleID)\">\n"
            for mark in ballot.marks {
                let id = "m-\(e(item.id))-\(mark.rawValue)"
                h += "<input type=\"radio\" class=\"choice\" name=\"item-\(e(item.id))\" id=\"\(id)\" value=\"\(mark.rawValue)\">"
                h += "<label for=\"\(id)\" class=\"mark \(mark.rawValue)\">\(mark.chinese)</label>\n"
            }
            h += "<button type=\"button\" class=\"clear\" aria-label=\"清除 \(e(item.id)) 的选择（记为\(e(ballot.unmarked))）Clear\">清除</button>\n"
            h += "</div></li>\n"
        }
        h += """
            </ol>
            <section class="review" aria-labelledby="review-title">
            <h2 id="review-title">核对后投出 <span class="en" lang="en">Review and cast</span></h2>
            <div id="summary" class="summary" aria-live="polite"></div>
            <div id="confirm" class="confirm" role="alertdialog" aria-labelledby="confirm-text" hidden>
            <p id="confirm-text"></p>
            <button type="button" id="confirm-back" class="secondary">返回修改 <span class="en" lang="en">Change</span></button>
            <button type="button" id="confirm-cast" class="danger">仍要投出 <span class="en" lang="en">Cast anyway</span></button>
            </div>
            <p id="error" class="error" role="alert"></p>
            <button type="submit" id="cast" class="cast">投出选票 <span class="en" lang="en">Cast ballot</span></button>
            <button type="button" id="retry" class="secondary" hidden>网络中断，重新提交同一张票 <span class="en" lang="en">Send again</span></button>
            </section>
            </form>
            <section id="done" class="done" aria-labelledby="done-title" hidden tabindex="-1">
            <h2 id="done-title">投票成功，已记入账本 <span class="en" lang="en">Cast and recorded</span></h2>
            <p>回执 <span class="en" lang="en">Receipt</span> <strong id="receipt-short" class="receipt"></strong></p>
            <p class="receipt-full"><code id="receipt"></code>（第 <span id="index"></span> 条 <span class="en" lang="en">entry</span>）</p>
            <figure id="qr" class="qr"><figcaption>扫码保存回执证明，日后可自行核对 <span class="en" lang="en">Scan to keep the proof</span></figcaption></figure>
            <p id="void-note" class="warning" hidden>这张票赞成多于应选数，已作为废票记入。<span class="en" lang="en">Recorded as a void ballot.</span></p>
            <p class="help">回执只证明这张票已计入，不显示是谁投的。<span class="en" lang="en">The receipt proves the ballot was counted, not who cast it.</span></p>
            <button type="button" id="next" class="cast">下一位代表 <span class="en" lang="en">Next deputy</span></button>
            <p class="help" id="clearing" aria-live="off">60 秒后自动清空。</p>
            </section>
            </main>
            </body></html>

            """
        return h
    }

    /// The big screen before the tally: turnout only, updated by server-sent events.
    static func screen(_ ballot: BoothBallotOutput, status: SessionStatusOutput) -> String {
        var h = head("大屏 Screen · \(ballot.session)", css: "screen.css", js: "screen.js")
        let percent = status.issued > 0 ? min(100, status.cast * 100 / status.issued) : 0
        h += """
            <body class="screen">
            <main id="screen" data-session="\(e(ballot.session))">
            <header class="masthead">
            <h1>\(e(ballot.body))</h1>
            <p class="sub">\(e(ballot.title)) · 会期 \(e(ballot.session))</p>
            </header>
            <section class="turnout" aria-label="到会与投票情况 Turnout">
            <div class="stat"><span class="label">实有代表</span><span class="value" id="seated">\(status.seated)</span></div>
            <div class="stat"><span class="label">出席</span><span class="value" id="present">\(status.present)</span></div>
            <div class="stat"><span class="label">法定人数</span><span class="value"><span id="quorum-needed">\(status.quorumNeeded)</span>\
            <span id="quorum" class="flag \(status.quorum ? "yes" : "no")">\(status.quorum ? "已达到" : "未达到")</span></span></div>
            <div class="stat wide"><span class="label">已投票 / 已发票</span><span class="value">\
            <span id="cast">\(status.cast)</span> / <span id="issued">\(status.issued)</span></span></div>
            </section>
            <progress id="progress" max="100" value="\(percent)" aria-label="已投票占已发票 Ballots cast of issued">\(percent)%</progress>
            <p id="state" class="state" aria-live="polite">\(stateText(status.status))</p>
            <p class="note">计票结束前不显示任何项目的得票。<span class="en" lang="en">No figure per candidate is shown before the tally.</span></p>
            </main>
            </body></html>

            """
        return h
    }

    static func stateText(_ status: String) -> String {
        switch status {
        case "open": "投票进行中 Voting in progress"
        case "closed": "投票已结束，正在计票 Voting closed, counting"
        default: "计票完毕 Tallied"
        }
    }

    /// The big screen after the tally: the 主席团公告 and its chart, as in `report.html`.
    static func announcement(_ announcement: ScreenAnnouncementOutput, ballot: BoothBallotOutput) -> String {
        var h = head(announcement.title, css: "screen.css", js: nil)
        h += "<body class=\"screen result\">\n<main id=\"result\" data-session=\"\(e(announcement.session))\">\n"
        h += "<header class=\"masthead\"><h1>\(e(announcement.title))</h1>\n<p class=\"sub\">\(e(announcement.subtitle))</p></header>\n"
        h += "<section class=\"announce\" aria-label=\"公告 Announcement\">\n"
        for paragraph in announcement.announcement where !paragraph.hasPrefix("Session ") {
            h += "<p>\(e(paragraph))</p>\n"
        }
        for note in announcement.notes { h += "<p class=\"notice\">\(e(note))</p>\n" }
        h += "</section>\n<section class=\"chart-box\" aria-label=\"\(e(announcement.chartTitle))\">\n"
        h += "<h2>\(e(announcement.chartTitle))</h2>\n<p class=\"legend\">"
        for item in announcement.legend {
            // The swatch is drawn, not styled: colours as SVG attributes pass the strict CSP.
            h += "<span class=\"key\"><svg class=\"swatch\" viewBox=\"0 0 10 10\" aria-hidden=\"true\">"
                + "<rect width=\"10\" height=\"10\" fill=\"\(e(item.color))\"/></svg>\(e(item.label))</span>"
        }
        h += "</p>\n\(announcement.chartSVG)\n</section>\n</main>\n</body></html>\n"
        return h
    }

    /// A page saying what is awaited; it looks again by itself.
    static func waiting(kind: Waiting) -> String {
        let (css, js, text) = kind == .booth
            ? ("booth.css", "waiting.js", "目前没有正在投票的会期，开始投票后本页自动显示选票。No session is open for casting yet; the ballot appears here when it opens.")
            : ("screen.css", "waiting.js", "尚未开始票决。No session has been opened yet.")
        return head("票决 Piaojue", css: css, js: js) + """
            <body class="\(kind == .booth ? "booth" : "screen") waiting">
            <main id="waiting" data-kind="\(kind == .booth ? "booth" : "screen")"><h1>票决 Piaojue</h1><p class="state">\(e(text))</p></main>
            </body></html>

            """
    }

    /// An error page: the sentence the API answers with.
    static func error(_ message: String) -> String {
        head("票决 Piaojue", css: "booth.css", js: nil) + """
            <body class="booth"><main><h1>票决 Piaojue</h1><p class="error" role="alert">\(e(message))</p>
            <p><a href="/booth">返回投票页 Back to the booth</a></p></main></body></html>

            """
    }
}
