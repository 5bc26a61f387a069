"""Notation of docs/audit-format.md §0 and canonical JSON of §1.2.

Written from docs/audit-format.md alone (issue 14, item 6), never from the Swift sources.
"""
import base64
import binascii
import hashlib
import json
import re
import unicodedata

# §0 trim: these Characters are removed at both ends.
TRIM_SET = {" ", "\t", "\u3000", "\r", "\n"}
# §0 White_Space property.
WHITE_SPACE = set("\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000") | {
    chr(c) for c in range(0x2000, 0x200B)}
HEX64 = re.compile(r"[0-9a-f]{64}\Z")


def sha256(b):
    return hashlib.sha256(b).digest()


def leaf_hash(line):
    """§1.5: leaf(i) = SHA-256(0x00 ‖ line(i))."""
    return sha256(b"\x00" + line)


def mth(leaves):
    """§2.1: RFC 9162 Merkle tree hash over leaf hashes, iteratively over perfect subtrees."""
    n = len(leaves)
    if n == 0:
        return sha256(b"")
    if n == 1:
        return leaves[0]
    k = 1
    while k * 2 < n:
        k *= 2
    return sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:]))


def is_int(v):
    return type(v) is int


def is_str(v):
    return type(v) is str


def b64_canonical(s, length=None):
    """§0 base64: standard alphabet, padded, canonical; returns the bytes or None."""
    if not is_str(s) or not re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", s) or len(s) % 4:
        return None
    try:
        b = base64.b64decode(s, validate=True)
    except (binascii.Error, ValueError):
        return None
    if base64.b64encode(b).decode() != s:
        return None
    if length is not None and len(b) != length:
        return None
    return b


def b64(b):
    return base64.b64encode(b).decode()


def _extends(c):
    """Whether code point c joins the Character before it (an approximation of UAX #29)."""
    o = ord(c)
    if unicodedata.category(c) in ("Mn", "Me", "Mc"):
        return True
    return o == 0x200D or 0xFE00 <= o <= 0xFE0F or 0x1F3FB <= o <= 0x1F3FF or 0xE0020 <= o <= 0xE007F


def characters(s):
    """§0 Character: extended grapheme clusters. Approximation: CR LF, combining marks, ZWJ
    sequences, variation selectors and emoji modifiers join; regional indicators pair."""
    out = []
    i = 0
    while i < len(s):
        j = i + 1
        if s[i] == "\r" and j < len(s) and s[j] == "\n":
            j += 1
        elif 0x1F1E6 <= ord(s[i]) <= 0x1F1FF and j < len(s) and 0x1F1E6 <= ord(s[j]) <= 0x1F1FF:
            j += 1
        if s[i] not in "\r\n":
            while j < len(s):
                if _extends(s[j]):
                    if s[j] == "\u200d" and j + 1 < len(s):
                        j += 2
                    else:
                        j += 1
                else:
                    break
        out.append(s[i:j])
        i = j
    return out


def char_count(s):
    return len(characters(s))


def trim(s):
    """§0 trim(s): Characters exactly U+0020, U+0009, U+3000, U+000D or U+000A removed at both ends."""
    cs = characters(s)
    a, b = 0, len(cs)
    while a < b and cs[a] in TRIM_SET:
        a += 1
    while b > a and cs[b - 1] in TRIM_SET:
        b -= 1
    return "".join(cs[a:b])


def trim_nonempty(s, recorded_trimmed=False):
    if not is_str(s) or trim(s) == "":
        return False
    return (not recorded_trimmed) or trim(s) == s


DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z")


def _mdays(y, m):
    if m == 2:
        return 29 if (y % 4 == 0 and y % 100 != 0) or y % 400 == 0 else 28
    return 30 if m in (4, 6, 9, 11) else 31


def is_day(s, year0=False):
    """§0 Day: YYYY-MM-DD, year 0001–9999 (0000 allowed for entry times, §1.1)."""
    if not is_str(s) or len(s) != 10 or not s.isascii():
        return False
    m = DAY.match(s)
    if not m:
        return False
    y, mo, d = int(m[1]), int(m[2]), int(m[3])
    if y < (0 if year0 else 1) or not 1 <= mo <= 12:
        return False
    return 1 <= d <= _mdays(y, mo)


TIME = re.compile(r"(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})Z\Z")


def is_time(s):
    """§1.1 time: YYYY-MM-DDTHH:MM:SSZ, exactly 20 characters."""
    if not is_str(s) or len(s) != 20 or not s.isascii():
        return False
    m = TIME.match(s)
    return bool(m) and is_day(m[1], year0=True) and int(m[2]) <= 23 and int(m[3]) <= 59 and int(m[4]) <= 59


def day_ordinal(s):
    import datetime
    return datetime.date.fromisoformat(s).toordinal()


def day_plus(s, n):
    import datetime
    return (datetime.date.fromisoformat(s) + datetime.timedelta(days=n)).isoformat()


def is_ratio(v, positive=False, at_most_one=False):
    """§0 Ratio {denominator d > 0, numerator n ≥ 0}; with positive, 0 < n; with at_most_one, n ≤ d."""
    if type(v) is not dict or set(v) != {"denominator", "numerator"}:
        return False
    d, n = v["denominator"], v["numerator"]
    if not is_int(d) or not is_int(n) or d <= 0 or n < 0:
        return False
    if positive and n == 0:
        return False
    if at_most_one and n > d:
        return False
    return True


def is_money(v):
    return is_int(v) and 0 <= v <= 10 ** 15


# ---- §1.2 canonical JSON ---------------------------------------------------------------------

MAX_INT = 2 ** 53 - 1


class NotCanonical(Exception):
    pass


def _esc(s):
    out = ['"']
    for c in s:
        o = ord(c)
        if c == '"':
            out.append('\\"')
        elif c == "\\":
            out.append("\\\\")
        elif c == "\b":
            out.append("\\b")
        elif c == "\t":
            out.append("\\t")
        elif c == "\n":
            out.append("\\n")
        elif c == "\f":
            out.append("\\f")
        elif c == "\r":
            out.append("\\r")
        elif o < 0x20:
            out.append("\\u%04x" % o)
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


class Float:
    """A number written as given text (only §6.1's rating rates use it)."""

    def __init__(self, text):
        self.text = text


def jcs_text(v, depth=0):
    if depth > 64:
        raise NotCanonical("nesting deeper than 64")
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if type(v) is int:
        if abs(v) > MAX_INT:
            raise NotCanonical("integer out of range")
        return str(v)
    if isinstance(v, Float):
        return v.text
    if type(v) is str:
        return _esc(v)
    if type(v) is list:
        return "[" + ",".join(jcs_text(x, depth + 1) for x in v) + "]"
    if type(v) is dict:
        keys = sorted(v, key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(_esc(k) + ":" + jcs_text(v[k], depth + 1) for k in keys) + "}"
    raise NotCanonical("not a JSON value: %r" % type(v))


def jcs(v):
    """JCS(v) of §1.2 as UTF-8 bytes (refuses lone surrogates)."""
    try:
        return jcs_text(v).encode("utf-8")
    except UnicodeEncodeError:
        raise NotCanonical("lone surrogate")


def _pairs(ps):
    d = {}
    for k, v in ps:
        if k in d:
            raise NotCanonical("duplicate member " + k)
        d[k] = v
    return d


def _nofloat(s):
    raise NotCanonical("a fraction or exponent: " + s)


def _noconst(s):
    raise NotCanonical("not JSON: " + s)


def parse_canonical(line):
    """§1.2: parse a line and require that it is JCS of its own parse; returns the value."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise NotCanonical("not UTF-8")
    try:
        v = json.loads(text, object_pairs_hook=_pairs, parse_float=_nofloat, parse_constant=_noconst)
    except NotCanonical:
        raise
    except (ValueError, RecursionError) as e:
        raise NotCanonical("does not parse: %s" % e)
    if jcs(v) != line:
        raise NotCanonical("not the canonical serialization (RFC 8785)")
    return v


def fingerprint(key):
    """§7.2: the first 16 bytes of SHA-256 of the raw key, eight groups of four hex digits."""
    h = hashlib.sha256(key).hexdigest()[:32]
    return " ".join(h[i:i + 4] for i in range(0, 32, 4))


def key_name_of(body):
    """§5.1 keyName: piaojue/ + body, every +, White_Space and code point < U+0020 replaced by -."""
    return "piaojue/" + "".join("-" if (c == "+" or c in WHITE_SPACE or ord(c) < 0x20) else c for c in body)
