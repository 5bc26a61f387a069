"""The replay of docs/audit-format.md §3–§5: checks 12–30, every field of every entry.

State is updated from each entry as it is recorded (also when the entry fails its check), so
that one forged entry is reported once and the entries after it are judged against the ledger
as it stands.
"""
import hashlib

from .common import (HEX64, WHITE_SPACE, b64_canonical, char_count, day_ordinal, day_plus, is_day,
                     is_int, is_money, is_ratio, is_str, jcs, key_name_of, trim, trim_nonempty)

KINDS_1 = ["ledger.init", "ledger.upgrade", "roster.import", "collect.submit", "collect.import",
           "collect.screen", "collect.approve", "collect.shortlist", "ballot.open", "session.checkin",
           "session.issue", "session.cast", "session.paper", "session.import", "session.close",
           "ballot.tally", "implement.plan", "implement.progress", "implement.problem",
           "implement.adjust", "evaluate.raters", "evaluate.open", "evaluate.tally",
           "evaluate.rectify"]
KINDS_2 = [k for k in KINDS_1 if k != "ledger.upgrade"] + ["session.handout"]
BALLOT_KINDS = ("session.cast", "session.paper")
VOTE_MARKS = ["approve", "oppose", "abstain"]
RATING_MARKS = ["satisfied", "basic", "dissatisfied", "abstain"]
ALL_MARKS = ["approve", "oppose", "abstain", "satisfied", "basic", "dissatisfied"]
CLASS_RANK = {"满意": 0, "基本满意": 1, "不满意": 2}


# What a payload must hold to be read at all (the program decodes each payload into its typed
# record): required members and their JSON types. A payload that does not decode is refused by
# its kind's check and changes nothing (not in docs/audit-format.md: see the report's gaps).
S, I, B, L, D = "str", "int", "bool", "list", "dict"
DECODE = {
    "roster.import": {"deputies": L, "seated": I, "rosterHash": S},
    "evaluate.raters": {"deputies": L, "seated": I, "rosterHash": S, "session": S},
    "collect.submit": {"id": S, "proposal": D},
    "collect.import": {"file": S, "sha256": S, "ids": L, "encoding": S},
    "collect.screen": {"id": S, "decision": S},
    "collect.approve": {"step": S, "ref": S, "list": S},
    "collect.shortlist": {"list": S, "seats": I, "candidates": L, "margin": S, "candidatesHash": S, "approvals": L,
                          "rules": S},
    "ballot.open": {"session": S, "list": S, "listHash": S, "candidates": L, "seats": I, "round": I,
                    "budgetCommitted": I, "header": D, "rulesName": S, "rules": D, "rulesHash": S, "scrutineers": L},
    "session.checkin": {"deputies": L, "present": I, "session": S},
    "session.issue": {"batch": I, "count": I, "credentials": L, "present": I, "seated": I, "session": S},
    "session.handout": {"count": I, "handedOut": I, "present": I, "session": S},
    "session.import": {"count": I, "file": S, "session": S, "sha256": S, "void": I},
    "session.close": {"session": S, "issued": I, "recorded": I, "returned": I},
    "ballot.tally": {"session": S, "list": S, "round": I, "seats": I, "form": S, "thresholdBase": S,
                     "thresholdStrict": B, "seated": I, "present": I, "issued": I, "returned": I, "recorded": I,
                     "valid": I, "invalid": I, "notReturned": I, "threshold": I, "candidates": L, "status": S,
                     "chosen": L, "runoff": L, "runoffSeats": I, "shortfall": I, "notChosen": L, "skipped": L},
    "evaluate.open": {"session": S, "projects": L, "header": D, "raters": S, "rerated": L, "rulesName": S,
                      "rules": D, "rulesHash": S},
    "evaluate.tally": {"session": S, "seated": I, "present": I, "issued": I, "returned": I, "recorded": I,
                       "valid": I, "invalid": I, "notReturned": I, "base": S, "strict": B, "baseCount": I,
                       "threshold": I, "projects": L, "rectify": L, "status": S},
}
CHECK_OF = {"roster.import": 14, "evaluate.raters": 14, "collect.submit": 15, "collect.import": 15,
            "collect.screen": 15, "collect.approve": 15, "collect.shortlist": 15, "ballot.open": 16,
            "session.checkin": 17, "session.issue": 18, "session.handout": 18, "session.import": 23,
            "session.close": 24, "ballot.tally": 25, "evaluate.open": 27, "evaluate.tally": 28}
TYPES = {S: str, I: int, B: bool, L: list, D: dict}


# optional members (and the format-2 ones): absent is checked by the kind's check, but present
# with another JSON type the payload does not decode
OPTIONAL = {"roster.import": {"file": S}, "evaluate.raters": {"file": S},
            "collect.submit": {"source": D, "possibleDuplicateOf": S},
            "ballot.open": {"parent": S}, "session.issue": {"handedOut": I},
            "session.close": {"electronic": I, "paper": I, "acknowledged": I, "discrepancies": L},
            "ballot.tally": {"reason": S, "note": S}, "evaluate.open": {"year": I},
            "evaluate.tally": {"reason": S, "note": S}}


def _rules_decode(kind, r):
    """The rules' enumerations and types, as the program decodes them."""
    if kind == "evaluate.open":
        return r.get("base") in ("seated", "present", "valid") and type(r.get("strict")) is bool and \
            r.get("rectifyClass") in CLASS_RANK and \
            ("rectifyBelowRate" not in r or type(r["rectifyBelowRate"]) is dict)
    return r.get("form") in ("approve-oppose-abstain", "approve-only", "e-voter") and \
        r.get("thresholdBase") in ("seated", "present", "valid", "none") and \
        r.get("shortfall") in ("leave-vacant", "revote-remaining") and \
        all(type(r.get(k)) is bool for k in ("thresholdStrict", "overmarkVoidsBallot", "excessReturnedVoidsRound")) and \
        type(r.get("maxRounds")) is int and type(r.get("quorum")) is dict and \
        ("budgetCap" not in r or type(r["budgetCap"]) is int)


def undecodable(kind, p, fmt):
    """The first required member missing or of another JSON type, or None."""
    for k, t in DECODE.get(kind, {}).items():
        if k not in p or type(p[k]) is not TYPES[t]:
            return k
    for k, t in OPTIONAL.get(kind, {}).items():
        if k in p and type(p[k]) is not TYPES[t]:
            return k
    if kind in ("roster.import", "evaluate.raters"):
        for d in p["deputies"]:
            if type(d) is not dict or any(type(d.get(k)) is not str for k in ("id", "name", "status")) or \
                    ("delegation" in d and type(d["delegation"]) is not str):
                return "deputies"
    if kind == "collect.submit" and "source" in p:
        src = p["source"]
        if type(src.get("file")) is not str or type(src.get("line")) is not int or type(src.get("sha256")) is not str:
            return "source"
    if kind == "ballot.tally":
        for c in p["candidates"]:
            if type(c) is not dict or type(c.get("id")) is not str or \
                    any(type(c.get(k)) is not int for k in ("approve", "oppose", "abstain")) or \
                    any(type(c.get(k)) is not bool for k in ("chosen", "eligible")) or \
                    ("notPressed" in c and type(c["notPressed"]) is not int):
                return "candidates"
    if kind in ("ballot.open", "evaluate.open"):
        if not _rules_decode(kind, p["rules"]):
            return "rules"
    if kind == "evaluate.open":
        for x in p["projects"]:
            if type(x) is not dict or type(x.get("id")) is not str or not is_day(x.get("chosenOn")) or \
                    type(x.get("title")) is not str or type(x.get("category")) is not str or \
                    type(x.get("chosenIn")) is not str or type(x.get("rerate")) is not bool:
                return "projects"
    if kind == "collect.submit":
        pr = p["proposal"]
        for k in ("title", "category", "content"):
            if type(pr.get(k)) is not str:
                return "proposal." + k
        if "proposer" in pr and (type(pr["proposer"]) is not dict or type(pr["proposer"].get("name")) is not str):
            return "proposal.proposer.name"
    return None


def sha_hex(v):
    return hashlib.sha256(jcs(v)).hexdigest()


def same(a, b):
    """Equality as canonical JSON (so that true ≠ 1)."""
    try:
        return jcs(a) == jcs(b)
    except Exception:
        return False


def diff_fields(actual, expected):
    keys = sorted(set(actual) | set(expected))
    return [k for k in keys if k not in actual or k not in expected or not same(actual[k], expected[k])]


class Session:
    def __init__(self, sid, shape, index, payload):
        self.id, self.shape, self.index, self.open = sid, shape, index, payload
        self.header = payload.get("header") if type(payload.get("header")) is dict else {}
        items = self.header.get("items")
        self.items = [x for x in items if is_str(x)] if type(items) is list else []
        self.present = []
        self.present_set = set()
        self.issues = []          # payloads of session.issue
        self.keys = 0             # keys issued
        self.handed = 0           # slips handed out
        self.ballots = []         # (index, kind, payload)
        self.electronic = 0
        self.close = None
        self.close_index = None
        self.tally = None
        self.tally_index = None
        self.tally_time = None
        self.has_runoff = False
        self.format_at_issue = None

    @property
    def rules(self):
        r = self.open.get("rules")
        return r if type(r) is dict else {}

    def quorum_reached(self):
        q = self.header.get("quorum")
        seated = self.header.get("seated")
        if not is_ratio(q) or not is_int(seated):
            return False
        return len(self.present) * q["denominator"] >= seated * q["numerator"]


class Replay:
    def __init__(self, fail, fmt0):
        self.fail = fail              # fail(check, index, kind, message)
        self.format = fmt0
        self.last_time = None
        self.rosters = {}             # index -> payload (roster.import and evaluate.raters)
        self.latest_roster = None     # index of the latest roster.import
        self.proposals = {}           # id -> {"p": proposal, "status": …, "n": order}
        self.order = []
        self.run = None               # open collect import run {"file","sha256","ids"}
        self.approvals = []
        self.lists = {}               # id -> payload
        self.list_rounds = {}         # list id -> [session ids]
        self.sessions = {}
        self.n_ballot_open = 0
        self.n_eval_open = 0
        self.credentials = {}         # key text -> [session, used]
        self.chosen = []              # dicts: id, candidate, session, list, tally, date
        self.chosen_by_id = {}
        self.rating = {}              # project -> {"session","class","flag","tally"} latest decided
        self.rating_open = {}         # project -> session id of an untallied rating session
        self.rectified = {}           # (project, session) -> index
        self.impl = {}                # project -> state
        self.problems = []            # {"id","project","open"}
        self.expect_next = None       # (kind, check, predicate(entry) -> message or None, desc)
        self.paper_run = None         # {"session", "count", "void", "start"}
        self.body = None

    # ---- helpers --------------------------------------------------------------------------
    def members(self, check, e, p, required, optional=()):
        keys = set(p)
        missing = [k for k in required if k not in keys]
        extra = [k for k in keys if k not in required and k not in optional]
        if missing or extra:
            self.fail(check, e, "members: missing %s, unexpected %s" % (missing, extra))
            return False
        return True

    def derived(self, check, e, p, expected):
        d = diff_fields(p, expected)
        if d:
            self.fail(check, e, "fields differing from the re-derived entry: " + ", ".join(d))
            return False
        return True

    # ---- the entry loop ---------------------------------------------------------------------
    def entry(self, e):
        i, kind, p = e["index"], e["kind"], e["payload"]
        # check 12: what must come next
        if self.expect_next is not None:
            want, pred, desc = self.expect_next
            self.expect_next = None
            if kind != want:
                self.fail(12, e, "expected %s next (%s)" % (want, desc))
            else:
                msg = pred(e)
                if msg:
                    self.fail(12, e, msg)
        if self.run is not None and kind not in ("collect.submit", "collect.import"):
            self.fail(12, e, "an import run of %s is not closed by its collect.import" % self.run["file"])
            self.run = None
        if self.paper_run is not None and kind not in ("session.paper", "session.import"):
            self.fail(12, e, "paper ballots are not followed by their session.import")
            self.paper_run = None
        # check 12: kind, time
        kinds = KINDS_1 if self.format == 1 else KINDS_2
        if kind not in kinds:
            self.fail(12, e, "unknown entry kind %s (format %d)" % (kind, self.format))
            return
        if self.last_time is not None and e["time"] < self.last_time:
            self.fail(12, e, "time %s before the previous %s (time goes backwards)" % (e["time"], self.last_time))
        self.last_time = e["time"]
        bad = undecodable(kind, p, self.format)
        if bad is not None:
            # refused, and it changes nothing; a close, handout or import summary that names its
            # session is skipped silently by the program (what follows from it still fails)
            if kind not in ("session.close", "session.handout", "session.import") or bad == "session":
                self.fail(CHECK_OF[kind], e, "the payload does not decode: %s missing or of another type" % bad)
            if kind == "ballot.tally" and bad == "session":
                self.fail(26, e, "the tally names no session")
            if kind == "ballot.open":
                self.carried = None
                self.n_ballot_open += 1  # it still takes its number
            if kind == "evaluate.open":
                self.n_eval_open += 1
            return
        h = getattr(self, "k_" + kind.replace(".", "_"))
        h(e, p)

    def finish(self, n):
        if self.expect_next is not None:
            self.fail(12, None, "the ledger ends before the %s that must come next" % self.expect_next[0])
        if self.run is not None:
            self.fail(12, None, "the ledger ends inside an import run")
        if self.paper_run is not None:
            self.fail(12, None, "the ledger ends before the paper ballots' session.import")

    # ---- §5.1 ---------------------------------------------------------------------------------
    def k_ledger_init(self, e, p):
        if e["index"] != 0:
            self.fail(13, e, "ledger.init at index %d" % e["index"])
            return
        ok = self.members(13, e, p, ["body", "level", "software", "schema", "keyName", "publicKey"], ["format"])
        body = p.get("body")
        if not (is_str(body) and trim(body) == body and 1 <= char_count(body) <= 100):
            self.fail(13, e, "body is not 1–100 trimmed Characters")
        elif p.get("keyName") != key_name_of(body):
            self.fail(13, e, "keyName is not derived from the body (%s)" % key_name_of(body))
        if p.get("level") not in ("township", "county", "city"):
            self.fail(13, e, "level")
        if p.get("software") != "piaojue":
            self.fail(13, e, "software")
        if not (is_int(p.get("schema")) and p["schema"] >= 1):
            self.fail(13, e, "schema")
        if "format" in p and not (is_int(p["format"]) and p["format"] == 2):
            self.fail(13, e, "format is not 2")
        self.body = body

    def k_ledger_upgrade(self, e, p):
        if self.format != 1 or not same(p, {"format": 2, "from": 1}):
            self.fail(12, e, "ledger.upgrade is not {format 2, from 1} in format 1")
        self.format = 2

    # ---- §5.2 ---------------------------------------------------------------------------------
    def roster_fields(self, check, e, p, extra_required=()):
        ok = self.members(check, e, p, ["deputies", "seated", "rosterHash"] + list(extra_required), ["file"])
        ds = p.get("deputies")
        if type(ds) is not list or not ds:
            self.fail(check, e, "deputies is not a non-empty array")
            return
        seen = set()
        for d in ds:
            if type(d) is not dict or not set(d) >= {"id", "name", "status"} or not set(d) <= {"id", "name", "status", "delegation"}:
                self.fail(check, e, "a deputy is not {id, name, delegation?, status}")
                continue
            did = d["id"]
            if not (trim_nonempty(did) and char_count(did) <= 64 and not any(c in ",;" or c in WHITE_SPACE for c in did)):
                self.fail(check, e, "bad deputy id %r" % (did,))
            elif did in seen:
                self.fail(check, e, "deputy id %s twice" % did)
            seen.add(did)
            if not trim_nonempty(d["name"]):
                self.fail(check, e, "deputy %s: empty name" % did)
            if "delegation" in d and not is_str(d["delegation"]):
                self.fail(check, e, "deputy %s: delegation is not a string" % did)
            if d["status"] not in ("seated", "suspended"):
                self.fail(check, e, "deputy %s: bad status" % did)
        if not same(p.get("seated"), len(ds)):
            self.fail(check, e, "seated should be %d / seated is not the count" % len(ds))
        try:
            if p.get("rosterHash") != sha_hex(ds):
                self.fail(check, e, "rosterHash is not SHA-256 of JCS(deputies)")
        except Exception:
            self.fail(check, e, "rosterHash")
        if "file" in p and not trim_nonempty(p["file"]):
            self.fail(check, e, "file")

    def k_roster_import(self, e, p):
        self.roster_fields(14, e, p)
        self.rosters[e["index"]] = p
        self.latest_roster = e["index"]

    # ---- §5.3 ---------------------------------------------------------------------------------
    def k_collect_submit(self, e, p):
        i = e["index"]
        self.members(15, e, p, ["id", "proposal"], ["possibleDuplicateOf", "source"])
        pid = "P%d" % (len(self.order) + 1)
        if p.get("id") != pid:
            self.fail(15, e, "id should be " + pid)
        pr = p.get("proposal")
        if type(pr) is not dict:
            self.fail(15, e, "proposal is not an object")
            pr = {}
        else:
            allowed = {"title", "category", "content", "location", "budget", "funding", "unit", "channel",
                       "deadline", "proposer"}
            if not {"title", "category", "content"} <= set(pr) or not set(pr) <= allowed:
                self.fail(15, e, "proposal members")
            for f in ("title", "category", "content"):
                if not trim_nonempty(pr.get(f)):
                    self.fail(15, e, "proposal.%s is empty" % f)
            for f in ("title", "content"):
                if is_str(pr.get(f)) and char_count(pr[f]) > 4000:
                    self.fail(15, e, "proposal.%s longer than 4000 Characters" % f)
            for f in ("location", "funding", "unit", "channel"):
                if f in pr and not is_str(pr[f]):
                    self.fail(15, e, "proposal.%s is not a string" % f)
            if "budget" in pr and not is_money(pr["budget"]):
                self.fail(15, e, "proposal.budget")
            if "deadline" in pr and not is_day(pr["deadline"]):
                self.fail(15, e, "proposal.deadline is not a Day")
            if "proposer" in pr:
                q = pr["proposer"]
                if type(q) is not dict or "name" not in q or not set(q) <= {"name", "unit", "contact", "channel"} \
                        or not all(is_str(v) for v in q.values()):
                    self.fail(15, e, "proposal.proposer")
        # possibleDuplicateOf
        dup = None
        if is_str(pr.get("title")):
            loc = pr.get("location", "")
            loc = loc if is_str(loc) else ""
            for q in self.order:
                o = self.proposals[q]
                if o["status"] in ("merged", "rejected"):
                    continue
                ot = o["p"].get("title")
                ol = o["p"].get("location", "")
                if is_str(ot) and trim(ot) == trim(pr["title"]) and trim(ol if is_str(ol) else "") == trim(loc):
                    dup = q
                    break
        if p.get("possibleDuplicateOf") != dup:
            self.fail(15, e, "possibleDuplicateOf should be %s" % dup)
        src = p.get("source")
        if src is not None:
            if type(src) is not dict or set(src) != {"file", "line", "sha256"} or not trim_nonempty(src.get("file")) \
                    or not (is_int(src.get("line")) and src["line"] >= 2) or not (is_str(src.get("sha256")) and HEX64.match(src["sha256"])):
                self.fail(15, e, "source is not {file, line ≥ 2, sha256}")
            elif self.run is not None and (self.run["file"] != src["file"] or self.run["sha256"] != src["sha256"]):
                self.fail(15, e, "a new file's rows before the previous import's summary")
                self.run = None
            else:
                if self.run is None:
                    self.run = {"file": src["file"], "sha256": src["sha256"], "ids": []}
                self.run["ids"].append(p.get("id"))
        elif self.run is not None:
            self.fail(15, e, "a window submission inside an import run")
            self.run = None
        key = p.get("id") if is_str(p.get("id")) else pid
        self.proposals[key] = {"p": pr, "status": "submitted"}
        self.order.append(key)

    def k_collect_import(self, e, p):
        self.members(15, e, p, ["file", "sha256", "ids", "encoding"])
        if self.run is None:
            self.fail(15, e, "a summary without an import run")
        else:
            if p.get("file") != self.run["file"] or p.get("sha256") != self.run["sha256"]:
                self.fail(15, e, "file or sha256 differ from the run's")
            if not same(p.get("ids"), self.run["ids"]):
                self.fail(15, e, "ids are not the run's")
        if p.get("encoding") not in ("utf-8", "gb18030", "xlsx"):
            self.fail(15, e, "encoding")
        self.run = None

    def k_collect_screen(self, e, p):
        pid, dec = p.get("id"), p.get("decision")
        opt = {"accept": ["note"], "reject": ["reason", "note"], "merge": ["into", "note"]}.get(dec, ["note", "reason", "into"])
        req = ["id", "decision"] + ([x for x in opt if x != "note"])
        self.members(15, e, p, req, ["note"])
        if "note" in p and not is_str(p["note"]):
            self.fail(15, e, "note")
        o = self.proposals.get(pid) if is_str(pid) else None
        if o is None:
            self.fail(15, e, "no proposal %s" % (pid,))
            return
        st = o["status"]
        if dec == "accept":
            if st != "submitted":
                self.fail(15, e, "%s is %s, cannot be accepted" % (pid, st))
            o["status"] = "accepted"
        elif dec == "reject":
            if st not in ("submitted", "accepted", "reserve", "not-chosen"):
                self.fail(15, e, "%s is %s, cannot be rejected" % (pid, st))
            if not trim_nonempty(p.get("reason"), True):
                self.fail(15, e, "reason")
            o["status"] = "rejected"
        elif dec == "merge":
            if st not in ("submitted", "accepted"):
                self.fail(15, e, "%s is %s, cannot be merged" % (pid, st))
            into = p.get("into")
            t = self.proposals.get(into) if is_str(into) else None
            if t is None or into == pid or t["status"] not in ("submitted", "accepted", "reserve", "not-chosen"):
                self.fail(15, e, "into %s" % (into,))
            o["status"] = "merged"
        else:
            self.fail(15, e, "decision %r" % (dec,))

    def k_collect_approve(self, e, p):
        self.members(15, e, p, ["step", "ref", "list"])
        if not trim_nonempty(p.get("step")):
            self.fail(15, e, "step")
        elif any(a.get("step") == p["step"] for a in self.approvals if type(a) is dict):
            self.fail(15, e, "step %s already approved" % p["step"])
        if not trim_nonempty(p.get("ref"), True):
            self.fail(15, e, "ref")
        if p.get("list") != "L%d" % (len(self.lists) + 1):
            self.fail(15, e, "list should be L%d" % (len(self.lists) + 1))
        self.approvals.append(p)

    def candidate_of(self, pid):
        o = self.proposals[pid]["p"]
        c = {"id": pid}
        for f in ("title", "category", "budget", "unit", "location"):
            if f in o:
                c[f] = o[f]
        return c

    def k_collect_shortlist(self, e, p):
        self.members(15, e, p, ["list", "seats", "candidates", "margin", "candidatesHash", "approvals", "rules"])
        lid = "L%d" % (len(self.lists) + 1)
        if p.get("list") != lid:
            self.fail(15, e, "list should be " + lid)
        seats = p.get("seats")
        if not (is_int(seats) and seats >= 1):
            self.fail(15, e, "seats")
            seats = None
        cs = p.get("candidates")
        ids = []
        refused = False
        if type(cs) is not list or not cs:
            self.fail(15, e, "candidates is not a non-empty array")
            cs = []
        for c in cs:
            cid = c.get("id") if type(c) is dict else None
            o = self.proposals.get(cid) if is_str(cid) else None
            if o is None:
                self.fail(15, e, "no proposal %s" % (cid,))
                refused = True
                continue
            if cid in ids:
                self.fail(15, e, "%s twice" % cid)
            ids.append(cid)
            if o["status"] not in ("accepted", "reserve", "not-chosen"):
                self.fail(15, e, "%s is %s, not accepted in screening" % (cid, o["status"]))
                refused = True
            if not same(c, self.candidate_of(cid)):
                self.fail(15, e, "candidate %s differs from the proposal" % cid)
        m = p.get("margin")
        if m not in ("contested", "equal-allowed"):
            self.fail(15, e, "margin")
        elif seats is not None and not (len(cs) > seats if m == "contested" else len(cs) >= seats):
            self.fail(15, e, "too few candidates for the margin")
        try:
            if p.get("candidatesHash") != sha_hex(p.get("candidates")):
                self.fail(15, e, "candidatesHash")
        except Exception:
            self.fail(15, e, "candidatesHash")
        if not self.approvals or not same(p.get("approvals"), self.approvals):
            self.fail(15, e, "approvals are not those since the previous list")
        if not trim_nonempty(p.get("rules")):
            self.fail(15, e, "rules")
        if refused:  # the program refuses such a list: it does not exist for later entries
            return
        for q in self.order:
            o = self.proposals[q]
            if q in ids:
                o["status"] = "shortlisted"
            elif o["status"] == "accepted":
                o["status"] = "reserve"
        self.approvals = []
        key = p.get("list") if is_str(p.get("list")) else lid
        self.lists[key] = p
        self.list_rounds.setdefault(key, [])

    # ---- §5.4 ---------------------------------------------------------------------------------
    def check_vote_rules(self, r):
        if type(r) is not dict:
            return "rules is not an object"
        req = {"form", "quorum", "thresholdBase", "thresholdStrict", "overmarkVoidsBallot",
               "excessReturnedVoidsRound", "tiePolicy", "maxRounds", "shortfall"}
        if not req <= set(r) or not set(r) <= req | {"budgetCap"}:
            return "rules members"
        if r["form"] not in ("approve-oppose-abstain", "approve-only", "e-voter"):
            return "rules.form"
        if not is_ratio(r["quorum"], positive=True, at_most_one=True):
            return "rules.quorum"
        if r["thresholdBase"] not in ("seated", "present", "valid", "none"):
            return "rules.thresholdBase"
        for b in ("thresholdStrict", "overmarkVoidsBallot", "excessReturnedVoidsRound"):
            if type(r[b]) is not bool:
                return "rules." + b
        if r["tiePolicy"] != "runoff":
            return "rules.tiePolicy"
        if not (is_int(r["maxRounds"]) and 1 <= r["maxRounds"] <= 10):
            return "rules.maxRounds"
        if r["shortfall"] not in ("leave-vacant", "revote-remaining"):
            return "rules.shortfall"
        if "budgetCap" in r and not (is_int(r["budgetCap"]) and 1 <= r["budgetCap"] <= 10 ** 15):
            return "rules.budgetCap"
        return None

    def k_ballot_open(self, e, p):
        i = e["index"]
        self.n_ballot_open += 1
        sid = "S%d" % self.n_ballot_open
        self.members(16, e, p, ["session", "list", "listHash", "candidates", "seats", "round", "budgetCommitted",
                                "header", "rulesName", "rules", "rulesHash", "scrutineers"], ["parent"])
        lid = p.get("list")
        s = Session(sid, "vote", i, p)
        self.sessions[p["session"] if is_str(p.get("session")) else sid] = s
        exp = None
        runoff_parent = None
        if self.latest_roster is None:
            self.fail(16, e, "no roster")
        elif not is_str(lid) or lid not in self.lists:
            self.fail(16, e, "no candidate list %s" % (lid,))
        else:
            L = self.lists[lid]
            rounds = self.list_rounds[lid]
            roster = self.rosters[self.latest_roster]
            latest = self.sessions[rounds[-1]] if rounds else None
            adopted = p.get("rules")
            msg = None
            if latest is None:
                kind = "first"
            elif latest.tally is None:
                msg = "the list's latest round %s is not tallied" % latest.id
            elif latest.tally.get("status") == "void":
                kind = "again"
            elif latest.tally.get("status") == "runoff-required":
                if latest.has_runoff:
                    msg = "%s already has a runoff" % latest.id
                elif not (is_int(latest.open.get("round")) and is_int(latest.rules.get("maxRounds"))
                          and latest.open["round"] < latest.rules["maxRounds"]):
                    msg = "%s is at the round limit" % latest.id
                elif p.get("parent") != latest.id:
                    msg = "the list's latest round %s needs a runoff" % latest.id
                else:
                    kind = "runoff"
            else:
                msg = "the list's latest round %s is decided" % latest.id
            if msg:
                self.fail(16, e, msg)
            else:
                exp = {"session": sid, "list": lid, "listHash": L.get("candidatesHash")}
                if kind == "runoff":
                    S = latest
                    runoff_parent = S
                    S.has_runoff = True
                    ro = S.tally.get("runoff") or []
                    exp["candidates"] = [c for c in S.open.get("candidates", []) if type(c) is dict and c.get("id") in ro]
                    exp["seats"] = S.tally.get("runoffSeats")
                    exp["round"] = S.open.get("round", 0) + 1
                    exp["parent"] = S.id
                    spent = S.open.get("budgetCommitted", 0)
                    for cid in S.tally.get("chosen", []):
                        for c in S.open.get("candidates", []):
                            if type(c) is dict and c.get("id") == cid:
                                spent += c.get("budget", 0)
                    exp["budgetCommitted"] = spent
                    exp["rules"] = S.open.get("rules")
                    exp["rulesName"] = S.open.get("rulesName")
                    h = dict(S.header)
                    h["session"] = sid
                    h["items"] = [c.get("id") for c in exp["candidates"]]
                    exp["header"] = h
                    exp["scrutineers"] = S.open.get("scrutineers")
                else:
                    if kind == "first":
                        exp["candidates"] = L.get("candidates")
                        exp["seats"] = L.get("seats")
                        exp["round"] = 1
                        exp["budgetCommitted"] = 0
                        rules_src = None
                    else:
                        V = latest
                        for f in ("candidates", "seats", "round", "parent", "budgetCommitted"):
                            if f in V.open:
                                exp[f] = V.open[f]
                        rules_src = V if "parent" in V.open else None
                    if rules_src is not None:
                        exp["rules"] = rules_src.open.get("rules")
                        exp["rulesName"] = rules_src.open.get("rulesName")
                    else:
                        msg = self.check_vote_rules(adopted)
                        if msg:
                            self.fail(16, e, msg)
                        exp["rules"] = adopted
                        if not trim_nonempty(p.get("rulesName")):
                            self.fail(16, e, "rulesName")
                        exp["rulesName"] = p.get("rulesName")
                    q = exp["rules"].get("quorum") if type(exp["rules"]) is dict else None
                    exp["header"] = {"session": sid, "shape": "vote",
                                     "items": [c.get("id") for c in exp["candidates"] if type(c) is dict]
                                     if type(exp["candidates"]) is list else None,
                                     "seated": roster.get("seated"), "rosterEntry": self.latest_roster,
                                     "rosterHash": roster.get("rosterHash"), "quorum": q}
                    sc = p.get("scrutineers")
                    if type(sc) is not list or not all(trim_nonempty(x) for x in sc):
                        self.fail(16, e, "scrutineers")
                    exp["scrutineers"] = sc
                try:
                    exp["rulesHash"] = sha_hex(exp["rules"])
                except Exception:
                    exp["rulesHash"] = None
                self.derived(16, e, p, exp)
        if is_str(lid) and lid in self.list_rounds:
            self.list_rounds[lid].append(sid)
        if runoff_parent is not None and runoff_parent.present:
            want = {"deputies": list(runoff_parent.present), "present": len(runoff_parent.present), "session": sid}
            self.expect_next = ("session.checkin",
                                lambda x: None if same(x["payload"], want) else "the carried attendance differs",
                                "the runoff's carried check-in")
            self.carried = sid
        else:
            self.carried = None

    # ---- §5.5 ---------------------------------------------------------------------------------
    def session_of(self, check, e, p, open_=True):
        sid = p.get("session")
        s = self.sessions.get(sid) if is_str(sid) else None
        if s is None:
            self.fail(check, e, "no session %s" % (sid,))
            return None
        if open_ and s.close is not None:
            self.fail(check, e, "session %s is closed" % sid)
        return s

    def k_session_checkin(self, e, p):
        carried = getattr(self, "carried", None) == p.get("session")
        self.carried = None
        self.members(17, e, p, ["deputies", "present", "session"])
        s = self.session_of(17, e, p)
        if s is None:
            return
        ds = p.get("deputies")
        if type(ds) is not list or not ds:
            self.fail(17, e, "deputies is not a non-empty array")
            return
        roster = self.rosters.get(s.header.get("rosterEntry"), {})
        people = {d.get("id"): d.get("status") for d in roster.get("deputies", []) if type(d) is dict}
        bad = []
        seen = set()
        for d in ds:
            if d not in people:
                bad.append("deputy %s is not on this session's roster" % (d,))
            elif people[d] != "seated":
                bad.append("deputy %s is suspended" % d)
            elif d in s.present_set or d in seen:
                bad.append("deputy %s already present" % d)
            seen.add(d) if is_str(d) else None
        if bad:
            self.fail(17, e, bad[0] + ("（另有 %d 处 / and %d more）" % (len(bad) - 1, len(bad) - 1) if len(bad) > 1 else ""))
        for d in ds:
            if is_str(d) and d not in s.present_set:
                s.present.append(d)
                s.present_set.add(d)
        if not same(p.get("present"), len(s.present)):
            self.fail(17, e, "present should be %d" % len(s.present))

    def k_session_issue(self, e, p):
        s = self.session_of(18, e, p)
        if s is None:
            return
        fmt2 = self.format == 2
        if fmt2:
            self.members(18, e, p, ["batch", "count", "credentials", "handedOut", "present", "seated", "session"])
        else:
            self.members(18, e, p, ["batch", "count", "credentials", "present", "seated", "session"])
        if not s.quorum_reached():
            self.fail(18, e, "quorum not reached")
        if s.handed >= len(s.present) and s.keys >= len(s.present):
            self.fail(18, e, "every present deputy already has a slip")
        continuing = any(x.get("_fmt") == 1 for x in s.issues)
        if fmt2 and s.issues and not continuing:
            self.fail(18, e, "a second session.issue in a format-2 session")
        exp_batch = len(s.issues) + 1
        if fmt2 and not continuing:
            exp_count = s.header.get("seated")
            exp_handed = len(s.present) - s.handed
        else:
            exp_count = len(s.present) - s.keys
            exp_handed = exp_count
        creds = p.get("credentials")
        if type(creds) is not list:
            creds = []
            self.fail(18, e, "credentials is not an array")
        keys_ok = all(b64_canonical(k, 32) is not None for k in creds)
        if not keys_ok:
            self.fail(18, e, "a credential is not base64 of 32 bytes")
        if len(set(creds)) != len(creds) or [k.encode() if is_str(k) else b"" for k in creds] != sorted(
                k.encode() if is_str(k) else b"" for k in creds):
            self.fail(18, e, "credentials are not distinct and sorted")
        if any(is_str(k) and k in self.credentials for k in creds):
            self.fail(18, e, "a credential issued before")
        exp = {"batch": exp_batch, "count": exp_count, "present": len(s.present),
               "seated": s.header.get("seated"), "session": s.id}
        if fmt2:
            exp["handedOut"] = exp_handed
        got = {k: p.get(k) for k in exp}
        d = diff_fields(got, exp)
        if d:
            self.fail(18, e, "should print %s, hand out %s; fields differ: %s" % (exp_count, exp_handed, ", ".join(d)))
        if not same(p.get("count"), len(creds)):
            self.fail(18, e, "count is not the number of credentials")
        for k in creds:
            if is_str(k):
                self.credentials[k] = [s.id, False]
        s.keys += len(creds)
        h = p.get("handedOut") if fmt2 else len(creds)
        s.handed += h if is_int(h) else 0
        rec = dict(p)
        rec["_fmt"] = self.format
        s.issues.append(rec)

    def k_session_handout(self, e, p):
        self.members(18, e, p, ["count", "handedOut", "present", "session"])
        s = self.session_of(18, e, p)
        if s is None:
            return
        if not s.issues:
            self.fail(18, e, "no issue before")
        if not s.quorum_reached():
            self.fail(18, e, "quorum not reached")
        c = len(s.present) - s.handed
        if c <= 0:
            self.fail(18, e, "every present deputy already has a credential")
        elif c > s.keys - s.handed:
            self.fail(18, e, "not enough sealed slips")
        exp = {"count": c, "handedOut": s.handed + c, "present": len(s.present), "session": s.id}
        if c > 0:
            self.derived(18, e, p, exp)
        h = p.get("handedOut")
        if is_int(h):
            s.handed = h

    def ballot_form(self, e, p, s):
        """Check 22: §4.2 and §5.5."""
        kind = e["kind"]
        fmt2 = self.format == 2
        if fmt2:
            if set(p) != {"choices", "session", "via"}:
                return "members are not exactly choices, session, via"
            if p["via"] != ("electronic" if kind == "session.cast" else "paper"):
                return "via is %r for %s" % (p["via"], kind)
        elif set(p) != {"choices", "session"}:
            return "members are not exactly choices, session"
        ch = p.get("choices")
        marks = VOTE_MARKS if s.shape == "vote" else RATING_MARKS
        if type(ch) is not dict:
            return "choices is not an object"
        for m, v in ch.items():
            if m not in marks:
                return "mark %s is not a mark of the %s shape" % (m, s.shape)
            if type(v) is not list or not all(is_str(x) for x in v):
                return "mark %s is not an array of strings" % m
        if fmt2 and set(ch) != set(marks):
            return "not every mark of the ballot is listed"
        items = s.items
        if kind == "session.cast":
            if set(ch) != set(marks):
                return "not every mark of the ballot is listed"
            all_ids = [x for m in marks for x in ch[m]]
            pos = {x: k for k, x in enumerate(items)}
            if any(x not in pos for x in all_ids) or len(set(all_ids)) != len(all_ids) or \
                    any([pos[x] for x in ch[m]] != sorted(pos[x] for x in ch[m]) for m in marks):
                return "electronic ballot not in ballot order with every mark"
            if s.shape == "vote":
                if s.rules.get("form") == "approve-only" and (ch["oppose"] or ch["abstain"]):
                    return "approve-only electronic ballot with oppose or abstain"
        else:
            if any(x not in items for m in ch for x in ch[m]):
                return "an id not on the ballot"
        return None

    def k_session_cast(self, e, p):
        self.ballot(e, p)

    def k_session_paper(self, e, p):
        self.ballot(e, p)

    def ballot(self, e, p):
        i, kind = e["index"], e["kind"]
        sid = p.get("session")
        s = self.sessions.get(sid) if is_str(sid) else None
        if s is None:
            self.fail(19, e, "no session %s" % (sid,))
            return
        signer = e["signer"]
        cr = self.credentials.get(signer)
        if cr is None or cr[0] != s.id:
            self.fail(19, e, "the signer was not issued in %s" % s.id)
        if cr is not None and cr[1]:
            self.fail(20, e, "the credential has already voted")
        if len(s.ballots) >= s.handed:
            self.fail(20, e, "ballots outnumber the slips handed out")
        if s.close is not None:
            self.fail(21, e, "ballot after the close of %s" % s.id)
        msg = self.ballot_form(e, p, s)
        if msg:
            self.fail(22, e, msg)
        if cr is not None:
            cr[1] = True
        s.ballots.append((i, kind, p, e.get("_leaf")))
        if kind == "session.cast":
            s.electronic += 1
        else:
            if self.paper_run is None or self.paper_run["session"] != s.id:
                self.paper_run = {"session": s.id, "count": 0, "void": 0}
            self.paper_run["count"] += 1
            if self.ballot_void(s, p):
                self.paper_run["void"] += 1

    def ballot_void(self, s, p, rule4=False):
        """§4.3 rules 1–3 (vote) or §4.6 (rating): whether a ballot is void."""
        ch = p.get("choices") if type(p.get("choices")) is dict else {}
        ids = [x for v in ch.values() if type(v) is list for x in v]
        if len(set(map(str, ids))) != len(ids):
            return True
        if s.shape == "vote":
            if any(ch[m] for m in ch if m in ("satisfied", "basic", "dissatisfied")):
                return True
            seats = s.open.get("seats")
            if s.rules.get("overmarkVoidsBallot") is True and is_int(seats) and len(ch.get("approve", [])) > seats:
                return True
        else:
            if any(ch[m] for m in ch if m in ("approve", "oppose")):
                return True
        if rule4 and any(x not in s.items for x in ids):
            return True
        return False

    def k_session_import(self, e, p):
        self.members(23, e, p, ["count", "file", "session", "sha256", "void"])
        run = self.paper_run
        if run is None:
            self.fail(23, e, "no paper ballots directly before")
            return
        if p.get("session") != run["session"]:  # not their summary: the run stays open (12 next)
            self.fail(23, e, "session should be %s" % run["session"])
            return
        self.paper_run = None
        exp = {"session": run["session"], "count": run["count"], "void": run["void"]}
        got = {k: p.get(k) for k in exp}
        self.derived(23, e, got, exp)
        if not trim_nonempty(p.get("file")):
            self.fail(23, e, "file")
        if not (is_str(p.get("sha256")) and HEX64.match(p["sha256"])):
            self.fail(23, e, "sha256")

    def k_session_close(self, e, p):
        fmt2 = self.format == 2
        base = ["session", "issued", "recorded", "returned"]
        self.members(24, e, p, base + (["electronic", "paper", "acknowledged", "discrepancies"] if fmt2 else []))
        s = self.session_of(24, e, p)
        if s is None:
            return
        if not s.issues:
            self.fail(24, e, "no issue")
        rec = len(s.ballots)
        exp = {"session": s.id, "issued": s.handed, "recorded": rec}
        ret = p.get("returned")
        if not (is_int(ret) and ret >= rec):
            self.fail(24, e, "returned is not an integer ≥ recorded")
        if fmt2:
            exp["electronic"] = s.electronic
            exp["paper"] = rec - s.electronic
            ack = p.get("acknowledged")
            if not (is_int(ack) and ack >= 0):
                self.fail(24, e, "acknowledged is not an integer ≥ 0")
                ack = 0
            ds = []
            if is_int(ret) and ret > rec:
                ds.append("returned-exceeds-recorded")
            if ack > s.electronic:
                ds.append("acknowledged-exceeds-electronic")
            exp["discrepancies"] = ds
        got = {k: p.get(k) for k in exp}
        self.derived(24, e, got, exp)
        if s.handed > len(s.present):
            self.fail(24, e, "%d slips handed out, more than %d present" % (s.handed, len(s.present)))
        s.close = p
        s.close_index = e["index"]
        s.close_format = self.format

    # ---- §4.3, §4.4, §5.6 ---------------------------------------------------------------------
    def count_vote(self, s):
        cands = [c.get("id") for c in s.open.get("candidates", []) if type(c) is dict]
        form = s.rules.get("form")
        valid = invalid = 0
        ap = {c: 0 for c in cands}
        op = dict(ap)
        ab = dict(ap)
        for (_, _, p, _) in s.ballots:
            if self.ballot_void(s, p, rule4=True):
                invalid += 1
                continue
            valid += 1
            ch = p["choices"]
            for x in ch.get("approve", []):
                ap[x] += 1
            for x in ch.get("oppose", []):
                op[x] += 1
            for x in ch.get("abstain", []):
                ab[x] += 1
        out = []
        for c in cands:
            un = valid - ap[c] - op[c] - ab[c]
            d = {"approve": ap[c], "oppose": op[c], "id": c}
            if form == "e-voter":
                d["abstain"] = ab[c]
                d["notPressed"] = un
            else:
                d["abstain"] = ab[c] + un
            out.append(d)
        return valid, invalid, out

    def decide(self, s, valid, invalid, counts):
        """§4.4 step by step; returns the whole expected ballot.tally payload (format 2)."""
        O, R, C = s.open, s.rules, s.close
        seats, rnd = O.get("seats"), O.get("round")
        cands = [c for c in O.get("candidates", []) if type(c) is dict]
        budget = {c["id"]: c.get("budget", 0) for c in cands}
        base_kind = R.get("thresholdBase")
        strict = R.get("thresholdStrict")
        base = {"seated": s.header.get("seated"), "present": len(s.present), "valid": valid}.get(base_kind)
        if base_kind == "none" or base is None:
            threshold = 0
        elif strict:
            threshold = base // 2 + 1
        else:
            threshold = (base + 1) // 2
        appr = {c["id"]: c["approve"] for c in counts}

        def eligible(cid):
            if base_kind == "none" or base is None:
                return True
            return appr[cid] * 2 > base if strict else appr[cid] * 2 >= base

        issued, returned = C.get("issued"), C.get("returned")
        T = {"session": s.id, "list": O.get("list"), "round": rnd, "seats": seats, "form": R.get("form"),
             "thresholdBase": base_kind, "thresholdStrict": strict, "seated": s.header.get("seated"),
             "present": len(s.present), "issued": issued, "returned": returned, "recorded": len(s.ballots),
             "valid": valid, "invalid": invalid,
             "notReturned": max(0, issued - returned) if is_int(issued) and is_int(returned) else None,
             "threshold": threshold}
        cand_out = []
        if R.get("excessReturnedVoidsRound") is True and is_int(returned) and is_int(issued) and returned > issued:
            for c in counts:
                d = dict(c)
                d["chosen"] = False
                d["eligible"] = False
                cand_out.append(d)
            T.update(candidates=cand_out, status="void", reason="excess-returned", chosen=[], runoff=[],
                     notChosen=[], skipped=[], runoffSeats=0, shortfall=0)
            return T
        order = [c["id"] for c in cands]
        ranked = sorted(order, key=lambda c: -appr[c])  # stable: ties keep ballot order
        ranked = [c for c in ranked if eligible(c)]
        chosen, runoff, skipped = [], [], []
        spent = O.get("budgetCommitted", 0)
        runoff_seats = 0
        reason = None
        unresolved = False
        cap = R.get("budgetCap")
        max_rounds = R.get("maxRounds")
        k = 0
        while k < len(ranked) and len(chosen) < seats:
            g = [ranked[k]]
            k += 1
            while k < len(ranked) and appr[ranked[k]] == appr[g[0]]:
                g.append(ranked[k])
                k += 1
            if cap is not None:
                keep = []
                for c in g:
                    if spent + budget[c] > cap:
                        skipped.append({"budget": budget[c], "committed": spent, "id": c, "reason": "over-budget"})
                    else:
                        keep.append(c)
                g = keep
            remaining = seats - len(chosen)
            if len(g) <= remaining:
                if cap is not None and len(g) > 1 and spent + sum(budget[c] for c in g) > cap:
                    if rnd < max_rounds:
                        runoff = g
                        runoff_seats = min(remaining, len(g) - 1)
                        reason = "budget-tie"
                    else:
                        unresolved = True
                    break
                chosen += g
                spent += sum(budget[c] for c in g)
            else:
                if rnd < max_rounds:
                    runoff = g
                    runoff_seats = remaining
                    reason = "tie-at-cutoff"
                else:
                    unresolved = True
                break
        shortfall = max(0, seats - len(chosen) - runoff_seats)
        skipped_ids = {x["id"] for x in skipped}
        if runoff:
            status = "runoff-required"
        elif shortfall > 0:
            others = [c for c in order if c not in chosen and c not in skipped_ids]
            if unresolved:
                status, reason = "decided", "tie-round-limit"
            elif R.get("shortfall") == "revote-remaining" and rnd < max_rounds and others:
                status, reason = "runoff-required", "shortfall-revote"
                runoff, runoff_seats = others, shortfall
            else:
                status, reason = "decided", "shortfall-vacant"
        else:
            status = "decided"
        # runoff members in ballot order
        runoff = [c for c in order if c in runoff]
        not_chosen = [c for c in order if c not in chosen and c not in runoff]
        for c in counts:
            d = dict(c)
            d["chosen"] = c["id"] in chosen
            d["eligible"] = eligible(c["id"])
            cand_out.append(d)
        T.update(candidates=cand_out, status=status, chosen=chosen, runoff=runoff, runoffSeats=runoff_seats,
                 shortfall=shortfall, notChosen=not_chosen, skipped=skipped)
        if reason:
            T["reason"] = reason
        return T

    def tally_common(self, check, e, p, shape):
        sid = p.get("session")
        s = self.sessions.get(sid) if is_str(sid) else None
        if s is None or s.shape != shape:
            self.fail(check, e, "no %s session %s" % (shape, sid))
            if shape == "vote":
                self.fail(26, e, "no ballot session %s" % (sid,))
            return None
        if s.close is None:
            self.fail(check, e, "%s is not closed" % sid)
            return None
        if s.tally is not None:
            self.fail(check, e, "%s is already tallied" % sid)
            return None
        return s

    def k_ballot_tally(self, e, p):
        s = self.tally_common(25, e, p, "vote")
        if s is None:
            return
        try:
            valid, invalid, counts = self.count_vote(s)
            T = self.decide(s, valid, invalid, counts)
        except Exception as x:  # a malformed opening: nothing to derive from
            self.fail(25, e, "cannot re-derive: %s" % x)
            self.fail(26, e, "cannot re-derive")
            s.tally = p
            return
        fmt2 = self.format == 2
        cnt_keys = ["valid", "invalid", "recorded", "issued", "returned", "present", "seated"]
        got_c = {k: p.get(k) for k in cnt_keys}
        exp_c = {k: T[k] for k in cnt_keys}
        pc = p.get("candidates") if type(p.get("candidates")) is list else []
        ck = ["id", "approve", "oppose", "abstain", "notPressed"]
        got_c["candidates"] = [{k: c.get(k) for k in ck if k in c} if type(c) is dict else c for c in pc]
        exp_c["candidates"] = [{k: c[k] for k in ck if k in c} for c in T["candidates"]]
        if diff_fields(got_c, exp_c):
            self.fail(25, e, "re-tally of %s differs from the record" % s.id)
        if fmt2:
            d = diff_fields(p, T)
        else:
            def strip(x):
                x = {k: v for k, v in x.items() if k not in ("note", "reason")}
                if type(x.get("skipped")) is list:
                    x["skipped"] = [{"id": y.get("id")} if type(y) is dict else y for y in x["skipped"]]
                return x
            a, b = strip(p), strip(T)
            d = [k for k in b if k not in a or not same(a[k], b[k])]
        if d:
            self.fail(26, e, "the decision does not follow the frozen rules (%s)" % ", ".join(d))
        s.tally, s.tally_index, s.tally_time = p, e["index"], e["time"]
        if p.get("status") != "void":
            for cid in p.get("chosen", []) if type(p.get("chosen")) is list else []:
                o = self.proposals.get(cid)
                if o is not None:
                    o["status"] = "chosen"
                cand = next((c for c in s.open.get("candidates", []) if type(c) is dict and c.get("id") == cid), None)
                rec = {"id": cid, "candidate": cand or {}, "session": s.id, "list": s.open.get("list"),
                       "tally": e["index"], "date": e["time"][:10]}
                self.chosen.append(rec)
                self.chosen_by_id[cid] = rec
            for cid in p.get("notChosen", []) if type(p.get("notChosen")) is list else []:
                o = self.proposals.get(cid)
                if o is not None:
                    o["status"] = "not-chosen"

    # ---- §5.8 ---------------------------------------------------------------------------------
    def k_evaluate_raters(self, e, p):
        self.roster_fields(14, e, p, ["session"])
        sid = "R%d" % (self.n_eval_open + 1)
        if p.get("session") != sid:
            self.fail(14, e, "session should be " + sid)
        self.rosters[e["index"]] = dict(p, _raters=True)
        idx = e["index"]
        self.expect_next = ("evaluate.open",
                            lambda x: None if (x["payload"].get("session") == p.get("session") and type(x["payload"].get("header")) is dict
                                               and same(x["payload"]["header"].get("rosterEntry"), idx)) else
                            "the rating session after the raters' list does not use it",
                            "the raters' list's rating session")

    def k_evaluate_open(self, e, p):
        i = e["index"]
        self.n_eval_open += 1
        sid = "R%d" % self.n_eval_open
        self.members(27, e, p, ["session", "projects", "header", "raters", "rerated", "rulesName", "rules", "rulesHash"], ["year"])
        s = Session(sid, "rating", i, p)
        self.sessions[p["session"] if is_str(p.get("session")) else sid] = s
        exp = {"session": sid}
        projs = p.get("projects") if type(p.get("projects")) is list else []
        if "year" in p:
            y = p["year"]
            sel = [c for c in self.chosen if is_int(y) and c["date"][:4] == "%04d" % y]
            if not sel:
                self.fail(27, e, "no project was chosen in %s" % (y,))
            ids = [c["id"] for c in sel]
        else:
            ids = [x.get("id") if type(x) is dict else None for x in projs]
            if not ids or len(set(map(str, ids))) != len(ids):
                self.fail(27, e, "project ids empty or repeated")
        exp_projects = []
        rerated = []
        for pid in ids:
            c = self.chosen_by_id.get(pid) if is_str(pid) else None
            if c is None:
                self.fail(27, e, "project %s was never chosen" % (pid,))
                continue
            if pid in self.rating_open:
                self.fail(27, e, "project %s is in the untallied rating session %s" % (pid, self.rating_open[pid]))
            d = {"id": pid}
            for f in ("title", "category", "unit", "location", "budget"):
                if f in c["candidate"]:
                    d[f] = c["candidate"][f]
            d["chosenIn"], d["chosenOn"] = c["session"], c["date"]
            prev = self.rating.get(pid)
            if prev is not None:
                rx = self.rectified.get((pid, prev["session"]))
                if not prev["flag"] or rx is None:
                    self.fail(27, e, "project %s was rated in %s and is not flagged and rectified" % (pid, prev["session"]))
                d["rerate"] = True
                d["previousRating"] = prev["session"]
                if rx is not None:
                    d["rectification"] = rx
                rerated.append(pid)
            else:
                d["rerate"] = False
            exp_projects.append(d)
        exp["projects"] = exp_projects
        exp["rerated"] = rerated
        h = p.get("header") if type(p.get("header")) is dict else {}
        re_ = h.get("rosterEntry")
        ros = self.rosters.get(re_) if is_int(re_) else None
        if ros is not None and ros.get("_raters"):
            raters = "committee"
            if re_ != i - 1:  # §5.8: only the raters' list directly before
                self.fail(27, e, "header.rosterEntry names an evaluate.raters entry not directly before")
        else:
            raters = "roster"
            if re_ != self.latest_roster:
                self.fail(27, e, "header.rosterEntry is not the latest roster")
            ros = self.rosters.get(self.latest_roster, {})
        exp["raters"] = raters
        q = h.get("quorum")
        if not is_ratio(q, positive=True, at_most_one=True):
            self.fail(27, e, "header.quorum")
        exp["header"] = {"session": sid, "shape": "rating", "items": ids, "rosterEntry": re_ if ros else None,
                         "seated": (ros or {}).get("seated"), "rosterHash": (ros or {}).get("rosterHash"), "quorum": q}
        if "year" in p:
            exp["year"] = p["year"]
        r = p.get("rules")
        if type(r) is not dict or not {"base", "rectifyClass", "strict"} <= set(r) or \
                not set(r) <= {"base", "rectifyClass", "strict", "rectifyBelowRate"} or \
                r["base"] not in ("seated", "present", "valid") or type(r["strict"]) is not bool or \
                r["rectifyClass"] not in CLASS_RANK or \
                ("rectifyBelowRate" in r and not is_ratio(r["rectifyBelowRate"], positive=True, at_most_one=True)):
            self.fail(27, e, "rules")
        exp["rules"] = r
        try:
            exp["rulesHash"] = sha_hex(r)
        except Exception:
            exp["rulesHash"] = None
        if not trim_nonempty(p.get("rulesName")):
            self.fail(27, e, "rulesName")
        exp["rulesName"] = p.get("rulesName")
        self.derived(27, e, p, exp)
        for pid in s.items:
            self.rating_open[pid] = sid

    def k_evaluate_tally(self, e, p):
        s = self.tally_common(28, e, p, "rating")
        if s is None:
            return
        T = self.rate(s)
        if self.format == 2:
            d = diff_fields(p, T)
        else:
            a = {k: v for k, v in p.items() if k not in ("note", "reason")}
            b = {k: v for k, v in T.items() if k not in ("note", "reason")}
            d = [k for k in b if k not in a or not same(a[k], b[k])]
        if d:
            self.fail(28, e, "the re-derived rating of %s differs (%s)" % (s.id, ", ".join(d)))
        s.tally, s.tally_index, s.tally_time = p, e["index"], e["time"]
        for pid in s.items:
            if self.rating_open.get(pid) == s.id:
                del self.rating_open[pid]
        if p.get("status") == "decided" and type(p.get("projects")) is list:
            for x in p["projects"]:
                if type(x) is dict and is_str(x.get("id")):
                    self.rating[x["id"]] = {"session": s.id, "class": x.get("class"), "flag": x.get("rectify") is True,
                                            "tally": e["index"]}

    def rate(self, s):
        """§4.6 the 镇海 rule."""
        R, C = s.rules, s.close
        items = s.items
        valid = invalid = 0
        cnt = {x: {"satisfied": 0, "basic": 0, "dissatisfied": 0} for x in items}
        for (_, _, p, _) in s.ballots:
            if self.ballot_void(s, p, rule4=True):
                invalid += 1
                continue
            valid += 1
            for m in ("satisfied", "basic", "dissatisfied"):
                for x in p["choices"].get(m, []):
                    cnt[x][m] += 1
        base = R.get("base")
        bc = {"seated": s.header.get("seated"), "present": len(s.present), "valid": valid}.get(base, 0)
        strict = R.get("strict")
        thr = bc // 2 + 1 if strict else max(1, (bc + 1) // 2)
        issued, returned = C.get("issued"), C.get("returned")
        T = {"session": s.id, "seated": s.header.get("seated"), "present": len(s.present), "issued": issued,
             "returned": returned, "recorded": len(s.ballots), "valid": valid, "invalid": invalid,
             "notReturned": max(0, issued - returned) if is_int(issued) and is_int(returned) else None,
             "base": base, "strict": strict, "baseCount": bc, "threshold": thr}
        void = is_int(issued) and is_int(returned) and returned > issued
        projects, flagged = [], []
        for x in items:
            c = cnt[x]
            d = {"id": x, "satisfied": c["satisfied"], "basic": c["basic"], "dissatisfied": c["dissatisfied"],
                 "abstain": valid - c["satisfied"] - c["basic"] - c["dissatisfied"], "rectify": False}
            if not void:
                if c["satisfied"] >= thr:
                    cl = "满意"
                elif c["satisfied"] + c["basic"] >= thr:
                    cl = "基本满意"
                else:
                    cl = "不满意"
                d["class"] = cl
                flag = CLASS_RANK[cl] >= CLASS_RANK.get(R.get("rectifyClass"), 9)
                if valid > 0:
                    d["rate"] = {"denominator": valid, "numerator": c["satisfied"] + c["basic"]}
                    d["satisfiedRate"] = {"denominator": valid, "numerator": c["satisfied"]}
                    rb = R.get("rectifyBelowRate")
                    if is_ratio(rb) and d["rate"]["numerator"] * rb["denominator"] < rb["numerator"] * valid:
                        flag = True
                d["rectify"] = flag
                if flag:
                    flagged.append(x)
            projects.append(d)
        T["projects"] = projects
        T["rectify"] = flagged
        if void:
            T["status"], T["reason"] = "void", "excess-returned"
        else:
            T["status"] = "decided"
        return T

    def k_evaluate_rectify(self, e, p):
        self.members(29, e, p, ["project", "session", "tallyEntry", "class", "title", "what", "unit", "due"])
        pid = p.get("project")
        r = self.rating.get(pid) if is_str(pid) else None
        if r is None:
            self.fail(29, e, "project %s has not been rated" % (pid,))
            return
        if not r["flag"]:
            self.fail(29, e, "project %s was rated %s in %s and is not flagged for rectification" % (pid, r["class"], r["session"]))
        if (pid, r["session"]) in self.rectified:
            self.fail(29, e, "a rectification is already recorded")
        s = self.sessions[r["session"]]
        title = next((x.get("title") for x in s.open.get("projects", []) if type(x) is dict and x.get("id") == pid), None)
        self.derived(29, e, {k: p.get(k) for k in ("session", "tallyEntry", "class", "title")},
                     {"session": r["session"], "tallyEntry": r["tally"], "class": r["class"], "title": title})
        for f in ("what", "unit"):
            if not trim_nonempty(p.get(f), True):
                self.fail(29, e, f)
        if not is_day(p.get("due")):
            self.fail(29, e, "due")
        self.rectified[(pid, r["session"])] = e["index"]

    # ---- §5.7 ---------------------------------------------------------------------------------
    def milestones_ok(self, ms, voted, deadline, strict_text=True, sorted_ids=True):
        if type(ms) is not list:
            return "milestones is not an array"
        for k, m in enumerate(ms):
            if type(m) is not dict or set(m) != {"date", "id", "text"} or not is_day(m["date"]):
                return "a milestone is not {date, id, text}"
            if m["id"] != "M%d" % (k + 1):
                return "milestone ids are not M1, M2 …"
            if not (voted <= m["date"] <= deadline):
                return "milestone %s outside [votedOn, deadline]" % m["id"]
            if strict_text and not (trim_nonempty(m["text"]) and char_count(m["text"]) <= 500):
                return "milestone text"
            if not strict_text and not is_str(m["text"]):
                return "milestone text"
        if sorted_ids and [m["date"] for m in ms] != sorted(m["date"] for m in ms):
            return "milestones are not sorted by date"
        vy, dy = int(voted[:4]), int(deadline[:4])
        years = {int(m["date"][:4]) for m in ms}
        for y in range(vy, dy):
            if y not in years:
                return "no milestone in %d" % y
        return None

    def project_ok(self, e, pid, today):
        c = self.chosen_by_id.get(pid) if is_str(pid) else None
        if c is None:
            self.fail(30, e, "no project %s among the chosen" % (pid,))
            return None
        if today < c["date"]:
            self.fail(30, e, "today is before votedOn")
        return c

    def k_implement_plan(self, e, p):
        today = e["time"][:10]
        fmt2 = self.format == 2
        req = ["project", "title", "voteSession", "tallyEntry", "votedOn", "unit", "leader", "budget", "deadline",
               "milestones", "publishedOn", "dueBy", "late"] + (["planDeadlineDays"] if fmt2 else [])
        self.members(30, e, p, req, [] if fmt2 else ["planDeadlineDays"])
        pid = p.get("project")
        c = self.project_ok(e, pid, today)
        if c is None:
            return
        st = self.impl.setdefault(pid, {"plan": None, "percent": 0, "spent": 0, "reached": set(), "final": False,
                                        "suspended": False, "terminated": False})
        if st["terminated"]:
            self.fail(30, e, "project terminated")
        if st["plan"] is not None:
            self.fail(30, e, "a plan already exists")
        voted = c["date"]
        exp = {"title": c["candidate"].get("title"), "voteSession": c["session"], "tallyEntry": c["tally"],
               "votedOn": voted, "publishedOn": today}
        days = p.get("planDeadlineDays")
        if "planDeadlineDays" not in p and not fmt2 and is_day(p.get("dueBy")):
            days = day_ordinal(p["dueBy"]) - day_ordinal(voted)
        if not (is_int(days) and 1 <= days <= 366):
            self.fail(30, e, "planDeadlineDays")
        else:
            exp["dueBy"] = day_plus(voted, days)
            exp["late"] = today > exp["dueBy"]
        self.derived(30, e, {k: p.get(k) for k in exp}, exp)
        for f in ("unit", "leader"):
            if not trim_nonempty(p.get(f), True):
                self.fail(30, e, f)
        if not is_money(p.get("budget")):
            self.fail(30, e, "budget")
        dl = p.get("deadline")
        if not is_day(dl) or dl < voted:
            self.fail(30, e, "deadline")
        else:
            m = self.milestones_ok(p.get("milestones"), voted, dl)
            if m:
                self.fail(30, e, m)
        st["plan"] = dict(p)
        st["voted"] = voted

    def k_implement_progress(self, e, p):
        today = e["time"][:10]
        self.members(30, e, p, ["project", "reportedOn", "percent", "previousPercent", "reached", "final", "evidence"],
                     ["spent", "note"])
        pid = p.get("project")
        c = self.project_ok(e, pid, today)
        if c is None:
            return
        st = self.impl.get(pid)
        if st is None or st["plan"] is None:
            self.fail(30, e, "no plan for %s" % pid)
            return
        if st["terminated"] or st["suspended"] or st["final"]:
            self.fail(30, e, "project terminated, suspended or closed")
        if p.get("reportedOn") != today:
            self.fail(30, e, "reportedOn")
        pc = p.get("percent")
        if not (is_int(pc) and 0 <= pc <= 100):
            self.fail(30, e, "percent")
            pc = st["percent"]
        if not same(p.get("previousPercent"), st["percent"]):
            self.fail(30, e, "previousPercent should be %d" % st["percent"])
        sp = p.get("spent")
        if "spent" in p and not is_money(sp):
            self.fail(30, e, "spent")
        need_note = pc < st["percent"] or (is_int(sp) and sp < st["spent"])
        if "note" in p:
            if not trim_nonempty(p["note"], True):
                self.fail(30, e, "note")
        elif need_note:
            self.fail(30, e, "a note is required when percent or spent goes down")
        ms = {m.get("id") for m in st["plan"].get("milestones", []) if type(m) is dict}
        reached = p.get("reached")
        if type(reached) is not list or len(set(map(str, reached))) != len(reached) or \
                any(x not in ms or x in st["reached"] for x in reached):
            self.fail(30, e, "reached")
        else:
            st["reached"] |= set(reached)
        if pc == 100:
            st["reached"] |= ms
        if type(p.get("final")) is not bool:
            self.fail(30, e, "final")
        ev = p.get("evidence")
        if type(ev) is not list or not all(type(x) is dict and set(x) == {"bytes", "name", "sha256"} and trim_nonempty(x["name"])
                                           and is_str(x["sha256"]) and HEX64.match(x["sha256"]) and is_int(x["bytes"]) and x["bytes"] >= 0
                                           for x in ev):
            self.fail(30, e, "evidence")
        st["percent"] = pc
        if is_int(sp):
            st["spent"] = sp
        if p.get("final") is True:
            st["final"] = True

    def k_implement_problem(self, e, p):
        today = e["time"][:10]
        act = p.get("action")
        if act == "open":
            self.members(30, e, p, ["id", "action", "project", "text", "recordedOn"], ["unit"])
            qid = "Q%d" % (len(self.problems) + 1)
            if p.get("id") != qid:
                self.fail(30, e, "id should be " + qid)
            self.project_ok(e, p.get("project"), today)
            t = p.get("text")
            if not (trim_nonempty(t, True) and char_count(t) <= 4000):
                self.fail(30, e, "text")
            if "unit" in p and not trim_nonempty(p["unit"], True):
                self.fail(30, e, "unit")
            self.problems.append({"id": p.get("id"), "project": p.get("project"), "open": True})
        elif act in ("assign", "close"):
            if act == "assign":
                self.members(30, e, p, ["id", "action", "project", "unit", "recordedOn"])
                if not trim_nonempty(p.get("unit"), True):
                    self.fail(30, e, "unit")
            else:
                self.members(30, e, p, ["id", "action", "project", "note", "recordedOn"])
                if not trim_nonempty(p.get("note"), True):
                    self.fail(30, e, "note")
            q = next((x for x in self.problems if x["id"] == p.get("id")), None)
            if q is None or not q["open"]:
                self.fail(30, e, "no open item %s" % (p.get("id"),))
            else:
                if p.get("project") != q["project"]:
                    self.fail(30, e, "project is not the item's")
                if act == "close":
                    q["open"] = False
        else:
            self.fail(30, e, "action")
        if p.get("recordedOn") != today:
            self.fail(30, e, "recordedOn")

    def k_implement_adjust(self, e, p):
        today = e["time"][:10]
        self.members(30, e, p, ["project", "adjustment", "reason", "decision", "decidedBy", "decidedOn"], ["changes"])
        pid = p.get("project")
        c = self.project_ok(e, pid, today)
        if c is None:
            return
        st = self.impl.setdefault(pid, {"plan": None, "percent": 0, "spent": 0, "reached": set(), "final": False,
                                        "suspended": False, "terminated": False})
        if st["terminated"] or st["final"] or st["percent"] == 100:
            self.fail(30, e, "project terminated or completed")
        a = p.get("adjustment")
        if a == "suspend" and st["suspended"]:
            self.fail(30, e, "already suspended")
        elif a == "resume" and not st["suspended"]:
            self.fail(30, e, "not suspended")
        elif a == "major-change" and st["plan"] is None:
            self.fail(30, e, "major-change without a plan")
        elif a not in ("suspend", "resume", "terminate", "major-change"):
            self.fail(30, e, "adjustment")
        for f in ("reason", "decision", "decidedBy"):
            if not trim_nonempty(p.get(f), True):
                self.fail(30, e, "%s: the deciding body's decision is missing or empty" % f)
        if p.get("decidedOn") != today:
            self.fail(30, e, "decidedOn")
        if "changes" in p:
            ch = p["changes"]
            if a != "major-change" or type(ch) is not dict or not ch or not set(ch) <= {"budget", "deadline", "leader", "milestones", "unit"}:
                self.fail(30, e, "changes")
            elif st["plan"] is not None:
                for f in ("unit", "leader"):
                    if f in ch and not trim_nonempty(ch[f]):
                        self.fail(30, e, "changes." + f)
                if "budget" in ch and not is_money(ch["budget"]):
                    self.fail(30, e, "changes.budget")
                dl = ch.get("deadline", st["plan"].get("deadline"))
                voted = c["date"]
                if not is_day(dl) or dl < voted:
                    self.fail(30, e, "changes.deadline")
                else:
                    m = self.milestones_ok(ch.get("milestones", st["plan"].get("milestones")), voted, dl)
                    if m:
                        self.fail(30, e, "changes: " + m)
                st["plan"].update(ch)
        if a == "suspend":
            st["suspended"] = True
        elif a == "resume":
            st["suspended"] = False
        elif a == "terminate":
            st["terminated"] = True
