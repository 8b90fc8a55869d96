"""Oracle for ContentDigest: XXH64 (seed 0) digests computed by the reference `xxhash` library.

    pip install xxhash && python3 make_digest_fixture.py > digests.json

Inputs are lengths 0…100 and a few long ones of a fixed byte pattern (byte i = (i * 31 + 7) % 256), so the Swift
test rebuilds each input from its length alone and covers every tail path (8-, 4- and 1-byte steps, stripes).
"""
import json
import xxhash

lengths = list(range(0, 101)) + [255, 256, 1000, 4096, 65537]
rows = []
for n in lengths:
    data = bytes((i * 31 + 7) % 256 for i in range(n))
    rows.append({"length": n, "xxh64": xxhash.xxh64(data).hexdigest()})
print(json.dumps({"library": "xxhash " + xxhash.VERSION, "digests": rows}, indent=1))
