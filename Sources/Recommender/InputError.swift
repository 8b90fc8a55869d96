/// Bad input to the recommender: an interaction file, a model file or a request, with the file, the line (when
/// there is one) and what was expected.
///
/// ```
/// train.mtx:17: expected a finite, non-negative weight, found 'nan'
/// ```
public struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file (or option) involved.
    public var file: String
    /// The 1-based line, when the problem is on one.
    public var line: Int?
    /// What was expected.
    public var expected: String
    /// What was found instead.
    public var found: String?

    /// Creates an error.
    public init(file: String, line: Int? = nil, expected: String, found: String? = nil) {
        self.file = file
        self.line = line
        self.expected = expected
        self.found = found
    }

    /// `file:line: expected …, found '…'`.
    public var description: String {
        var text = file + (line.map { ":\($0)" } ?? "") + ": expected \(expected)"
        if let found { text += ", found '\(found)'" }
        return text
    }
}
