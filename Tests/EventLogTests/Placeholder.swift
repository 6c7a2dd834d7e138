import Testing
@testable import EventLog
