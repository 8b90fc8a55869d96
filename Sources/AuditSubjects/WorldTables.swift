import Audit
import FileSupport
import Population

/// What every audit of a generated world needs besides scores: the protected groups, the offers, each user's
/// true and observed interest per offer, and which offer each item belongs to.
struct WorldTables {
    var attributes: [Grouping]
    var offers: [String]
    /// `users × offers` true interest.
    var truth: [Float]
    /// `users × offers` interaction weight on the offer's items.
    var observed: [Float]
    /// Each item's offer index, or −1.
    var offerOfItem: [Int32]

    /// Opens a generated directory that has offers.
    static func open(_ path: String) throws(FairgroundError) -> GeneratedDirectory {
        let directory = try GeneratedDirectory(path: path)
        if directory.generator.items == nil || directory.spec.items?.offerCategories.isEmpty ?? true {
            throw FairgroundError(file: path + "/manifest.json", field: "items.categories",
                             expected: "a world with items and at least one category with offer: true")
        }
        if directory.spec.protectedAttributes.isEmpty {
            throw FairgroundError(file: path + "/manifest.json", field: "attributes",
                             expected: "at least one attribute with protected: true")
        }
        return directory
    }

    init(directory: GeneratedDirectory, world: World, privileged: [String: String]) throws(FairgroundError) {
        attributes = try Self.groupings(world, directory: directory, privileged: privileged)
        let catalog = directory.generator.items!
        let offerCategories = world.offerCategories
        let o = offerCategories.count
        let n = world.userCount
        offers = offerCategories.map { catalog.categoryNames[$0] }
        var offerOfCategory = [Int32](repeating: -1, count: catalog.categoryNames.count)
        for (i, c) in offerCategories.enumerated() { offerOfCategory[c] = Int32(i) }
        offerOfItem = catalog.category.map { offerOfCategory[Int($0)] }
        truth = [Float](repeating: 0, count: n * o)
        observed = [Float](repeating: 0, count: n * o)
        for j in 0..<o {
            let column = world.truth[j]
            for u in 0..<n { truth[u * o + j] = Float(column[u]) }
        }
        for u in 0..<n {
            for e in world.interactions.entries(row: u) {
                let offer = offerOfItem[Int(world.interactions.items[e])]
                if offer >= 0 { observed[u * o + Int(offer)] += world.interactions.weights[e] }
            }
        }
    }

    /// The protected attributes as groupings of `world`'s users (categorical and boolean ones).
    static func groupings(_ world: World, directory: GeneratedDirectory, privileged: [String: String]) throws(FairgroundError)
        -> [Grouping]
    {
        let spec = directory.spec
        var result: [Grouping] = []
        for a in spec.protectedAttributes {
            let attribute = spec.attributes[a]
            let levels: [String]
            switch attribute.kind {
            case .categorical(let names, _): levels = names
            case .boolean: levels = ["false", "true"]
            case .numeric:
                throw FairgroundError(file: directory.path + "/manifest.json", field: "attributes.\(attribute.name)",
                                 expected: "a categorical or boolean protected attribute (bin numeric ones in the spec)")
            }
            let column = world.attributeValues[a]
            var grouping = Grouping(name: attribute.name, levels: levels, membership: column.map { Int32($0) })
            if let p = privileged[attribute.name] {
                guard let index = levels.firstIndex(of: p) else {
                    throw FairgroundError.parameter("privileged", field: attribute.name,
                                     expected: "one of \(levels.joined(separator: ", "))", found: p)
                }
                grouping.privileged = index
            }
            result.append(grouping)
        }
        for name in privileged.keys where !result.contains(where: { $0.name == name }) {
            throw FairgroundError.parameter("privileged", field: name,
                             expected: "a protected attribute (\(result.map(\.name).joined(separator: ", ")))")
        }
        return result
    }

}
