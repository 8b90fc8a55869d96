/// A partition of the users: a protected attribute, or the intersection of several.
public struct Grouping: Sendable, Equatable {
    /// The attribute's name ("gender"), or the member names joined by " × " for an intersection.
    public var name: String
    /// Level names; for an intersection "female & group_b" style names in mixed-radix order.
    public var levels: [String]
    /// Each user's level index.
    public var membership: [Int32]
    /// The privileged level, when one is named (enables AIF360's directional values).
    public var privileged: Int?
    /// The attributes an intersection combines (empty for a single attribute).
    public var components: [String]

    /// Creates a grouping.
    ///
    /// - Precondition: every membership value indexes `levels`.
    public init(name: String, levels: [String], membership: [Int32], privileged: Int? = nil) {
        precondition(membership.allSatisfy { $0 >= 0 && Int($0) < levels.count }, "Membership outside the levels")
        self.name = name
        self.levels = levels
        self.membership = membership
        self.privileged = privileged
        components = []
    }

    /// Whether this grouping crosses several attributes.
    public var isIntersection: Bool { !components.isEmpty }

    /// The cross product of `groupings` (the first varies slowest); every cell is kept, including empty ones.
    public static func intersection(of groupings: [Grouping]) -> Grouping {
        precondition(groupings.count >= 2, "An intersection needs two attributes")
        var levels = [""]
        for g in groupings {
            levels = levels.flatMap { prefix in g.levels.map { prefix.isEmpty ? $0 : prefix + " & " + $0 } }
        }
        let users = groupings[0].membership.count
        var membership = [Int32](repeating: 0, count: users)
        for g in groupings {
            let radix = Int32(g.levels.count)
            for u in 0..<users { membership[u] = membership[u] * radix + g.membership[u] }
        }
        var result = Grouping(name: groupings.map(\.name).joined(separator: " × "), levels: levels,
                              membership: membership)
        result.components = groupings.map(\.name)
        return result
    }
}
