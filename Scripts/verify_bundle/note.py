"""Checkpoints (§2.2, C2SP tlog-checkpoint in a signed note), proofs (§2.3, §2.4, §2.5)."""
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .common import WHITE_SPACE, b64_canonical, sha256

EM = "\u2014"


class BadNote(Exception):
    pass


def key_id(name, key):
    """§2.2: first 4 bytes of SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ key)."""
    return sha256(name.encode() + b"\n\x01" + key)[:4]


def verify_ed25519(key, sig, msg):
    try:
        Ed25519PublicKey.from_public_bytes(key).verify(sig, msg)
        return True
    except (InvalidSignature, ValueError):
        return False


class Checkpoint:
    def __init__(self, origin, size, root, text, sigs):
        self.origin, self.size, self.root, self.text, self.sigs = origin, size, root, text, sigs

    def line_valid(self, i, key):
        name, blob = self.sigs[i]
        return name == self.origin and blob[:4] == key_id(self.origin, key) and \
            verify_ed25519(key, blob[4:], self.text)

    def any_valid(self, key):
        return any(self.line_valid(i, key) for i in range(len(self.sigs)))


def parse_checkpoint(data):
    """§2.2, strictly: three note lines, an empty line, 1–100 signature lines, final newline."""
    try:
        s = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadNote("not UTF-8")
    if any(ord(c) < 0x20 and c != "\n" for c in s) or "\x7f" in s and False:
        raise BadNote("a control character")
    if not s.endswith("\n"):
        raise BadNote("does not end with a newline")
    lines = s[:-1].split("\n")
    if len(lines) < 5 or lines[3] != "":
        raise BadNote("not three note lines and an empty line")
    origin, size_t, root_t = lines[0], lines[1], lines[2]
    if origin == "":
        raise BadNote("empty origin")
    if not size_t.isascii() or not size_t.isdigit() or (size_t != "0" and size_t[0] == "0"):
        raise BadNote("size is not canonical decimal")
    root = b64_canonical(root_t, 32)
    if root is None:
        raise BadNote("root is not base64 of 32 bytes")
    sig_lines = lines[4:]
    if not 1 <= len(sig_lines) <= 100:
        raise BadNote("not 1–100 signature lines")
    sigs = []
    for ln in sig_lines:
        parts = ln.split(" ")
        if len(parts) != 3 or parts[0] != EM:
            raise BadNote("a signature line is not '— name base64'")
        name = parts[1]
        if name == "" or any(c == "+" or c in WHITE_SPACE or ord(c) < 0x20 for c in name):
            raise BadNote("bad key name")
        blob = b64_canonical(parts[2])
        if blob is None or len(blob) <= 4:
            raise BadNote("bad signature base64")
        sigs.append((name, blob))
    text = (origin + "\n" + size_t + "\n" + root_t + "\n").encode()
    return Checkpoint(origin, int(size_t), root, text, sigs)


PROOF_HEADER = b"c2sp.org/tlog-proof@v1\n"


def parse_proof(data):
    """§2.4: returns (index, [hashes], checkpoint); raises BadNote."""
    if not data.startswith(PROOF_HEADER):
        raise BadNote("no tlog-proof header")
    cut = data.find(b"\n\n")
    if cut < 0:
        raise BadNote("no empty line")
    head = data[:cut].decode("utf-8", "replace").split("\n")[1:]
    if head and head[0].startswith("extra "):
        if b64_canonical(head[0][6:]) is None:
            raise BadNote("bad extra")
        head = head[1:]
    if not head or not head[0].startswith("index "):
        raise BadNote("no index line")
    m = head[0][6:]
    if not m.isascii() or not m.isdigit() or (m != "0" and m[0] == "0"):
        raise BadNote("bad index")
    hashes = []
    for ln in head[1:]:
        h = b64_canonical(ln, 32)
        if h is None:
            raise BadNote("bad proof hash")
        hashes.append(h)
    if len(hashes) > 63:
        raise BadNote("more than 63 hashes")
    return int(m), hashes, parse_checkpoint(data[cut + 2:])
