/// Why audit input was refused: the file (or "configuration"), the field, what was expected, what was found.
public struct AuditError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file, or the configuration, at fault.
    public var source: String
    /// The field, column or option.
    public var field: String
    /// The 1-based line, when the fault is in a text file.
    public var line: Int?
    /// What was expected.
    public var expected: String
    /// What was found, when useful.
    public var found: String?

    /// Creates an error.
    public init(source: String, field: String, line: Int? = nil, expected: String, found: String? = nil) {
        self.source = source
        self.field = field
        self.line = line
        self.expected = expected
        self.found = found
    }

    /// "file:line: field: expected …, found …".
    public var description: String {
        let place = line.map { "\(source):\($0)" } ?? source
        return "\(place): \(field): expected \(expected)" + (found.map { ", found \($0)" } ?? "")
    }
}
