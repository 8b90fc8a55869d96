internal import Linear
#if canImport(Glibc)
internal import Glibc
#endif

/// Standard normal draws by the ziggurat method (Marsaglia & Tsang 2000, in Doornik's 2005 double-precision
/// form with 128 layers), fed by Philox blocks so that every draw stays a pure function of its coordinates.
///
/// About 98.8% of draws take the fast path: one 64-bit word gives a layer (7 bits) and a signed uniform
/// (52 bits), and the value is their product. The rest (wedges and the tail beyond r = 3.4426) consume further
/// blocks keyed by the same coordinates and an attempt counter.
struct Ziggurat: Sendable {
    static let layers = 128
    static let r = 3.442_619_855_899
    static let v = 9.912_563_035_262_17e-3
    /// Layer edges: `x[0] = v / f(r)`, `x[1] = r`, …, `x[128] = 0`.
    let x: [Double]
    /// `x[i + 1] / x[i]`: the fast-path acceptance bound of layer i.
    let ratio: [Double]

    init() {
        var x = [Double](repeating: 0, count: Self.layers + 1)
        var f = exp(-0.5 * Self.r * Self.r)
        x[0] = Self.v / f
        x[1] = Self.r
        for i in 2..<Self.layers {
            x[i] = (-2 * log(Self.v / x[i - 1] + f)).squareRoot()
            f = exp(-0.5 * x[i] * x[i])
        }
        self.x = x
        ratio = (0..<Self.layers).map { x[$0 + 1] / x[$0] }
    }

    /// The normal draw at `(row, column, stream)` of `rng`.
    @inline(__always)
    func normal(_ rng: Philox, row: Int, column: Int, stream: UInt32) -> Double {
        let b = rng.block(row: row, column: column >> 1, stream: stream)
        let word = column & 1 == 0 ? (UInt64(b.0) << 32 | UInt64(b.1)) : (UInt64(b.2) << 32 | UInt64(b.3))
        let layer = Int(word & 0x7F)
        let u = 2 * (Double(word >> 12) + 0.5) * 0x1p-52 - 1
        if abs(u) < ratio[layer] { return u * x[layer] }
        return slow(rng, row: row, column: column, stream: stream, layer: layer, u: u)
    }

    /// Fills `out` with the draws of columns `0..<out.count`.
    @inline(__always)
    func normals(_ rng: Philox, row: Int, stream: UInt32, into out: UnsafeMutableBufferPointer<Double>) {
        var k = 0
        while k < out.count {
            let b = rng.block(row: row, column: k >> 1, stream: stream)
            for half in 0..<min(2, out.count - k) {
                let word = half == 0 ? (UInt64(b.0) << 32 | UInt64(b.1)) : (UInt64(b.2) << 32 | UInt64(b.3))
                let layer = Int(word & 0x7F)
                let u = 2 * (Double(word >> 12) + 0.5) * 0x1p-52 - 1
                out[k + half] = abs(u) < ratio[layer]
                    ? u * x[layer] : slow(rng, row: row, column: k + half, stream: stream, layer: layer, u: u)
            }
            k += 2
        }
    }

    /// Wedges, the tail, and rejected tries, with fresh blocks `(row, column, stream + attempt << 8)`.
    func slow(_ rng: Philox, row: Int, column: Int, stream: UInt32, layer: Int, u: Double) -> Double {
        var layer = layer, u = u
        var attempt: UInt32 = 1
        while true {
            let b = rng.block(row: row, column: column, stream: stream | attempt << 8)
            attempt += 1
            if abs(u) < ratio[layer] { return u * x[layer] }
            if layer == 0 {
                // The tail beyond r (Marsaglia 1964).
                var tries = UInt32(0)
                var t = b
                while true {
                    let a = log(Philox.unitInterval(t.0, t.1)) / Self.r
                    let y = log(Philox.unitInterval(t.2, t.3))
                    if -2 * y >= a * a { return u < 0 ? a - Self.r : Self.r - a }
                    tries += 1
                    t = rng.block(row: row, column: column, stream: stream | (attempt + tries) << 8 | 1 << 31)
                }
            }
            let candidate = u * x[layer]
            let f0 = exp(-0.5 * (x[layer] * x[layer] - candidate * candidate))
            let f1 = exp(-0.5 * (x[layer + 1] * x[layer + 1] - candidate * candidate))
            if f1 + Philox.unitInterval(b.0, b.1) * (f0 - f1) < 1 { return candidate }
            // Rejected: a new layer and uniform from the rest of this block.
            let word = UInt64(b.2) << 32 | UInt64(b.3)
            layer = Int(word & 0x7F)
            u = 2 * (Double(word >> 12) + 0.5) * 0x1p-52 - 1
        }
    }
}
