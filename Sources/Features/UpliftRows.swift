// The training rows of an uplift model (built by Targeting.UpliftDataset, fitted by Training.UpliftTrainer).

/// One row per contacted user of a campaign (either arm): features as of the night before the contact, the
/// outcome (retained within the horizon) and the arm.
public struct UpliftRows: Sendable {
    public var names: [String]
    public var values: [Double]
    /// 1 = retained (a qualifying event in [contacted_at, contacted_at + horizon)).
    public var retained: [Double]
    public var treated: [Bool]
    public var campaign: [String]
    /// The feature cutoff of each row (midnight UTC of its contact day).
    public var cutoffs: [Int64]
    /// Campaigns from the first contacted to the last (the last ones are held out).
    public var campaignOrder: [String]
    /// The population the model will score (row-major, `populationRows` × `names.count`): every user a nightly
    /// list would score at each contact night (eligible under the model's label, features as of that night),
    /// contacted or not. The model's drift baseline and percentile reference come from it, not from the
    /// contacted users, who are a selected minority (at risk or idle) of that population.
    public var population: [Double]
    public var populationRows: Int

    public init(names: [String], values: [Double], retained: [Double], treated: [Bool], campaign: [String],
                cutoffs: [Int64], campaignOrder: [String], population: [Double] = [], populationRows: Int = 0) {
        self.names = names; self.values = values; self.retained = retained; self.treated = treated
        self.campaign = campaign; self.cutoffs = cutoffs; self.campaignOrder = campaignOrder
        self.population = population; self.populationRows = populationRows
    }

    public var rows: Int { retained.count }
}

