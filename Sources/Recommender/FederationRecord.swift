/// What a federated training did, as its model file and `train --json` record it: who took part, and the bytes
/// each participating client sent and received per round.
///
/// `uploadBytes` is the padded (dense) upload every client sends, the same whatever it touched; the sparse sizes
/// are what uploading only the touched items would cost — and reveal (which items, how many).
public struct FederationRecord: Sendable, Equatable, Codable {
    /// The fraction of clients sampled per round (1: everyone).
    public var clientsPerRound: Double
    /// The non-random participation rules, as given (`ATTRIBUTE=LEVEL=P`).
    public var participation: [String]
    /// How many clients took part in each round, in order.
    public var participantsPerRound: [Int]
    /// Bytes the server sends each participating client per round: the item factors and the packed Gram matrix.
    public var downloadBytes: Int
    /// Bytes each participating client uploads per round: the padded (dense) statistics of every item and its
    /// packed x xᵀ.
    public var uploadBytes: Int
    /// The mean bytes of a sparse upload (touched items only) over the clients.
    public var sparseUploadBytesMean: Double
    /// The largest sparse upload.
    public var sparseUploadBytesMax: Int
    /// Whether any client-side data (item budget, clipping) was bounded and noise added to the sum.
    public var noisyAggregate: Bool

    /// Creates a record.
    public init(clientsPerRound: Double, participation: [String], participantsPerRound: [Int], downloadBytes: Int,
                uploadBytes: Int, sparseUploadBytesMean: Double, sparseUploadBytesMax: Int, noisyAggregate: Bool) {
        self.clientsPerRound = clientsPerRound
        self.participation = participation
        self.participantsPerRound = participantsPerRound
        self.downloadBytes = downloadBytes
        self.uploadBytes = uploadBytes
        self.sparseUploadBytesMean = sparseUploadBytesMean
        self.sparseUploadBytesMax = sparseUploadBytesMax
        self.noisyAggregate = noisyAggregate
    }

    /// One line for people.
    public var summary: String {
        let mean = participantsPerRound.isEmpty ? 0
            : Double(participantsPerRound.reduce(0, +)) / Double(participantsPerRound.count)
        return "federated: \(participantsPerRound.count) rounds, \(Int(mean.rounded())) clients per round on average "
            + "(fraction \(clientsPerRound)" + (participation.isEmpty ? "" : "; " + participation.joined(separator: ", "))
            + "); per client per round \(downloadBytes) bytes down, \(uploadBytes) bytes up (padded dense upload; a "
            + "sparse one would be \(Int(sparseUploadBytesMean.rounded())) on average, at most \(sparseUploadBytesMax), "
            + "and would reveal which items each client touched)" + (noisyAggregate ? "; noise added to the sum" : "")
    }

    enum CodingKeys: String, CodingKey {
        case participation
        case clientsPerRound = "clients_per_round"
        case participantsPerRound = "participants_per_round"
        case downloadBytes = "download_bytes_per_client_per_round"
        case uploadBytes = "upload_bytes_per_client_per_round"
        case sparseUploadBytesMean = "sparse_upload_bytes_mean"
        case sparseUploadBytesMax = "sparse_upload_bytes_max"
        case noisyAggregate = "noisy_aggregate"
    }
}
