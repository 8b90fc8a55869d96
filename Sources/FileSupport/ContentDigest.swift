/// XXH64 (seed 0), fed incrementally: the digest a directory's commit record keeps for each file, so a reader
/// can tell in one fast pass (several GB/s) that a file is the one its record describes. Not cryptographic — it
/// detects mixed runs, truncation and corruption, not tampering. Agrees with the reference `xxhash` library
/// (`xxhash.xxh64(data).hexdigest()`).
///
/// ```swift
/// var digest = ContentDigest()
/// digest.update(bytes)
/// let hex = digest.hexadecimal   // 16 lowercase hex digits
/// ```
public struct ContentDigest: Sendable {
    private static let p1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let p3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let p4: UInt64 = 0x85EB_CA77_C2B2_AE63
    private static let p5: UInt64 = 0x27D4_EB2F_1656_67C5

    private var v1 = p1 &+ p2, v2 = p2, v3: UInt64 = 0, v4 = 0 &- p1
    private var total = 0
    private var pending: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private var pendingCount = 0

    /// An empty digest.
    public init() {}

    /// The digest of `bytes`.
    public static func of(_ bytes: [UInt8]) -> ContentDigest {
        var d = ContentDigest()
        d.update(bytes)
        return d
    }

    @inline(__always) private static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }
    @inline(__always) private static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
        rotl(acc &+ input &* p2, 31) &* p1
    }
    @inline(__always) private static func merge(_ acc: UInt64, _ v: UInt64) -> UInt64 {
        (acc ^ round(0, v)) &* p1 &+ p4
    }

    /// Feeds `bytes`.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Feeds the bytes of `buffer`.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        var offset = 0
        let n = buffer.count
        total += n
        // Complete a partial stripe first.
        if pendingCount > 0 {
            withUnsafeMutableBytes(of: &pending) { p in
                let take = min(32 - pendingCount, n)
                for i in 0..<take { p[pendingCount + i] = buffer[i] }
                pendingCount += take
                offset = take
            }
            guard pendingCount == 32 else { return }
            withUnsafeBytes(of: pending) { stripe($0, at: 0) }
            pendingCount = 0
        }
        while n - offset >= 32 {
            stripe(buffer, at: offset)
            offset += 32
        }
        if offset < n {
            withUnsafeMutableBytes(of: &pending) { p in
                for i in offset..<n { p[i - offset] = buffer[i] }
            }
            pendingCount = n - offset
        }
    }

    @inline(__always) private mutating func stripe(_ b: UnsafeRawBufferPointer, at o: Int) {
        v1 = Self.round(v1, UInt64(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt64.self)))
        v2 = Self.round(v2, UInt64(littleEndian: b.loadUnaligned(fromByteOffset: o + 8, as: UInt64.self)))
        v3 = Self.round(v3, UInt64(littleEndian: b.loadUnaligned(fromByteOffset: o + 16, as: UInt64.self)))
        v4 = Self.round(v4, UInt64(littleEndian: b.loadUnaligned(fromByteOffset: o + 24, as: UInt64.self)))
    }

    /// The 64-bit digest of everything fed so far.
    public var value: UInt64 {
        var h: UInt64
        if total >= 32 {
            h = Self.rotl(v1, 1) &+ Self.rotl(v2, 7) &+ Self.rotl(v3, 12) &+ Self.rotl(v4, 18)
            h = Self.merge(Self.merge(Self.merge(Self.merge(h, v1), v2), v3), v4)
        } else {
            h = v3 &+ Self.p5  // v3 starts at the seed, 0
        }
        h &+= UInt64(total)
        withUnsafeBytes(of: pending) { b in
            var i = 0
            while pendingCount - i >= 8 {
                h ^= Self.round(0, UInt64(littleEndian: b.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
                h = Self.rotl(h, 27) &* Self.p1 &+ Self.p4
                i += 8
            }
            if pendingCount - i >= 4 {
                h ^= UInt64(UInt32(littleEndian: b.loadUnaligned(fromByteOffset: i, as: UInt32.self))) &* Self.p1
                h = Self.rotl(h, 23) &* Self.p2 &+ Self.p3
                i += 4
            }
            while i < pendingCount {
                h ^= UInt64(b[i]) &* Self.p5
                h = Self.rotl(h, 11) &* Self.p1
                i += 1
            }
        }
        h ^= h >> 33
        h &*= Self.p2
        h ^= h >> 29
        h &*= Self.p3
        h ^= h >> 32
        return h
    }

    /// ``value`` as 16 lowercase hexadecimal digits.
    public var hexadecimal: String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
