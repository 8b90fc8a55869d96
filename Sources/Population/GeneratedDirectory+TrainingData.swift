public import TrainingData
import FileSupport

extension GeneratedDirectory {
    /// The directory's interactions as training data, with the consent column (1 consented, 0 opted out) read
    /// from `population.csv` when the spec has a consent attribute — both files checked against the directory's
    /// record first.
    ///
    /// - Throws: ``FairgroundError`` naming the file and line of anything malformed, or a mixed directory.
    public func trainingData() throws(FairgroundError) -> InteractionData {
        let consent = spec.consentAttribute
        try DirectoryRecord.verify(directory: path, files: ["interactions.mtx"] + (consent == nil ? [] : ["population.csv"]))
        var data = try InteractionReader.read(path: path + "/interactions.mtx")
        guard let consent else { return data }
        let values = try consentColumn(attribute: consent, users: data.users)
        data.userColumns.append(UserColumn(role: .consent, values: values))
        return data
    }

    /// The consent attribute's column of `population.csv` as 1 (`true`) and 0 (`false`).
    private func consentColumn(attribute: Int, users: Int) throws(FairgroundError) -> [Float] {
        let file = path + "/population.csv"
        let text = try FileIO.readText(file, expecting: "a readable population file")
        let name = spec.attributes[attribute].name
        var values: [Float] = []
        values.reserveCapacity(users)
        var column = -1
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            guard let fields = CSVField.fields(of: line) else {
                throw FairgroundError(file: file, line: n + 1, expected: "a CSV row", found: String(line.prefix(80)))
            }
            if n == 0 {
                guard let c = fields.firstIndex(of: name) else {
                    throw FairgroundError(file: file, field: name, line: 1, expected: "the consent column \(name)")
                }
                column = c
                continue
            }
            guard column < fields.count, fields[column] == "true" || fields[column] == "false" else {
                throw FairgroundError(file: file, field: name, line: n + 1, expected: "true or false",
                                 found: column < fields.count ? fields[column] : "no such column")
            }
            values.append(fields[column] == "true" ? 1 : 0)
        }
        guard values.count == users else {
            throw FairgroundError(file: file, field: name, expected: "one row per user of interactions.mtx (\(users))",
                             found: "\(values.count) rows")
        }
        return values
    }
}

extension GeneratedDirectory {
    /// The names of the categories the spec marks `sensitive: true`.
    public var sensitiveCategories: [String] {
        spec.items.map { items in items.sensitiveCategories.map { items.categories[$0].name } } ?? []
    }

    /// The ids of the items in `categories` (data minimisation: what training leaves out).
    ///
    /// - Throws: ``FairgroundError`` for the parameter `exclude-categories` naming an unknown category, or when the world
    ///   has no items.
    public func items(inCategories categories: [String]) throws(FairgroundError) -> Set<Int> {
        guard let catalog = generator.items else {
            throw FairgroundError.parameter("exclude-categories", expected: "a world with items", found: path)
        }
        var wanted: Set<Int32> = []
        for name in categories {
            guard let c = catalog.categoryNames.firstIndex(of: name) else {
                throw FairgroundError.parameter("exclude-categories", expected: "categories of the world (one of: "
                                           + catalog.categoryNames.joined(separator: ", ") + ")", found: name)
            }
            wanted.insert(Int32(c))
        }
        return Set(catalog.category.indices.filter { wanted.contains(catalog.category[$0]) })
    }
}
