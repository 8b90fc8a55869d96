import FileSupport

/// Candidate items by category, read from an `item_id,category` CSV (the `items.csv` that `fairground generate`
/// writes).
public enum ItemFilter {
    /// A mask over `items` items: `true` for items whose category is one of `categories`.
    ///
    /// - Throws: ``InputError`` with the line for a malformed row, an item id out of range, or a category that
    ///   no item has.
    public static func mask(itemsFile path: String, categories: Set<String>, items: Int) throws(InputError) -> [Bool] {
        let text: String
        do { text = try FileIO.readText(path) } catch {
            throw InputError(file: path, expected: "a readable item_id,category file (\(error.reason))")
        }
        var mask = [Bool](repeating: false, count: items)
        var seen: Set<String> = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if n == 0 {
                guard line == "item_id,category" else {
                    throw InputError(file: path, line: 1, expected: "the header item_id,category", found: String(line))
                }
                continue
            }
            if line.isEmpty { continue }
            guard let parts = CSVField.fields(of: line), parts.count == 2, let item = Int(parts[0]), item >= 0 else {
                throw InputError(file: path, line: n + 1, expected: "item_id,category", found: String(line))
            }
            guard item < items else {
                throw InputError(file: path, line: n + 1, expected: "an item below \(items) (the model's item count)",
                                 found: String(item))
            }
            let category = parts[1]
            seen.insert(category)
            if categories.contains(category) { mask[item] = true }
        }
        let unknown = categories.subtracting(seen)
        guard unknown.isEmpty else {
            throw InputError(file: path, expected: "categories present in the file (\(seen.sorted().joined(separator: ", ")))",
                             found: unknown.sorted().joined(separator: ", "))
        }
        return mask
    }
}
