import FileSupport

/// Candidate items by category, read from an `item_id,category` CSV (the `items.csv` that `fairground generate`
/// writes).
public enum ItemFilter {
    /// A mask over `items` items: `true` for items whose category is one of `categories`.
    ///
    /// - Throws: ``FairgroundError`` with the line for a malformed row, an item id out of range, or a category that
    ///   no item has.
    public static func mask(itemsFile path: String, categories: Set<String>, items: Int) throws(FairgroundError) -> [Bool] {
        let text = try FileIO.readText(path, expecting: "a readable item_id,category file")
        var mask = [Bool](repeating: false, count: items)
        var seen: Set<String> = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if n == 0 {
                guard line == "item_id,category" else {
                    throw FairgroundError(file: path, line: 1, expected: "the header item_id,category", found: String(line))
                }
                continue
            }
            if line.isEmpty { continue }
            guard let parts = CSVField.fields(of: line), parts.count == 2, let item = Int(parts[0]), item >= 0 else {
                throw FairgroundError(file: path, line: n + 1, expected: "item_id,category", found: String(line))
            }
            guard item < items else {
                throw FairgroundError(file: path, line: n + 1, expected: "an item below \(items) (the model's item count)",
                                 found: String(item))
            }
            let category = parts[1]
            seen.insert(category)
            if categories.contains(category) { mask[item] = true }
        }
        let unknown = categories.subtracting(seen)
        guard unknown.isEmpty else {
            throw FairgroundError(file: path, expected: "categories present in the file (\(seen.sorted().joined(separator: ", ")))",
                             found: unknown.sorted().joined(separator: ", "))
        }
        return mask
    }
}
