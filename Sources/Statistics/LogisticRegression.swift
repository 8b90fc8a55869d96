#if canImport(Glibc)
internal import Glibc
#endif

import Linear

/// L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least squares): each step
/// forms the Hessian `Zᵀ·W·Z + λ·D` with BLAS (`syrk` on `√W·Z`) and solves it by Cholesky. The intercept is not
/// penalised, so the objective is scikit-learn's with `C = 1/λ`:
/// `Σ log(1 + exp(−yᵢ·(b + xᵢ·w))) + (λ/2)·‖w‖²`.
package struct LogisticRegression: Sendable {
    /// The L2 penalty λ on the weights.
    package var regularization = 1.0
    /// Newton steps at most.
    package var maximumIterations = 100
    /// Converged when no coefficient moves by more than this.
    package var tolerance = 1e-10

    /// A fitted model.
    package struct Fit: Sendable {
        package var intercept: Double
        package var weights: [Double]
        package var iterations: Int

        /// P(y = 1 | x) for each row of `x`.
        package func probabilities(_ x: Matrix<Double>) -> [Double] {
            let d = weights.count
            return (0..<x.rows).map { i in
                var eta = intercept
                for j in 0..<d { eta += x.elements[i * d + j] * weights[j] }
                return LogisticRegression.sigmoid(eta)
            }
        }
    }

    package static func sigmoid(_ t: Double) -> Double { t >= 0 ? 1 / (1 + exp(-t)) : exp(t) / (1 + exp(t)) }

    /// Fits `y` (0 or 1) on the rows of `x`.
    ///
    /// - Precondition: `y` has one value per row of `x`.
    /// - Parameter start: Coefficients to start from (intercept first), e.g. another fold's fit on nearly the same
    ///   rows; the intercept-only fit when `nil`. The optimum is unique (the objective is strictly convex), so
    ///   the start changes only how many steps reach it.
    package func fit(_ x: Matrix<Double>, _ y: [Bool], start: Fit? = nil) -> Fit {
        precondition(y.count == x.rows, "One label per row")
        let n = x.rows, d = x.columns, p = d + 1
        var beta = [Double](repeating: 0, count: p)
        let positives = Double(y.filter { $0 }.count)
        if positives > 0 && positives < Double(n) { beta[0] = log(positives / (Double(n) - positives)) }
        if let start, start.weights.count == d { beta = [start.intercept] + start.weights }
        var iterations = 0
        var loss = objective(x, y, beta)
        // Reused by every step.
        var weighted = [Double](repeating: 0, count: n * p)
        while iterations < maximumIterations {
            iterations += 1
            // Gradient and the weighted design √W·Z (Z = [1, x]).
            var gradient = [Double](repeating: 0, count: p)
            for i in 0..<n {
                var eta = beta[0]
                for j in 0..<d { eta += x.elements[i * d + j] * beta[j + 1] }
                let mu = Self.sigmoid(eta)
                let r = mu - (y[i] ? 1 : 0)
                let s = (mu * (1 - mu)).squareRoot()
                gradient[0] += r
                weighted[i * p] = s
                for j in 0..<d {
                    gradient[j + 1] += r * x.elements[i * d + j]
                    weighted[i * p + j + 1] = s * x.elements[i * d + j]
                }
            }
            for j in 1..<p { gradient[j] += regularization * beta[j] }
            var h = Matrix(rows: n, columns: p, elements: weighted).gram().elements
            for j in 1..<p { h[j * p + j] += regularization }
            h[0] += 1e-12 * Double(n)  // keeps the intercept's pivot positive when every μ(1 − μ) ≈ 0
            guard let cholesky = try? Cholesky(Matrix(rows: p, columns: p, elements: h)) else { break }
            let step = cholesky.solve(gradient)
            // Halve the step until the penalised loss does not increase (Newton's step is almost always taken).
            var scale = 1.0, next = beta, nextLoss = loss
            for _ in 0..<30 {
                next = (0..<p).map { beta[$0] - scale * step[$0] }
                nextLoss = objective(x, y, next)
                if nextLoss <= loss { break }
                scale /= 2
            }
            let moved = (0..<p).map { abs(next[$0] - beta[$0]) }.max() ?? 0
            beta = next
            loss = nextLoss
            if moved < tolerance { break }
        }
        return Fit(intercept: beta[0], weights: Array(beta[1...]), iterations: iterations)
    }

    /// The penalised negative log-likelihood.
    package func objective(_ x: Matrix<Double>, _ y: [Bool], _ beta: [Double]) -> Double {
        let d = x.columns
        var total = 0.0
        for i in 0..<x.rows {
            var eta = beta[0]
            for j in 0..<d { eta += x.elements[i * d + j] * beta[j + 1] }
            let t = y[i] ? -eta : eta  // log(1 + exp(t)), stably
            total += t > 0 ? t + log1p(exp(-t)) : log1p(exp(t))
        }
        for j in 1..<beta.count { total += 0.5 * regularization * beta[j] * beta[j] }
        return total
    }
}
