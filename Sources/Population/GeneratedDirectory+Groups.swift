import FileSupport
public import TrainingData

extension GeneratedDirectory {
    /// The directory's users sorted by the level of a categorical or boolean attribute (the world regenerated from
    /// its record), row `u` being user `users.lowerBound + u` — the rows of its training data.
    ///
    /// - Throws: ``FairgroundError`` naming the attribute when the spec has none of that name (listing those it
    ///   has) or it is numeric (no levels to group by).
    public func groups(by attribute: String, threads: Int = 1) throws(FairgroundError) -> UserGroups {
        guard let index = spec.attributes.firstIndex(where: { $0.name == attribute }) else {
            throw FairgroundError(file: path + "/manifest.json", field: "attributes",
                                  expected: "an attribute named '\(attribute)' (the spec has "
                                      + spec.attributes.map(\.name).joined(separator: ", ") + ")")
        }
        let levels: [String]
        switch spec.attributes[index].kind {
        case .categorical(let names, _): levels = names
        case .boolean: levels = ["false", "true"]
        case .numeric:
            throw FairgroundError(file: path + "/manifest.json", field: "attributes." + attribute,
                                  expected: "a categorical or boolean attribute to group users by (it is numeric)")
        }
        let world = generate(intervention: nil, threads: threads)
        let column = world.attributeValues[index]
        return UserGroups(attribute: attribute, levels: levels, group: (0..<world.userCount).map { Int(column[$0]) })
    }
}
