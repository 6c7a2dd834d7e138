// Every failure to read a Parquet file is bad input (exit 2): damaged, truncated, not Parquet, or using a
// feature this reader does not implement; the message names the file and, where known, the column.
import TenureCore

public enum ParquetError: CategorizedError, CustomStringConvertible, Sendable, Equatable {
    case corrupt(String)
    case unsupported(String)
    /// The same, located: the file and the column (when known).
    indirect case located(path: String, column: String?, ParquetError)

    public var category: ErrorCategory { .badInput }

    public var description: String {
        switch self {
        case let .corrupt(m): return "damaged Parquet: \(m)"
        case let .unsupported(m): return "unsupported Parquet: \(m)"
        case let .located(path, column, inner): return "\(path): \(column.map { "column '\($0)': " } ?? "")\(inner)"
        }
    }

    func at(path: String, column: String? = nil) -> ParquetError {
        if case .located = self { return self }
        return .located(path: path, column: column, self)
    }
}
