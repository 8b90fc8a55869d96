public import Linear
public import FileSupport
public import TrainingData

/// A trained implicit-feedback factor model: one factor row per user and per item.
///
/// Scores are dot products: `score(u, i) = userFactors[u] · itemFactors[i]`.
public struct FactorModel: Sendable, Equatable {
    /// User factors, `users × factors`, row-major.
    public var userFactors: Matrix<Float>
    /// Item factors, `items × factors`, row-major.
    public var itemFactors: Matrix<Float>
    /// The hyper-parameters it was trained with.
    public var configuration: ALSConfiguration
    /// The iterations actually run.
    public var iterationsRun: Int
    /// How this configuration did on held-out interactions beside popularity, when it was measured at training
    /// time (stored in the model file; `nil` when not measured).
    public var holdout: HoldoutCheck?
    /// Which data training used, when a ``TrainingSelection`` left anything out (consent, listed users,
    /// minimised categories); `nil` when it trained on everything.
    public var selection: TrainingSelection.Record?
    /// What differentially private training promises for this model's item factors; `nil` for a model trained
    /// without noise.
    public var privacy: PrivacyGuarantee?
    /// What federated training did (participation, bytes per client per round); `nil` for a central training.
    public var federation: FederationRecord?

    /// Creates a model from factors.
    ///
    /// - Precondition: both factor matrices have `configuration.factors` columns.
    public init(userFactors: Matrix<Float>, itemFactors: Matrix<Float>, configuration: ALSConfiguration,
                iterationsRun: Int, holdout: HoldoutCheck? = nil, selection: TrainingSelection.Record? = nil,
                privacy: PrivacyGuarantee? = nil) {
        precondition(userFactors.columns == itemFactors.columns, "User and item factors differ in dimension")
        self.userFactors = userFactors
        self.itemFactors = itemFactors
        self.configuration = configuration
        self.iterationsRun = iterationsRun
        self.holdout = holdout
        self.selection = selection
        self.privacy = privacy
    }

    /// The number of users.
    public var users: Int { userFactors.rows }
    /// The number of items.
    public var items: Int { itemFactors.rows }
    /// The factor dimension.
    public var factors: Int { itemFactors.columns }

    /// The score of one user for one item: the same figure as the user's score for it in any list (``ScoreKernel``).
    public func score(user: Int, item: Int) -> Float {
        precondition(user >= 0 && user < users && item >= 0 && item < items, "Score index out of range")
        let k = factors
        return userFactors.elements.withUnsafeBufferPointer { x in
            itemFactors.elements.withUnsafeBufferPointer { y in
                ScoreKernel.score(x.baseAddress! + user * k, y.baseAddress! + item * k, k: k)
            }
        }
    }
}

extension FactorModel {
    /// The `k` items most similar to `item` by cosine similarity of their factors, excluding the item itself.
    public func similarItems(to item: Int, k: Int) -> [(item: Int, similarity: Float)] {
        precondition(item >= 0 && item < items, "Item out of range")
        let d = factors
        var similarity = [Float](repeating: -.infinity, count: items)
        itemFactors.elements.withUnsafeBufferPointer { y in
            let target = y.baseAddress! + item * d
            let targetNorm = VectorKernels.dot(target, target, d).squareRoot()
            for i in 0..<items where i != item {
                let row = y.baseAddress! + i * d
                let norm = VectorKernels.dot(row, row, d).squareRoot()
                if norm > 0 && targetNorm > 0 { similarity[i] = VectorKernels.dot(target, row, d) / (norm * targetNorm) }
            }
        }
        let top = similarity.withUnsafeBufferPointer { TopK.select($0, k: k) }
        return top.map { (Int($0), similarity[Int($0)]) }
    }
}

extension FactorModel {
    /// Refuses data this model cannot have been trained on or for: more users or items than the model has, or —
    /// when the data declares its shape (a Matrix Market header, a generated directory) — another shape than the
    /// model's, so a model of 3,000 items never recommends item 2,538 of a 2,000-item world. CSV triplets, whose
    /// extent is only the largest ids present, may be smaller.
    ///
    /// - Throws: ``FairgroundError`` naming the data's file, the model's file and both shapes.
    public func checkPairing(with data: InteractionData, modelFile: String) throws(FairgroundError) {
        let shape = "\(data.users) users × \(data.items) items"
        guard data.users <= users, data.items <= items else {
            throw FairgroundError(file: data.source, expected: "at most \(users) users and \(items) items (the shape of "
                             + "\(modelFile))", found: shape)
        }
        if data.shapeIsDeclared, data.users != users || data.items != items {
            throw FairgroundError(file: data.source, expected: "\(users) users × \(items) items, the shape \(modelFile) "
                             + "was trained on (is this the data of another world or model?)", found: shape)
        }
    }
}
