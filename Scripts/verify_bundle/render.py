"""The bundle's derived files: tally.json (§6.1), ballots.csv (§6.2), the 公告 model (§6.3),
report.md (§6.4) and report.html (§6.5)."""
import math

from .common import Float, b64, characters, fingerprint, jcs, jcs_text

WORDS = {"approve": "赞成", "oppose": "反对", "abstain": "弃权", "satisfied": "满意", "basic": "基本满意",
         "dissatisfied": "不满意"}
CSV_ORDER = ["approve", "oppose", "abstain", "satisfied", "basic", "dissatisfied"]


# ---- §6.1 -----------------------------------------------------------------------------------

def rate_float(r):
    x = repr(r["numerator"] / r["denominator"])
    return x[:-2] if x.endswith(".0") else x


def pct(r):
    """§6.1 percentage rounded half up to 0.01 % by integers."""
    n, d = r["numerator"], r["denominator"]
    h = (n * 20000 + d) // (2 * d)
    return "%d.%02d%%" % (h // 100, h % 100)


def tally_json(s, p, rp):
    if s.shape == "vote":
        return jcs(p)
    out = {}
    for k in ("base", "baseCount", "invalid", "issued", "notReturned", "present", "recorded", "rectify", "returned",
              "seated", "session", "status", "strict", "threshold", "valid"):
        out[k] = p.get(k)
    if "reason" in p:
        out["reason"] = p["reason"]
    elif "note" in p:
        out["reason"] = "excess-returned"
    else:
        out["reason"] = None
    projs = []
    for x in p.get("projects", []):
        d = {k: x.get(k) for k in ("id", "satisfied", "basic", "dissatisfied", "abstain", "rectify")}
        d["class"] = x.get("class")
        for f in ("rate", "satisfiedRate"):
            r = x.get(f)
            if r is None:
                d[f] = d[f + "Fraction"] = d[f + "Percent"] = None
            else:
                d[f] = Float(rate_float(r))
                d[f + "Fraction"] = "%d/%d" % (r["numerator"], r["denominator"])
                d[f + "Percent"] = pct(r)
        projs.append(d)
    out["projects"] = projs
    return jcs_text(out).encode("utf-8")


# ---- §6.2 -----------------------------------------------------------------------------------

def csv_cell(t):
    if t and t[0] in "=+-@\t\r":
        t = "'" + t
    if any(c in t for c in ',"\n\r'):
        t = '"' + t.replace('"', '""') + '"'
    return t


def ballots_csv(sid, items, entries):
    rows = [["receipt"] + list(items)]
    for e in entries:
        if e is None or e["kind"] not in ("session.cast", "session.paper") or e["payload"].get("session") != sid:
            continue
        ch = e["payload"].get("choices") if type(e["payload"].get("choices")) is dict else {}
        row = [e["_leaf"]]
        for it in items:
            ws = []
            for m in CSV_ORDER:
                v = ch.get(m)
                if type(v) is list:
                    ws += [WORDS[m]] * v.count(it)
            row.append("+".join(ws))
        rows.append(row)
    text = "".join(",".join(csv_cell(c) for c in r) + "\r\n" for r in rows)
    return b"\xef\xbb\xbf" + text.encode("utf-8")


# ---- §6.3 the report model ------------------------------------------------------------------

def money(y):
    if y < 10000:
        return "%d元" % y
    if y % 10000 == 0:
        return "%d万元" % (y // 10000)
    f = ("%04d" % (y % 10000)).rstrip("0")
    return "%d.%s万元" % (y // 10000, f)


VERIFY_COMMANDS = [
    "head -n 3 checkpoint > note.txt",
    "sed -n 5p checkpoint | awk '{print $NF}' | base64 -d | tail -c 64 > sig.bin",
    "openssl pkeyutl -verify -pubin -inkey body.pub.pem -rawin -in note.txt -sigfile sig.bin",
    "python3 merkle_root.py ledger.jsonl   # 脚本照抄 Piaojue 的 README，不用别人给的副本；须打印 checkpoint 第 3 行 / "
    "the script as printed in Piaojue's README, never a copy handed to you; must print line 3 of checkpoint",
    "piaojue audit verify .",
]


class Bar:
    def __init__(self, id_, title, segments, outcome, hi):
        self.id, self.title, self.segments, self.outcome, self.hi = id_, title, segments, outcome, hi


def discrepancy_notes(C):
    out = []
    if C is None or "discrepancies" not in C:
        return out
    for code in C.get("discrepancies", []):
        if code == "returned-exceeds-recorded":
            out.append("核对不符 Discrepancy：收回选票 %d 张，账本中只有 %d 张，相差 %d 张未录入或已丢失。%d ballots returned but only "
                       "%d are in the ledger." % (C["returned"], C["recorded"], C["returned"] - C["recorded"],
                                                  C["returned"], C["recorded"]))
        elif code == "acknowledged-exceeds-electronic":
            out.append("核对不符 Discrepancy：已签名的检查点确认过 %d 张电子选票，账本中只有 %d 张：有已确认的选票不在账本中。Signed checkpoints "
                       "acknowledged %d electronic ballots; the ledger holds %d." % (
                           C["acknowledged"], C["electronic"], C["acknowledged"], C["electronic"]))
    return out


class Model:
    def __init__(self, s, tally_entry, rp, init, cp):
        O, T = s.open, tally_entry["payload"]
        body = init["body"]
        self.body = body
        date = tally_entry["time"][:10]
        S = s.id
        self.size = cp.size
        C = s.close
        self.notes = []
        issues = s.issues
        if s.shape == "vote":
            R = s.rules
            cands = [c for c in O.get("candidates", [])]
            title_of = {c["id"]: c.get("title", "") for c in cands}
            self.title = "%s民生实事项目票决结果公告" % body
            self.subtitle = "Result of the people's-livelihood projects vote · 会期 Session %s · 第 %d 轮 · %s" % (S, T["round"], date)
            if T["status"] == "void":
                self.announce = [
                    "%s，%s对民生实事候选项目进行票决（会期 %s）。发出选票 %d 张，收回 %d 张，收回票数多于发出票数，本轮投票无效，须重新投票。"
                    % (date, body, S, T["issued"], T["returned"]),
                    "Session %s: %d ballots returned for %d issued; the round is void and must be held again."
                    % (S, T["returned"], T["issued"])]
            else:
                a1 = ("%s，%s以无记名投票方式对 %d 个民生实事候选项目进行票决（会期 %s，第 %d 轮，应选 %d 项）。实有代表 %d 名，出席 %d 名，符合法定人数。"
                      "发出选票 %d 张，收回 %d 张，其中有效票 %d 张，无效票 %d 张。" % (
                          date, body, len(cands), S, T["round"], T["seats"], T["seated"], T["present"], T["issued"],
                          T["returned"], T["valid"], T["invalid"]))
                appr = {c["id"]: c["approve"] for c in T["candidates"]}
                if not T["chosen"]:
                    a2 = "本轮没有项目当选。"
                else:
                    a2 = "按得票多少为序，下列项目当选为民生实事项目：" + "；".join(
                        "%d. %s（%s，赞成 %d 票）" % (k + 1, title_of.get(c, ""), c, appr.get(c, 0))
                        for k, c in enumerate(T["chosen"])) + "。"
                a3 = ("Session %s (round %d, %d seats): %d of %d deputies present; %d ballots issued, %d returned, %d valid, "
                      "%d invalid. Chosen in rank order: %s." % (S, T["round"], T["seats"], T["present"], T["seated"],
                                                                 T["issued"], T["returned"], T["valid"], T["invalid"],
                                                                 ", ".join(T["chosen"]) or "none"))
                a4 = "特此公告。%s主席团" % body
                self.announce = [a1, a2, a3, a4]
            reason = T.get("reason")
            if "note" in T and "reason" not in T:
                self.notes.append(T["note"])
            elif reason == "excess-returned":
                self.notes.append("收回 %d 张，多于发出的 %d 张，本轮投票无效，须重新投票。More returned than issued: the round is void "
                                  "and must be held again." % (T["returned"], T["issued"]))
            elif reason in ("tie-at-cutoff", "budget-tie"):
                self.notes.append("第 %d 名起得票相同（%s），须就剩余 %d 个名额再次投票。A tie across the last seat: a runoff among %s "
                                  "for %d seat(s)." % (T["seats"] - T["runoffSeats"] + 1, "、".join(T["runoff"]),
                                                        T["runoffSeats"], ", ".join(T["runoff"]), T["runoffSeats"]))
            elif reason == "tie-round-limit":
                self.notes.append("已达最多轮次 %d，仍有并列，剩余 %d 个名额空缺。The round limit is reached with a tie; %d seat(s) "
                                  "stay vacant." % (R.get("maxRounds"), T["shortfall"], T["shortfall"]))
            elif reason == "shortfall-revote":
                self.notes.append("获得过半数赞成的项目不足 %d 项，按规则就剩余 %d 个名额再次投票。Too few eligible: a new round for %d "
                                  "seat(s)." % (T["seats"], T["runoffSeats"], T["runoffSeats"]))
            elif reason == "shortfall-vacant":
                self.notes.append("获得过半数赞成的项目只有 %d 项，按规则空缺 %d 个名额。Only %d eligible: %d seat(s) left vacant."
                                  % (len(T["chosen"]), T["shortfall"], len(T["chosen"]), T["shortfall"]))
            for sk in T.get("skipped", []):
                if "budget" in sk:
                    self.notes.append("%s %s：超出可用资金：已选 %s，本项 %s，上限 %s / over the budget cap" % (
                        sk["id"], title_of.get(sk["id"], ""), money(sk["committed"]), money(sk["budget"]),
                        money(R.get("budgetCap") or 0)))
                else:
                    self.notes.append("%s %s：%s" % (sk["id"], title_of.get(sk["id"], ""), sk.get("reason", "")))
            self.notes += discrepancy_notes(C)
            if len(issues) >= 2:
                counts = "、".join(str(x.get("count")) for x in issues)
                self.notes.append("凭证分 %d 批发放（%s 张）；后到代表所在批次的匿名范围较小。Credentials were issued in %d batches (%s); "
                                  "later batches have a smaller anonymity set." % (len(issues), counts, len(issues), counts))
            # bars in rank order
            tc = T["candidates"]
            ranked = sorted(tc, key=lambda c: -c["approve"])
            self.bars = []
            for c in ranked:
                segs = [("赞成 approve", c["approve"], "#2e7d32"), ("反对 oppose", c["oppose"], "#c62828"),
                        ("弃权 abstain", c["abstain"], "#9e9e9e")]
                if T["form"] == "e-voter":
                    segs.append(("未按 not pressed", c.get("notPressed", 0), "#d7ccc8"))
                if c["chosen"]:
                    out = "当选 chosen"
                elif c["id"] in T["runoff"]:
                    out = "再次投票 runoff"
                elif c["eligible"]:
                    out = "未当选"
                else:
                    out = "未过半数"
                self.bars.append(Bar(c["id"], title_of.get(c["id"], ""), segs, out, c["chosen"]))
            if T["thresholdBase"] == "none":
                self.threshold = None
            else:
                self.threshold = (T["threshold"], "过半数线：赞成须达 %d 票 / majority line: %d approvals" % (T["threshold"], T["threshold"]))
            self.scale = max(T["valid"], T["threshold"], 1)
            self.chart_title = "各候选项目得票 Votes per candidate"
            q = R["quorum"]
            least = -(-T["seated"] * q["numerator"] // q["denominator"])
            self.facts = [("实有代表 Seated", str(T["seated"])), ("出席 Present", str(T["present"])),
                          ("法定人数 Quorum", "%d/%d，至少 %d 名" % (q["numerator"], q["denominator"], least)),
                          ("发出 Issued", "%d（%d 批 batches）" % (T["issued"], len(issues))),
                          ("收回 Returned", str(T["returned"])), ("未收回 Not returned", str(T["notReturned"])),
                          ("有效 Valid", str(T["valid"])), ("无效 Invalid (废票)", str(T["invalid"])),
                          ("结果 Status", T["status"]), ("空缺 Shortfall", str(T["shortfall"]))]
            form = {"approve-oppose-abstain": "赞成/反对/弃权，未标记的计为弃权 (approve-oppose-abstain)",
                    "approve-only": "勾选，未勾选的计为不赞成 (approve-only)",
                    "e-voter": "电子表决器，未按键的单列为未按、不计票 (e-voter)"}[R["form"]]
            base = {"seated": "全体代表（实有代表）seated", "present": "出席代表 present", "valid": "有效票 valid ballots",
                    "none": "不设过半数，只按得票排序 none (rank only)"}[R["thresholdBase"]]
            base += "，须超过半数 strict" if R["thresholdStrict"] else "，达到半数即可"
            self.rules = [("规则名称 Preset", O["rulesName"]),
                          ("候选名单 List", "%s（候选 %d，应选 %d）" % (O["list"], len(cands), O["seats"])),
                          ("选票样式 Form", form), ("过半数基数 Threshold base", base),
                          ("多选作废 Over-marked void", "是 yes" if R["overmarkVoidsBallot"] else "否 no"),
                          ("收回多于发出 Excess returned", "本轮无效 voids the round" if R["excessReturnedVoidsRound"] else "照常计票"),
                          ("并列 Tie", "再次投票，最多 %d 轮 runoff, at most %d rounds" % (R["maxRounds"], R["maxRounds"])),
                          ("不足额 Shortfall", "空缺 leave vacant" if R["shortfall"] == "leave-vacant" else "就剩余名额再次投票 revote remaining"),
                          ("资金上限 Budget cap", money(R["budgetCap"]) if "budgetCap" in R else "无 none"),
                          ("规则指纹 Rules SHA-256", O["rulesHash"]), ("名单指纹 List SHA-256", O["listHash"]),
                          ("名册指纹 Roster SHA-256", O["header"]["rosterHash"])]
            if O.get("scrutineers"):
                self.rules.append(("监票人 Scrutineers", "、".join(O["scrutineers"])))
            if "parent" in O:
                self.rules.append(("上一轮 Previous round", O["parent"]))
        else:
            R = O["rules"]
            projs = {x["id"]: x for x in O.get("projects", [])}
            title_of = {k: v.get("title", "") for k, v in projs.items()}
            self.title = "%s民生实事项目满意度测评结果" % body
            self.subtitle = "Year-end satisfaction rating · 会期 Session %s · %s" % (S, date)
            tp = T["projects"]
            if T["status"] == "void":
                self.announce = ["%s，%s对民生实事项目进行满意度测评（会期 %s）。发出测评票 %d 张，收回 %d 张，收回多于发出，本次测评无效，须重新测评。"
                                 % (date, body, S, T["issued"], T["returned"])]
            else:
                rer = O.get("rerated") or []
                a1 = ("%s，%s以无记名投票方式对 %d 个民生实事项目进行满意度测评（会期 %s" % (date, body, len(tp), S)
                      + ("，含再测评 %s" % "、".join(rer) if rer else "")
                      + "）。应到 %d 名，实到 %d 名；发出测评票 %d 张，收回 %d 张，有效 %d 张，无效 %d 张。" % (
                          T["seated"], T["present"], T["issued"], T["returned"], T["valid"], T["invalid"]))
                a2 = "；".join("%s（%s）：满意 %d、基本满意 %d、不满意 %d，测评等次“%s”，满意率 %s" % (
                    title_of.get(x["id"], ""), x["id"], x["satisfied"], x["basic"], x["dissatisfied"], x.get("class") or "—",
                    pct(x["rate"]) if x.get("rate") else "—") for x in tp) + "。"
                self.announce = [a1, a2]
                if T["rectify"]:
                    a3 = "测评等次为“%s”" % R["rectifyClass"]
                    if "rectifyBelowRate" in R:
                        a3 += "或满意率低于 %s" % pct(R["rectifyBelowRate"])
                    a3 += "的项目须整改并再次测评：" + "、".join("%s（%s）" % (title_of.get(x, ""), x) for x in T["rectify"]) + "。"
                    self.announce.append(a3)
                self.announce.append("Rating session %s: %d valid ballots of %d raters; classes %s." % (
                    S, T["valid"], T["seated"], ", ".join("%s %s" % (x["id"], x.get("class") or "-") for x in tp)))
            if T.get("reason") == "excess-returned":
                self.notes.append("收回 %d 张，多于发出的 %d 张，本次测评无效，须重新测评。More returned than issued: the rating is void and "
                                  "must be held again." % (T["returned"], T["issued"]))
            elif "note" in T:
                self.notes.append(T["note"])
            self.notes += discrepancy_notes(C)
            for x in O.get("projects", []):
                if x.get("rerate"):
                    self.notes.append("%s %s 为再测评：上次测评 %s 后已记录整改（第 %s 条）。Re-rated after rectification." % (
                        x["id"], x.get("title", ""), x.get("previousRating"), x.get("rectification")))
            self.bars = []
            for x in tp:
                segs = [("满意 satisfied", x["satisfied"], "#2e7d32"), ("基本满意 basic", x["basic"], "#81c784"),
                        ("不满意 dissatisfied", x["dissatisfied"], "#c62828"), ("弃权 abstain", x["abstain"], "#bdbdbd")]
                out = "%s %s" % (x.get("class") or "—", pct(x["rate"]) if x.get("rate") else "")
                self.bars.append(Bar(x["id"], title_of.get(x["id"], ""), segs, out, x.get("class") == "满意"))
            if T["status"] == "void":
                self.threshold = None
            else:
                self.threshold = (T["threshold"], "过半数线：%d 票 / majority line: %d" % (T["threshold"], T["threshold"]))
            self.scale = max(T["valid"], T["threshold"], 1)
            self.chart_title = "各项目测评票 Ratings per project"
            self.facts = [("应到 Raters entitled", str(T["seated"])), ("实到 Present", str(T["present"])),
                          ("发出 Issued", "%d（%d 批）" % (T["issued"], len(issues))), ("收回 Returned", str(T["returned"])),
                          ("有效 Valid", str(T["valid"])), ("无效 Invalid", str(T["invalid"])), ("结果 Status", T["status"])]
            b = T["baseCount"]
            base = {"seated": "应到测评人 %d 名 / all %d raters entitled" % (b, b), "present": "实到 %d 名 / %d present" % (b, b),
                    "valid": "有效票 %d 张 / %d valid ballots" % (b, b)}[T["base"]]
            if T["strict"]:
                base += "，须超过半数（恰好一半不通过）strict"
            rule = "满意 > 基数/2 → 满意；否则 满意+基本满意 > 基数/2 → 基本满意；否则 不满意"
            if not T["strict"]:
                rule = rule.replace(">", "≥")
            rect = "等次为“%s”" % R["rectifyClass"]
            if "rectifyBelowRate" in R:
                rect += " 或满意率低于 %s" % pct(R["rectifyBelowRate"])
            self.rules = [("规则名称 Preset", O["rulesName"]), ("测评人 Raters", O["raters"]), ("等次基数 Base", base),
                          ("等次规则 Rule", rule), ("整改 Rectification", rect), ("规则指纹 Rules SHA-256", O["rulesHash"]),
                          ("名册指纹 Roster SHA-256", O["header"]["rosterHash"])]
        pk = init["publicKey"]
        from .common import b64_canonical
        self.cp_facts = [("检查点名称 Origin", cp.origin), ("条目数 Tree size", str(cp.size)),
                         ("默克尔根 Root (base64)", b64(cp.root)), ("默克尔根 Root (hex)", cp.root.hex()),
                         ("机关公钥指纹 Body key fingerprint", fingerprint(b64_canonical(pk, 32) or b""))]
        self.footer = "检查点 checkpoint %d" % cp.size


# ---- §6.4 -----------------------------------------------------------------------------------

LINE_BREAKS = {"\n", "\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"}


def md(t):
    """§6.4: code point by code point; \\ < > | escaped, CR LF and each other line break one space."""
    out = []
    previous_cr = False
    for c in t:
        if c in "\\<>|":
            out.append("\\" + c)
        elif c in LINE_BREAKS:
            if not (c == "\n" and previous_cr):
                out.append(" ")
        else:
            out.append(c)
        previous_cr = c == "\r"
    return "".join(out)


def md_table(rows):
    return "| 项目 Item | 内容 Value |\n|---|---|\n" + "".join("| %s | %s |\n" % (md(l), md(v)) for l, v in rows)


def merkle_text():
    from .verify import MERKLE_ROOT_PY
    return MERKLE_ROOT_PY.decode()


def report_md(m):
    out = ["# %s\n\n%s\n\n## 公告 Announcement\n\n" % (md(m.title), md(m.subtitle)), "\n\n".join(md(a) for a in m.announce), "\n\n"]
    for n in m.notes:
        out.append("> %s\n\n" % md(n))
    out.append("## %s\n\n" % md(m.chart_title))
    if m.bars:
        segs = m.bars[0].segments
        out.append("| 编号 | 项目 | %s | 结果 |\n" % " | ".join(md(s[0]) for s in segs))
        out.append("|---|---|%s---|\n" % ("---:|" * len(segs)))
    for b in m.bars:
        out.append("| %s | %s | %s | %s |\n" % (md(b.id), md(b.title), " | ".join(str(s[1]) for s in b.segments), md(b.outcome)))
    if m.threshold:
        out.append("\n%s\n" % md(m.threshold[1]))
    out.append("\n## 投票情况 Attendance and ballots\n\n")
    out.append(md_table(m.facts))
    out.append("\n## 冻结的票决办法 Frozen rules\n\n")
    out.append(md_table(m.rules))
    out.append("\n## 如何核验 How to verify\n\n")
    out.append(md_table(m.cp_facts))
    out.append("\n请将机关公钥指纹与会上宣读或张贴的指纹比对；核验时用 `piaojue audit verify . --trusted-key 公钥` 固定该公钥。Compare the "
               "fingerprint with the one read out or posted at the session; pin the key with `--trusted-key`.\n\n")
    out.append("```sh\n%s\n```\n\n`merkle_root.py`:\n\n```python\n%s```\n" % ("\n".join(VERIFY_COMMANDS), merkle_text()))
    return "".join(out)


# ---- §6.5 -----------------------------------------------------------------------------------

ESC = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}


def e(t):
    """§6.5: code point by code point."""
    return "".join(ESC.get(c, c) for c in t)


def num(x):
    return repr(float(x))


def html_table(rows):
    return "<table>\n" + "\n".join("<tr><th>%s</th><td>%s</td></tr>" % (e(l), e(v)) for l, v in rows) + "\n</table>\n"


STYLE = """:root { --ink:#1a1a1a; --muted:#5f6368; --line:#d0d4d9; --accent:#b71c1c; }
body { font-family: "Noto Sans CJK SC","Noto Serif CJK SC","PingFang SC","Microsoft YaHei",sans-serif; color:var(--ink); margin:0; background:#f6f6f4; }
main { max-width: 860px; margin: 24px auto; background:#fff; padding: 32px 40px; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
h1 { font-size: 26px; text-align:center; color: var(--accent); margin: 0 0 4px; letter-spacing: 2px; }
.sub { text-align:center; color: var(--muted); margin: 0 0 20px; font-size: 14px; }
h2 { font-size: 18px; border-bottom: 2px solid var(--accent); padding-bottom: 4px; margin-top: 28px; }
.en { color: var(--muted); font-size: 0.86em; }
p.announce { font-size: 16px; line-height: 1.9; text-indent: 2em; margin: 6px 0; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #f1f3f4; width: 38%; }
td.num { text-align:right; font-variant-numeric: tabular-nums; }
.chosen { font-weight: bold; }
.legend span { display:inline-block; margin-right: 14px; font-size: 13px; }
.legend i { display:inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -1px; }
code, pre { font-family: "DejaVu Sans Mono", monospace; font-size: 12.5px; }
pre { background: #f6f8fa; border: 1px solid var(--line); padding: 10px; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
.note { background:#fff8e1; border-left: 4px solid #f9a825; padding: 6px 10px; margin: 8px 0; }
footer { color: var(--muted); font-size: 12px; margin-top: 28px; text-align:center; }
@media print { body { background:#fff; } main { box-shadow:none; margin:0; padding: 0 8mm; } h2 { break-after: avoid; } svg, table { break-inside: avoid; } }
"""


def rnd(v):
    return int(math.floor(v + 0.5))


def label(t):
    cs = characters(t)
    return t if len(cs) <= 14 else "".join(cs[:13]) + "…"


def chart(m):
    L, W, O, R, top = 250.0, 470.0, 135.0, 30.0, 22.0
    N = len(m.bars)
    H = top + R * N + 10
    sc = float(m.scale)
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="100%%" viewBox="0 0 %d %d" role="img" aria-label="%s" font-size="13">\n'
           % (int(L + W + O), int(H), e(m.chart_title))]
    for t in range(5):
        x = L + W * t / 4
        out.append('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#e3e3e3"/><text x="%s" y="%s" text-anchor="middle" fill="#777" '
                   'font-size="11">%d</text>\n' % (num(x), num(top - 4), num(x), num(H - 8), num(x), num(top - 8), rnd(sc * t / 4)))
    for n, b in enumerate(m.bars):
        y = top + R * n
        out.append('<text x="4" y="%s" font-weight="%s">%s %s</text>\n' % (num(y + 19), "bold" if b.hi else "normal", e(b.id),
                                                                          e(label(b.title))))
        x = L
        for (lab, count, color) in b.segments:
            if count > 0:
                w = W * count / sc
                out.append('<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s %d</title></rect>' % (
                    num(x), num(y + 5), num(w), num(R - 10), color, e(lab), count))
                if w > 26:
                    out.append('<text x="%s" y="%s" text-anchor="middle" fill="#fff" font-size="11">%d</text>' % (
                        num(x + w / 2), num(y + 19), count))
                x = x + w
        out.append('<text x="%s" y="%s" fill="%s" font-weight="%s">%s</text>\n' % (
            num(L + W + 8), num(y + 19), "#1b5e20" if b.hi else "#555", "bold" if b.hi else "normal", e(b.outcome)))
    if m.threshold:
        x = L + W * m.threshold[0] / sc
        out.append('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#b71c1c" stroke-width="2" stroke-dasharray="5,3"/>\n' % (
            num(x), num(top - 2), num(x), num(H - 8)))
    out.append("</svg>\n")
    return "".join(out)


def report_html(m):
    o = ['<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">\n'
         '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
         '<title>%s</title>\n<style>\n%s</style></head><body><main>\n' % (e(m.title), STYLE),
         '<h1>%s</h1>\n<p class="sub">%s</p>\n' % (e(m.title), e(m.subtitle)),
         '<h2>公告 <span class="en">Announcement</span></h2>\n']
    for p in m.announce:
        o.append('<p class="announce">%s</p>\n' % e(p))
    for n in m.notes:
        o.append('<div class="note">%s</div>\n' % e(n))
    o.append("<h2>%s</h2>\n" % e(m.chart_title))
    if m.bars:
        leg = '<p class="legend">' + "".join('<span><i style="background:%s"></i>%s</span>' % (c, e(l)) for (l, _, c) in m.bars[0].segments)
        if m.threshold:
            leg += '<span><i style="background:#b71c1c;width:3px"></i>%s</span>' % e(m.threshold[1])
        o.append(leg + "</p>\n")
    o.append(chart(m))
    o.append('<h2>投票情况 <span class="en">Attendance and ballots</span></h2>\n')
    o.append(html_table(m.facts))
    o.append('<h2>冻结的票决办法 <span class="en">Frozen rules</span></h2>\n')
    o.append(html_table(m.rules))
    o.append('<h2>如何核验 <span class="en">How to verify</span></h2>\n')
    o.append('<p>本公告所依据的账本共 %d 条记录，由检查点签名锁定。任何人都可以离线核验，不必信任本系统。\n'
             '<span class="en">The record behind this announcement holds %d entries, sealed by a signed checkpoint. Anyone can verify it '
             'offline without trusting this software.</span></p>\n' % (m.size, m.size))
    o.append(html_table(m.cp_facts) + "\n")
    o.append('<p>请将机关公钥指纹与会上宣读或张贴的指纹比对；核验时用 <code>piaojue audit verify . --trusted-key 公钥</code> 固定该公钥。\n'
             '<span class="en">Compare the body key fingerprint with the one read out or posted at the session, and pin the key with '
             '<code>--trusted-key</code> when verifying.</span></p>\n')
    o.append('<p>在公开包目录中运行 <span class="en">Run in the bundle directory</span>:</p>\n')
    o.append("<pre>%s</pre>\n" % e("\n".join(VERIFY_COMMANDS)))
    o.append("<p><code>merkle_root.py</code>:</p>\n<pre>%s</pre>\n" % e(merkle_text()))
    o.append("<footer>%s · 票决 Piaojue · %s</footer>\n</main></body></html>\n" % (e(m.body), e(m.footer)))
    return "".join(o)
