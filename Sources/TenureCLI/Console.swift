// Messages to stderr; the one place that turns errors into `tenure: error: ...` and an exit code.
import EventLog
import Features
import Foundation
import ModelFormat
import Targeting
import Training

enum ExitCode: Int32 {
    case ok = 0, failure = 1, badData = 2, usage = 64
}

enum Console {
    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Exit code for an error: bad input data 2, usage 64, anything else 1.
    static func exitCode(for error: Error) -> ExitCode {
        switch error {
        case is UsageError: return .usage
        case is EventLogError, is FeaturesError, is FeatureMatrixError, is ModelFormatError: return .badData
        case let e as TrainingError where e.isBadData: return .badData
        case let e as TargetingError:
            if case .missingFeature = e { return .usage }
            if case .invalidPartition = e { return .usage }
            return .badData
        default: return .failure
        }
    }

    static func fail(_ error: Error) -> Never {
        note("tenure: error: \(error)")
        exit(exitCode(for: error).rawValue)
    }
}
