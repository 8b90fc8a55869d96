public import FileSupport
internal import Yams

/// The text of a YAML (or JSON) file as the spec and policy readers take it: a leading UTF-8 byte-order mark is
/// dropped, and a syntax error is refused with its line, column and problem rather than a bare "not valid YAML".
public enum YAMLText {
    /// `text` without a leading byte-order mark.
    public static func withoutByteOrderMark(_ text: String) -> String {
        text.unicodeScalars.first == "\u{FEFF}" ? String(text.unicodeScalars.dropFirst()) : text
    }

    /// Checks that `text` parses as YAML.
    ///
    /// - Returns: The text without a byte-order mark.
    /// - Throws: ``FairgroundError`` naming the file, line and column of the first syntax error.
    public static func checked(_ text: String, file: String) throws(FairgroundError) -> String {
        let text = withoutByteOrderMark(text)
        do { _ = try Yams.compose(yaml: text) } catch {
            throw describe(error, file: file)
        }
        return text
    }

    /// A Yams error as an ``FairgroundError`` with its position.
    static func describe(_ error: any Error, file: String) -> FairgroundError {
        func refusal(_ problem: String, _ context: YamlError.Context?, _ mark: Mark) -> FairgroundError {
            let problem = context.map { "\(problem) \($0.text)" } ?? problem
            return FairgroundError(file: file, field: "document", line: mark.line, column: mark.column,
                              expected: "valid YAML", found: problem)
        }
        switch error as? YamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            return refusal(problem, context, mark)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return FairgroundError(file: file, field: "document", line: context.mark.line, column: context.mark.column,
                              expected: "unique keys in each mapping",
                              found: "\(duplicates.joined(separator: ", ")) more than once")
        case .reader(let problem, let offset, _, _):
            return FairgroundError(file: file, field: "document", expected: "valid UTF-8 YAML",
                              found: problem + (offset.map { " at byte \($0)" } ?? ""))
        default:
            return FairgroundError(file: file, field: "document", expected: "valid YAML", found: "\(error)")
        }
    }
}
