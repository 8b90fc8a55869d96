/// Selection of the k best-scoring items of a row.
enum TopK {
    /// The indices of the `k` largest finite scores, best first; ties go to the lower index.
    ///
    /// - Complexity: O(n log k).
    static func select(_ scores: UnsafeBufferPointer<Float>, k: Int) -> [Int32] {
        guard k > 0 else { return [] }
        // A min-heap of (score, index) holding the best k so far; "worse" = lower score, or higher index on ties.
        var heap: [(score: Float, index: Int32)] = []
        heap.reserveCapacity(k)
        @inline(__always) func worse(_ a: (score: Float, index: Int32), _ b: (score: Float, index: Int32)) -> Bool {
            a.score < b.score || (a.score == b.score && a.index > b.index)
        }
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && worse(heap[l], heap[m]) { m = l }
                if r < heap.count && worse(heap[r], heap[m]) { m = r }
                if m == i { return }
                heap.swapAt(i, m)
                i = m
            }
        }
        for i in 0..<scores.count {
            let s = scores[i]
            guard s > -Float.infinity, !s.isNaN else { continue }
            let entry = (s, Int32(i))
            if heap.count < k {
                heap.append(entry)
                var c = heap.count - 1
                while c > 0 {
                    let p = (c - 1) / 2
                    if worse(heap[c], heap[p]) { heap.swapAt(c, p); c = p } else { break }
                }
            } else if worse(heap[0], entry) {
                heap[0] = entry
                siftDown(0)
            }
        }
        return heap.sorted { worse($1, $0) }.map(\.index)
    }
}
