internal import Linear
#if canImport(Glibc)
internal import Glibc
#endif

/// The generated items: their categories, genres, popularity and latent tastes.
///
/// Items are laid out in contiguous blocks, one per category in the order written, sized by the shares with
/// largest-remainder rounding. Popularity follows a power law over a seeded random ranking of all items, so it
/// is independent of category: `popularity ∝ (rank + 1)^(−popularity_exponent)`. With genres, each category's
/// items are dealt in a seeded order into `min(genres, size)` genres of equal size (±1), so a genre mixes popular
/// and obscure items.
public struct ItemCatalog: Sendable {
    /// The category names, in spec order.
    public let categoryNames: [String]
    /// Whether each category is an offer.
    public let isOffer: [Bool]
    /// The category index of each item.
    public let category: [Int32]
    /// The first item of each category, plus the item count at the end.
    public let categoryStart: [Int]
    /// The relative popularity of each item (sums to 1 within each category).
    public let popularity: [Double]
    /// The genre of each item, numbered within its category from 0.
    public let genre: [Int32]
    /// The first genre of each category in the global genre numbering, plus the genre count at the end.
    let genreOffset: [Int]
    /// The items ordered by category, then genre, then id: the sampling space of the alias tables.
    let genreItems: [Int32]
    /// The first position in ``genreItems`` of each global genre, plus the item count at the end.
    let genreStart: [Int]
    /// The popularity of each global genre (the sum of its items' popularities; sums to 1 within a category).
    let genreMass: [Double]
    /// Latent taste vectors, row-major `count × dimensions`.
    let tastes: [Float]
    /// The taste dimension.
    let dimensions: Int
    /// The alias tables over popularity of every genre, in the position space of ``genreItems``: a draw in global
    /// genre g picks `k` in `genreStart[g] ..< genreStart[g + 1]` and keeps it with probability `aliasKeep[k]`,
    /// else takes `aliasIndex[k]`; the item is `genreItems[k]`. Without genres a category is one genre and
    /// positions are item ids.
    let aliasKeep: [Double]
    let aliasIndex: [Int32]

    /// The number of items.
    public var count: Int { category.count }

    init(spec: ItemsSpec, behavior: BehaviorSpec, rng: Philox) {
        let n = spec.count
        // Largest-remainder allocation of items to categories (at least one each).
        let exact = spec.categories.map { $0.share * Double(n) }
        var sizes = exact.map { max(1, Int($0.rounded(.down))) }
        var remaining = n - sizes.reduce(0, +)
        let byRemainder = exact.indices.sorted {
            let a = exact[$0] - exact[$0].rounded(.down), b = exact[$1] - exact[$1].rounded(.down)
            return a != b ? a > b : $0 < $1
        }
        var k = 0
        while remaining > 0 { sizes[byRemainder[k % sizes.count]] += 1; remaining -= 1; k += 1 }
        while remaining < 0 {
            let i = sizes.indices.max { sizes[$0] < sizes[$1] }!
            sizes[i] -= 1; remaining += 1
        }
        var starts = [0]
        for s in sizes { starts.append(starts.last! + s) }
        var category = [Int32](repeating: 0, count: n)
        for c in sizes.indices { for i in starts[c]..<starts[c + 1] { category[i] = Int32(c) } }

        // Popularity by a seeded ranking of all items.
        let keys = (0..<n).map { rng.block(row: $0, column: 0, stream: RandomStream.itemPopularity.rawValue) }
        let ranking = (0..<n).sorted {
            let a = (UInt64(keys[$0].0) << 32) | UInt64(keys[$0].1)
            let b = (UInt64(keys[$1].0) << 32) | UInt64(keys[$1].1)
            return a != b ? a < b : $0 < $1
        }
        var rank = [Int](repeating: 0, count: n)
        for (r, item) in ranking.enumerated() { rank[item] = r }
        var popularity = (0..<n).map { pow(Double(rank[$0] + 1), -behavior.popularityExponent) }
        for c in sizes.indices {
            let range = starts[c]..<starts[c + 1]
            let total = range.reduce(0.0) { $0 + popularity[$1] }
            for i in range { popularity[i] /= total }
        }

        // Genres: each category's items dealt round-robin in a seeded order; positions sorted by (genre, id).
        let requested = behavior.feedback == .implicit ? max(1, behavior.genres) : 1
        var genre = [Int32](repeating: 0, count: n)
        var genreOffset = [0], genreItems: [Int32] = [], genreStart: [Int] = [], genreMass: [Double] = []
        genreItems.reserveCapacity(n)
        for c in sizes.indices {
            let range = starts[c]..<starts[c + 1]
            let g = min(requested, range.count)
            if g > 1 {
                let keys = range.map {
                    let b = rng.block(row: $0, column: 0, stream: RandomStream.itemGenre.rawValue)
                    return (UInt64(b.0) << 32) | UInt64(b.1)
                }
                let dealt = keys.indices.sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
                for (position, k) in dealt.enumerated() { genre[range.lowerBound + k] = Int32(position % g) }
            }
            var members = [[Int32]](repeating: [], count: g)
            for i in range { members[Int(genre[i])].append(Int32(i)) }
            for list in members {
                genreStart.append(genreItems.count)
                genreItems += list
                genreMass.append(list.reduce(0.0) { $0 + popularity[Int($1)] })
            }
            genreOffset.append(genreOffset.last! + g)
        }
        genreStart.append(n)
        var aliasKeep: [Double] = [], aliasIndex: [Int32] = []
        for g in genreMass.indices {
            let range = genreStart[g]..<genreStart[g + 1]
            let table = AliasTable(weights: range.map { popularity[Int(genreItems[$0])] })
            aliasKeep += table.keep
            aliasIndex += table.alias.map { $0 + Int32(range.lowerBound) }
        }

        let d = behavior.latentDimensions
        let scale = d > 0 ? pow(Double(d), -0.25) : 0
        var tastes = [Float](repeating: 0, count: n * d)
        let normal = Ziggurat()
        for i in 0..<n {
            for j in 0..<d {
                tastes[i * d + j] = Float(scale * normal.normal(rng, row: i, column: j, stream: RandomStream.itemTaste.rawValue))
            }
        }
        categoryNames = spec.categories.map(\.name)
        isOffer = spec.categories.map(\.isOffer)
        self.category = category
        categoryStart = starts
        self.popularity = popularity
        self.genre = genre
        self.genreOffset = genreOffset
        self.genreItems = genreItems
        self.genreStart = genreStart
        self.genreMass = genreMass
        self.tastes = tastes
        dimensions = d
        self.aliasKeep = aliasKeep
        self.aliasIndex = aliasIndex
    }
}
