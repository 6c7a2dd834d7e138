import Testing
@testable import GradientBoosting
