import Testing
@testable import Linear
