internal import Linear
/// Walker's alias method (Vose's construction): O(1) draws from a fixed discrete distribution.
struct AliasTable: Sendable {
    /// The probability of keeping column `k` rather than taking its alias.
    let keep: [Double]
    /// The alias of each column.
    let alias: [Int32]

    /// Builds the table for non-negative weights with a positive sum.
    init(weights: [Double]) {
        let n = weights.count
        precondition(n > 0, "An alias table needs at least one weight")
        let total = weights.reduce(0, +)
        precondition(total > 0 && total.isFinite, "Alias weights must have a positive, finite sum")
        var scaled = weights.map { $0 * Double(n) / total }
        var keep = [Double](repeating: 1, count: n)
        var alias = [Int32](repeating: 0, count: n)
        var small: [Int] = [], large: [Int] = []
        for i in 0..<n { if scaled[i] < 1 { small.append(i) } else { large.append(i) } }
        while let s = small.popLast() {
            guard let l = large.last else { keep[s] = 1; continue }
            keep[s] = scaled[s]
            alias[s] = Int32(l)
            scaled[l] -= 1 - scaled[s]
            if scaled[l] < 1 {
                large.removeLast()
                small.append(l)
            }
        }
        for l in large { keep[l] = 1; alias[l] = Int32(l) }
        for i in 0..<n where keep[i] >= 1 { alias[i] = Int32(i) }
        self.keep = keep
        self.alias = alias
    }

    /// The number of outcomes.
    var count: Int { keep.count }

    /// A draw from two uniform words.
    @inline(__always)
    func sample(column word: UInt32, coin: UInt32) -> Int {
        let k = Int((UInt64(word) &* UInt64(keep.count)) >> 32)
        return Philox.unitInterval(coin) < keep[k] ? k : Int(alias[k])
    }
}
