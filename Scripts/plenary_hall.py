"""Shared by Scripts/browser-test, Scripts/bench-serve and Scripts/crash-test-serve: a plenary set up
through the real `piaojue` binary, `piaojue serve` started on 127.0.0.1 port 0, a small HTTP/1.1
client, and an independent check of a c2sp.org/tlog-proof@v1 receipt (Python hashlib + the
`cryptography` package for Ed25519, nothing of Piaojue's own code)."""
import base64
import hashlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

TITLES = [
    ("城东社区卫生服务站改扩建", "城东街道", "320万"), ("老旧小区加装电梯", "城关镇", "480万"),
    ("农村饮水安全巩固提升", "南山乡", "260万"), ("中小学校门口交通安全设施", "全县", "90万"),
    ("农贸市场提质改造", "北门街道", "150万"), ("城乡公交站亭新建", "全县", "120万"),
    ("河道综合治理（一期）", "清溪镇", "600万"), ("居家养老服务中心", "西城街道", "210万"),
    ("公共厕所新建与改造", "城区", "85万"), ("全民健身广场", "东湖新区", "300万"),
    ("智慧停车泊位建设", "城区", "140万"), ("农村道路亮化", "南山乡", "110万"),
]


def find_binary(release=False):
    explicit = os.environ.get("PIAOJUE_BIN")
    if explicit:
        return explicit
    flags = os.environ.get("SWIFTPM_FLAGS", "").split() + (["-c", "release"] if release else [])
    subprocess.run(["swift", "build", "--product", "piaojue", *flags], cwd=ROOT, check=True, stdout=sys.stderr)
    path = subprocess.run(["swift", "build", "--show-bin-path", *flags], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.strip()
    return os.path.join(path, "piaojue")


class Hall:
    """A ledger in `directory` with `seated` deputies, `candidates` candidates for `seats` seats, a
    ballot session S1 with every deputy present and the slips file printed."""

    def __init__(self, binary, directory, seated=5, candidates=4, seats=2, present=None, rules=None):
        self.binary = binary
        self.dir = directory
        self.env = dict(os.environ, PIAOJUE_CONFIG=os.path.join(ROOT, "Config"))
        for name in ("PIAOJUE_DB", "PIAOJUE_KEY", "PIAOJUE_NOW"):
            self.env.pop(name, None)
        os.makedirs(directory, exist_ok=True)
        self.piaojue("init", "--body", "某某县第十八届人民代表大会", "--level", "county")
        with open(os.path.join(directory, "deputies.csv"), "w", encoding="utf-8") as f:
            f.write("id,name\n" + "".join(f"D{i:04d},代表{i}\n" for i in range(1, seated + 1)))
        self.piaojue("roster", "import", "deputies.csv")
        with open(os.path.join(directory, "proposals.csv"), "w", encoding="utf-8") as f:
            f.write("title,category,content,location,budget\n")
            for n in range(candidates):
                title, place, budget = TITLES[n % len(TITLES)]
                f.write(f"{title}{'' if n < len(TITLES) else n},市政建设,建设内容{n + 1},{place},{budget}\n")
        self.piaojue("collect", "import", "proposals.csv")
        for n in range(1, candidates + 1):
            self.piaojue("collect", "screen", f"P{n}", "--accept")
        self.piaojue("collect", "approve", "--step", "政府常务会议", "--ref", "2025-3")
        self.piaojue("collect", "approve", "--step", "党委审定", "--ref", "2025-7")
        self.piaojue("collect", "shortlist", "--seats", str(seats), *[f"P{n}" for n in range(1, candidates + 1)])
        self.piaojue("ballot", "open", "--list", "L1", *(["--rules", rules] if rules else []))
        self.session = "S1"
        with open(os.path.join(directory, "present.txt"), "w") as f:
            f.write("".join(f"D{i:04d}\n" for i in range(1, (present or seated) + 1)))
        self.piaojue("ballot", "checkin", "S1", "--present", "present.txt")
        self.piaojue("ballot", "issue", "S1", "--out", "slips.txt")
        lines = open(os.path.join(directory, "slips.txt"), encoding="utf-8").read().splitlines()
        self.codes = [line.strip() for line in lines if line.strip() and not line.startswith("#")]

    def piaojue(self, *args, check=True):
        result = subprocess.run([self.binary, *args], cwd=self.dir, env=self.env, capture_output=True, text=True)
        if check and result.returncode != 0:
            raise RuntimeError(f"piaojue {' '.join(args)} exited {result.returncode}: {result.stderr}")
        return result


class Server:
    """`piaojue serve --listen 127.0.0.1:0` in the hall's directory; `port` is read from its first
    lines (the booth's URL)."""

    def __init__(self, hall, extra=(), timeout=60):
        self.process = subprocess.Popen([hall.binary, "serve", "--listen", "127.0.0.1:0", *extra], cwd=hall.dir,
                                        env=hall.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        self.output = []
        deadline = time.monotonic() + timeout
        self.port = None
        while self.port is None:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError("piaojue serve ended before listening: " + self.process.stderr.read())
            self.output.append(line)
            match = re.search(r"https?://127\.0\.0\.1:(\d+)/booth", line)
            if match:
                self.port = int(match.group(1))
            if time.monotonic() > deadline:
                raise RuntimeError("piaojue serve did not print its address")
        self.base = f"http://127.0.0.1:{self.port}"

    def stop(self, sig=signal.SIGTERM, timeout=60):
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            rest, errors = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            rest, errors = self.process.communicate()
            raise RuntimeError("piaojue serve did not stop on SIGTERM")
        self.output.append(rest)
        self.errors = errors
        return self.process.returncode


def request(port, method, path, body=None, headers=None, timeout=30):
    """One HTTP/1.1 request on a new connection: (status, headers, body bytes)."""
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body, ensure_ascii=False).encode()
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    all_headers = dict(headers or {})
    if data is not None:
        all_headers.setdefault("Content-Type", "application/json")
        all_headers["Content-Length"] = str(len(data))
    lines += [f"{k}: {v}" for k, v in all_headers.items()]
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + (data or b""))
        chunks = []
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    raw = b"".join(chunks)
    head, _, rest = raw.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    fields = {}
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.decode("latin-1").partition(":")
        fields[name.strip().lower()] = value.strip()
    if fields.get("transfer-encoding") == "chunked":
        out, pos = b"", 0
        while True:
            end = rest.index(b"\r\n", pos)
            size = int(rest[pos:end], 16)
            if size == 0:
                break
            out += rest[end + 2:end + 2 + size]
            pos = end + 2 + size + 2
        rest = out
    return status, fields, rest


# -- an independent check of a receipt -----------------------------------------------------------

def merkle_root(leaves):
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + merkle_root(leaves[:k]) + merkle_root(leaves[k:])).digest()


def root_from_inclusion(leaf, index, size, path):
    """RFC 9162 §2.1.3.2: the root an inclusion path leads to, or None."""
    if index >= size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = hashlib.sha256(b"\x01" + p + r).digest()
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = hashlib.sha256(b"\x01" + r + p).digest()
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def check_proof(receipt, proof_text, public_key_raw, key_name):
    """Whether a tlog-proof receipt verifies: the checkpoint is signed by the body's Ed25519 key, and
    the receipt (the entry's leaf hash) is included in its tree. Returns (ok, size, root)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    head, _, note = proof_text.partition("\n\n")
    lines = head.split("\n")
    if lines[0] != "c2sp.org/tlog-proof@v1" or not lines[1].startswith("index "):
        return False, 0, b""
    index = int(lines[1][6:])
    path = [base64.b64decode(l) for l in lines[2:]]
    text, _, signatures = note.partition("\n\n")
    text += "\n"
    origin, size_line, root_line = text.split("\n")[:3]
    size, root = int(size_line), base64.b64decode(root_line)
    key_id = hashlib.sha256(key_name.encode() + b"\n\x01" + public_key_raw).digest()[:4]
    signed = False
    for line in signatures.strip("\n").split("\n"):
        parts = line.split(" ")
        if len(parts) == 3 and parts[0] == "—" and parts[1] == key_name:
            blob = base64.b64decode(parts[2])
            if blob[:4] == key_id:
                try:
                    Ed25519PublicKey.from_public_bytes(public_key_raw).verify(blob[4:], text.encode())
                    signed = True
                except Exception:
                    pass
    leaf = bytes.fromhex(receipt)
    included = root_from_inclusion(leaf, index, size, path) == root
    return signed and included and origin == key_name, size, root


def body_key(directory):
    """The body's public key (raw 32 bytes) and key name, from the ledger's first entry."""
    import sqlite3
    connection = sqlite3.connect(f"file:{os.path.join(directory, 'piaojue.sqlite')}?mode=ro", uri=True)
    try:
        line = connection.execute("SELECT line FROM entries WHERE idx = 0").fetchone()[0]
    finally:
        connection.close()
    payload = json.loads(line)["payload"]
    return base64.b64decode(payload["publicKey"]), payload["keyName"]


def ledger_leaves(directory, size=None):
    import sqlite3
    connection = sqlite3.connect(f"file:{os.path.join(directory, 'piaojue.sqlite')}?mode=ro", uri=True)
    try:
        rows = connection.execute("SELECT leaf FROM entries ORDER BY idx" + (f" LIMIT {int(size)}" if size else "")).fetchall()
    finally:
        connection.close()
    return [bytes(r[0]) for r in rows]
