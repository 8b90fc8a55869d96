import FileSupport

internal import Yams

extension PopulationSpec {
    /// Parses and validates a spec from YAML (or JSON, which is YAML too).
    ///
    /// - Parameters:
    ///   - text: The spec's text.
    ///   - file: The name used in error messages.
    /// - Throws: ``FairgroundError`` naming the file, the field, and what was expected, for malformed YAML, unknown keys,
    ///   unknown attributes, levels or categories, probabilities or shares that do not sum to 1, |r| > 1,
    ///   non-positive sizes and every other invalid value.
    public static func parse(_ text: String, file: String) throws(FairgroundError) -> PopulationSpec {
        let text = YAMLText.withoutByteOrderMark(text)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw FairgroundError(file: file, field: "", expected: "a YAML or JSON mapping", found: "an empty document")
            }
            root = node
        } catch let error as FairgroundError {
            throw error
        } catch {
            throw YAMLText.describe(error, file: file)
        }
        return try SpecParser(file: file).parse(SpecNode(node: root, path: "", file: file), source: text)
    }

    /// Reads, parses and validates a spec file.
    ///
    /// - Throws: ``FairgroundError`` when the file cannot be read or is not a valid spec.
    public static func load(path: String) throws(FairgroundError) -> PopulationSpec {
        try parse(try FileIO.readText(path, expecting: "a readable spec file"), file: path)
    }
}
