import FileSupport

/// Candidate items by category, read from an `item_id,category` CSV (the `items.csv` that `fairground generate`
/// writes).
public enum ItemFilter {
    /// A mask over `items` items: `true` for items whose category is one of `categories`.
    ///
    /// The file must be the model's catalogue: one row for each of its `items` items (ids 0 to `items` − 1), each
    /// once — so another world's `items.csv` (200 items for a 2,000-item model) is refused, not used to filter by
    /// the wrong categories. Model files record no digest of their catalogue, so its size and ids are what is
    /// checked.
    ///
    /// - Parameters:
    ///   - path: The `item_id,category` file.
    ///   - categories: The categories to keep.
    ///   - items: The model's item count.
    ///   - model: The model's file, to name in a refusal (`nil`: "the model").
    /// - Throws: ``FairgroundError`` with the line for a malformed row, an item id out of range or repeated; naming
    ///   the file and the model's item count for a catalogue of another size; or for a category that no item has.
    public static func mask(itemsFile path: String, categories: Set<String>, items: Int, model: String? = nil)
        throws(FairgroundError) -> [Bool]
    {
        let text = try FileIO.readText(path, expecting: "a readable item_id,category file")
        let modelName = model ?? "the model"
        var mask = [Bool](repeating: false, count: items)
        // The line of each item's row (0: none yet).
        var lineOf = [Int](repeating: 0, count: items)
        var listed = 0
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
                throw FairgroundError(file: path, line: n + 1,
                                      expected: "an item below \(items) (the item count of \(modelName))",
                                      found: String(item))
            }
            guard lineOf[item] == 0 else {
                throw FairgroundError(file: path, line: n + 1,
                                      expected: "each item once (item \(item) is on line \(lineOf[item]) too)",
                                      found: String(line))
            }
            lineOf[item] = n + 1
            listed += 1
            let category = parts[1]
            seen.insert(category)
            if categories.contains(category) { mask[item] = true }
        }
        guard listed == items else {
            let missing = lineOf.firstIndex(of: 0).map { ", the first missing \($0)" } ?? ""
            throw FairgroundError(file: path, expected: "one row per item of \(modelName) (\(items) items, ids 0 to "
                                      + "\(items - 1); is this another world's catalogue?)",
                                  found: "\(listed) items\(missing)")
        }
        let unknown = categories.subtracting(seen)
        guard unknown.isEmpty else {
            throw FairgroundError(file: path, expected: "categories present in the file (\(seen.sorted().joined(separator: ", ")))",
                             found: unknown.sorted().joined(separator: ", "))
        }
        return mask
    }
}
