/// Everything generated for a range of users: their attributes, the items, their interactions, and the ground
/// truth behind them — in the factual world or in a counterfactual one.
public struct World: Sendable {
    /// The spec the world was generated from.
    public let spec: PopulationSpec
    /// The seed used.
    public let seed: UInt64
    /// The global ids of the users generated.
    public let users: Range<Int>
    /// The intervention, for a counterfactual world.
    public let intervention: Intervention?
    /// Observed attribute values, one column per attribute in listing order, one entry per user: the level index
    /// (categorical), 0/1 (boolean), or the value (numeric).
    public let attributeValues: ColumnTable
    /// The item catalogue, when the spec has items.
    public let items: ItemCatalog?
    /// The observed interactions.
    public let interactions: InteractionTable
    /// Ground truth per offer category (one column per entry of ``offerCategories``), one entry per user: the
    /// share of the user's true interest going to the category (implicit feedback), or the probability of
    /// liking it (ratings).
    public let truth: ColumnTable
    /// The category indices that ``truth`` columns describe.
    public let offerCategories: [Int]
    /// Target and achieved latent correlation for every declared pair.
    public let correlations: [AchievedCorrelation]
    /// Correlations a repair changed (empty when none was needed or asked for).
    public let repairs: [CorrelationRepair]

    /// The number of users.
    public var userCount: Int { users.count }

    /// The observed value of an attribute as text: the level name, `true`/`false`, or the number.
    public func formattedValue(attribute: Int, row: Int) -> String {
        let v = attributeValues[attribute][row]
        switch spec.attributes[attribute].kind {
        case .categorical(let levels, _): return levels[Int(v)]
        case .boolean: return v == 1 ? "true" : "false"
        case .numeric: return NumberFormat.shortest(v)
        }
    }
}

/// Interactions in compressed sparse row form: user `row`'s items are `items[userOffsets[row] ..< userOffsets[row + 1]]`,
/// in increasing item order, with matching ``weights``.
public struct InteractionTable: Sendable, Equatable {
    /// `users + 1` offsets into ``items`` and ``weights``.
    public let userOffsets: [Int]
    /// Item ids.
    public let items: [Int32]
    /// Weights: interaction counts (implicit feedback) or ±1 ratings.
    public let weights: [Float]

    /// The number of stored interactions.
    public var count: Int { items.count }

    /// The entries of one user (0-based row).
    public func entries(row: Int) -> Range<Int> { userOffsets[row]..<userOffsets[row + 1] }

    /// Whether user `row` has exactly the same items and weights here and in `other`.
    public func sameEntries(row: Int, as other: InteractionTable) -> Bool {
        let a = entries(row: row), b = other.entries(row: row)
        return a.count == b.count && items[a] == other.items[b] && weights[a] == other.weights[b]
    }
}

/// The target and achieved latent correlation of a declared pair.
public struct AchievedCorrelation: Sendable, Equatable, Codable {
    /// The first attribute's name.
    public var first: String
    /// The second attribute's name.
    public var second: String
    /// The correlation declared in the spec.
    public var target: Double
    /// The correlation used after any repair.
    public var used: Double
    /// The Pearson correlation of the generated latent values; NaN when undefined (fewer than two users, or
    /// a constant column), written as `null` in JSON.
    public var achieved: Double
    /// Its standard error under the used correlation, (1 − r²)/√n.
    public var standardError: Double
}

extension AchievedCorrelation {
    enum CodingKeys: String, CodingKey { case first, second, target, used, achieved, standardError }

    /// Decodes a pair; a `null` achieved correlation is undefined (NaN).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        first = try c.decode(String.self, forKey: .first)
        second = try c.decode(String.self, forKey: .second)
        target = try c.decode(Double.self, forKey: .target)
        used = try c.decode(Double.self, forKey: .used)
        achieved = try c.decodeIfPresent(Double.self, forKey: .achieved) ?? .nan
        standardError = try c.decode(Double.self, forKey: .standardError)
    }

    /// Encodes a pair; an undefined achieved correlation or standard error is `null`, never an encoding failure.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(first, forKey: .first)
        try c.encode(second, forKey: .second)
        try c.encode(target, forKey: .target)
        try c.encode(used, forKey: .used)
        if achieved.isFinite { try c.encode(achieved, forKey: .achieved) } else { try c.encodeNil(forKey: .achieved) }
        if standardError.isFinite {
            try c.encode(standardError, forKey: .standardError)
        } else {
            try c.encodeNil(forKey: .standardError)
        }
    }
}
