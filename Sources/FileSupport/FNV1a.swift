/// FNV-1a, 64 bits: the checksum of model files and the digest of a spec's text in audit reports. Not
/// cryptographic — it detects truncation, corruption and edits, not tampering.
public enum FNV1a {
    /// The hash of `bytes`.
    @inlinable
    public static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes {
            hash ^= UInt64(b)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
