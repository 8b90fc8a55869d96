/// Every failure Fairground reports, of three kinds: bad input to any stage (a spec, an interaction, model, score
/// or policy file, a flag, or a parameter of a library call), a file the system could not read or write, and a
/// numerical failure (a LAPACK routine's) — each naming where it is, the field, what was expected and what was
/// found.
///
/// One type serves every module, so the command-line tool prints every refusal the same way (and exits with
/// status 2) and maps library parameter names to its own flags in one place:
///
/// ```
/// credit.yaml:12:5: attributes.age.sd: expected a positive number, found '-3'
/// train.mtx:17: expected a finite weight, found 'nan'
/// parameter targetShare: expected a share in (0, 1), found '1.5'
/// out/report.json: No space left on device
/// parameter potrf: expected a positive definite matrix, found 'its leading minor of order 2 is not positive'
/// ```
public struct FairgroundError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of failure it is.
    public enum Kind: String, Sendable, Equatable {
        /// Bad input: the data, a file's content, a flag or a parameter is not what was expected.
        case input
        /// A file the system could not read or write (``reason`` says why: the system's words).
        case file
        /// A numerical failure: a matrix that is not positive definite, an algorithm that did not converge.
        case numerical
    }

    /// The kind of failure.
    public var kind = Kind.input
    /// What the error is located in.
    public enum Location: Sendable, Equatable {
        /// A file (or a stand-in such as `--set` for text given on the command line).
        case file(String)
        /// A parameter of a library call, by its Swift name (`targetShare`); the CLI maps it to its flag.
        case parameter(String)
    }

    /// The file or parameter at fault.
    public var location: Location
    /// The dotted path of the offending field (`attributes.age.sd`, `rules[0].metric`); empty when the whole
    /// file or parameter is at fault.
    public var field: String
    /// The 1-based line in the file, when known.
    public var line: Int?
    /// The 1-based column in the file, when known.
    public var column: Int?
    /// What was expected, as a phrase: "a positive number", "one of: normal, lognormal, uniform, beta".
    public var expected: String
    /// What was found instead, when that helps.
    public var found: String?

    /// An error located in a file (or a stand-in for one, such as `--set`).
    public init(file: String, field: String = "", line: Int? = nil, column: Int? = nil, expected: String,
                found: String? = nil) {
        location = .file(file)
        self.field = field
        self.line = line
        self.column = column
        self.expected = expected
        self.found = found
    }

    /// A file the system could not read or write.
    ///
    /// - Parameters:
    ///   - path: The file.
    ///   - reason: Why, in the system's words (`No such file or directory`) or as a phrase.
    public init(path: String, reason: String) {
        self.init(file: path, expected: reason)
        kind = .file
    }

    /// A numerical failure of a routine (`potrf`, `syevd`): what it needed and what it found.
    public static func numerical(_ routine: String, expected: String, found: String? = nil) -> FairgroundError {
        var error = parameter(routine, expected: expected, found: found)
        error.kind = .numerical
        return error
    }

    /// Why a file could not be read or written (for a ``Kind/file`` failure), else the sentence after the place.
    public var reason: String {
        kind == .file ? expected : "expected \(expected)" + (found.map { ", found '\($0)'" } ?? "")
    }

    /// An error in a parameter of a library call.
    ///
    /// - Parameters:
    ///   - name: The parameter's Swift name, e.g. `targetShare` or `factors`.
    public static func parameter(_ name: String, field: String = "", expected: String, found: String? = nil)
        -> FairgroundError
    {
        var error = FairgroundError(file: name, field: field, expected: expected, found: found)
        error.location = .parameter(name)
        return error
    }

    /// The file's path or the parameter's name.
    public var source: String {
        switch location {
        case .file(let path): path
        case .parameter(let name): name
        }
    }

    /// The same error with its file or field renamed, e.g. a parameter shown as the flag that set it.
    public func relocated(to location: Location) -> FairgroundError {
        var copy = self
        copy.location = location
        return copy
    }

    /// `file:line:column: field: expected …, found '…'` (`parameter NAME: …` for a parameter); `file: reason` for
    /// a file the system could not read or write.
    public var description: String {
        var place: String
        switch location {
        case .file(let path): place = path
        case .parameter(let name): place = "parameter \(name)"
        }
        if kind == .file { return place + (field.isEmpty ? "" : ": \(field)") + ": \(expected)" }
        if let line { place += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        var text = place + (field.isEmpty ? "" : ": \(field)") + ": expected \(expected)"
        if let found { text += ", found '\(found)'" }
        return text
    }
}
