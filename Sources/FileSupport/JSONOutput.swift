#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// The one way every stage turns a value into JSON bytes: sorted keys (byte-stable), and a failure that is
/// thrown, never swallowed into an empty file.
public enum JSONOutput {
    /// Encodes `value`.
    ///
    /// - Parameters:
    ///   - pretty: Indented, one key per line, with a final newline.
    ///   - snakeCase: Keys converted from camelCase to snake_case.
    ///   - what: The file or output the JSON is for, named in the error.
    /// - Throws: ``FairgroundError`` naming `what` when the value cannot be encoded (a non-finite number, for one).
    public static func bytes(_ value: some Encodable, pretty: Bool = true, snakeCase: Bool = false, what: String)
        throws(FairgroundError) -> [UInt8]
    {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
        do {
            return Array(try encoder.encode(value)) + (pretty ? [UInt8(ascii: "\n")] : [])
        } catch {
            throw FairgroundError(path: what, reason: "could not be encoded as JSON (\(error))")
        }
    }
}
