// The terms the charts use, each explained once in plain words; every figure ends with a line defining the
// terms it shows, so a reader who is not a data scientist can read it without a textbook.
import ModelFormat

enum Term: CaseIterable {
    case label, recall, precision, falsePositiveRate, rocAUC, precisionRecall, baseRate, gains, lift, calibration,
         bin, logOdds, splitGain, coefficient, meanAbsContribution, inSample, retention, alarm, tier, segment, action, psi
}

struct Glossary {
    let model: TenureModel
    /// The run's list is an activation list (its tiers, segments and actions are named for new users).
    var activation: Bool

    init(model: TenureModel, activation: Bool? = nil) {
        self.model = model
        self.activation = activation ?? (model.label.task == .activation)
    }

    /// The AUC under which a model is called barely better than random (0.5 is a coin toss).
    static let weakAUC = 0.6

    func definition(_ t: Term) -> (term: String, text: String) {
        switch t {
        case .label: return ("label 1 / label 0", "the outcome the model predicts, 1 when it happened: \(model.label.summary)")
        case .recall: return ("recall", "the share of all label-1 users that the flagged users include")
        case .precision: return ("precision", "the share of flagged users who are label 1")
        case .falsePositiveRate: return ("false positive rate", "the share of label-0 users flagged by mistake")
        case .rocAUC: return ("ROC AUC", "the chance that a random label-1 user scores above a random label-0 user: 0.5 is random, 1 is perfect, under \(Glossary.weakAUC) barely better than random")
        case .precisionRecall: return ("PR curve, AP", "precision at each recall as more users are flagged; AP (average precision) sums it up in one number")
        case .baseRate: return ("base rate", "the share of label 1 among all users: the precision of picking users at random")
        case .gains: return ("cumulative gains", "the share of all label-1 users found when contacting the top k% by score; the diagonal is random picking")
        case .lift: return ("lift", "precision in the top k% ÷ base rate: how many times better than picking users at random")
        case .calibration: return ("calibrated", "of users given about 30%, about 30% turn out to be label 1; points on the diagonal are calibrated")
        case .bin: return ("bin, n", "users whose predicted probability falls in the same 10%-wide range; n = how many")
        case .logOdds: return ("log-odds", "the model's raw score, log(p ÷ (1 − p)): 0 is a probability of 50%, each +1 multiplies the odds by 2.7")
        case .splitGain: return ("split gain", "how much the trees' splits on a feature reduced the training loss, as a share of all splits")
        case .coefficient: return ("|coefficient|", "how many log-odds the score moves for one standard deviation of the feature")
        case .meanAbsContribution: return ("mean |contribution|", "how far a feature moves one user's score up or down, averaged over users, in log-odds")
        case .inSample: return ("in the training data (in-sample)", "the model was fitted on that cutoff, so its numbers measure fit and flatter it; held out or after training measure prediction")
        case .retention: return ("day-N retention", "the share of a signup cohort with any event on the N-th day after signing up")
        case .alarm: return ("alarm line", "a cohort under it is flagged for a look")
        case .tier: return activation ? ("activation tier", "likely, possible or unlikely by the new user's probability of doing the key event (thresholds in the playbook's activation.tiers)")
            : ("risk tier", "high, medium or low by the user's churn probability (thresholds in the run's settings)")
        case .segment: return activation ? ("segment", "the playbook's group of the new user: stalled after signup, close to activating, just signed up, not yet activated, or a suspected bonus hunter")
            : ("segment", "the playbook's group of the user, by value, recent activity and tenure")
        case .action: return activation ? ("nudge", "the playbook's nudge towards the key event for the user (onboarding reminder, guided tour, first-purchase coupon, …); 'none' means no contact")
            : ("recall action", "the playbook's contact for the user; 'none' means no contact")
        case .psi: return ("PSI", "population stability index: how far a feature's values in the run are from the training rows; under 0.1 stable, 0.1 to 0.25 shifting, above the drift threshold moved")
        }
    }

    /// "<p class="glossary">term: text; term: text.</p>"
    func line(_ terms: [Term]) -> String {
        "<p class=\"glossary\">" + terms.map { t in
            let d = definition(t)
            return "<dfn>\(HTMLText.escape(d.term))</dfn>: \(HTMLText.escape(d.text))"
        }.joined(separator: "; ") + ".</p>"
    }
}
