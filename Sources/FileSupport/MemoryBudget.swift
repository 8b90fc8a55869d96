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

    /// The memory this process may use, in bytes: the smallest of physical memory, the address space its limit
    /// leaves (`RLIMIT_AS`, as `ulimit -v`, `prlimit --as` and many CI runners set, less what the process has
    /// already mapped: the runtime, its threads' stacks and arenas, files read) and its control group's memory
    /// limit (`memory.max`, cgroup v2, as containers set); `nil` when the system says none of them.
    public static var availableBytes: Double? {
        var limits: [Double] = []
        if let physical = physicalBytes { limits.append(physical) }
        var limit = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {
            limits.append(max(Double(limit.rlim_cur) - (addressSpaceInUse ?? 0), 0))
        }
        if let group = controlGroupLimit { limits.append(group) }
        return limits.min()
    }

    /// The address space this process has mapped, in bytes (`/proc/self/statm`; `nil` when it cannot be read).
    static var addressSpaceInUse: Double? {
        guard let text = firstLine(of: "/proc/self/statm") else { return nil }
        let pageSize = sysconf(Int32(_SC_PAGESIZE))
        guard let pages = text.split(separator: " ").first.flatMap({ Double($0) }), pageSize > 0 else { return nil }
        return pages * Double(pageSize)
    }

    /// The least memory a run needs besides what its input sizes ask for: OpenBLAS maps a 128 MB buffer at its
    /// first call (and, when it cannot, retries for ever: a hang), and the runtime and worker threads need theirs.
    public static let minimumBytes = 512e6

    /// Refuses to start a run when the process may use less than ``minimumBytes`` (an address-space limit such as
    /// `ulimit -v 400000`), before anything can hang or abort for want of memory.
    ///
    /// - Throws: ``FairgroundError`` located at `memory`, with what the process may use.
    public static func checkMinimum() throws(FairgroundError) {
        guard let available = availableBytes, available < minimumBytes else { return }
        throw FairgroundError(file: "memory",
                              expected: "at least \(gigabytes(minimumBytes)) GB that this process may use (its "
                                  + "address-space limit, ulimit -v, and its control group's memory.max count)",
                              found: "\(gigabytes(available)) GB")
    }

    /// The first line (up to 127 bytes) of a small system file such as `/proc/self/statm`; `nil` when unreadable.
    static func firstLine(of path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 128)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The cgroup v2 memory limit of this process's group, when one is set.
    static var controlGroupLimit: Double? {
        guard let text = firstLine(of: "/sys/fs/cgroup/memory.max") else { return nil }
        return Double(text.filter { !$0.isWhitespace })
    }

    /// Refuses `bytes` when it exceeds 80% of the memory this process may use (``availableBytes``).
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
        guard let available = availableBytes, bytes > 0.8 * available else { return }
        throw FairgroundError(file: file, field: field,
                         expected: "a size that fits in memory: \(what) would take about \(gigabytes(bytes)) GB and this "
                             + "process may use \(gigabytes(available)) GB; \(advice)")
    }

    /// Bytes as gigabytes with one decimal.
    public static func gigabytes(_ bytes: Double) -> String {
        let tenths = (bytes / 1e8).rounded()
        guard tenths < 1e15 else { return "\((bytes / 1e9).rounded())" }
        return "\(Int(tenths) / 10).\(Int(tenths) % 10)"
    }
}
