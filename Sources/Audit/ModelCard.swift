import FileSupport
public import TrainingData

/// What was audited, for the report's header: the kind of model, its hyper-parameters, and how it ranks held-out
/// interactions beside recommending the most popular items to everyone — so a reader knows whether the model on
/// trial is one somebody would ship (after Mitchell et al. 2019, "Model Cards for Model Reporting").
public struct ModelCard: Sendable, Codable, Equatable {
    /// One hyper-parameter, as text.
    public struct Parameter: Sendable, Codable, Equatable {
        /// Its name (`factors`, `λ`).
        public var name: String
        /// Its value.
        public var value: String

        /// Creates a parameter.
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The kind of model, in a few words (`implicit ALS`, `external scores`).
    public var kind: String
    /// Its hyper-parameters, in a fixed order.
    public var parameters: [Parameter]
    /// The model against popularity on held-out interactions, when measured.
    public var holdout: HoldoutCheck?
    /// Why there is no holdout check, when there is none.
    public var unmeasured: String?
    /// A digest of what was audited (FNV-1a 64 of the model file, or of the external scores), in hex, so a
    /// baseline says which model it was computed on.
    public var fingerprint: String?

    /// Creates a card.
    public init(kind: String, parameters: [Parameter] = [], holdout: HoldoutCheck? = nil, unmeasured: String? = nil,
                fingerprint: String? = nil) {
        self.fingerprint = fingerprint
        self.kind = kind
        self.parameters = parameters
        self.holdout = holdout
        self.unmeasured = holdout == nil
            ? (unmeasured ?? "no holdout check was recorded for this model") : nil
    }

    /// One plain sentence: the model, and whether it beats popularity.
    public var summary: String {
        let settings = parameters.map { "\($0.name) \($0.value)" }.joined(separator: ", ")
        let head = kind + (settings.isEmpty ? "" : " (\(settings))")
        if let holdout { return head + "; on held-out interactions " + holdout.verdict }
        return head + "; " + (unmeasured ?? "")
    }
}
