import FileSupport

extension World {
    /// Refuses a world with a non-finite attribute value or truth (a spec whose values overflow Double, such as
    /// `weight: 1e308` or a uniform over ±1.7e308), naming the spec field it came from, so that no `inf` or `nan`
    /// is ever written to a file.
    ///
    /// - Throws: ``FairgroundError`` on the spec file, the attribute's (or offer's) field, and the first user.
    public func checkFinite() throws(FairgroundError) {
        for (a, attribute) in spec.attributes.enumerated() {
            if let row = attributeValues[a].firstIndex(where: { !$0.isFinite }) {
                throw FairgroundError(file: spec.file, field: "attributes.\(attribute.name)",
                                 expected: "parameters whose values stay finite (they overflow double precision)",
                                 found: "\(attributeValues[a][row]) for user \(users.lowerBound + row)")
            }
        }
        for (j, category) in offerCategories.enumerated() {
            if let row = truth[j].firstIndex(where: { !$0.isFinite }) {
                let name = items?.categoryNames[category] ?? "offer \(j)"
                throw FairgroundError(file: spec.file, field: "interest of \(name)",
                                 expected: "effects whose true interest stays finite (they overflow double precision)",
                                 found: "\(truth[j][row]) for user \(users.lowerBound + row)")
            }
        }
    }
}
