import Linear
#if canImport(Glibc)
internal import Glibc
#endif

/// Standard normal draws for the Gaussian mechanism, each a pure function of (seed, sweep, row, index): the
/// Box–Muller transform of two 52-bit uniforms from one ``Philox`` block on stream
/// ``RandomStream/privateTrainingNoise`` (the sweep in the stream word's bits 8–30), so private training gives the
/// same bytes on any thread count.
///
/// Floating-point noise is not exactly Gaussian (the largest draw is about 8.6 standard deviations); like every
/// floating-point implementation of the mechanism, the guarantee holds for the ideal Gaussian (Mironov 2012).
struct GaussianNoise: Sendable {
    let philox: Philox
    let stream: UInt32

    /// The noise of one sweep (0: releases made once, before the first sweep).
    init(seed: UInt64, sweep: Int) {
        precondition(sweep >= 0 && sweep < 1 << 23, "Sweep out of the stream word's range")
        philox = Philox(seed: seed)
        stream = RandomStream.privateTrainingNoise.rawValue | UInt32(sweep) << 8
    }

    /// Adds `scale` times the standard normals at `(row, 0 ..< count)` to `target[0 ..< count]`.
    func add(scale: Float, row: Int, to target: UnsafeMutablePointer<Float>, count: Int) {
        var j = 0
        while j < count {
            let b = philox.block(row: row, column: j / 2, stream: stream)
            let u1 = Philox.unitInterval(b.0, b.1), u2 = Philox.unitInterval(b.2, b.3)
            let radius = (-2 * log(u1)).squareRoot(), angle = 2 * Double.pi * u2
            target[j] += scale * Float(radius * cos(angle))
            if j + 1 < count { target[j + 1] += scale * Float(radius * sin(angle)) }
            j += 2
        }
    }
}
