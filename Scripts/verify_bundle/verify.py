"""Bundle mode of `audit verify` (docs/audit-format.md §8.1): checks 1–35."""
import os

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives import serialization

from . import render
from .common import (NotCanonical, b64, b64_canonical, fingerprint, is_int, is_str, is_time, jcs, leaf_hash,
                     mth, parse_canonical, HEX64)
from .note import BadNote, key_id, parse_checkpoint, parse_proof, verify_ed25519
from .replay import BALLOT_KINDS, Replay

FILES = ["ledger.jsonl", "checkpoint", "body.pub.pem", "tally.json", "ballots.csv", "report.md", "report.html",
         "merkle_root.py"]

NAMES = {
    1: "bundle files present", 2: "trusted body key", 3: "checkpoint signature",
    4: "checkpoint size and Merkle root", 5: "merkle_root.py identical", 6: "entries well-formed and canonical",
    7: "index sequence", 8: "hash chain", 9: "first entry and body key", 10: "body signatures",
    11: "credential signatures", 12: "kinds, times, format", 13: "ledger.init", 14: "rosters", 15: "collection",
    16: "session openings", 17: "check-ins", 18: "issues", 19: "eligibility", 20: "single use", 21: "window",
    22: "ballot form", 23: "paper imports", 24: "closing", 25: "re-tally", 26: "decision", 27: "rating sessions",
    28: "rating classes", 29: "rectifications", 30: "implementation", 31: "tally.json", 32: "ballots.csv",
    33: "report.md", 34: "report.html", 35: "pinned checkpoints",
}

MERKLE_ROOT_PY = (
    'import base64, hashlib, sys\n'
    'leaves = [hashlib.sha256(b"\\x00" + line.rstrip(b"\\n")).digest() for line in open(sys.argv[1], "rb")]\n'
    'def root(h):\n'
    '    if not h: return hashlib.sha256(b"").digest()\n'
    '    if len(h) == 1: return h[0]\n'
    '    k = 1\n'
    '    while k * 2 < len(h): k *= 2\n'
    '    return hashlib.sha256(b"\\x01" + root(h[:k]) + root(h[k:])).digest()\n'
    'print(base64.b64encode(root(leaves)).decode())\n').encode()


class Usage(Exception):
    """Bad usage before any check runs: exit 2."""


def read_pem_key(data):
    """§6 body.pub.pem: any PEM SubjectPublicKeyInfo an RFC 7468 reader accepts; Ed25519 only."""
    k = serialization.load_pem_public_key(data)
    if not isinstance(k, Ed25519PublicKey):
        raise ValueError("not an Ed25519 key")
    return k.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def read_trusted_key(arg):
    """§7.1 --trusted-key KEY: a PEM file, or base64 of 32 bytes (surrounding blanks ignored)."""
    if os.path.isfile(arg):
        try:
            with open(arg, "rb") as f:
                return read_pem_key(f.read())
        except Exception:
            raise Usage("audit.bad-trusted-key: %s is not a PEM Ed25519 public key" % arg)
    k = b64_canonical(arg.strip(" \t\r\n"), 32)
    if k is None:
        raise Usage("audit.bad-trusted-key: %s is neither a key file nor base64 of 32 bytes" % arg)
    return k


def read_pinned(path):
    """§7.3 --checkpoint FILE: a checkpoint, or a tlog-proof whose checkpoint is taken."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        raise Usage("audit.not-a-checkpoint: cannot read %s" % path)
    if data.startswith(b"c2sp.org/tlog-proof@v1\n"):
        try:
            return parse_proof(data)[2]
        except BadNote as e:
            raise Usage("audit.bad-proof: %s: %s" % (path, e))
    try:
        return parse_checkpoint(data)
    except BadNote as e:
        raise Usage("audit.not-a-checkpoint: %s: %s" % (path, e))


class Result:
    def __init__(self):
        self.fails = {n: [] for n in NAMES}
        self.ok_detail = {}
        self.trusted, self.pinned = None, False

    def fail(self, n, msg):
        self.fails[n].append(msg)

    def checks(self):
        out = []
        for n in sorted(NAMES):
            f = self.fails[n]
            if f:
                d = f[0] + (" (and %d more)" % (len(f) - 1) if len(f) > 1 else "")
            else:
                d = self.ok_detail.get(n, "ok")
            out.append({"id": n, "name": NAMES[n], "ok": not f, "detail": d})
        return out


def verify(bundle, trusted_arg=None, checkpoint_args=()):
    if not os.path.isdir(bundle):
        raise Usage("audit.no-bundle: %s is not a directory" % bundle)
    if not os.path.exists(os.path.join(bundle, "ledger.jsonl")):
        raise Usage("ledger.missing: no ledger.jsonl in %s" % bundle)
    pinned = read_trusted_key(trusted_arg) if trusted_arg is not None else None
    pins = [(p, read_pinned(p)) for p in checkpoint_args]
    R = Result()
    data = {}
    # ---- check 1 --------------------------------------------------------------------------
    for f in FILES:
        try:
            with open(os.path.join(bundle, f), "rb") as h:
                data[f] = h.read()
        except OSError:
            R.fail(1, "%s missing or unreadable" % f)
    pem_key = None
    if "body.pub.pem" in data:
        try:
            pem_key = read_pem_key(data["body.pub.pem"])
        except Exception:
            R.fail(1, "body.pub.pem holds no Ed25519 key")
    # ---- check 2 (§7.1) -------------------------------------------------------------------
    if pem_key is None:
        if pinned is None:  # §7.1: pinned, an unparsable body.pub.pem fails check 1 only
            R.fail(2, "no key in body.pub.pem")
        else:
            R.ok_detail[2] = "固定的机关公钥，指纹 %s / the pinned key, fingerprint %s" % ((fingerprint(pinned),) * 2)
        trusted = pinned
    elif pinned is not None:
        if pem_key != pinned:
            R.fail(2, "body.pub.pem holds %s, not the pinned %s" % (fingerprint(pem_key), fingerprint(pinned)))
        else:
            R.ok_detail[2] = "固定的机关公钥，指纹 %s / the pinned key, fingerprint %s" % ((fingerprint(pinned),) * 2)
        trusted = pinned
    else:
        trusted = pem_key
        R.ok_detail[2] = ("not pinned: trusted the bundle's own body.pub.pem, fingerprint %s — compare it with the one "
                          "read out or posted, or pin it with --trusted-key" % fingerprint(pem_key))
    R.trusted, R.pinned = trusted, pinned is not None
    # ---- check 3 (§2.2) -------------------------------------------------------------------
    cp = None
    if "checkpoint" in data:
        try:
            cp = parse_checkpoint(data["checkpoint"])
        except BadNote as e:
            R.fail(3, "checkpoint does not parse: %s" % e)
    else:
        R.fail(3, "no checkpoint")
    if cp is not None:
        if trusted is None or not cp.line_valid(0, trusted):
            R.fail(3, "the first signature line is not the trusted body key's valid signature")
        else:
            R.ok_detail[3] = "signed by the trusted body key (fingerprint %s)" % fingerprint(trusted)
    # ---- check 5 --------------------------------------------------------------------------
    if "merkle_root.py" in data and data["merkle_root.py"] != MERKLE_ROOT_PY:
        R.fail(5, "merkle_root.py differs from Appendix A")
    elif "merkle_root.py" not in data:
        R.fail(5, "missing")
    # ---- lines ----------------------------------------------------------------------------
    raw = data.get("ledger.jsonl", b"")
    if raw and not raw.endswith(b"\n"):
        R.fail(4, "the last line of ledger.jsonl does not end with a newline")
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    leaves = [leaf_hash(l) for l in lines]
    # ---- check 4 --------------------------------------------------------------------------
    if cp is None:
        R.fail(4, "no parsed checkpoint")
    else:
        if cp.size != len(lines):
            R.fail(4, "checkpoint size %d, ledger.jsonl has %d lines" % (cp.size, len(lines)))
        elif mth(leaves) != cp.root:
            R.fail(4, "the Merkle root of ledger.jsonl is not the checkpoint's")
        else:
            R.ok_detail[4] = "%d entries, root %s… matches" % (len(lines), cp.root.hex()[:16])
    # ---- check 6 --------------------------------------------------------------------------
    entries = []
    if not lines:
        R.fail(6, "no entries")
    for i, l in enumerate(lines):
        try:
            v = parse_canonical(l)
        except NotCanonical as e:
            R.fail(6, "entry %d: %s" % (i, e))
            entries.append(None)
            continue
        msg = envelope(v)
        if msg:
            R.fail(6, "entry %d: %s" % (i, msg))
            entries.append(None)
            continue
        v["_leaf"] = leaves[i].hex()
        entries.append(v)
    # ---- checks 7, 8 ----------------------------------------------------------------------
    for i, e in enumerate(entries):
        if e is None:
            continue
        if e["index"] != i:
            R.fail(7, "entry %d has index %d" % (i, e["index"]))
        want = "0" * 64 if i == 0 else leaves[i - 1].hex()
        if e["prev"] != want:
            R.fail(8, "entry %d (%s): prev is not the leaf hash of entry %d" % (i, e["kind"], i - 1))
    # ---- check 9 --------------------------------------------------------------------------
    body_key = None
    e0 = entries[0] if entries else None
    keyname = None
    if e0 is None:
        R.fail(9, "entry 0 is not a well-formed entry")
    elif e0["kind"] != "ledger.init":
        R.fail(9, "entry 0 is %s, not ledger.init" % e0["kind"])
    else:
        pk = b64_canonical(e0["payload"].get("publicKey"), 32)
        kn = e0["payload"].get("keyName")
        if pk is None or not is_str(kn):
            R.fail(9, "entry 0 has no publicKey of 32 bytes or no keyName")
        elif trusted is not None and pk != trusted:  # no key at all (check 1): entry 0's is used, as the program does
            R.fail(9, "entry 0's publicKey is not the trusted key")
        else:
            body_key = pk
            keyname = kn
    if cp is not None and keyname is not None and cp.origin != keyname:
        R.fail(4, "checkpoint origin %s is not entry 0's keyName %s" % (cp.origin, keyname))
    # ---- checks 10, 11 (§1.3) -------------------------------------------------------------
    nb = nc = 0
    for i, e in enumerate(entries):
        if e is None:
            continue
        signer = b64_canonical(e["signer"], 32)
        sig = b64_canonical(e["sig"], 64)
        if e["kind"] in BALLOT_KINDS:
            nc += 1
            if not verify_ed25519(signer, sig, jcs(e["payload"])):
                R.fail(11, "entry %d (%s): the credential signature does not verify" % (i, e["kind"]))
            continue
        nb += 1
        msg = jcs({k: v for k, v in e.items() if k not in ("sig", "_leaf")})
        if body_key is None:
            if i > 0 or not verify_ed25519(signer, sig, msg):
                R.fail(10, "entry %d (%s): no body key (check 9)" % (i, e["kind"]))
        elif signer != body_key:
            R.fail(10, "entry %d (%s): signer is not the body key" % (i, e["kind"]))
        elif not verify_ed25519(body_key, sig, msg):
            R.fail(10, "entry %d (%s): the body signature does not verify" % (i, e["kind"]))
    R.ok_detail[10] = "%d body signatures valid" % nb
    R.ok_detail[11] = "%d ballot credential signatures valid" % nc
    # ---- checks 12–30 (§3–§5) -------------------------------------------------------------
    fmt0 = 1
    if e0 is not None and e0["kind"] == "ledger.init" and e0["payload"].get("format") == 2 and is_int(e0["payload"]["format"]):
        fmt0 = 2

    def rfail(n, e, msg):
        if e is None:
            R.fail(n, msg)
        else:
            R.fail(n, "entry %d (%s): %s" % (e["index"], e["kind"], msg))

    rp = Replay(rfail, fmt0)
    if e0 is not None and e0["kind"] != "ledger.init":
        pass
    for i, e in enumerate(entries):
        if e is None:
            continue
        if i == 0 and e["kind"] != "ledger.init":
            continue  # check 9 reports it
        try:
            rp.entry(e)
        except Exception as x:  # a payload of unexpected shape the checks did not foresee
            R.fail(12, "entry %d (%s): cannot be replayed: %r" % (i, e["kind"], x))
    rp.finish(len(entries))
    # ---- checks 31–34 (§6) ----------------------------------------------------------------
    try:
        bundle_files(R, data, rp, entries, cp, body_key or trusted)
    except Exception as x:  # a tally or opening of a shape the rendering cannot read
        for n in (31, 32, 33, 34):
            if not R.fails[n]:
                R.fail(n, "cannot render the bundle's files from the ledger: %r" % (x,))
    # ---- check 35 (§7.3) ------------------------------------------------------------------
    if not pins:
        R.ok_detail[35] = "未提供 --checkpoint / none given"
    for path, pc in pins:
        if keyname is None or pc.origin != keyname:
            R.fail(35, "%s: origin %s is not the ledger's" % (path, pc.origin))
        elif trusted is None or not any(pc.sigs[k][0] == pc.origin and pc.line_valid(k, trusted) for k in range(len(pc.sigs))):
            R.fail(35, "%s: no valid signature of the trusted key" % path)
        elif pc.size > len(lines):
            R.fail(35, "%s: size %d, the ledger has only %d entries" % (path, pc.size, len(lines)))
        elif mth(leaves[:pc.size]) != pc.root:
            R.fail(35, "%s: the root of the first %d entries differs: history rewritten" % (path, pc.size))
    return R


def envelope(v):
    """§1.1: the seven members with their types."""
    if type(v) is not dict:
        return "not an object"
    if set(v) != {"index", "kind", "time", "prev", "payload", "signer", "sig"}:
        return "not the seven members"
    if not is_int(v["index"]) or v["index"] < 0:
        return "index"
    if not is_str(v["kind"]) or v["kind"] == "":
        return "kind"
    if not is_time(v["time"]):
        return "time %r is not YYYY-MM-DDTHH:MM:SSZ" % (v["time"],)
    if not is_str(v["prev"]) or not HEX64.match(v["prev"]):
        return "prev"
    if type(v["payload"]) is not dict:
        return "payload is not an object"
    if b64_canonical(v["signer"], 32) is None:
        return "signer is not base64 of 32 bytes"
    if b64_canonical(v["sig"], 64) is None:
        return "sig is not base64 of 64 bytes"
    return None


def bundle_files(R, data, rp, entries, cp, body_key):
    """Checks 31–34: tally.json (§6.1), ballots.csv (§6.2), report.md (§6.4), report.html (§6.5)."""
    tj = data.get("tally.json")
    sid = None
    if tj is None:
        for n in (31, 32, 33, 34):
            R.fail(n, "no tally.json")
        return
    import json
    try:
        v = json.loads(tj.decode("utf-8"))
        if type(v) is dict and is_str(v.get("session")):
            sid = v["session"]
    except Exception:
        pass
    if sid is None:
        for n in (31, 32, 33, 34):
            R.fail(n, "tally.json is not a JSON object with a string session")
        return
    # the tally entry: the last applied (decoded) tally of that session (§6.1)
    s = rp.sessions.get(sid)
    tally = None
    if s is not None and s.tally_index is not None:
        tally = entries[s.tally_index]
    if s is None or tally is None:
        for n in (31, 33, 34):
            R.fail(n, "no opening or no tally entry of %s in ledger.jsonl" % sid)
    else:
        want = render.tally_json(s, tally["payload"], rp) + b"\n"
        if tj != want:
            R.fail(31, "tally.json is not the rendering of entry %d" % tally["index"])
    # ballots.csv: the header from the session's opening (read on its own), rows from the ballots
    items = None
    for e in entries:
        if e is not None and e["kind"] in ("ballot.open", "evaluate.open") and e["payload"].get("session") == sid:
            h = e["payload"].get("header")
            if type(h) is dict and type(h.get("items")) is list and all(is_str(x) for x in h["items"]):
                items = h["items"]
    if items is None:
        R.fail(32, "no opening of %s with header.items" % sid)
    elif "ballots.csv" in data:
        want = render.ballots_csv(sid, items, entries)
        got = data["ballots.csv"]
        if got != want:
            gl, wl = got.split(b"\n"), want.split(b"\n")
            k = next((k for k in range(max(len(gl), len(wl))) if k >= len(gl) or k >= len(wl) or gl[k] != wl[k]), 0)
            R.fail(32, "ballots.csv differs at line %d" % (k + 1))
    if s is None or tally is None or cp is None or rp.body is None:
        for n in (33, 34):
            if not R.fails[n]:
                R.fail(n, "cannot regenerate the report")
        return
    e0 = entries[0]
    model = render.Model(s, tally, rp, e0["payload"], cp)
    for n, fname, text in ((33, "report.md", render.report_md(model)), (34, "report.html", render.report_html(model))):
        got = data.get(fname)
        if got is None:
            R.fail(n, "%s missing" % fname)
            continue
        want = text.encode("utf-8")
        if got == want:
            continue
        if rp.format == 2:
            gl, wl = got.split(b"\n"), want.split(b"\n")
            k = next((k for k in range(max(len(gl), len(wl))) if k >= len(gl) or k >= len(wl) or gl[k] != wl[k]), 0)
            R.fail(n, "%s differs from the regeneration at line %d: %r" % (fname, k + 1,
                                                                          (wl[k] if k < len(wl) else b"")[:120].decode("utf-8", "replace")))
        else:
            # §6.6: every regenerated line that is not blank and has no marker text must occur in order
            gl = got.split(b"\n")
            pos = 0
            for ln in want.split(b"\n"):
                if ln.strip(b" ") == b"" or any(m.encode() in ln for m in ("机关公钥指纹", "--trusted-key", "merkle_root.py ledger.jsonl")):
                    continue
                while pos < len(gl) and gl[pos] != ln:
                    pos += 1
                if pos >= len(gl):
                    R.fail(n, "%s lacks the regenerated line %r" % (fname, ln[:120].decode("utf-8", "replace")))
                    break
                pos += 1
