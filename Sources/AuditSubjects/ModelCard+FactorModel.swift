public import Audit
import FileSupport
public import Recommender

extension ModelCard {
    /// The card of a factor model: its training configuration and the holdout check stored in its file.
    public init(_ model: FactorModel) {
        let c = model.configuration
        self.init(
            kind: "implicit ALS",
            parameters: [
                Parameter("factors", "\(c.factors)"), Parameter("iterations", "\(model.iterationsRun)"),
                Parameter("λ", "\(c.regularization)" + (c.regularizationScaling == .perInteraction ? "·n_u" : "")),
                Parameter("α", "\(c.alpha)"),
                Parameter("confidence", c.confidence.formula),
                Parameter("solver", c.solver.name),
            ],
            holdout: model.holdout,
            unmeasured: "the model file records no holdout check (trained with --holdout 0, or elsewhere): "
                + "nothing here says whether it beats recommending the most popular items",
            fingerprint: (try? model.fileBytes()).map { String(FNV1a.hash($0), radix: 16) })
        if c.duplicateEntries == .separateTerms { parameters.append(Parameter("duplicate rows", "separate terms")) }
    }
}
