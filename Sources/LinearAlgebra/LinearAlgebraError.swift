// Errors raised by the BLAS/LAPACK wrappers (LAPACK info codes translated into actionable messages).
import TenureCore

/// Failures reported by LAPACK routines.
public enum LinearAlgebraError: CategorizedError, Equatable, Sendable, CustomStringConvertible {
    /// Cholesky factorisation failed: the leading minor of order `order` is not positive definite.
    case notPositiveDefinite(routine: String, order: Int)
    /// LAPACK rejected argument number `argument` (a negative `info`); this is a programming error upstream.
    case illegalArgument(routine: String, argument: Int)

    /// A singular system comes from the data (collinear columns); an illegal argument is a bug.
    public var category: ErrorCategory {
        switch self {
        case .notPositiveDefinite: return .badInput
        case .illegalArgument: return .internalFailure
        }
    }

    public var description: String {
        switch self {
        case let .notPositiveDefinite(routine, order):
            return "\(routine): matrix is not positive definite (leading minor \(order) failed); "
                + "the system is singular or ill-conditioned — add regularisation or remove collinear columns"
        case let .illegalArgument(routine, argument):
            return "\(routine): illegal value in argument \(argument) (internal error, please report)"
        }
    }

    /// Translates a LAPACK `info` code; `nil` when `info == 0`.
    static func from(info: Int32, routine: String) -> LinearAlgebraError? {
        if info == 0 { return nil }
        if info < 0 { return .illegalArgument(routine: routine, argument: Int(-info)) }
        return .notPositiveDefinite(routine: routine, order: Int(info))
    }
}
