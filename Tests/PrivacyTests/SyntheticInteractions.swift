import Linear
import TrainingData

/// A small implicit-feedback world with low-rank taste, for the private-training tests: each user picks items with
/// probability rising with the dot product of their taste and the item's, some of them repeatedly (weights 1–4).
enum SyntheticInteractions {
    static func make(users: Int, items: Int, rank: Int = 4, meanItems: Int = 20, seed: UInt64) -> InteractionData {
        let philox = Philox(seed: seed)
        func normal(_ row: Int, _ column: Int) -> Double {
            let b = philox.block(row: row, column: column, stream: 77)
            let u1 = Philox.unitInterval(b.0, b.1), u2 = Philox.unitInterval(b.2, b.3)
            return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        }
        let itemTaste = (0..<items).map { i in (0..<rank).map { normal(1_000_000 + i, $0) } }
        var triplets: [(row: Int, column: Int, value: Float)] = []
        for u in 0..<users {
            let taste = (0..<rank).map { normal(u, $0) }
            let count = max(2, Int(Double(meanItems) * exp(0.5 * normal(u, 100))))
            let weights = itemTaste.map { q in exp(1.2 * zip(taste, q).reduce(0) { $0 + $1.0 * $1.1 }) }
            let total = weights.reduce(0, +)
            var chosen = Set<Int>()
            for draw in 0..<count {
                var target = philox.uniform(row: u, column: 200 + draw, stream: 78) * total
                var i = 0
                while i < items - 1, target > weights[i] { target -= weights[i]; i += 1 }
                chosen.insert(i)
            }
            for i in chosen.sorted() {
                let repeats = 1 + Int(philox.uniform(row: u, column: 10_000 + i, stream: 79) * 4)
                triplets.append((u, i, Float(repeats > 2 ? repeats - 2 : 1)))
            }
        }
        return InteractionData(matrix: CSRMatrix(rows: users, columns: items, triplets: triplets))
    }
}

#if canImport(Glibc)
import Glibc
#endif
