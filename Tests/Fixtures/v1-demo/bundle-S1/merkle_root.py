import base64, hashlib, sys
leaves = [hashlib.sha256(b"\x00" + line.rstrip(b"\n")).digest() for line in open(sys.argv[1], "rb")]
def root(h):
    if not h: return hashlib.sha256(b"").digest()
    if len(h) == 1: return h[0]
    k = 1
    while k * 2 < len(h): k *= 2
    return hashlib.sha256(b"\x01" + root(h[:k]) + root(h[k:])).digest()
print(base64.b64encode(root(leaves)).decode())
