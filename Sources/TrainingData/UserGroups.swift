/// Users sorted into the levels of one attribute, for metrics per group: row `u` of a matrix belongs to
/// `levels[group[u]]`, or to no group when `group[u]` is −1.
public struct UserGroups: Sendable, Equatable {
    /// The attribute the groups are the levels of.
    public var attribute: String
    /// The level names.
    public var levels: [String]
    /// Per matrix row, the index of its level, or −1.
    public var group: [Int]

    /// Creates groups.
    ///
    /// - Precondition: every index is −1 or a level's.
    public init(attribute: String, levels: [String], group: [Int]) {
        precondition(group.allSatisfy { $0 >= -1 && $0 < levels.count }, "Group index out of range")
        self.attribute = attribute
        self.levels = levels
        self.group = group
    }
}
