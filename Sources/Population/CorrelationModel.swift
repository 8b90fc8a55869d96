import FileSupport
internal import Linear

/// The latent Gaussian-copula correlation structure of a spec, as a linear structural causal model.
///
/// The target correlation matrix `R` (unit diagonal, declared pairs, zeros elsewhere), taken in the spec's
/// causal order, is factored `R = L·Lᵀ` by LAPACK `potrf`. Writing `L = (I − B)⁻¹·D` with `D` its diagonal gives
/// the structural equations `z_j = Σ_{m<j} B_jm·z_m + D_jj·u_j` with independent exogenous noise `u`, which
/// reproduce `z = L·u` exactly in distribution and let a counterfactual recompute only the descendants of an
/// intervened attribute.
public struct CorrelationModel: Sendable {
    /// The correlation matrix used, in listing order (after repair, when one was asked for and needed).
    public let matrix: [[Double]]
    /// Pairs whose correlation was changed by a repair: `(first, second, target, used)`, listing-order indices.
    public let repairs: [CorrelationRepair]
    /// The smallest eigenvalue of the target matrix.
    public let smallestEigenvalue: Double
    /// `D_jj` in causal positions: the scale of each attribute's own noise.
    let noiseScale: [Double]
    /// Structural coefficients in causal positions: position j's parents (m < j, B_jm ≠ 0) are
    /// `parentPosition[parentStart[j] ..< parentStart[j + 1]]` with weights `parentWeight[…]`.
    let parentStart: [Int]
    let parentPosition: [Int]
    let parentWeight: [Double]

    /// Builds the model for a spec.
    ///
    /// - Parameter repair: replace a matrix that is not positive semi-definite by the nearest correlation matrix
    ///   (Higham 2002) instead of failing.
    /// - Throws: ``FairgroundError`` on the `correlations` field naming the attributes involved when the matrix is not
    ///   positive semi-definite and `repair` is false.
    public init(spec: PopulationSpec, repair: Bool) throws(FairgroundError) {
        let n = spec.attributes.count
        var r = Matrix<Double>.identity(n)
        for c in spec.correlations {
            r[c.first, c.second] = c.r
            r[c.second, c.first] = c.r
        }
        let eigen: SymmetricEigen<Double>
        do { eigen = try SymmetricEigen(r) } catch {
            throw FairgroundError(file: spec.file, field: "correlations", expected: "a decomposable matrix (\(error))")
        }
        smallestEigenvalue = eigen.values.first ?? 1
        var used = r
        var repairs: [CorrelationRepair] = []
        if smallestEigenvalue < -1e-10 {
            let involved = Self.conflictingSet(r, direction: (0..<n).map { eigen.vectors[$0, 0] })
                .map { spec.attributes[$0].name }
            guard repair else {
                throw FairgroundError(
                    file: spec.file, field: "correlations",
                    expected: "a positive semi-definite correlation matrix; the correlations among "
                        + "\(involved.joined(separator: ", ")) cannot hold together (smallest eigenvalue "
                        + "\(Self.rounded(smallestEigenvalue))); change them or pass --repair-correlations",
                    found: nil)
            }
            used = Self.nearestCorrelationMatrix(r)
            for i in 0..<n {
                for j in 0..<i where abs(used[i, j] - r[i, j]) > 1e-9 {
                    repairs.append(CorrelationRepair(first: j, second: i, target: r[i, j], used: used[i, j]))
                }
            }
        }
        self.repairs = repairs
        matrix = (0..<n).map { i in (0..<n).map { used[i, $0] } }

        // Permute into causal order and factor; a singular (semi-definite) matrix gets a tiny ridge.
        let order = spec.causalOrder
        var causal = Matrix<Double>(rows: n, columns: n)
        for p in 0..<n { for q in 0..<n { causal[p, q] = used[order[p], order[q]] } }
        var factor: Matrix<Double>? = nil
        var ridge = 0.0
        while factor == nil {
            var m = causal
            if ridge > 0 { for p in 0..<n { for q in 0..<n { m[p, q] = (causal[p, q] + (p == q ? ridge : 0)) / (1 + ridge) } } }
            factor = try? Cholesky(m).factor
            ridge = ridge == 0 ? 1e-12 : ridge * 10
            if ridge > 1e-3, factor == nil {
                throw FairgroundError(file: spec.file, field: "correlations", expected: "a factorable correlation matrix")
            }
        }
        let l = factor!
        // B = I − D·L⁻¹ by forward substitution on the unit-free inverse.
        var inverse = Matrix<Double>(rows: n, columns: n)
        for col in 0..<n {
            for row in col..<n {
                var s = row == col ? 1.0 : 0.0
                for k in col..<row { s -= l[row, k] * inverse[k, col] }
                inverse[row, col] = s / l[row, row]
            }
        }
        var parents: [[(Int, Double)]] = []
        for j in 0..<n {
            var list: [(Int, Double)] = []
            for m in 0..<j {
                let b = -l[j, j] * inverse[j, m]
                if abs(b) > 1e-12 { list.append((m, b)) }
            }
            parents.append(list)
        }
        noiseScale = (0..<n).map { l[$0, $0] }
        parentStart = parents.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        parentPosition = parents.flatMap { $0.map(\.0) }
        parentWeight = parents.flatMap { $0.map(\.1) }
    }

    /// A small set of attributes whose correlations cannot hold together: the attributes loading most on the
    /// offending eigenvector `direction`, taken by decreasing loading until their own correlation matrix is not
    /// positive semi-definite (at least two; every attribute when no smaller set conflicts). Listing-order
    /// indices, ascending. However many attributes a spec has, the refusal names some.
    static func conflictingSet(_ r: Matrix<Double>, direction v: [Double]) -> [Int] {
        let n = v.count
        let order = (0..<n).sorted { abs(v[$0]) != abs(v[$1]) ? abs(v[$0]) > abs(v[$1]) : $0 < $1 }
        guard n > 2 else { return Array(0..<n) }
        for k in 2..<n {
            let chosen = Array(order.prefix(k)).sorted()
            var sub = Matrix<Double>.identity(k)
            for a in 0..<k { for b in 0..<k { sub[a, b] = r[chosen[a], chosen[b]] } }
            if let e = try? SymmetricEigen(sub), (e.values.first ?? 1) < -1e-10 { return chosen }
        }
        return Array(0..<n)
    }

    /// The latent values in causal positions from exogenous noise, by the structural equations.
    @inline(__always)
    func latent(noise u: UnsafeBufferPointer<Double>, into z: UnsafeMutableBufferPointer<Double>) {
        for j in 0..<noiseScale.count { z[j] = equation(j, noise: u[j], parents: UnsafeBufferPointer(z)) }
    }

    /// `z_j = D_jj·u_j + Σ_m B_jm·z_m`, summed in one fixed order — the factual world and a counterfactual
    /// recomputation use this same function, so unchanged inputs give bit-identical outputs.
    @inline(__always)
    func equation(_ j: Int, noise u: Double, parents z: UnsafeBufferPointer<Double>) -> Double {
        parentPosition.withUnsafeBufferPointer { position in
            parentWeight.withUnsafeBufferPointer { weight in
                var s = noiseScale[j] * u
                for k in parentStart[j]..<parentStart[j + 1] { s += weight[k] * z[position[k]] }
                return s
            }
        }
    }

    /// Whether any parent of position `j` satisfies `predicate` (given its position).
    func hasParent(_ j: Int, where predicate: (Int) -> Bool) -> Bool {
        parentPosition[parentStart[j]..<parentStart[j + 1]].contains(where: predicate)
    }

    /// Higham's (2002) alternating projections with Dykstra's correction, then a floor on the eigenvalues so the
    /// result can be factored.
    static func nearestCorrelationMatrix(_ a: Matrix<Double>) -> Matrix<Double> {
        let n = a.rows
        var y = a
        var correction = Matrix<Double>(rows: n, columns: n)
        var x = a
        for _ in 0..<1000 {
            var r = y
            for k in 0..<(n * n) { r.elements[k] -= correction.elements[k] }
            guard let e = try? SymmetricEigen(r) else { break }
            x = e.reconstructed { max($0, 0) }
            for k in 0..<(n * n) { correction.elements[k] = x.elements[k] - r.elements[k] }
            let previous = y
            y = x
            for i in 0..<n { y[i, i] = 1 }
            var diff = 0.0, norm = 0.0
            for k in 0..<(n * n) {
                diff += (y.elements[k] - previous.elements[k]) * (y.elements[k] - previous.elements[k])
                norm += y.elements[k] * y.elements[k]
            }
            if diff.squareRoot() <= 1e-12 * norm.squareRoot() { break }
        }
        // Floor the spectrum slightly above zero and restore the unit diagonal.
        if let e = try? SymmetricEigen(y) {
            y = e.reconstructed { max($0, 1e-8) }
            let d = (0..<n).map { y[$0, $0].squareRoot() }
            for i in 0..<n { for j in 0..<n { y[i, j] /= d[i] * d[j] } }
            for i in 0..<n { y[i, i] = 1 }
        }
        return y
    }

    static func rounded(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }
}

/// A declared correlation that a repair changed.
public struct CorrelationRepair: Sendable, Equatable, Codable {
    /// The first attribute (listing index).
    public var first: Int
    /// The second attribute (listing index).
    public var second: Int
    /// The declared correlation.
    public var target: Double
    /// The correlation after repair.
    public var used: Double
}
