// The measurement.json document `tenure measure --out DIR/` writes and `tenure report --measurement` reads,
// declared once here (below both Targeting, which fills it, and Report, which shows it). The column names are
// also the CSV's header: Targeting's MeasurementTable attaches each column's meaning and value to them.
import Foundation

/// The columns of measurement.csv and the keys of each row of measurement.json, in file order.
public enum MeasurementColumn: String, CaseIterable, Sendable, CodingKey {
    case campaign, breakdown, key
    case treated, treatedRetained = "treated_retained", control, controlRetained = "control_retained"
    case treatedRate = "treated_rate", controlRate = "control_rate"
    case lift, liftLower = "lift_lower", liftUpper = "lift_upper", relativeLift = "relative_lift", pValue = "p_value"
    case incrementalRetained = "incremental_retained", incrementalLower = "incremental_lower", incrementalUpper = "incremental_upper"
    case valueKept = "value_kept", cost, costPerIncrementalRetained = "cost_per_incremental_retained"
    case pending, srmPValue = "srm_p_value"

    /// Written as a JSON number (or null when undefined), not a string.
    public var numeric: Bool { ![.campaign, .breakdown, .key].contains(self) }
}

public struct MeasurementDocument: Codable, Sendable, Equatable {
    public var horizon: String
    public var dataEnd: String
    /// The intervals' confidence level (0.95).
    public var level: Double
    public var intervalMethod: String
    public var testMethod: String
    public var contacts: Int
    public var usersNotInLog: Int
    public var rows: [Row]

    public init(horizon: String, dataEnd: String, level: Double, intervalMethod: String, testMethod: String,
                contacts: Int, usersNotInLog: Int, rows: [Row]) {
        self.horizon = horizon; self.dataEnd = dataEnd; self.level = level; self.intervalMethod = intervalMethod
        self.testMethod = testMethod; self.contacts = contacts; self.usersNotInLog = usersNotInLog; self.rows = rows
    }

    /// One cell: the CSV's text, typed.
    public enum Cell: Codable, Sendable, Equatable {
        case text(String), number(Double), null

        public init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .null } else if let x = try? c.decode(Double.self) { self = .number(x) } else { self = .text(try c.decode(String.self)) }
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .text(let s): try c.encode(s)
            case .number(let x): try c.encode(x)
            case .null: try c.encodeNil()
            }
        }
    }

    /// One row of the measurement: every column, keyed by its CSV name. Decoding requires every column with
    /// its type (text columns a string, numeric ones a number or null), so a row cannot be half-read.
    public struct Row: Codable, Sendable, Equatable {
        public var cells: [MeasurementColumn: Cell]

        public init(cells: [MeasurementColumn: Cell]) { self.cells = cells }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: MeasurementColumn.self)
            var cells: [MeasurementColumn: Cell] = [:]
            for column in MeasurementColumn.allCases {
                if column.numeric {
                    cells[column] = try c.decodeNil(forKey: column) ? .null : .number(try c.decode(Double.self, forKey: column))
                } else {
                    cells[column] = .text(try c.decode(String.self, forKey: column))
                }
            }
            self.cells = cells
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: MeasurementColumn.self)
            for column in MeasurementColumn.allCases { try c.encode(cells[column] ?? .null, forKey: column) }
        }

        public func text(_ column: MeasurementColumn) -> String {
            if case .text(let s)? = cells[column] { return s }
            return ""
        }

        /// nil when undefined (an empty arm, an unknown cost, no declared share).
        public func number(_ column: MeasurementColumn) -> Double? {
            if case .number(let x)? = cells[column] { return x }
            return nil
        }
    }
}
