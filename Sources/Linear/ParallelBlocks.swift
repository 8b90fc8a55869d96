import Dispatch

/// Work split into numbered blocks and run on several threads, with results collected in block order, so the
/// outcome never depends on the thread count.
public enum ParallelBlocks {
    /// Runs `body` for every block index in `0..<count` on up to `threads` workers and returns the results in
    /// block order. Worker `w` takes blocks `w, w + threads, …`; each writes only its own slots.
    public static func map<Result: Sendable>(
        count: Int, threads: Int, _ body: @Sendable (Int) -> Result
    ) -> [Result] {
        let slots = UnsafeMutableBufferPointer<Result?>.allocate(capacity: count)
        slots.initialize(repeating: nil)
        defer {
            slots.deinitialize()
            slots.deallocate()
        }
        let shared = DisjointSlots(base: slots)
        let workers = max(1, min(threads, count))
        if workers == 1 {
            for b in 0..<count { shared.base[b] = body(b) }
        } else {
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                for b in stride(from: w, to: count, by: workers) { shared.base[b] = body(b) }
            }
        }
        return slots.map { $0! }
    }
}

/// Several threads write disjoint slots of one buffer; callers guarantee no slot is written twice and that the
/// storage outlives the parallel region.
struct DisjointSlots<Element>: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<Element>
}
