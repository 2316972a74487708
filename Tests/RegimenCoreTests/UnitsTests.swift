@testable import RegimenCore
import Testing

@Suite struct UnitsTests {
    @Test func perKilogramTimesWeightIsAMass() {
        let plan = compile("patient:\n  weight 68kg\nlet per_kg = 5 mg/kg\nlet dose = per_kg * patient.weight\nzinc dose daily\n")
        #expect(plan.diagnostics.isEmpty)
        #expect(plan.plan.items.first?.dose.description == "340 mg")
    }

    @Test func massPlusTimeIsAnError() {
        let result = compile("let x = 300mg + 4h\n")
        #expect(codes(result) == ["R301"])
        #expect(result.diagnostics[0].message == "cannot add a mass and a time span")
    }

    @Test func conversionsAreBySubstance() {
        let result = compile("vitamin d3 2000 IU daily\nmagnesium citrate 10 mmol daily\nmagnesium citrate 20 mEq daily\n")
        #expect(result.diagnostics.isEmpty)
        let active = result.plan.items.map { $0.activeMilligrams ?? -1 }
        #expect(abs(active[0] - 0.05) < 1e-9)     // 2000 IU = 50 mcg
        #expect(abs(active[1] - 243.05) < 1e-9)   // 1 mmol Mg = 24.305 mg
        #expect(abs(active[2] - 243.05) < 1e-9)   // 2 mEq = 1 mmol
        #expect(codes(compile("zinc 100 IU daily\n")) == ["R303"])
    }

    @Test func elementalAndSaltBasis() {
        let result = compile("magnesium oxide 400mg salt daily\nmagnesium glycinate 300mg nightly\nmagnesium sulfate 2g iv once\n")
        let items = result.plan.items
        #expect(items[0].basis == .salt)
        #expect(abs(items[0].activeMilligrams! - 241.2) < 0.01)
        #expect(items[1].basis == .elemental)
        #expect(abs(items[1].compoundMilligrams! - 300 / 0.141) < 0.01)
        // Magnesium sulfate is dosed by the compound's weight (knowledge: `basis salt`).
        #expect(items[2].basis == .salt)
        #expect(abs(items[2].activeMilligrams! - 198) < 0.01)
    }

    @Test func quantitiesPrintAsWritten() {
        #expect(Quantity(5, CompoundUnit(numerator: Unit.named("mg")!, denominator: Unit.named("kg"))).description == "5 mg/kg")
        #expect(Quantity(base: 0.05, dimension: .mass).description == "50 mcg", "a computed mass below 1 mg reads in mcg")
        #expect(Quantity.milligrams(0.05).description == "0.05 mg", "a written unit is kept")
        #expect(Quantity.format(1.23456) == "1.235")
    }
}

/// A counted unit reads as its word, the same in read-backs, the formatter and the importers.
@Test func countedUnitsReadAsWords() {
    #expect(Quantity(2, CompoundUnit(numerator: Unit.named("patch")!, denominator: nil)).description == "2 patches")
    #expect(Quantity(2, CompoundUnit(numerator: Unit.named("suppository")!, denominator: nil)).description == "2 suppositories")
    #expect(Quantity(2, CompoundUnit(numerator: Unit.named("each")!, denominator: nil)).description == "2 each")
    #expect(Quantity(1, CompoundUnit(numerator: Unit.named("capsule")!, denominator: nil)).description == "1 capsule")
    #expect(Unit.word("days", count: 1) == "day")
}
