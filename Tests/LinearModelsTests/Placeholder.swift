import Testing
@testable import LinearModels
