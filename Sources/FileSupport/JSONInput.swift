#if canImport(FoundationEssentials)
internal import FoundationEssentials
#else
internal import Foundation
#endif

/// Decodes the JSON Fairground writes (``JSONOutput``), for the files one step hands to the next.
public enum JSONInput {
    /// Decodes `bytes` as `type`; keys converted from snake_case when `snakeCase`.
    ///
    /// - Throws: the decoder's error, which says where the document differs from the type.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], snakeCase: Bool = false) throws -> T {
        let decoder = JSONDecoder()
        if snakeCase { decoder.keyDecodingStrategy = .convertFromSnakeCase }
        return try decoder.decode(type, from: Data(bytes))
    }
}
