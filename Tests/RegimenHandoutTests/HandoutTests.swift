import RegimenCore
import RegimenHandout
import Testing

@Suite struct HandoutTests {
    @Test func placeholder() {}
}
