#if canImport(Glibc)
internal import Glibc
#endif
public import Recommender

/// Composes a private run's Gaussian releases by Rényi differential privacy and converts the result to (ε, δ).
///
/// The accountant follows Google's `dp-accounting` (`dp_accounting.rdp.RdpAccountant`, version 0.6.0) step by
/// step, so anyone can re-account a run from its recorded releases and get the same ε:
///
/// 1. Each release contributes its RDP curve at every order α in ``orders``; for a Gaussian with noise
///    multiplier z applied `count` times that is `count` · α / (2z²). Composition adds the curves.
/// 2. The curve is converted to (ε, δ) at each order by the improved conversion (Balle et al. 2020,
///    "Hypothesis testing interpretations and Rényi differential privacy", Proposition 12; Canonne et al. 2020,
///    Equation 20): ε(α) = r + log1p(−1/α) − log(δα)/(α − 1), with the package's edge handling (below).
/// 3. ε is the smallest of these over the orders (never below 0); the order that gives it is returned with it.
///
/// The true ε of the composition is the infimum over all orders α > 1, so any finite set of orders gives an upper
/// bound: with the package's default orders (``defaultOrders``) this accountant's ε is the package's ε, never below
/// it.
///
/// Edge handling, as in the package's `compute_epsilon`: δ = 0 gives ε = 0 when the curve is zero and +∞ otherwise
/// (with order 0); an order with divergence r so small that δ² + expm1(−r) > 0 gives ε = 0 there (the bound via KL
/// divergence, δ ≤ √(1 − e^−r)); a negative divergence (numerical trouble) gives 0; an order at most 1.01, where
/// the conversion is unstable, gives +∞; a divergence of +∞ (a noise multiplier of 0) gives +∞.
///
/// The accountant is a value: it holds only its orders and composes nothing until asked. Only Gaussian
/// releases (``GaussianRelease``) are accounted today; another mechanism needs only its own RDP curve, since the
/// composition and the conversion work on curves.
///
/// ```swift
/// let accountant = RDPAccountant()
/// let release = GaussianRelease(noiseMultiplier: 4.530877117, count: 1)
/// let (epsilon, order) = accountant.epsilon(of: [release], delta: 1e-6)
/// // epsilon ≈ 1.0000003 at order 22
/// ```
public struct RDPAccountant: Sendable, Equatable {
    /// The Rényi orders `dp-accounting`'s `RdpAccountant` uses by default (its `DEFAULT_RDP_ORDERS`): 1.1, 1.2, …,
    /// 10.9 in steps of 0.1, the integers 11 through 63, and 128, 256, 512 and 1024 — 156 orders.
    ///
    /// The fractional orders are computed as the package computes them (1 + k / 10), so they are the same doubles.
    public static let defaultOrders: [Double] =
        (1...99).map { 1 + Double($0) / 10 } + (11...63).map(Double.init) + [128, 256, 512, 1024]

    /// The Rényi orders ε is minimised over; each is at least 1 (orders ≤ 1.01 are never used by the conversion).
    ///
    /// More (or better placed) orders can only lower ε; the defaults are the package's, so that an ε printed by
    /// Fairground is exactly the one the package gives for the same releases.
    public var orders: [Double]

    /// Creates an accountant minimising over `orders`.
    ///
    /// - Parameter orders: The Rényi orders, each ≥ 1 and not empty; by default `dp-accounting`'s
    ///   (``defaultOrders``).
    public init(orders: [Double] = RDPAccountant.defaultOrders) {
        self.orders = orders
    }

    /// The (ε, δ) guarantee of composing `releases`, and the Rényi order that gives it.
    ///
    /// Releases compose in any order (their divergences add); an empty list costs nothing (ε = 0).
    ///
    /// ```swift
    /// let perSweep = [GaussianRelease(noiseMultiplier: 20, count: 15),
    ///                 GaussianRelease(noiseMultiplier: 20 / 50.0.squareRoot(), count: 15),
    ///                 GaussianRelease(noiseMultiplier: 20 / 50.0.squareRoot(), count: 15)]
    /// let epsilon = RDPAccountant().epsilon(of: perSweep, delta: 1e-6).epsilon
    /// ```
    ///
    /// - Parameters:
    ///   - releases: The run's Gaussian releases, each with its noise multiplier (≥ 0; 0 means no noise and gives
    ///     ε = +∞) and the number of times it is applied.
    ///   - delta: The target δ, ≥ 0 (in (0, 1) for a useful guarantee; δ = 0 gives +∞ unless nothing is released).
    /// - Returns: ε ≥ 0 (+∞ when no order gives a finite bound) and the order at which it is reached (the first
    ///   such order in ``orders``; 0 when δ = 0).
    /// - Precondition: ``orders`` is not empty and each order is ≥ 1; δ ≥ 0; every noise multiplier is ≥ 0 and every
    ///   count ≥ 0. (The package raises an error for the same inputs.)
    /// - Complexity: O(*m* · *n*) for *m* orders and *n* releases.
    public func epsilon(of releases: [GaussianRelease], delta: Double) -> (epsilon: Double, order: Double) {
        var divergences = [Double](repeating: 0, count: orders.count)
        for release in releases {
            for (index, order) in orders.enumerated() {
                divergences[index] += release.renyiDivergence(order: order)
            }
        }
        return Self.epsilon(orders: orders, divergences: divergences, delta: delta)
    }

    /// Converts an RDP curve to (ε, δ): the package's `compute_epsilon`, formula and edge cases alike.
    ///
    /// - Parameters:
    ///   - orders: The orders, each ≥ 1.
    ///   - divergences: The composed Rényi divergence at each order.
    ///   - delta: δ ≥ 0.
    /// - Returns: The smallest ε over the orders (at least 0) and the first order reaching it.
    static func epsilon(orders: [Double], divergences: [Double], delta: Double) -> (epsilon: Double, order: Double) {
        precondition(delta >= 0, "δ is ≥ 0 (found \(delta))")
        precondition(!orders.isEmpty && orders.count == divergences.count, "one divergence per order, and some order")
        if delta == 0 {
            return divergences.allSatisfy { $0 == 0 } ? (0, 0) : (.infinity, 0)
        }
        var best = (epsilon: Double.infinity, order: orders[0])
        for (index, (order, divergence)) in zip(orders, divergences).enumerated() {
            precondition(order >= 1, "a Rényi order is ≥ 1 (found \(order))")
            let epsilon: Double
            if divergence < 0 {
                epsilon = 0  // numerical trouble upstream; the package warns and uses 0
            } else if delta * delta + expm1(-divergence) > 0 {
                epsilon = 0  // bound via the KL divergence: δ ≤ √(1 − e^−r)
            } else if order > 1.01 {
                epsilon = divergence + log1p(-1 / order) - log(delta * order) / (order - 1)
            } else {
                epsilon = .infinity  // the conversion is unstable as α → 1
            }
            if index == 0 || epsilon < best.epsilon { best = (epsilon, order) }
        }
        return (max(0, best.epsilon), best.order)
    }
}
