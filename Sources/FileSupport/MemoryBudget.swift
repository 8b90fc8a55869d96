#if canImport(Glibc)
internal import Glibc
#endif

/// The machine's memory as a budget: a size read from input is checked against it before anything of that size
/// is allocated, so an impossible size is a refusal naming the file and the field, never a crash.
public enum MemoryBudget {
    /// Physical memory in bytes (`nil` when the system does not say).
    public static var physicalBytes: Double? {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, pageSize > 0 else { return nil }
        return Double(pages) * Double(pageSize)
    }

    /// Refuses `bytes` when it exceeds 80% of physical memory.
    ///
    /// - Parameters:
    ///   - file: The file (or flag) the size came from.
    ///   - field: The field that set it.
    ///   - what: What would be allocated ("a 10⁹ × 2 matrix").
    ///   - advice: The way out ("renumber the ids").
    /// - Throws: ``FairgroundError`` naming the estimate, the memory and the advice.
    public static func check(bytes: Double, file: String, field: String, what: String, advice: String)
        throws(FairgroundError)
    {
        guard let available = physicalBytes, bytes > 0.8 * available else { return }
        throw FairgroundError(file: file, field: field,
                         expected: "a size that fits in memory: \(what) would take about \(gigabytes(bytes)) GB and this "
                             + "machine has \(gigabytes(available)) GB; \(advice)")
    }

    /// Bytes as gigabytes with one decimal.
    public static func gigabytes(_ bytes: Double) -> String {
        let tenths = (bytes / 1e8).rounded()
        guard tenths < 1e15 else { return "\((bytes / 1e9).rounded())" }
        return "\(Int(tenths) / 10).\(Int(tenths) % 10)"
    }
}
