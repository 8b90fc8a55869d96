// The shipped scenarios' texts: each identical to its file in datasets/ (PopulationSpecTests keeps them equal; after
// editing a dataset, paste its text here).
extension Scenario {
    /// Every scenario shipped with Fairground, by name: the spec files of `datasets/`, each named by its file's
    /// name without `.yaml` (`credit-offers` is ``defaultSource``).
    public static let shipped: [(name: String, source: String)] = [
        ("credit-offers", defaultSource),
        ("job-ads", jobAdsSource),
        ("null", nullSource),
        ("opt-out-skew", optOutSkewSource),
        ("pregnancy-prediction", pregnancyPredictionSource),
        ("yao-huang-uniform", yaoHuangUniformSource),
        ("yao-huang-biased-observation", yaoHuangBiasedObservationSource),
        ("yao-huang-imbalanced", yaoHuangImbalancedSource),
        ("yao-huang-both", yaoHuangBothSource),
    ]

    /// The text of `datasets/job-ads.yaml`.
    static let jobAdsSource = #"""
# Job ads in the spirit of AdFisher (Datta et al. 2015).
#
# Men and women are equally interested in executive jobs (no effect of gender on true interest), but the platform
# shows the high-paying job ads far less to women: AdFisher's headline counts were 1,852 impressions for the male
# group against 318 for the female group, a ratio of about 0.17, which is the exposure factor below. Any disparity
# an audit finds in executive-job targeting is therefore created by observation bias, not by interest.
version: 1
name: job-ads
seed: 11
users: 50000
attributes:
  gender:          {type: categorical, levels: {female: 0.5, male: 0.5}, protected: true}
  age:             {type: numeric, distribution: normal, mean: 35, sd: 10, min: 18, max: 70}
  years_experience: {type: numeric, distribution: lognormal, mu: 2.0, sigma: 0.6, max: 50}
  career_focused:  {type: boolean, p: 0.4}
correlations:
  - [age, years_experience, 0.7]
  - [career_focused, years_experience, 0.3]
order: [gender, age, career_focused, years_experience]
items:
  count: 5000
  categories:
    news:            {share: 0.4}
    retail:          {share: 0.3}
    general_jobs:    {share: 0.2}
    executive_jobs:  {share: 0.1, offer: true}
behavior:
  latent_dims: 8
  interactions_per_user: {distribution: lognormal, mu: 3.2, sigma: 0.7}
  popularity_exponent: 0.8
  effects:
    - {attribute: career_focused, category: executive_jobs, weight: 0.7}
    - {attribute: years_experience, category: executive_jobs, weight: 0.4}
    - {attribute: career_focused, category: general_jobs, weight: 0.3}
  exposure:
    - {attribute: gender, level: female, category: executive_jobs, factor: 0.17}

"""#

    /// The text of `datasets/null.yaml`.
    static let nullSource = #"""
# The null scenario: nothing depends on anything.
#
# Protected attributes exist but are independent of every other attribute and have no effect on true interest or
# on what is observed. Any disparity an audit reports on this scenario is a false alarm: use it to check that a
# fairness test suite does not cry wolf.
version: 1
name: null
seed: 3
users: 20000
attributes:
  gender:    {type: categorical, levels: {female: 0.5, male: 0.5}, protected: true}
  ethnicity: {type: categorical, levels: {group_a: 0.7, group_b: 0.3}, protected: true}
  age:       {type: numeric, distribution: normal, mean: 41, sd: 13, min: 18, max: 90}
  income:    {type: numeric, distribution: lognormal, mu: 10.6, sigma: 0.5}
items:
  count: 2000
  categories:
    groceries:      {share: 0.5}
    electronics:    {share: 0.3}
    premium_credit: {share: 0.1, offer: true}
    payday_loan:    {share: 0.1, offer: true}
behavior:
  latent_dims: 8
  interactions_per_user: {distribution: lognormal, mu: 3.5, sigma: 0.8}
  popularity_exponent: 1.1

"""#

    /// The text of `datasets/opt-out-skew.yaml`.
    static let optOutSkewSource = #"""
# Opt-out skew: who opts out is not random, so an audit of consenting users alone is biased.
#
# Credit offers again (see credit-offers.yaml), with consent to personalised marketing (`role: consent`) that
# falls for group_b (a group with reason to distrust profiling) and rises with income. Income drives premium-credit
# interest and targeting, so the consenting users of each group are not a random sample of it: the richer
# consenting group_b members are targeted more often than group_b as a whole.
#
# Expected findings (privacy view of `fairground audit`, 50k users, default model): `opt_out_rate_difference` by
# ethnicity (47% of group_b opt out against 23% of group_a); `opt_out_bias` of `demographic_parity_difference` for
# payday_loan by ethnicity ≈ 0.018 [0.011, 0.024] — the campaign as run has no gap (7.6e-5), an auditor who sees
# only consenting users reports 1.8 points — and no bias by gender, whose opt-out is random. The same world with
# consent independent of everything gives every opt_out_bias ≈ 0 (the test suite checks both).
version: 1
name: opt-out-skew
seed: 17
users: 50000
attributes:
  gender:     {type: categorical, levels: {female: 0.5, male: 0.5}, protected: true}
  ethnicity:  {type: categorical, levels: {group_a: 0.7, group_b: 0.3}, protected: true}
  zip_region: {type: categorical, levels: {north: 0.3, south: 0.3, east: 0.2, west: 0.2}}
  income:     {type: numeric, distribution: lognormal, mu: 10.6, sigma: 0.5}
  consent:    {type: boolean, p: 0.7, role: consent}
correlations:
  - [ethnicity, zip_region, -0.6]
  - [zip_region, income, 0.4]
  - [ethnicity, consent, -0.4]   # group_b (the high end of ethnicity's latent scale) opts out more often
  - [income, consent, 0.6]        # richer customers consent more often
order: [gender, ethnicity, zip_region, income, consent]
items:
  count: 2000
  categories:
    groceries:      {share: 0.5}
    electronics:    {share: 0.3}
    premium_credit: {share: 0.1, offer: true}
    payday_loan:    {share: 0.1, offer: true}
behavior:
  latent_dims: 8
  interactions_per_user: {distribution: lognormal, mu: 3.5, sigma: 0.8}
  popularity_exponent: 1.1
  effects:
    - {attribute: income, category: premium_credit, weight: 2.0}
    - {attribute: income, category: payday_loan, weight: -0.8}

"""#

    /// The text of `datasets/pregnancy-prediction.yaml`.
    static let pregnancyPredictionSource = #"""
# Pregnancy prediction: what a retailer's recommender learns that nobody told it.
#
# About 8% of customers are expecting (`expecting`, a sensitive trait: the business must not infer or act on it).
# Expecting customers buy more baby products and vitamins — both marked sensitive: purchases that reveal the
# trait — and are more interested in the baby-coupon offer. Nobody records `expecting`; the model sees only
# purchases. Consent to personalised marketing (`role: consent`) falls with age, so opting out is not random.
#
# Expected findings (20k users, default model): `fairground probe` shows the raw interactions reveal `expecting`
# (AUC 0.96, from the baby and vitamin counts), and so do the trained model's user factors (0.87);
# `train --minimise sensitive` drops the baby and vitamin purchases and much of what the factors reveal (0.65).
# The audit's privacy view adds: expecting customers are shown baby items far more often (62% against 34%), older
# customers opt out twice as often (33% against 18%), and opted-out users, served the popular list, lose the
# coupon offer's NDCG.
version: 1
name: pregnancy-prediction
seed: 11
users: 50000
attributes:
  age_band:  {type: categorical, levels: {under_35: 0.5, 35_and_over: 0.5}, protected: true}
  gender:    {type: categorical, levels: {female: 0.55, male: 0.45}, protected: true}
  expecting: {type: boolean, p: 0.08, sensitive: true}
  income:    {type: numeric, distribution: lognormal, mu: 10.5, sigma: 0.5}
  consent:   {type: boolean, p: 0.75, role: consent}
correlations:
  - [age_band, expecting, -0.35]  # expecting customers are younger (under_35 is the low end of the latent scale)
  - [gender, expecting, -0.4]     # and mostly women (female is the low end of gender's latent scale)
  - [age_band, consent, -0.3]     # older customers opt out more often
  - [age_band, income, 0.3]
order: [age_band, gender, expecting, income, consent]
items:
  count: 3000
  categories:
    groceries:    {share: 0.45}
    household:    {share: 0.25}
    beauty:       {share: 0.15}
    baby:         {share: 0.07, sensitive: true}
    vitamins:     {share: 0.05, sensitive: true}
    baby_coupons: {share: 0.03, offer: true}
behavior:
  latent_dims: 8
  interactions_per_user: {distribution: lognormal, mu: 3.2, sigma: 0.7}
  popularity_exponent: 1.0
  effects:
    - {attribute: expecting, level: true, category: baby, weight: 2.2}
    - {attribute: expecting, level: true, category: vitamins, weight: 1.6}
    - {attribute: expecting, level: true, category: baby_coupons, weight: 1.8}
    - {attribute: gender, level: female, category: beauty, weight: 0.6}
    - {attribute: income, category: household, weight: 0.3}

"""#

    /// The text of `datasets/yao-huang-uniform.yaml`.
    static let yaoHuangUniformSource = #"""
# Yao & Huang 2017, "Beyond Parity": uniform population, uniform observation (O = 0.4).
#
# Four user groups W, WS, M, MS (gender × STEM), three item groups Fem, STEM, Masc, 400 users × 300 items.
# P(like) by block, rows W, WS, M, MS: [[.8,.2,.2],[.8,.8,.2],[.2,.8,.8],[.2,.2,.8]], written below as
# log-odds effects (log 4 = 1.3862943611). A cell is +1 with probability O·L, −1 with O·(1 − L), unobserved otherwise.
# Expected mean observed rating, women vs men: uniform 0 / 0; biased observation 0.2667 / 0.1667; imbalanced
# population −0.120 / −0.120; both 0.2267 / −0.0133.
version: 1
name: yao-huang-uniform
seed: 2017
users: 400
attributes:
  gender: {type: categorical, levels: {female: 0.5, male: 0.5}, protected: true}
  stem:   {type: boolean, p: 0.5}
items:
  count: 300
  categories:
    fem:  {share: 0.3333333333333333, base: -1.3862943611198906}
    stem: {share: 0.3333333333333334, base: 1.3862943611198906}
    masc: {share: 0.3333333333333333, base: 1.3862943611198906, offer: true}
behavior:
  feedback: ratings
  latent_dims: 0
  category_taste_sd: 0
  observation: 0.4
  effects:
    - {attribute: gender, level: female, category: fem, weight: 2.7725887222397811}
    - {attribute: gender, level: female, category: stem, weight: -2.7725887222397811}
    - {attribute: stem, category: stem, weight: -2.7725887222397811}
    - {when: {gender: female, stem: true}, category: stem, weight: 5.5451774444795623}
    - {attribute: gender, level: female, category: masc, weight: -2.7725887222397811}

"""#

    /// The text of `datasets/yao-huang-biased-observation.yaml`.
    static let yaoHuangBiasedObservationSource = #"""
# Yao & Huang 2017, "Beyond Parity": uniform population, biased observation.
#
# Four user groups W, WS, M, MS (gender × STEM), three item groups Fem, STEM, Masc, 400 users × 300 items.
# P(like) by block, rows W, WS, M, MS: [[.8,.2,.2],[.8,.8,.2],[.2,.8,.8],[.2,.2,.8]], written below as
# log-odds effects (log 4 = 1.3862943611). A cell is +1 with probability O·L, −1 with O·(1 − L), unobserved otherwise.
# Expected mean observed rating, women vs men: uniform 0 / 0; biased observation 0.2667 / 0.1667; imbalanced
# population −0.120 / −0.120; both 0.2267 / −0.0133.
version: 1
name: yao-huang-biased-observation
seed: 2017
users: 400
attributes:
  gender: {type: categorical, levels: {female: 0.5, male: 0.5}, protected: true}
  stem:   {type: boolean, p: 0.5}
items:
  count: 300
  categories:
    fem:  {share: 0.3333333333333333, base: -1.3862943611198906}
    stem: {share: 0.3333333333333334, base: 1.3862943611198906}
    masc: {share: 0.3333333333333333, base: 1.3862943611198906, offer: true}
behavior:
  feedback: ratings
  latent_dims: 0
  category_taste_sd: 0
  observation: 1.0
  effects:
    - {attribute: gender, level: female, category: fem, weight: 2.7725887222397811}
    - {attribute: gender, level: female, category: stem, weight: -2.7725887222397811}
    - {attribute: stem, category: stem, weight: -2.7725887222397811}
    - {when: {gender: female, stem: true}, category: stem, weight: 5.5451774444795623}
    - {attribute: gender, level: female, category: masc, weight: -2.7725887222397811}
  exposure:   # observation probability by block, rows W, WS, M, MS
    - {when: {gender: female, stem: false}, category: fem, factor: 0.6}   # W
    - {when: {gender: female, stem: false}, category: stem, factor: 0.2}   # W
    - {when: {gender: female, stem: false}, category: masc, factor: 0.1}   # W
    - {when: {gender: female, stem: true}, category: fem, factor: 0.3}   # WS
    - {when: {gender: female, stem: true}, category: stem, factor: 0.4}   # WS
    - {when: {gender: female, stem: true}, category: masc, factor: 0.2}   # WS
    - {when: {gender: male, stem: false}, category: fem, factor: 0.1}   # M
    - {when: {gender: male, stem: false}, category: stem, factor: 0.3}   # M
    - {when: {gender: male, stem: false}, category: masc, factor: 0.5}   # M
    - {when: {gender: male, stem: true}, category: fem, factor: 0.05}   # MS
    - {when: {gender: male, stem: true}, category: stem, factor: 0.5}   # MS
    - {when: {gender: male, stem: true}, category: masc, factor: 0.35}   # MS

"""#

    /// The text of `datasets/yao-huang-imbalanced.yaml`.
    static let yaoHuangImbalancedSource = #"""
# Yao & Huang 2017, "Beyond Parity": imbalanced population (W .4, WS .1, M .1, MS .4), uniform observation.
#
# Four user groups W, WS, M, MS (gender × STEM), three item groups Fem, STEM, Masc, 400 users × 300 items.
# P(like) by block, rows W, WS, M, MS: [[.8,.2,.2],[.8,.8,.2],[.2,.8,.8],[.2,.2,.8]], written below as
# log-odds effects (log 4 = 1.3862943611). A cell is +1 with probability O·L, −1 with O·(1 − L), unobserved otherwise.
# Expected mean observed rating, women vs men: uniform 0 / 0; biased observation 0.2667 / 0.1667; imbalanced
# population −0.120 / −0.120; both 0.2267 / −0.0133.
version: 1
name: yao-huang-imbalanced
seed: 2017
users: 400
attributes:
  gender: {type: categorical, levels: {female: 0.5, male: 0.5}, protected: true}
  stem:   {type: boolean, p: 0.5}
correlations:
  # P(stem | female) = 0.2 and P(stem | male) = 0.8 (population W .4, WS .1, M .1, MS .4):
  # the latent orthant probability 1/4 + asin(r)/(2π) = 0.4 gives r = sin(0.3π).
  - [gender, stem, 0.8090169943749475]
items:
  count: 300
  categories:
    fem:  {share: 0.3333333333333333, base: -1.3862943611198906}
    stem: {share: 0.3333333333333334, base: 1.3862943611198906}
    masc: {share: 0.3333333333333333, base: 1.3862943611198906, offer: true}
behavior:
  feedback: ratings
  latent_dims: 0
  category_taste_sd: 0
  observation: 0.4
  effects:
    - {attribute: gender, level: female, category: fem, weight: 2.7725887222397811}
    - {attribute: gender, level: female, category: stem, weight: -2.7725887222397811}
    - {attribute: stem, category: stem, weight: -2.7725887222397811}
    - {when: {gender: female, stem: true}, category: stem, weight: 5.5451774444795623}
    - {attribute: gender, level: female, category: masc, weight: -2.7725887222397811}

"""#

    /// The text of `datasets/yao-huang-both.yaml`.
    static let yaoHuangBothSource = #"""
# Yao & Huang 2017, "Beyond Parity": imbalanced population and biased observation.
#
# Four user groups W, WS, M, MS (gender × STEM), three item groups Fem, STEM, Masc, 400 users × 300 items.
# P(like) by block, rows W, WS, M, MS: [[.8,.2,.2],[.8,.8,.2],[.2,.8,.8],[.2,.2,.8]], written below as
# log-odds effects (log 4 = 1.3862943611). A cell is +1 with probability O·L, −1 with O·(1 − L), unobserved otherwise.
# Expected mean observed rating, women vs men: uniform 0 / 0; biased observation 0.2667 / 0.1667; imbalanced
# population −0.120 / −0.120; both 0.2267 / −0.0133.
version: 1
name: yao-huang-both
seed: 2017
users: 400
attributes:
  gender: {type: categorical, levels: {female: 0.5, male: 0.5}, protected: true}
  stem:   {type: boolean, p: 0.5}
correlations:
  # P(stem | female) = 0.2 and P(stem | male) = 0.8 (population W .4, WS .1, M .1, MS .4):
  # the latent orthant probability 1/4 + asin(r)/(2π) = 0.4 gives r = sin(0.3π).
  - [gender, stem, 0.8090169943749475]
items:
  count: 300
  categories:
    fem:  {share: 0.3333333333333333, base: -1.3862943611198906}
    stem: {share: 0.3333333333333334, base: 1.3862943611198906}
    masc: {share: 0.3333333333333333, base: 1.3862943611198906, offer: true}
behavior:
  feedback: ratings
  latent_dims: 0
  category_taste_sd: 0
  observation: 1.0
  effects:
    - {attribute: gender, level: female, category: fem, weight: 2.7725887222397811}
    - {attribute: gender, level: female, category: stem, weight: -2.7725887222397811}
    - {attribute: stem, category: stem, weight: -2.7725887222397811}
    - {when: {gender: female, stem: true}, category: stem, weight: 5.5451774444795623}
    - {attribute: gender, level: female, category: masc, weight: -2.7725887222397811}
  exposure:   # observation probability by block, rows W, WS, M, MS
    - {when: {gender: female, stem: false}, category: fem, factor: 0.6}   # W
    - {when: {gender: female, stem: false}, category: stem, factor: 0.2}   # W
    - {when: {gender: female, stem: false}, category: masc, factor: 0.1}   # W
    - {when: {gender: female, stem: true}, category: fem, factor: 0.3}   # WS
    - {when: {gender: female, stem: true}, category: stem, factor: 0.4}   # WS
    - {when: {gender: female, stem: true}, category: masc, factor: 0.2}   # WS
    - {when: {gender: male, stem: false}, category: fem, factor: 0.1}   # M
    - {when: {gender: male, stem: false}, category: stem, factor: 0.3}   # M
    - {when: {gender: male, stem: false}, category: masc, factor: 0.5}   # M
    - {when: {gender: male, stem: true}, category: fem, factor: 0.05}   # MS
    - {when: {gender: male, stem: true}, category: stem, factor: 0.5}   # MS
    - {when: {gender: male, stem: true}, category: masc, factor: 0.35}   # MS

"""#
}
