/// How each kind of knowledge is written to the image and read back: every stored property, in
/// a fixed order. `KnowledgeImageTests` compares a knowledge base read from the image with one
/// built from the files, property by property (by reflection), so a property added to one of
/// these types and not written here fails that test.

extension Route: ImageCodableByName {}
extension Sex: ImageCodableByName {}
extension DoseBasis: ImageCodableByName {}
extension Direction: ImageCodableByName {}
extension Severity: ImageCodableByName {}
extension InteractionSeverity: ImageCodableByName {}
extension SubstanceKind: ImageCodableByName {}
extension Limit.Kind: ImageCodableByName {}
extension ConditionRule.Kind: ImageCodableByName {}
extension MedicalCode.System: ImageCodableByName {}
extension UnaryOperator: ImageCodableByName {}
extension BinaryOperator: ImageCodableByName {}

// MARK: Places, units and amounts

extension Span: ImageCodable {
    func write(to image: inout ImageWriter) {
        image.unsigned(UInt64(file.rawValue))
        image.unsigned(UInt64(offset))
        image.unsigned(UInt64(length))
    }
    init(from image: inout ImageReader) throws(ImageError) {
        self.init(file: FileID(try image.length()), offset: try image.length(), length: try image.length())
    }
}

extension Dimension: ImageCodable {
    func write(to image: inout ImageWriter) { image.unsigned(packed) }
    init(from image: inout ImageReader) throws(ImageError) { self.init(packed: try image.unsigned()) }
}

extension Unit: ImageCodable {
    func write(to image: inout ImageWriter) { image.byte(imageIndex) }
    init(from image: inout ImageReader) throws(ImageError) {
        guard let unit = Unit(imageIndex: try image.byte()) else { throw ImageError("an unknown unit") }
        self = unit
    }
}

extension CompoundUnit: ImageCodable {
    func write(to image: inout ImageWriter) {
        image.write(numerator)
        image.write(denominator)
    }
    init(from image: inout ImageReader) throws(ImageError) {
        self.init(numerator: try image.read(), denominator: try image.read())
    }
}

extension Quantity: ImageCodable {
    func write(to image: inout ImageWriter) {
        image.write(base)
        image.write(dimension)
        image.write(unit)
    }
    init(from image: inout ImageReader) throws(ImageError) {
        self.init(base: try image.read(), dimension: try image.read(), unit: try image.read())
    }
}

extension MedicalCode: ImageCodable {
    func write(to image: inout ImageWriter) {
        image.write(system)
        image.write(code)
        image.write(source)
    }
    init(from image: inout ImageReader) throws(ImageError) {
        self.init(system: try image.read(), code: try image.read(), source: try image.read())
    }
}

// MARK: Substances, conditions, products, labs

extension Substance: ImageCodable {
    func write(to image: inout ImageWriter) {
        image.write(name)
        image.write(kind)
        image.write(aliases)
        image.write(classes)
        image.write(forms)
        image.write(limits)
        image.write(mcgPerIU)
        image.write(molarMass)
        image.write(valence)
        image.write(sources)
        image.write(notes)
        image.write(emptyStomach?.reason)
        if emptyStomach != nil { image.write(emptyStomach?.source) }
        image.write(codes)
        image.write(span)
    }
    init(from image: inout ImageReader) throws(ImageError) {
        self.init(name: try image.read(), kind: try image.read())
        aliases = try image.read()
        classes = try image.read()
        forms = try image.read()
        limits = try image.read()
        mcgPerIU = try image.read()
        molarMass = try image.read()
        valence = try image.read()
        sources = try image.read()
        notes = try image.read()
        if let reason: String = try image.read() { emptyStomach = (reason, try image.read()) }
        codes = try image.read()
        span = try image.read()
    }
}

extension Form: ImageCodable {
    func write(to image: inout ImageWriter) {
        image.write(name)
        image.write(aliases)
        image.write(names)
        image.write(elementalFraction)
        image.write(elementalVaries)
        image.write(absorption)
        image.write(dosedAsSalt)
        image.write(route)
        image.write(source)
        image.write(notes)
        image.write(longTerm)
    }
    init(from image: inout ImageReader) throws(ImageError) {
        self.init(name: try image.read())
        aliases = try image.read()
        names = try image.read()
        elementalFraction = try image.read()
        elementalVaries = try image.read()
        absorption = try image.read()
        dosedAsSalt = try image.read()
        route = try image.read()
        source = try image.read()
        notes = try image.read()
        longTerm = try image.read()
    }
}

extension Limit: ImageCodable {
    func write(to image: inout ImageWriter) {
        image.write(kind)
        image.write(amount)
        image.write(sex)
        image.write(minAge)
        image.write(maxAge)
        image.write(pregnancy)
        image.write(lactation)
        image.write(averagedWeekly)
        image.write(source)
    }
    init(from image: inout ImageReader) throws(ImageError) {
        self.init(kind: try image.read(), amount: try image.read())
        sex = try image.read()
        minAge = try image.read()
        maxAge = try image.read()
        pregnancy = try image.read()
        lactation = try image.read()
        averagedWeekly = try image.read()
        source = try image.read()
    }
}

extension ConditionInfo: ImageCodable {
    func write(to image: inout ImageWriter) {
        image.write(name)
        image.write(aliases)
        image.write(implies)
        image.write(egfr != nil)
        if let egfr {
            image.write(egfr.min)
            image.write(egfr.max)
        }
        image.write(source)
        image.write(codes)
        image.write(span)
    }
    init(from image: inout ImageReader) throws(ImageError) {
        self.init(name: try image.read())
        aliases = try image.read()
        implies = try image.read()
        if try image.read(Bool.self) { egfr = (try image.read(), try image.read()) }
        source = try image.read()
        codes = try image.read()
        span = try image.read()
    }
}

extension Product: ImageCodable {
    func write(to image: inout ImageWriter) {
        image.write(name)
        image.write(substance)
        image.write(form)
        image.write(amountPerUnit)
        image.write(unit)
        image.write(route)
        image.write(span)
        image.write(ingredients)
        image.write(source)
        image.write(note)
    }
    init(from image: inout ImageReader) throws(ImageError) {
        self.init(name: try image.read(), substance: try image.read(), form: try image.read(), amountPerUnit: try image.read())
        unit = try image.read()
        route = try image.read()
        span = try image.read()
        ingredients = try image.read()
        source = try image.read()
        note = try image.read()
    }
}

extension ProductIngredient: ImageCodable {
    func write(to image: inout ImageWriter) {
        image.write(substance)
        image.write(form)
        image.write(amount)
        image.write(milligrams)
        image.write(basis)
    }
    init(from image: inout ImageReader) throws(ImageError) {
        self.init(substance: try image.read(), form: try image.read(), amount: try image.read())
        milligrams = try image.read()
        basis = try image.read()
    }
}

extension LabAnalyte: ImageCodable {
    func write(to image: inout ImageWriter) {
        image.write(name)
        image.write(aliases)
        image.write(unit)
        image.write(molarMass)
        image.write(valence)
        image.write(possible)
        image.write(codes)
        image.write(sources)
        image.write(notes)
        image.write(span)
    }
    init(from image: inout ImageReader) throws(ImageError) {
        self.init(name: try image.read())
        aliases = try image.read()
        unit = try image.read()
        molarMass = try image.read()
        valence = try image.read()
        possible = try image.read()
        codes = try image.read()
        sources = try image.read()
        notes = try image.read()
        span = try image.read()
    }
}

extension PossibleRange: ImageCodable {
    func write(to image: inout ImageWriter) {
        image.write(low)
        image.write(high)
        image.write(source)
    }
    init(from image: inout ImageReader) throws(ImageError) {
        self.init(low: try image.read(), high: try image.read(), source: try image.read())
    }
}

extension LabTable: ImageCodable {
    func write(to image: inout ImageWriter) {
        image.write(analytes)
        image.write(names)
    }
    init(from image: inout ImageReader) throws(ImageError) {
        self.init()
        analytes = try image.read()
        names = try image.read()
    }
}

extension KnowledgeBase.NameTarget: ImageCodable {
    func write(to image: inout ImageWriter) {
        switch self {
        case .substance(let name, let form):
            image.byte(0)
            image.write(name)
            image.write(form)
        case .product(let name):
            image.byte(1)
            image.write(name)
        case .group(let name):
            image.byte(2)
            image.write(name)
        }
    }
    init(from image: inout ImageReader) throws(ImageError) {
        switch try image.byte() {
        case 0: self = .substance(try image.read(), form: try image.read())
        case 1: self = .product(try image.read())
        case 2: self = .group(try image.read())
        default: throw ImageError("an unknown kind of name")
        }
    }
}

// MARK: Rules

extension Interaction: ImageCodable {
    func write(to image: inout ImageWriter) {
        image.write(first)
        image.write(second)
        image.write(severity)
        image.write(separation)
        image.write(directed)
        image.write(avoid)
        image.write(togetherWithFood)
        image.write(why)
        image.write(source)
        image.write(span)
    }
    init(from image: inout ImageReader) throws(ImageError) {
        self.init(first: try image.read(), second: try image.read(), severity: try image.read())
        separation = try image.read()
        directed = try image.read()
        avoid = try image.read()
        togetherWithFood = try image.read()
        why = try image.read()
        source = try image.read()
        span = try image.read()
    }
}

extension DirectedSpacing: ImageCodable {
    func write(to image: inout ImageWriter) {
        image.write(subject)
        image.write(minutes)
        image.write(direction)
        image.write(object)
    }
    init(from image: inout ImageReader) throws(ImageError) {
        self.init(subject: try image.read(), minutes: try image.read(), direction: try image.read(), object: try image.read())
    }
}

extension ConditionRule: ImageCodable {
    func write(to image: inout ImageWriter) {
        image.write(kind)
        image.write(subject)
        image.write(form)
        image.write(condition)
        image.write(when)
        image.write(severity)
        image.write(routes)
        image.write(why)
        image.write(source)
        image.write(span)
    }
    init(from image: inout ImageReader) throws(ImageError) {
        self.init(kind: try image.read(), subject: try image.read(), form: try image.read(), condition: try image.read(),
                  when: try image.read(), severity: try image.read())
        routes = try image.read()
        why = try image.read()
        source = try image.read()
        span = try image.read()
    }
}

extension UserRule: ImageCodable {
    func write(to image: inout ImageWriter) {
        image.write(name)
        image.write(condition)
        image.write(severity)
        image.write(message)
        image.write(span)
        image.write(source)
    }
    init(from image: inout ImageReader) throws(ImageError) {
        self.init(name: try image.read(), condition: try image.read(), severity: try image.read(), message: try image.read(),
                  span: try image.read(), source: try image.read())
    }
}

// MARK: Expressions (the conditions of rules)

extension NameRef: ImageCodable {
    func write(to image: inout ImageWriter) {
        image.write(words)
        image.write(span)
    }
    init(from image: inout ImageReader) throws(ImageError) {
        self.init(words: try image.read(), span: try image.read())
    }
}

extension Expr: ImageCodable {
    func write(to image: inout ImageWriter) {
        image.write(span)
        switch kind {
        case .literal(let literal):
            image.byte(0)
            image.write(literal)
        case .variable(let name):
            image.byte(1)
            image.write(name)
        case .patientField(let name):
            image.byte(2)
            image.write(name)
        case .unary(let op, let operand):
            image.byte(3)
            image.write(op)
            image.write(operand)
        case .binary(let op, let left, let right):
            image.byte(4)
            image.write(op)
            image.write(left)
            image.write(right)
        case .call(let name, let arguments):
            image.byte(5)
            image.write(name)
            image.write(arguments)
        case .patientHas(let name):
            image.byte(6)
            image.write(name)
        case .planHas(let name):
            image.byte(7)
            image.write(name)
        case .dailyTotal(let name):
            image.byte(8)
            image.write(name)
        case .invalid:
            image.byte(9)
        }
    }
    init(from image: inout ImageReader) throws(ImageError) {
        let span: Span = try image.read()
        let kind: ExprKind
        switch try image.byte() {
        case 0: kind = .literal(try image.read())
        case 1: kind = .variable(try image.read())
        case 2: kind = .patientField(try image.read())
        case 3: kind = .unary(try image.read(), try image.read())
        case 4: kind = .binary(try image.read(), try image.read(), try image.read())
        case 5: kind = .call(try image.read(), try image.read())
        case 6: kind = .patientHas(try image.read())
        case 7: kind = .planHas(try image.read())
        case 8: kind = .dailyTotal(try image.read())
        case 9: kind = .invalid
        default: throw ImageError("an unknown kind of expression")
        }
        self.init(kind: kind, span: span)
    }
}

extension Literal: ImageCodable {
    func write(to image: inout ImageWriter) {
        switch self {
        case .number(let value):
            image.byte(0)
            image.write(value)
        case .quantity(let value, let unit):
            image.byte(1)
            image.write(value)
            image.write(unit)
        case .percent(let value):
            image.byte(2)
            image.write(value)
        case .clock(let time):
            image.byte(3)
            image.write(time.minutes)
        case .date(let date):
            image.byte(4)
            image.write(date.dayNumber)
        case .string(let text):
            image.byte(5)
            image.write(text)
        case .bool(let value):
            image.byte(6)
            image.write(value)
        }
    }
    init(from image: inout ImageReader) throws(ImageError) {
        switch try image.byte() {
        case 0: self = .number(try image.read())
        case 1: self = .quantity(try image.read(), try image.read())
        case 2: self = .percent(try image.read())
        case 3: self = .clock(ClockTime(minutes: try image.read()))
        case 4: self = .date(CivilDate(dayNumber: try image.read()))
        case 5: self = .string(try image.read())
        case 6: self = .bool(try image.read())
        default: throw ImageError("an unknown kind of literal")
        }
    }
}
