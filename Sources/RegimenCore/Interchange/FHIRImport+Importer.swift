extension FHIRImport {
    /// One import: the file's resources in, Regimen source and warnings out.
    struct Importer {
        let resources: [JSON]
        var warnings: [String] = []
        /// `drug NAME:` declarations for medications the knowledge base does not know.
        var declarations: [String] = []
        var declared = Set<String>()
        var products: [String] = []
        /// Notes about the current resource's medication (the ingredients of a product Regimen cannot write), for its items.
        var itemNotes: [String] = []
        var productNames = Set<String>()
        let knowledge = BundledKnowledge.shared.knowledge
        /// True for a file `regimen export --fhir` wrote: its dosage texts and patient instructions
        /// are read-backs of the plan and of the knowledge base, made again on export, not facts to keep.
        let fromRegimen: Bool

        /// Each resource's fullUrl in the Bundle, by which a CarePlan's activities name its orders.
        let fullUrls: [String?]

        /// The day the imported plan will be checked on, if known.
        let today: CivilDate?

        init(resources: [JSON], fullUrls: [String?], today: CivilDate? = nil) {
            self.resources = resources
            self.fullUrls = fullUrls
            self.today = today
            fromRegimen = resources.contains { resource in
                resource["resourceType"]?.string == "Patient"
                    && (resource["extension"]?.array ?? []).contains { $0["url"]?.string == FHIRExport.dayExtension }
            }
        }

        static let medicationTypes: Set<String> = ["MedicationRequest", "MedicationStatement", "MedicationAdministration", "MedicationDispense"]

        mutating func run() -> Result<Imported, Failure> {
            let medications = resources.filter { Self.medicationTypes.contains($0["resourceType"]?.string ?? "") }
            guard !medications.isEmpty else {
                return .failure(Failure(message: "the file has no MedicationRequest, MedicationStatement, MedicationAdministration or MedicationDispense"))
            }
            // Each CarePlan is a plan block, with the orders its activities name; an order no CarePlan
            // names goes to the first block.
            let carePlans = resources.filter { $0["resourceType"]?.string == "CarePlan" }
            var blocks = Array(repeating: [String](), count: max(carePlans.count, 1))
            var imported = 0
            for (index, resource) in resources.enumerated() where Self.medicationTypes.contains(resource["resourceType"]?.string ?? "") {
                let item = itemLines(resource)
                if item.contains(where: { !$0.hasPrefix("#") }) { imported += 1 }
                let url = fullUrls.indices.contains(index) ? fullUrls[index] : nil
                let block = url.flatMap { url in
                    carePlans.firstIndex { ($0["activity"]?.array ?? []).contains { $0["reference"]?["reference"]?.string == url } }
                } ?? 0
                blocks[block] += item.map { "  " + $0 }
            }
            let patient = patientLines()
            // What the file says never makes the written plan fail: an item line the front end refuses
            // (fields that each read but together do not, such as two doses a day at one time) is a comment, said.
            blocks = blocks.map { $0.flatMap { $0.split(separator: "\n").map(String.init) } }
            var headers = blocks.indices.map { planHeader(carePlans.indices.contains($0) ? carePlans[$0] : nil) }
            var refused = refusedItemLines(declarations + products + patient, blocks: blocks, headers: headers)
            // A header the front end refuses (a CarePlan period of a thousand years) keeps its name only.
            let badHeaders = Set(refused.filter { $0.1 < 0 }.map(\.0))
            for block in badHeaders.sorted() {
                let why = refused.first { $0.0 == block && $0.1 < 0 }!.2
                warnings.append("the CarePlan's period was not imported: \(RegimenText.literal(headers[block])): \(why)")
                headers[block] = planHeader(carePlans.indices.contains(block) ? carePlans[block] : nil, withPeriod: false)
            }
            if !badHeaders.isEmpty { refused = refusedItemLines(declarations + products + patient, blocks: blocks, headers: headers) }
            for (block, index, why) in refused where index >= 0 {
                let line = blocks[block][index].trimmingSpaces()
                blocks[block][index] = "  # not imported: " + Self.commentText("\(line): \(why)")
                warnings.append("not imported: \(RegimenText.literal(line)): \(why)")
                imported = max(0, imported - 1)
            }
            if !blocks.joined().contains(where: { !$0.hasPrefix("  #") }) { imported = 0 }
            var out = ["# Imported from FHIR by `regimen import --fhir`: \(plural(medications.count, "medication resource")), \(imported) imported."]
            if !warnings.isEmpty { out.append("# \(plural(warnings.count, "warning")): what could not be carried over is in the notes below.") }
            out += declarations + products + patient
            if imported > 0 {
                for (number, lines) in blocks.enumerated() {
                    // A block whose orders were all left out keeps its comments without a header (an empty plan is R107).
                    if lines.contains(where: { !$0.hasPrefix("  #") }) {
                        out.append(headers[number])
                        out += lines
                    } else {
                        out += lines.map { String($0.dropFirst(2)) }
                    }
                }
            } else {
                // A plan block with no item is not a plan (R107): the reasons stand as comments on their own.
                out += blocks.joined().map { String($0.dropFirst(2)) }
                out.append("# nothing could be imported, so there is no plan")
            }
            return .success(Imported(source: out.joined(separator: "\n") + "\n", warnings: warnings, items: imported))
        }

        /// The item lines (block, line, the error's message) that the front end refuses in the plan as it
        /// would be written, and a block's header as line -1; a few rounds, as one refused line can hide another.
        func refusedItemLines(_ prefix: [String], blocks: [[String]], headers: [String]) -> [(Int, Int, String)] {
            var refused: [(Int, Int, String)] = []
            var left = Set(blocks.indices.flatMap { block in blocks[block].indices.filter { !blocks[block][$0].hasPrefix("  #") }.map { [block, $0] } })
            let day = Self.checkingDay(prefix + blocks.joined(), today: today)
            for _ in 0..<3 where !left.isEmpty {
                var source = prefix
                var place: [Int: (Int, Int)] = [:]  // physical line (from 1) -> block, line
                for block in blocks.indices where blocks[block].indices.contains(where: { left.contains([block, $0]) }) {
                    source.append(headers[block])
                    place[source.count] = (block, -1)
                    for index in blocks[block].indices where left.contains([block, index]) || blocks[block][index].hasPrefix("  #") {
                        source.append(blocks[block][index])
                        place[source.count] = (block, index)
                    }
                }
                let compilation = Frontend.compile(bytes: Array((source.joined(separator: "\n") + "\n").utf8), name: "imported.regimen",
                                                   path: "imported.regimen", provider: MemorySourceProvider([:]), today: day)
                var found = false
                for diagnostic in compilation.diagnostics where diagnostic.severity == .error {
                    guard let span = diagnostic.span, let (block, index) = place[compilation.sources[span.file].location(of: span.offset).line] else { continue }
                    // A header's error is the caller's to mend; it is said once.
                    if index < 0 {
                        if !refused.contains(where: { $0.0 == block && $0.1 < 0 }) { refused.append((block, -1, diagnostic.message)) }
                        continue
                    }
                    guard left.remove([block, index]) != nil else { continue }
                    refused.append((block, index, diagnostic.message))
                    found = true
                }
                if !found { break }
            }
            return refused
        }

        /// A plan block's header: its CarePlan's title and period when the file has one.
        func planHeader(_ carePlan: JSON?, withPeriod: Bool = true) -> String {
            guard let carePlan else { return "plan \"imported\":" }
            var header = "plan " + RegimenText.literal(carePlan["title"]?.string ?? "imported")
            guard withPeriod else { return header + ":" }
            let start = carePlan["period"]?["start"]?.string.flatMap { CivilDate(parsing: $0.prefix(10)) }
            let end = carePlan["period"]?["end"]?.string.flatMap { CivilDate(parsing: $0.prefix(10)) }
            if let start { header += " from \(start)" }
            if let start, let end, end >= start { header += " for \(end.dayNumber - start.dayNumber + 1) days" }
            else if let end { header += " until \(end)" }
            return header + ":"
        }

        /// What to call a resource in messages: its type and id.
        func label(_ resource: JSON) -> String {
            let type = resource["resourceType"]?.string ?? "resource"
            return resource["id"]?.string.flatMap { RegimenText.words($0) ?? ($0.count <= 64 ? $0 : nil) }.map { "\(type) \($0)" } ?? type
        }

        mutating func warn(_ resource: JSON, _ message: String) {
            warnings.append("\(label(resource)): \(message)")
        }

        // MARK: Resources that are not active orders

        /// Why a resource is not imported as an item (a stopped order, a refused one), or nil.
        mutating func notImported(_ resource: JSON) -> String? {
            if let modifiers = resource["modifierExtension"]?.array, !modifiers.isEmpty {
                let urls = modifiers.compactMap { $0["url"]?.string }.map { $0.count <= 120 ? $0 : String($0.prefix(120)) + "…" }
                return "it has a modifierExtension the importer does not understand (\(urls.joined(separator: ", "))), which FHIR says must not be ignored"
            }
            if resource["doNotPerform"]?.bool == true { return "it says not to give the medication (doNotPerform)" }
            let status = resource["status"]?.string ?? "unknown"
            // On hold: the order is halted for now (FHIR: "temporarily halted"), so scheduling it would give doses the patient must not take.
            let inactive: Set<String> = ["stopped", "cancelled", "entered-in-error", "completed", "draft", "not-taken", "not-done", "declined", "on-hold"]
            if inactive.contains(status) { return "its status is \(status)" + (Self.statusReason(resource).map { " (\($0))" } ?? "") }
            return nil
        }

        /// Why the record gives the status: `statusReason`, a CodeableConcept (a request) or a list of them (a statement).
        static func statusReason(_ resource: JSON) -> String? {
            let reasons = resource["statusReason"]?.array ?? resource["statusReason"].map { [$0] } ?? []
            let texts = reasons.compactMap(conceptText)
            return texts.isEmpty ? nil : commentText(texts.joined(separator: "; "))
        }

        /// An order Regimen exported on hold because its `hold if` condition held: read with that condition,
        /// which holds it again while it is true (and lets it be given once it is not), so the plan is the same.
        func isRegimenHold(_ resource: JSON) -> Bool {
            guard fromRegimen, resource["status"]?.string == "on-hold", resource["modifierExtension"] == nil, resource["doNotPerform"]?.bool != true else { return false }
            return dosageList(resource).contains { dosage in
                (dosage["additionalInstruction"]?.array ?? []).contains { ($0["text"]?.string).map { $0.hasPrefix("hold if ") && Self.isRegimenClause($0) } ?? false }
            }
        }

        // MARK: Items

        /// The plan lines for one medication resource: items, or a comment saying why none.
        mutating func itemLines(_ resource: JSON) -> [String] {
            itemNotes = []
            if isRegimenHold(resource) {
                let reason = Self.statusReason(resource) ?? "on hold"
                warn(resource, "on hold in the record (\(reason)): imported with its `hold if` condition, which holds it while it is true")
                return ["# on hold in the record: \(reason)"] + activeItemLines(resource)
            }
            if let why = notImported(resource) {
                warn(resource, "not imported: \(why)")
                var lines = ["# not imported: \(label(resource).replacing("\n", with: " ")), because \(why)"]
                // An order that is over or refused still says what it was: its items as comments, so
                // nothing is lost. A modifierExtension changes the meaning, so such a resource is not read further.
                if resource["modifierExtension"] == nil {
                    var reading = self
                    reading.warnings = []
                    let was = reading.activeItemLines(resource).flatMap { $0.split(separator: "\n").map { $0.drop { $0 == " " } } }
                    lines += was.filter { !$0.hasPrefix("#") }.map { "#   was: " + $0 }
                }
                return lines
            }
            return activeItemLines(resource)
        }

        /// The plan lines for a medication resource read as an active order.
        mutating func activeItemLines(_ original: JSON) -> [String] {
            let salt = saltReading(original)
            if let refusal = salt?.refusal {
                warn(original, "not imported: \(refusal)")
                return ["# not imported: \(label(original)): \(refusal)"]
            }
            let resource = salt?.resource ?? original
            guard let name = salt?.name ?? medicationName(resource) else {
                warn(resource, "not imported: it names no medication")
                return ["# not imported: \(label(resource)) names no medication"]
            }
            let dosages = dosageList(resource)
            var lines: [String] = []
            if dosages.isEmpty {
                warn(resource, "no dosage: the item cannot be scheduled, so it is kept as a comment")
                return ["# \(label(resource)): \(name) with no dosage"]
            }
            for group in DosageGroups(dosages).groups {
                switch dosageLine(name: name, group: group, resource: resource) {
                case .success(let line): lines.append(line)
                case .failure(let failure):
                    warn(resource, "not imported: \(failure.message)")
                    lines.append("# not imported: \(label(resource)): \(failure.message)")
                }
            }
            return lines
        }

        /// `dosageInstruction` (requests), `dosage` (statements, dispenses) or one `dosage` object (administrations).
        func dosageList(_ resource: JSON) -> [JSON] {
            if let list = resource["dosageInstruction"]?.array ?? resource["dosage"]?.array { return list }
            if let single = resource["dosage"], case .object = single { return [single] }
            return []
        }

        /// The name an item is written under: a known name as words, a product in quotes, or a
        /// declared drug for a name the knowledge base does not know.
        mutating func medicationName(_ resource: JSON) -> String? {
            if let (product, ingredient) = productFromMedication(resource) {
                return product ?? ingredient
            }
            // A code the knowledge base holds names the drug, before any words do.
            if let known = knownSubstance(resource["medicationCodeableConcept"]) ?? knownSubstance(referencedMedication(resource)?["code"]) {
                return known
            }
            // A referenced Medication without one ingredient and a strength is named by its own code,
            // then by the reference's display: HL7's examples mostly contain a Medication with a code only.
            let text = Self.conceptText(resource["medicationCodeableConcept"])
                ?? Self.conceptText(referencedMedication(resource)?["code"])
                ?? resource["medicationReference"]?["display"]?.string
            guard let text else { return nil }
            return itemName(for: text, resource: resource)
        }

        /// The knowledge base's substance for the first coding whose system and code it holds.
        func knownSubstance(_ concept: JSON?) -> String? {
            for coding in concept?["coding"]?.array ?? [] {
                guard let system = coding["system"]?.string.flatMap(MedicalCode.System.init(uri:)), let code = coding["code"]?.string,
                      let name = knowledge.substance(coded: code, in: system) else { continue }
                return name
            }
            return nil
        }

        /// A CodeableConcept's text, else its first coding's display.
        static func conceptText(_ concept: JSON?) -> String? {
            concept?["text"]?.string ?? concept?["coding"]?.array?.compactMap({ $0["display"]?.string }).first
        }

        /// SNOMED CT's semantic tags, which end a concept's display (`Amoxicillin (product)`) and are not part of the name.
        static let semanticTags: Set<String> = ["product", "substance", "medicinal product", "medicinal product form", "clinical drug",
                                                "real clinical drug", "qualifier value", "disorder", "finding", "body structure"]

        /// The display without a trailing SNOMED CT semantic tag.
        static func withoutSemanticTag(_ text: String) -> String {
            let trimmed = text.trimmingSpaces()
            guard trimmed.hasSuffix(")"), let open = trimmed.lastIndex(of: "(") else { return trimmed }
            let tag = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
            // Records capitalise it at times: `Prednisone 5mg tablet (Product)`.
            guard semanticTags.contains(tag.lowercased()) else { return trimmed }
            return String(trimmed[..<open]).trimmingSpaces()
        }

        /// A name from outside: the knowledge base's name when it knows it (a drug's display often
        /// carries its strength: `levothyroxine 75 MCG Oral Tablet`), else a declared drug.
        mutating func itemName(for text: String, resource: JSON) -> String {
            // `Oral Form Oxycodone`: a leading dose form or route is not the name.
            let leading: Set<String> = ["oral", "form", "topical", "nasal", "ophthalmic", "injectable", "inhaled", "vaginal", "rectal"]
            let cleaned = Self.withoutSemanticTag(text).lowercased().map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "'" ? $0 : " " }
            let words = Array(String(cleaned).split(separator: " ").map(String.init).drop { leading.contains($0) })
            if let (target, matched) = knowledge.longestMatch(words), case .substance(let substance, let form) = target {
                // `magnesium glycinate`: the substance's form, when the next words name one.
                var used = matched
                if form == nil, let known = knowledge.substances[substance] {
                    used = (matched...words.count).reversed().first { $0 == matched || known.form(named: words[matched..<$0].joined(separator: " ")) != nil } ?? matched
                }
                let name = words[..<used].joined(separator: " ")
                if used < words.count { warn(resource, "the medication \(RegimenText.literal(text)) was read as `\(name)`") }
                return name
            }
            // Not known: declared under plain words, so the plan checks, with the knowledge base's
            // warning that it has no facts about it.
            // The name before its strength and dose form: `Senna 8.6 MG Oral Tablet` is senna.
            let formWords: Set<String> = ["oral", "tablet", "tablets", "capsule", "capsules", "solution", "suspension", "injection",
                                          "injectable", "extended", "release", "delayed", "chewable", "film", "coated", "topical", "cream",
                                          "ointment", "powder", "vial", "suppository", "inhaler", "patch", "spray", "drops"]
            // A word that ends a name in Regimen (`for`, `with`, a route) ends it here too: `Little Pink Pill for water retention` is a little pink pill.
            // A name stops at a parenthesis too: `Vancomycin Hydrochloride (VANCOMYCIN HYDROCHLORIDE)`, `Alemtuzumab 10mg/ml (Lemtrada)`.
            let beforeParenthesis = String(text.lowercased().prefix { $0 != "(" }).map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "'" ? $0 : " " }
            let nameCandidates = Array(String(beforeParenthesis).split(separator: " ").map(String.init).drop { leading.contains($0) })
            let nameWords = (nameCandidates.isEmpty ? words : nameCandidates).prefix { !($0.first?.isNumber ?? true) && Unit.named($0) == nil && !formWords.contains($0) && !Parser.nameStoppers.contains($0) }.prefix(4)
            let plain = RegimenText.words(nameWords.joined(separator: " ")) ?? "imported medication"
            if declared.insert(plain).inserted {
                declarations += ["drug \(plain):", "  source \(RegimenText.literal("imported from FHIR as " + text))"]
                warn(resource, "the knowledge base does not know \(RegimenText.literal(text)): declared as `drug \(plain)`, so its interactions and limits are not checked")
            }
            return plain
        }

        /// A Medication that is a mineral salt: one ingredient, the element, whose strength is a mass per
        /// mass of the salt (14.1 mg magnesium per 100 mg magnesium glycinate), with doses of the salt's
        /// mass. Its name is the salt's, and each dose is written as the language reads it: the elemental
        /// amount, or the salt's mass for a form dosed as the salt (magnesium sulfate). A salt the knowledge
        /// base does not know comes with a refusal: its doses cannot be read without its share.
        mutating func saltReading(_ resource: JSON) -> (name: String, resource: JSON, refusal: String?)? {
            let milligramsPer: [String: Double] = ["mg": 1, "g": 1000, "ug": 0.001, "mcg": 0.001]
            func milligrams(_ quantity: JSON?) -> Double? {
                guard let value = quantity?["value"]?.double, value.isFinite, value > 0,
                      let unit = quantity?["code"]?.string ?? quantity?["unit"]?.string, let factor = milligramsPer[unit] else { return nil }
                return value * factor
            }
            guard let medication = referencedMedication(resource), let label = medication["code"]?["text"]?.string,
                  let ingredients = medication["ingredient"]?.array, ingredients.count == 1,
                  let element = milligrams(ingredients[0]["strength"]?["numerator"]),
                  let compound = milligrams(ingredients[0]["strength"]?["denominator"]), element < compound else { return nil }
            let name = itemName(for: label, resource: resource)
            guard let form = saltForm(name) else {
                // The elemental share is stated, but not of a salt the knowledge base knows: the salt's mass
                // would be read as the element's (or the name cut short to the element), so it is not imported.
                return (name, resource, "\(RegimenText.literal(label)) states \(Quantity.format(element)) mg of its ingredient per \(Quantity.format(compound)) mg of itself, but is not a salt form the knowledge base knows, so its doses cannot be read as the language writes them")
            }
            let share = form.dosedAsSalt ? 1 : element / compound
            func written(_ quantity: JSON) -> JSON {
                guard let mass = milligrams(quantity) else { return quantity }
                return .object([("value", .number((mass * share * 100).rounded() / 100)), ("unit", .string("mg")),
                                ("system", .string(FHIRExport.ucum)), ("code", .string("mg"))])
            }
            func dosage(_ dosage: JSON) -> JSON {
                guard case .object(let fields) = dosage else { return dosage }
                return .object(fields.map { key, value in
                    if key == "maxDosePerPeriod", case .object(let ratio) = value {
                        return (key, .object(ratio.map { ($0.0, $0.0 == "numerator" ? written($0.1) : $0.1) }))
                    }
                    guard key == "doseAndRate", let rates = value.array else { return (key, value) }
                    return (key, .array(rates.map { rate in
                        guard case .object(let parts) = rate else { return rate }
                        return .object(parts.map { part, quantity in
                            switch part {
                            case "doseQuantity": return (part, written(quantity))
                            case "doseRange":
                                guard case .object(let ends) = quantity else { return (part, quantity) }
                                return (part, .object(ends.map { ($0.0, $0.0 == "low" || $0.0 == "high" ? written($0.1) : $0.1) }))
                            default: return (part, quantity)
                            }
                        })
                    }))
                })
            }
            guard case .object(let fields) = resource else { return nil }
            let adjusted = JSON.object(fields.map { key, value in
                switch key {
                case "dosageInstruction", "dosage": return (key, value.array.map { .array($0.map(dosage)) } ?? dosage(value))
                default: return (key, value)
                }
            })
            return (name, adjusted, nil)
        }

        /// The salt form a name gives, with its elemental share: `magnesium glycinate` names the substance
        /// and then its form; `ferrous sulfate` names both at once.
        func saltForm(_ name: String) -> Form? {
            let words = name.split(separator: " ").map(String.init)
            guard let (target, used) = knowledge.longestMatch(words), case .substance(let substance, let named) = target,
                  let known = knowledge.substances[substance],
                  let form = named.flatMap({ known.forms[$0] }) ?? known.form(named: words[used...].joined(separator: " ")),
                  form.elementalFraction != nil else { return nil }
            return form
        }

        /// A contained or referenced Medication with one ingredient and its strength, as a product.
        mutating func productFromMedication(_ resource: JSON) -> (String?, String)? {
            guard let medication = referencedMedication(resource),
                  let ingredients = medication["ingredient"]?.array, !ingredients.isEmpty else { return nil }
            let label = medication["code"]?["text"]?.string ?? medication["code"]?["coding"]?.array?.first?["display"]?.string
            if ingredients.count > 1, let label, let product = productOfSeveral(label, ingredients: ingredients, resource: resource) {
                return (product, product)
            }
            guard ingredients.count == 1, let ingredient = ingredients.first,
                  let substanceText = Self.conceptText(ingredient["itemCodeableConcept"]) else {
                // A product Regimen cannot write: the ingredients' names and strengths are kept in a note, never dropped.
                let listed = ingredients.map { ingredient in
                    let name = Self.conceptText(ingredient["itemCodeableConcept"]) ?? ingredient["itemReference"]?["display"]?.string ?? "an unnamed ingredient"
                    let strength = ingredient["strength"].flatMap(Self.strengthText).map { " " + $0 } ?? ""
                    return name + strength
                }
                itemNotes.append("ingredients: " + listed.joined(separator: "; "))
                warn(resource, "the medication has \(plural(ingredients.count, "ingredient")), not each a substance the knowledge base knows with its amount per tablet, capsule or mL: it is kept under its name, with its ingredients in a note")
                return nil
            }
            let substance = itemName(for: substanceText, resource: resource)
            guard let label, let strength = ingredient["strength"],
                  let numerator = strength["numerator"], let amount = FHIRQuantity(numerator, path: "strength.numerator"),
                  case .success(let amountText) = amount.regimen,
                  let per = strength["denominator"].flatMap({ FHIRQuantity($0, path: "strength.denominator") })?.unitWord,
                  Unit.named(per)?.dimension == .count || Unit.named(per)?.dimension == .volume else {
                return (nil, substance)
            }
            // A salt's strength is the salt's mass (magnesium glycinate 851.06 mg per capsule); a product's
            // strength in Regimen is the element's, so it is converted, never copied across.
            var strengthText = amountText
            if let fraction = saltForm(substance)?.elementalFraction, amount.unitWord.flatMap(Unit.named)?.dimension == .mass,
               let factor = Unit.named(amount.unitWord!)?.factor {
                let milligrams = amount.value * factor / (Unit.named("mg")?.factor ?? 1) * fraction
                strengthText = Quantity.format((milligrams * 100).rounded() / 100) + "mg"
            }
            let name = RegimenText.literal(label)
            if productNames.insert(name).inserted { products.append("product \(name): \(substance) \(strengthText) per \(per)") }
            return (name, substance)
        }

        /// A Medication of several ingredients as a product declaration (`product "Cal-Mag": calcium carbonate
        /// 333mg elemental, magnesium oxide 133mg elemental per tablet`), when every ingredient is a substance
        /// the knowledge base knows, with an amount per one unit that is the same for all; nil otherwise. A
        /// salt's strength is the salt's mass, written as the element's amount (`elemental`), never copied across.
        mutating func productOfSeveral(_ label: String, ingredients: [JSON], resource: JSON) -> String? {
            var probe = self
            var parts: [String] = []
            var unit: String?
            for ingredient in ingredients {
                guard let text = Self.conceptText(ingredient["itemCodeableConcept"]), let strength = ingredient["strength"],
                      let amount = strength["numerator"].flatMap({ FHIRQuantity($0, path: "strength.numerator") }),
                      case .success(var amountText) = amount.regimen,
                      let per = strength["denominator"].flatMap({ FHIRQuantity($0, path: "strength.denominator") }),
                      per.value == 1, let perWord = per.unitWord,
                      Unit.named(perWord)?.dimension == .count || Unit.named(perWord)?.dimension == .volume,
                      unit == nil || unit == perWord else { return nil }
                unit = perWord
                let declaredBefore = probe.declared.count
                let name = probe.itemName(for: text, resource: resource)
                // A product's ingredients are substances the knowledge base knows: a declared drug cannot be one.
                guard probe.declared.count == declaredBefore else { return nil }
                if let form = probe.saltForm(name), let fraction = form.elementalFraction, let unitWord = amount.unitWord,
                   let factor = Unit.named(unitWord)?.factor, Unit.named(unitWord)?.dimension == .mass {
                    let milligrams = amount.value * factor / (Unit.named("mg")?.factor ?? 1)
                    amountText = form.dosedAsSalt ? Quantity.format((milligrams * 100).rounded() / 100) + "mg"
                        : Quantity.format((milligrams * fraction * 100).rounded() / 100) + "mg elemental"
                }
                parts.append("\(name) \(amountText)")
            }
            guard let unit else { return nil }
            self = probe
            let name = RegimenText.literal(label)
            if productNames.insert(name).inserted { products.append("product \(name): " + parts.joined(separator: ", ") + " per \(unit)") }
            return name
        }

        /// A Ratio strength as written (`500 mg per 1 Tab`).
        static func strengthText(_ ratio: JSON) -> String? {
            func part(_ quantity: JSON?) -> String? {
                guard let value = quantity?["value"]?.double, value.isFinite else { return nil }
                return Quantity.format(value) + " " + (quantity?["unit"]?.string ?? quantity?["code"]?.string ?? "")
            }
            guard let numerator = part(ratio["numerator"]) else { return nil }
            return numerator.trimmingSpaces() + (part(ratio["denominator"]).map { " per " + $0.trimmingSpaces() } ?? "")
        }

        /// The Medication a resource points to: contained (`#id`) or another entry of the file.
        func referencedMedication(_ resource: JSON) -> JSON? {
            guard let reference = resource["medicationReference"]?["reference"]?.string else { return nil }
            if reference.hasPrefix("#") {
                return resource["contained"]?.array?.first { $0["resourceType"]?.string == "Medication" && "#" + ($0["id"]?.string ?? "") == reference }
            }
            let id = reference.split(separator: "/").last.map(String.init) ?? reference
            return resources.first { $0["resourceType"]?.string == "Medication" && ($0["id"]?.string == id) }
        }

        // MARK: Patient

        /// The patient block from the Patient, Condition and Observation resources, and Regimen's own extensions.
        mutating func patientLines() -> [String] {
            var lines: [String] = []
            if let patient = resources.first(where: { $0["resourceType"]?.string == "Patient" }) {
                if let gender = patient["gender"]?.string, ["female", "male"].contains(gender) { lines.append("sex \(gender)") }
                if let born = patient["birthDate"]?.string, born.count == 10, CivilDate(parsing: born) != nil { lines.append("born \(born)") }
                for extensionObject in patient["extension"]?.array ?? [] {
                    if extensionObject["url"]?.string == FHIRExport.ageExtension {
                        // An age in years (UCUM `a`), within a human lifetime; anything else is said and left out.
                        let age = extensionObject["valueAge"]
                        if let years = age?["value"]?.double, years.isFinite, (0...130).contains(years), age?["code"]?.string == "a" {
                            lines.append("age \(Quantity.format(years))")
                        } else {
                            warn(patient, "the age extension is not an age in years from 0 to 130 and was not imported")
                        }
                        continue
                    }
                    guard let value = extensionObject["valueString"]?.string else { continue }
                    switch extensionObject["url"]?.string {
                    case FHIRExport.dayExtension?: if let day = Self.checkedDay(value) { lines.append(day) }
                    case FHIRExport.timeZoneExtension?: lines.append("timezone \(RegimenText.literal(value))")
                    case FHIRExport.factsExtension?: lines += value.split(separator: "\n").compactMap { Self.checkedFact(String($0)) }
                    case FHIRPatientDays.dayVariantExtension?: if let line = FHIRPatientDays.checkedDayLine(value) { lines.append(line) }
                    case FHIRPatientDays.zoneStayExtension?: if let line = FHIRPatientDays.checkedStay(value) { lines.append(line) }
                    default: break
                    }
                }
            }
            let conditions = resources.filter { $0["resourceType"]?.string == "Condition" }.compactMap { condition -> String? in
                // A SNOMED CT code the knowledge base holds names the condition, before any words do.
                let snomed = condition["code"]?["coding"]?.array?.filter { $0["system"]?.string == MedicalCode.System.snomed.uri } ?? []
                let knowledge = knowledge
                if let known = snomed.compactMap({ $0["code"]?.string.flatMap(knowledge.condition(coded:)) }).first { return known }
                guard let text = condition["code"]?["text"]?.string ?? condition["code"]?["coding"]?.array?.first?["display"]?.string else { return nil }
                guard let words = RegimenText.words(text) else {
                    warn(condition, "the condition \(RegimenText.literal(text)) is not plain words and was not imported")
                    return nil
                }
                return words
            }
            if !conditions.isEmpty, !lines.contains(where: { $0.hasPrefix("conditions ") }) { lines.append("conditions " + conditions.joined(separator: ", ")) }
            // Observations: weight, height and eGFR, then laboratory results, by LOINC code first and then by name.
            // One the patient block has no field for is kept as a comment and said, never dropped silently;
            // of several results of one kind (a series), the latest is the patient's, the others are said.
            var readings: [(key: String, text: String, date: CivilDate?, isLab: Bool, resource: JSON)] = []
            var unread: [String] = []
            for observation in resources where observation["resourceType"]?.string == "Observation" {
                switch observationReading(observation) {
                case .field(let line, let date):
                    let key = String(line.split(separator: " ")[0])
                    if !lines.contains(where: { $0.hasPrefix(key + " ") }) { readings.append((key, line, date, false, observation)) }
                case .lab(let analyte, let entry, let date):
                    readings.append((analyte, entry, date, true, observation))
                case .unread(let why):
                    unread.append("# observation not imported: " + Self.commentText(why))
                    warn(observation, "not imported: \(why)")
                }
            }
            var kept: [(key: String, text: String, date: CivilDate?, isLab: Bool, resource: JSON)] = []
            for reading in readings {
                guard let index = kept.firstIndex(where: { $0.key == reading.key && $0.isLab == reading.isLab }) else { kept.append(reading); continue }
                // Of two dated results the later is the patient's; otherwise the first in the file stays.
                let current = kept[index]
                let isLater = reading.date.flatMap { date in current.date.map { date > $0 } } ?? false
                let left = isLater ? current : reading
                if isLater { kept[index] = reading }
                let said = left.text + (left.isLab ? "" : left.date.map { " on \($0)" } ?? "")
                unread.append("# observation not imported: another \(left.key) result, " + Self.commentText(said) + ", not the latest dated one")
                warn(left.resource, "not imported: \(RegimenText.literal(said)) is not the latest dated \(left.key) result in the file")
            }
            lines += kept.filter { !$0.isLab }.map(\.text)
            let labs = kept.filter(\.isLab).map(\.text)
            if !labs.isEmpty, !lines.contains(where: { $0.hasPrefix("labs ") }) { lines.append("labs " + labs.joined(separator: ", ")) }
            let (readable, refused) = Self.readableLines(lines, today: today)
            for (line, why) in refused {
                unread.append("# patient line not imported: " + Self.commentText("\(line): \(why)"))
                warnings.append("patient: not imported: \(RegimenText.literal(line)): \(why)")
            }
            return (readable.isEmpty ? [] : ["patient:"] + readable.map { "  " + $0 }) + unread
        }

        /// The patient block's lines that read without error: each line a front-end error points at (an
        /// implausible weight, a condition written as no condition is, a result dated after `today`) is
        /// left out with the error's message, so what the file says never makes the imported plan fail.
        static func readableLines(_ lines: [String], today: CivilDate?) -> (kept: [String], refused: [(String, String)]) {
            let day = checkingDay(lines, today: today)
            var kept = lines
            var refused: [(String, String)] = []
            // Each round leaves out the lines errors point at; one line's error can hide another's, so a few rounds.
            for _ in 0..<3 where !kept.isEmpty {
                let source = "patient:\n" + kept.map { "  " + $0 + "\n" }.joined()
                let compilation = Frontend.compile(bytes: Array(source.utf8), name: "patient.regimen", path: "patient.regimen",
                                                   provider: MemorySourceProvider([:]), today: day)
                var wrong: [Int: String] = [:]
                for diagnostic in compilation.diagnostics where diagnostic.severity == .error {
                    guard let span = diagnostic.span else { continue }
                    let index = compilation.sources[span.file].location(of: span.offset).line - 2
                    if kept.indices.contains(index), wrong[index] == nil { wrong[index] = diagnostic.message }
                }
                guard !wrong.isEmpty else { break }
                refused += wrong.keys.sorted().map { (kept[$0], wrong[$0]!) }
                kept = kept.enumerated().filter { wrong[$0.offset] == nil }.map(\.element)
            }
            return (kept, refused)
        }

        /// The day written lines are checked on: `today`, or without one the latest date the lines give,
        /// so no date in them is in the future.
        static func checkingDay(_ lines: [String], today: CivilDate?) -> CivilDate {
            let dates = lines.joined(separator: " ").split(whereSeparator: { $0 == " " || $0 == "," }).compactMap { CivilDate(parsing: $0) }
            return today ?? dates.max() ?? CivilDate(year: 2000, month: 1, day: 1)!
        }

        /// What an Observation gives the patient block.
        enum ObservationReading {
            /// A patient field, `weight 70 kg`, with the date it was measured.
            case field(String, date: CivilDate?)
            /// A laboratory result for the `labs` line: `potassium 5.4 mmol/L on 2026-11-20`.
            case lab(analyte: String, entry: String, date: CivilDate?)
            /// Why it is not imported.
            case unread(String)
        }

        /// Weight, height and eGFR by their LOINC codes or names, and laboratory results by the knowledge
        /// base's LOINC codes or the analyte's name, with the value in a unit the analyte converts from.
        mutating func observationReading(_ observation: JSON) -> ObservationReading {
            let codings = observation["code"]?["coding"]?.array ?? []
            let codes = Set(codings.compactMap { $0["code"]?.string })
            let loincCodes = Set(codings.filter { $0["system"]?.string == MedicalCode.System.loinc.uri }.compactMap { $0["code"]?.string })
            // Named by its text or display, else by its code (`LOINC 2601-3`), so a message says which it is.
            let firstCoding = codings.first { $0["code"]?.string != nil }
            let codeName = firstCoding.map { coding in
                (coding["system"]?.string.flatMap(MedicalCode.System.init(uri:))?.title ?? "code") + " " + (coding["code"]?.string ?? "")
            }
            let text = Self.conceptText(observation["code"]) ?? codeName ?? "an observation with no name"
            let named = "\(RegimenText.literal(text))"
            // A result withdrawn or never made is no result of the patient's.
            if let status = observation["status"]?.string, ["cancelled", "entered-in-error"].contains(status) {
                return .unread("\(named) has the status \(status)")
            }
            var date: CivilDate?
            if let written = observation["effectiveDateTime"]?.string ?? observation["effectivePeriod"]?["start"]?.string {
                // A date, or a date and time (`2026-11-20T08:30:00Z`): the day of the sample.
                guard written.count == 10 || written.dropFirst(10).first == "T", let day = CivilDate(parsing: written.prefix(10)) else {
                    return .unread("\(named) has the date \(RegimenText.literal(written)), which is not a date")
                }
                date = day
            }
            guard let value = observation["valueQuantity"], let quantity = FHIRQuantity(value, path: "valueQuantity") else {
                return .unread("\(named) has no valueQuantity")
            }
            guard quantity.value.isFinite, quantity.value > 0, quantity.value < 1_000_000 else {
                let shown = quantity.value.isFinite && abs(quantity.value) < 1e9 ? Quantity.format(quantity.value) : "\(quantity.value)"
                return .unread("\(named) has the value \(shown), which is not a plausible result")
            }
            let number = Quantity.format(quantity.value)
            let lowered = text.lowercased()
            if codes.contains("29463-7") || codes.contains("3141-9") || ["weight", "body weight"].contains(lowered) {
                guard let unit = quantity.unitWord, ["kg", "lb"].contains(unit), quantity.value < 1000 else {
                    return .unread("\(named) (\(number) \(quantity.writtenUnit)) is not a weight in kg or lb")
                }
                return .field("weight \(number) \(unit)", date: date)
            }
            if codes.contains("8302-2") || codes.contains("8306-3") || ["height", "body height"].contains(lowered) {
                guard let unit = quantity.unitWord, ["cm", "m"].contains(unit), quantity.value < 1000 else {
                    return .unread("\(named) (\(number) \(quantity.writtenUnit)) is not a height in cm or m")
                }
                return .field("height \(number) \(unit)", date: date)
            }
            if !codes.isDisjoint(with: ["33914-3", "48642-3", "48643-1", "62238-1", "69405-9", "98979-8", "98980-6"]) || lowered == "egfr" {
                return .field("egfr \(number)", date: date)
            }
            let labTable = knowledge.labs
            let analyte = labTable.analytes.values.sorted { $0.name < $1.name }.first { !loincCodes.isDisjoint(with: $0.codes.map(\.code)) }
                ?? labTable.analyte(named: text)
            guard let analyte else { return .unread("\(named) (\(number) \(quantity.writtenUnit)) is no laboratory result the knowledge base knows") }
            // The value in a unit Regimen writes, which the analyte converts from (mmol/L, mg/dL, mIU/L, …).
            // A unit code of another system (SNOMED CT's 258813002 for mmol/L) is not UCUM: its unit text is read.
            let ucumCode = value["system"]?.string == nil || value["system"]?.string == FHIRExport.ucum ? value["code"]?.string : nil
            let unitText = Self.labUnit(ucumCode ?? value["unit"]?.string ?? "")
            let unit = unitText.flatMap(KnowledgeBuilder.compoundUnit)
            var entry = "\(analyte.name) \(number)"
            if let unit, let unitText {
                guard case .success = analyte.canonical(Quantity(quantity.value, unit)) else {
                    return .unread("\(named) is in \(unitText), which does not convert to \(analyte.name) in \(analyte.unit?.symbol ?? "a plain number")")
                }
                entry += " " + unitText
            } else if analyte.unit != nil {
                return .unread("\(named) is in \(RegimenText.literal(quantity.writtenUnit)), a unit Regimen cannot read for \(analyte.name)")
            }
            if let date { entry += " on \(date)" }
            return .lab(analyte: analyte.name, entry: entry, date: date)
        }

        /// A UCUM unit as a laboratory result is written in Regimen (`m[iU]/L` is `mIU/L`, `meq/L` `mEq/L`);
        /// nil for no unit or UCUM's unit 1 (a ratio such as the INR).
        static func labUnit(_ ucum: String) -> String? {
            let words: [String: String] = ["[iU]": "IU", "[IU]": "IU", "m[iU]": "mIU", "m[IU]": "mIU", "u[iU]": "µIU", "u[IU]": "µIU",
                                           "meq": "mEq", "ug": "mcg", "umol": "µmol"]
            let trimmed = ucum.trimmingSpaces()
            guard !trimmed.isEmpty, trimmed != "1", !(trimmed.hasPrefix("{") && trimmed.hasSuffix("}")) else { return nil }
            return trimmed.split(separator: "/", omittingEmptySubsequences: false).map { words[String($0)] ?? String($0) }.joined(separator: "/")
        }

        /// Text from the file as one comment line: no line breaks, no control characters, at most 200 characters.
        static func commentText(_ text: String) -> String {
            let flat = String(text.map { $0.isNewline || ($0.asciiValue.map { $0 < 32 } ?? false) ? " " : $0 })
            return flat.count <= 200 ? flat : String(flat.prefix(200)) + "…"
        }

        /// Regimen's own day extension (`wake 07:00, breakfast 07:30, …`), accepted only in that shape.
        static func checkedDay(_ value: String) -> String? {
            let parts = value.split(separator: ",").map { $0.split(separator: " ").map(String.init) }
            guard !parts.isEmpty, parts.allSatisfy({ $0.count == 2 && Anchor(rawValue: $0[0]) != nil && $0[1].count == 5
                && $0[1].allSatisfy { $0.isNumber || $0 == ":" } }) else { return nil }
            return parts.map { $0.joined(separator: " ") }.joined(separator: ", ")
        }

        /// One line of Regimen's facts extension, accepted only as a known field and plain words.
        static func checkedFact(_ line: String) -> String? {
            let words = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard words.count == 2, ["age", "weight", "egfr", "setting", "conditions", "diet", "height", "labs"].contains(words[0]),
                  words[1].allSatisfy({ $0.isLetter || $0.isNumber || " .,/'-".contains($0) }) else { return nil }
            return line
        }
    }
}

