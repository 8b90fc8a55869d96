public import FileSupport
public import Recommender

/// What one client uploads in a round of federated ALS: its contribution to the item side — for each item it
/// interacted with, (c − 1)·x xᵀ (lower triangle), c·p·x and whether the interaction is positive — and x xᵀ, its share
/// of the users' Gram matrix. Its factor row x itself never leaves the client.
///
/// ## What an upload reveals, and its padded shape
/// Secure aggregation (Bonawitz et al. 2017) sums vectors of one fixed length, masked so that only their sum can be
/// unmasked; so every upload is **dense**: every item's slot is sent, zeros for the items the client never touched
/// (``paddedBytes(items:factors:)``), and nothing in its shape or size tells which items it touched or how many.
/// The server learns only the sum over the round's participants (``SecureAggregation``), and how many took part.
///
/// The alternative, a **sparse** upload of the touched items only (``sparseBytes``), is far smaller but tells the
/// server (or anyone on the wire) which items each client touched and how many — its interaction history up to the
/// weights — as FedMF (Chai et al. 2019) and FedRec warn; Fairground reports its size for comparison and never uses
/// it. Without masking, even the dense upload reveals the history: the non-zero blocks are the touched items.
///
/// In the simulation the padding zeros are implicit (adding a zero changes no sum): an upload stores its touched
/// items only, and ``SecureAggregation`` adds them into the dense sum.
public struct ClientUpload: Sendable {
    /// The factor dimension k.
    let factors: Int
    /// The touched items, in the order of the client's data.
    let items: [Int32]
    /// Per touched item, (c − 1)·x xᵀ as a full row-major k × k block (lower triangle filled).
    let blocks: [Float]
    /// Per touched item, c·p·x.
    let rhs: [Float]
    /// Per touched item, 1 when the interaction is positive.
    let positives: [Int]
    /// x xᵀ, row-major k × k.
    let gram: [Float]

    /// The upload of a client whose factor row is `x` and whose data are `weights` on `items`, computed on the
    /// client.
    ///
    /// - Precondition: `items.count == weights.count`.
    public init(factors x: [Float], items: [Int32], weights: [Float], rule: FoldInRule) {
        precondition(items.count == weights.count, "One weight per item")
        let k = x.count
        factors = k
        self.items = items
        var blocks = [Float](repeating: 0, count: items.count * k * k)
        var rhs = [Float](repeating: 0, count: items.count * k)
        var positives = [Int](repeating: 0, count: items.count)
        for (j, r) in weights.enumerated() {
            let w = rule.confidence(r) - 1, t = rule.target(r)
            for row in 0..<k {
                let scaled = w * x[row]
                for column in 0...row { blocks[j * k * k + row * k + column] = scaled * x[column] }
            }
            if t != 0 { for f in 0..<k { rhs[j * k + f] = t * x[f] } }
            if r > 0 { positives[j] = 1 }
        }
        var gram = [Float](repeating: 0, count: k * k)
        for a in 0..<k { for b in 0..<k { gram[a * k + b] = x[a] * x[b] } }
        self.blocks = blocks
        self.rhs = rhs
        self.positives = positives
        self.gram = gram
    }

    /// The bytes of one padded (dense) upload: per item of the catalogue the k(k+1)/2 floats of its block's lower
    /// triangle, k of its right-hand side and one positive count, then the k(k+1)/2 of x xᵀ — 4 bytes each. The same
    /// for every client, whatever it touched.
    public static func paddedBytes(items: Int, factors k: Int) -> Int {
        4 * (items * (k * (k + 1) / 2 + k + 1) + k * (k + 1) / 2)
    }

    /// The bytes a sparse upload of `touched` items would take: per touched item a 4-byte index and its slot, then
    /// x xᵀ. It reveals which items the client touched (see the type's discussion).
    public static func sparseBytes(touched: Int, factors k: Int) -> Int {
        4 * (touched * (1 + k * (k + 1) / 2 + k + 1) + k * (k + 1) / 2)
    }

    /// This upload's sparse size (``sparseBytes(touched:factors:)``).
    public var sparseBytes: Int { Self.sparseBytes(touched: items.count, factors: factors) }
}

/// Simulated secure aggregation: accepts client uploads and yields nothing but their sum, once.
///
/// The value cannot be copied (`~Copyable`) and ``sum()`` consumes it, so code holding an aggregation can never
/// look at a partial sum — the difference of two partial sums would be one client's upload. Server-side code is
/// handed only the ``AggregatedUpload``.
///
/// ```swift
/// var aggregation = try SecureAggregation(items: 300, factors: 16)
/// for upload in uploads { aggregation.add(upload) }
/// let total = aggregation.sum()   // the aggregation is gone
/// ```
public struct SecureAggregation: ~Copyable, Sendable {
    /// The running sum (never exposed before ``sum()``).
    private var statistics: ItemStatistics
    /// Σ x xᵀ so far.
    private var userGram: [Float]
    /// Uploads added.
    private var clients = 0

    /// An empty aggregation over a catalogue of `items` and factor dimension `factors`.
    ///
    /// - Throws: ``FairgroundError`` naming `items` when the sum would not fit (``ItemStatistics/init(items:factors:)``).
    public init(items: Int, factors: Int) throws(FairgroundError) {
        statistics = try ItemStatistics(items: items, factors: factors)
        userGram = [Float](repeating: 0, count: factors * factors)
    }

    /// Adds one client's upload to the sum.
    ///
    /// - Precondition: the upload has the aggregation's factor dimension and items in its catalogue.
    public mutating func add(_ upload: ClientUpload) {
        let k = statistics.factors
        precondition(upload.factors == k, "An upload of another factor dimension")
        let items = statistics.items
        statistics.gram.withUnsafeMutableBufferPointer { gram in
            statistics.rhs.withUnsafeMutableBufferPointer { rhs in
                upload.blocks.withUnsafeBufferPointer { blocks in
                    for (j, item) in upload.items.enumerated() {
                        let i = Int(item)
                        precondition(i >= 0 && i < items, "An upload's item is outside the catalogue")
                        // The lower triangle: the only part of a block that is accumulated and solved from.
                        for row in 0..<k {
                            for column in 0...row { gram[i * k * k + row * k + column] += blocks[j * k * k + row * k + column] }
                        }
                        for f in 0..<k { rhs[i * k + f] += upload.rhs[j * k + f] }
                    }
                }
            }
        }
        for (j, item) in upload.items.enumerated() { statistics.positives[Int(item)] += upload.positives[j] }
        for p in 0..<(k * k) { userGram[p] += upload.gram[p] }
        clients += 1
    }

    /// The sum of every upload added — all the server ever learns; consumes the aggregation.
    public consuming func sum() -> AggregatedUpload {
        AggregatedUpload(statistics: statistics, userGram: userGram, clients: clients)
    }
}

/// The sum of one round's client uploads, as secure aggregation reveals it to the server: the item statistics, the
/// users' Gram matrix and the number of clients summed — nothing per client.
public struct AggregatedUpload: Sendable, Equatable {
    /// Σ of the clients' item statistics.
    public let statistics: ItemStatistics
    /// Σ x xᵀ over the clients, row-major k × k.
    public let userGram: [Float]
    /// How many clients were summed.
    public let clients: Int
}

/// Server-side code that is shown each round's aggregate — and, by construction, nothing else: it is handed
/// only the ``AggregatedUpload`` of the round (for monitoring, or a test that the server sees no client alone).
public protocol AggregateObserver: Sendable {
    /// Called once per round with the round's sum.
    func observe(_ aggregate: AggregatedUpload, round: Int)
}
