import Linear

/// Σ w·y yᵀ added to the lower triangle of a row-major k × k block, the rank-one updates of an exact row or item
/// solve: rows √|w|·y are gathered into two caller-owned buffers (positive and negative weights apart) and added
/// with one `ssyrk` per full buffer — the one `ssyrk` of many rows that makes the exact solver fast.
///
/// The sums depend only on the order of `add` calls, never on the thread that makes them.
struct WeightedGram {
    /// The factor dimension k.
    let k: Int
    /// Rows each buffer holds (`capacity × k` floats each).
    let capacity: Int
    private let positive: UnsafeMutablePointer<Float>, negative: UnsafeMutablePointer<Float>
    private var positives = 0, negatives = 0

    /// Gathers into `positive` and `negative`, each of `capacity × k` floats, which must outlive the value.
    init(k: Int, capacity: Int, positive: UnsafeMutablePointer<Float>, negative: UnsafeMutablePointer<Float>) {
        self.k = k
        self.capacity = capacity
        self.positive = positive
        self.negative = negative
    }

    /// Adds w·y yᵀ to `block` (now, or at the next flush).
    @inline(__always)
    mutating func add(_ y: UnsafePointer<Float>, weight w: Float, into block: UnsafeMutablePointer<Float>) {
        if w > 0 {
            let scale = w.squareRoot()
            for f in 0..<k { positive[positives * k + f] = scale * y[f] }
            positives += 1
        } else if w < 0 {
            let scale = (-w).squareRoot()
            for f in 0..<k { negative[negatives * k + f] = scale * y[f] }
            negatives += 1
        }
        if positives == capacity || negatives == capacity { flush(into: block) }
    }

    /// Adds every gathered row to `block` and empties the buffers (call once the block's last row is added).
    mutating func flush(into block: UnsafeMutablePointer<Float>) {
        if positives > 0 { SPDKernel.addGram(positive, rows: positives, k: k, alpha: 1, into: block) }
        if negatives > 0 { SPDKernel.addGram(negative, rows: negatives, k: k, alpha: -1, into: block) }
        positives = 0
        negatives = 0
    }
}
