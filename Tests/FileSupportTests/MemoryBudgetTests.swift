@testable import FileSupport
import Testing

/// A size read from input is checked against 80% of the machine's memory before anything is allocated.
@Suite struct MemoryBudgetTests {
    @Test func gigabytesHaveOneDecimal() {
        #expect(MemoryBudget.gigabytes(0) == "0.0")
        #expect(MemoryBudget.gigabytes(4e7) == "0.0")
        #expect(MemoryBudget.gigabytes(5e7) == "0.1")  // half a tenth rounds up
        #expect(MemoryBudget.gigabytes(1.5e9) == "1.5")
        #expect(MemoryBudget.gigabytes(1.24e9) == "1.2")
        #expect(MemoryBudget.gigabytes(16e9) == "16.0")
        #expect(MemoryBudget.gigabytes(123_456e9) == "123456.0")
        // Beyond what an Int of tenths holds comfortably: whole gigabytes, no crash.
        #expect(MemoryBudget.gigabytes(1e30) == "1e+21")
    }

    @Test func physicalMemoryIsKnownOnLinux() throws {
        let bytes = try #require(MemoryBudget.physicalBytes)
        #expect(bytes >= 64e6 && bytes.rounded() == bytes)
    }

    /// Up to 80% of physical memory passes; beyond it the refusal names the file, the field, the estimate, the
    /// machine's memory and the way out.
    @Test func refusesSizesBeyondEightyPercentOfMemory() throws {
        // The memory this process may use: the machine's, or less under an address-space or cgroup limit.
        let physical = try #require(MemoryBudget.availableBytes)
        #expect(physical <= (MemoryBudget.physicalBytes ?? .infinity))
        try MemoryBudget.check(bytes: 0, file: "a.mtx", field: "users", what: "nothing", advice: "none")
        try MemoryBudget.check(bytes: 0.8 * physical, file: "a.mtx", field: "users", what: "x", advice: "y")
        let huge = 0.81 * physical
        do {
            try MemoryBudget.check(bytes: huge, file: "a.mtx", field: "header.rows", what: "a 10⁹ × 2 matrix",
                                   advice: "renumber the ids")
            Issue.record("\(huge) bytes were admitted")
        } catch {
            #expect(error.location == .file("a.mtx") && error.field == "header.rows")
            #expect(error.expected == "a size that fits in memory: a 10⁹ × 2 matrix would take about "
                    + "\(MemoryBudget.gigabytes(huge)) GB and this process may use \(MemoryBudget.gigabytes(physical)) GB; "
                    + "renumber the ids")
        }
        #expect(throws: FairgroundError.self) {
            try MemoryBudget.check(bytes: .infinity, file: "f", field: "n", what: "w", advice: "a")
        }
    }

    /// The address space already mapped is known (it is what an address-space limit leaves room beside), and a
    /// process with its usual memory passes the minimum a run needs.
    @Test func theAddressSpaceInUseIsCountedAndTheMinimumPasses() throws {
        let used = try #require(MemoryBudget.addressSpaceInUse)
        #expect(used > 1e6 && used.rounded() == used)
        try MemoryBudget.checkMinimum()
        let refusal = FairgroundError(file: "memory", expected: "at least 0.5 GB that this process may use (its "
                                          + "address-space limit, ulimit -v, and its control group's memory.max count)",
                                      found: "0.3 GB")
        #expect(refusal.description.hasPrefix("memory: expected at least 0.5 GB"))
    }
}
