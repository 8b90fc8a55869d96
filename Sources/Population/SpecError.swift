/// A problem with a population spec or with a request made against one, naming the file, the field and what
/// was expected.
///
/// ```
/// credit.yaml:12:5: attributes.age.sd: expected a positive number, found '-3'
/// ```
public struct SpecError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file the problem is in (or a description such as `--set` for command-line input).
    public var file: String
    /// The dotted path of the offending field, e.g. `attributes.age.sd`.
    public var field: String
    /// The 1-based line of the field in the file, when known.
    public var line: Int?
    /// The 1-based column of the field in the file, when known.
    public var column: Int?
    /// What was expected, as a phrase: "a positive number", "one of: normal, lognormal, uniform, beta".
    public var expected: String
    /// What was found instead, when that helps.
    public var found: String?

    /// Creates an error.
    public init(file: String, field: String, line: Int? = nil, column: Int? = nil, expected: String, found: String? = nil) {
        self.file = file
        self.field = field
        self.line = line
        self.column = column
        self.expected = expected
        self.found = found
    }

    /// `file:line:column: field: expected …, found '…'`.
    public var description: String {
        var location = file
        if let line { location += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        var text = "\(location): \(field.isEmpty ? "(top level)" : field): expected \(expected)"
        if let found { text += ", found '\(found)'" }
        return text
    }
}
