// All diagnostic codes and their wording. Codes are stable: never renumber one.
// R1xx syntax, R2xx names, R3xx units, R4xx values, R5xx includes, R6xx resource limits,
// R7xx the simulated schedule, R8xx clinical checks.

extension DiagnosticCode {
    private init(_ id: String, _ name: String, _ category: Category, _ severity: Severity, _ explanation: String) {
        self.init(id: id, name: name, category: category, severity: severity, explanation: explanation)
    }

    // MARK: Syntax

    public static let invalidCharacter = Self("R100", "invalid-character", .syntax, .error,
        "The line holds a character that has no meaning in a plan file. Remove it, or put it inside a string or a comment.")
    public static let invalidUTF8 = Self("R101", "invalid-utf8", .syntax, .error,
        "The file is not valid UTF-8 text. It was probably saved in another encoding; save it again as UTF-8.")
    public static let nulByte = Self("R102", "nul-byte", .syntax, .error,
        "The file contains a NUL byte, which text files do not have. It may be a binary file or a damaged copy.")
    public static let unterminatedString = Self("R103", "unterminated-string", .syntax, .error,
        "A string starts with `\"` but the line ends before the closing `\"`.")
    public static let tabIndentation = Self("R104", "tab-indentation", .syntax, .error,
        "Blocks are indented with spaces. A tab can look like any number of spaces, so the block it belongs to would be a guess.")
    public static let inconsistentIndentation = Self("R105", "inconsistent-indentation", .syntax, .error,
        "A line is indented less than the line before it, but not as far back as any enclosing block. Line it up with the block it belongs to.")
    public static let unexpectedIndent = Self("R106", "unexpected-indent", .syntax, .error,
        "A line is indented deeper than the one before it, but that line does not open a block (blocks are opened by a line ending in `:`).")
    public static let expectedBlock = Self("R107", "expected-block", .syntax, .error,
        "A line ending in `:` opens a block, and the lines that belong to it must follow, indented deeper.")
    public static let unexpectedToken = Self("R108", "unexpected-token", .syntax, .error,
        "The parser expected something else at this point of the line. The message says what it expected.")
    public static let emptyFile = Self("R109", "empty-file", .syntax, .error,
        "The file holds no statements (it is empty, or only comments), so there is nothing to check.")
    public static let misplacedStatement = Self("R110", "misplaced-statement", .syntax, .error,
        "This kind of statement cannot stand here. Knowledge definitions, `patient:` and `plan` blocks belong at the top level of a file; plan items belong in a plan, an `if` or a `define`.")
    public static let unknownPatientField = Self("R111", "unknown-patient-field", .syntax, .error,
        "The `patient:` block knows these fields: sex, age, born, weight, height, egfr, conditions, diet, setting, wake, breakfast, lunch, dinner, bed, timezone, pregnant, due, breastfeeding; and day lines, `on weekends: wake 09:00` or `from 2026-12-10 until 2026-12-14: wake 18:00`, which take only the day's times.")
    public static let conflictingClause = Self("R112", "conflicting-clause", .syntax, .error,
        "An item says the same thing twice in different ways (two frequencies, two routes, two courses), so which one is meant is unclear.")
    public static let unknownClause = Self("R113", "unknown-clause", .syntax, .error,
        "After the dose an item takes clauses such as a frequency (`daily`, `bid`, `every 8h`), a timing (`with breakfast`, `at 21:00`), a relation (`4h after levothyroxine`), a course (`for 7 days`) or a titration. This word does not start any of them.")

    public static let controlCharacter = Self("R114", "control-character", .syntax, .warning,
        "A string or a comment holds a control character (such as ESC, \\u{1B}, which starts terminal escape sequences, or a carriage return) or a Unicode bidirectional control (such as RIGHT-TO-LEFT OVERRIDE, \\u{202E}, which makes text display in another order than it is read: the \"Trojan Source\" attack). The tool always shows them written out, but an editor, a terminal or a calendar application may obey them. Delete them, or write the text without them.")

    // MARK: Names

    public static let unknownSubstance = Self("R201", "unknown-substance", .name, .error,
        "An item names a substance, drug or product the knowledge base does not know. Check the spelling, or define it in the plan with `substance`, `drug` or `product`.")
    public static let unknownForm = Self("R202", "unknown-form", .name, .error,
        "The substance is known but not in this form (salt). `regimen explain SUBSTANCE` lists the forms the knowledge base holds.")
    public static let unknownCondition = Self("R203", "unknown-condition", .name, .error,
        "A condition is not in the knowledge base under this name or any alias. Check the spelling; `regimen explain CONDITION` shows the known aliases.")
    public static let unknownVariable = Self("R204", "unknown-variable", .name, .error,
        "A name is used as a value but no `let` or `define` parameter gives it a value at this point.")
    public static let unknownDefinition = Self("R205", "unknown-definition", .name, .error,
        "`use` names a block that no `define` in this file or its includes declares.")
    public static let unknownRelationTarget = Self("R206", "unknown-relation-target", .name, .warning,
        "An item is timed relative to another (`4h after levothyroxine`), but nothing in the plan is that substance or drug, so the relation has nothing to hold against.")
    public static let unknownFunction = Self("R207", "unknown-function", .name, .error,
        "Expressions can call `min`, `max` and `round`.")
    public static let unknownPatientAttribute = Self("R208", "unknown-patient-attribute", .name, .error,
        "`patient.` is followed by a field the patient block can hold: sex, age, weight, height, egfr, setting, wake, breakfast, lunch, dinner, bed, timezone.")
    public static let duplicateDefinition = Self("R209", "duplicate-definition", .name, .warning,
        "The same name is defined twice; the later definition replaces the earlier one.")
    public static let unknownTimeZone = Self("R210", "unknown-time-zone", .name, .error,
        "The time zone is not an IANA time zone name such as \"Europe/Berlin\" or \"America/New_York\".")
    public static let ambiguousName = Self("R211", "ambiguous-name", .name, .error,
        "The name matches more than one thing in the knowledge base. Write it out in full.")

    // MARK: Units

    public static let incompatibleUnits = Self("R301", "incompatible-units", .unit, .error,
        "Two quantities of different kinds are combined, for example a mass and a time (`300mg + 4h`). Only like quantities can be added, subtracted or compared.")
    public static let doseNotAnAmount = Self("R302", "dose-not-an-amount", .unit, .error,
        "A dose must be an amount: a mass (mg, mcg, g), international units (IU), a volume (mL), millimoles or milliequivalents, or a count of capsules or tablets.")
    public static let noConversion = Self("R303", "no-conversion", .unit, .error,
        "International units and millimoles convert to a mass only for substances whose knowledge-base entry says how (vitamin D: 40 IU = 1 mcg; magnesium: 1 mmol = 24.305 mg).")
    public static let expectedDuration = Self("R304", "expected-duration", .unit, .error,
        "A time span with a unit is expected here, such as `4h`, `30min`, `7 days` or `12 weeks`.")

    public static let unstatedDoseBasis = Self("R305", "unstated-dose-basis", .unit, .warning,
        "A mineral is named by its compound, as prescriptions name it (`ferrous sulfate 325mg`, `potassium chloride 600mg`), and the dose says neither `salt` nor `elemental`. Supplement labels give the element's weight; prescriptions and drug labels usually give the compound's (ferrous sulfate 325 mg holds 65 mg of iron). The dose is read as the element, the language's rule, and the warning shows both readings: write `salt` or `elemental` to say which is meant.")

    // MARK: Values

    public static let invalidDate = Self("R401", "invalid-date", .value, .error,
        "Dates are written YYYY-MM-DD and must exist in the calendar (there is no 2026-02-30).")
    public static let invalidTime = Self("R402", "invalid-time", .value, .error,
        "Clock times are written HH:MM on a 24-hour clock, from 00:00 to 23:59.")
    public static let numberTooLarge = Self("R403", "number-too-large", .value, .error,
        "The number has more digits than any dose or measurement can need, so it is probably a typing error.")
    public static let nonPositiveDose = Self("R404", "non-positive-dose", .value, .error,
        "A dose must be greater than zero.")
    public static let implausibleValue = Self("R405", "implausible-value", .value, .error,
        "A patient value lies outside what is humanly possible (for example an age over 130 years or a negative weight).")
    public static let typeMismatch = Self("R406", "type-mismatch", .value, .error,
        "A value of one kind is used where another is needed, for example a text where a yes/no condition is expected.")
    public static let wrongArguments = Self("R407", "wrong-arguments", .value, .error,
        "A function or `use` is given the wrong number of arguments, or an argument name its `define` does not have.")
    public static let divisionByZero = Self("R408", "division-by-zero", .value, .error,
        "An expression divides by zero.")
    public static let dayOutOfOrder = Self("R410", "day-out-of-order", .value, .error,
        "The patient's day, counted from waking, runs wake, breakfast, lunch, dinner, bed. It may cross midnight (a night shift), but a meal after bedtime or a bedtime before dinner is no day the schedule can follow.")
    public static let invalidCount = Self("R409", "invalid-count", .value, .error,
        "A count here must be a whole number of at least 1 (times per day, every N days, max N per day, day N).")

    public static let patientFactTwice = Self("R411", "patient-fact-twice", .value, .error,
        "The same patient fact is given twice (a field on two lines, or a second `patient:` block), so one would silently replace the other. Give each fact once; conditions and diets may list several names.")

    // MARK: Includes

    public static let includeNotFound = Self("R501", "include-not-found", .include, .error,
        "`include` names a file that does not exist or cannot be read. Paths are relative to the file that includes them.")
    public static let includeOutsideTree = Self("R502", "include-outside-tree", .include, .error,
        "`include` may only name files inside the plan's own folder and its subfolders, so a plan cannot read arbitrary files on the machine.")
    public static let includeCycle = Self("R503", "include-cycle", .include, .error,
        "Files include each other in a circle, which would never end. The message names the chain.")
    public static let notRegularFile = Self("R504", "not-a-regular-file", .include, .error,
        "The file named is not a regular file but a named pipe (FIFO), a device, a socket or a folder. Such a file could block the tool forever or never end, so it is never read: name a plain .regimen file.")

    // MARK: Resource limits

    public static let fileTooLarge = Self("R601", "file-too-large", .resource, .error,
        "The file is larger than a plan file can reasonably be. The limits are listed by `regimen explain limits`.")
    public static let lineTooLong = Self("R602", "line-too-long", .resource, .error,
        "The line is longer than a plan line can reasonably be; it was skipped.")
    public static let nestingTooDeep = Self("R603", "nesting-too-deep", .resource, .error,
        "Blocks or parentheses are nested deeper than the limit.")
    public static let includeTooDeep = Self("R604", "include-too-deep", .resource, .error,
        "Includes are nested deeper than the limit, or a plan includes more files, more bytes of them, or carries out more `include` statements than the limits allow (`regimen explain limits`). Each distinct file is read once; the limits keep a mesh of files that include each other from taking exponential time.")
    public static let evaluationLimit = Self("R605", "evaluation-limit", .resource, .error,
        "Evaluating the plan took more steps than the limit, usually because `use` calls nest very deeply.")

    public static let tooManyEvents = Self("R606", "too-many-events", .resource, .error,
        "The simulation made more dose events than the limit, so it stopped early. Simulate fewer days with --days.")

    public static let tooManyDoses = Self("R607", "too-many-doses", .resource, .error,
        "An item is taken more often than any plan a person follows (the limit is in `regimen explain limits`): every minute for a year would be half a million doses to simulate and check. Write the doses as they are taken; a pump or an infusion is described in words, with a note.")

    // MARK: Schedule

    public static let relationNotKept = Self("R701", "relation-not-kept", .schedule, .error,
        "On the simulated timeline, two doses are closer than a relation written in the plan allows (`4h after levothyroxine`). The message names both doses, their times and dates, and the smallest move that fixes it; `regimen simulate --arrange` finds times that keep every rule.")
    public static let interactionSpacing = Self("R702", "interaction-spacing", .interaction, .warning,
        "On the simulated timeline, two doses are closer than a spacing rule of the knowledge base allows (from a drug's label or a fact sheet). Its severity follows the rule's: major is an error, moderate a warning, minor a note.")
    public static let timingNotKept = Self("R703", "timing-not-kept", .schedule, .error,
        "A dose does not keep a timing the plan gives against the patient's day, such as `30min before breakfast`.")
    public static let nonexistentTime = Self("R704", "nonexistent-time", .schedule, .note,
        "On the day the clocks go forward, a local time in the skipped hour does not exist; the dose moves forward by the gap. On the day they go back, a repeated time takes its first occurrence.")
    public static let noArrangement = Self("R705", "no-arrangement", .schedule, .error,
        "No placement of the movable doses keeps every spacing rule. The message lists the smallest set of rules that cannot all hold together, with where each comes from: change one of them, or a fixed clock time.")
    public static let horizonCapped = Self("R706", "horizon-capped", .schedule, .note,
        "The plan runs longer than one simulation covers (365 days); the rest can be simulated with --start and --days.")

    // MARK: Clinical checks

    public static let contraindicated = Self("R801", "contraindicated", .contraindication, .error,
        "The knowledge base marks this substance as contraindicated in one of the patient's conditions (for example magnesium in myasthenia gravis). The message gives the reason and the source.")
    public static let conditionCaution = Self("R802", "condition-caution", .caution, .warning,
        "The substance needs caution in one of the patient's conditions or at a laboratory value (for example magnesium below eGFR 60). The severity follows the source: major is an error, moderate a warning, minor a note.")
    public static let overUpperLimit = Self("R803", "over-upper-limit", .doseLimit, .warning,
        "On some days the total of the substance, summed over every item that contains it, is above the tolerable upper intake level for the patient's age and sex. Titration peaks and overlapping courses count on the days they happen. Items marked `supervised` lower this to a note.")
    public static let belowRecommended = Self("R804", "below-recommended", .doseLimit, .note,
        "The plan's daily amount together with the patient's stated diet stays far below (under half) the recommended dietary allowance.")
    public static let implausibleDose = Self("R805", "implausible-dose", .doseLimit, .error,
        "A single dose is far beyond anything used (more than ten times the daily upper limit, or more than 50 g): probably a typing error in the amount or the unit.")
    public static let unsuitableForm = Self("R806", "unsuitable-form", .form, .warning,
        "The form (salt) chosen does not suit the patient's condition or the length of the course, according to the source given.")
    public static let intravenousOutsideClinic = Self("R807", "intravenous-outside-clinic", .form, .warning,
        "An intravenous dose is planned, but the patient's setting is not a clinic or hospital (`setting clinic` or `setting hospital` in the patient block).")
    public static let duplicateTherapy = Self("R808", "duplicate-therapy", .duplicate, .warning,
        "Two or more items give the same substance on the same days; the message gives their combined amount.")
    public static let combinationCaution = Self("R809", "combination-caution", .caution, .note,
        "The plan combines two things the sources say to watch together (for example magnesium with a proton pump inhibitor or a loop diuretic). The severity follows the source.")
    public static let courseEndsBeforeStart = Self("R810", "course-ends-before-start", .schedule, .error,
        "An item's course ends before it starts (`until` before `from`), so it is never taken.")
    public static let titrationWrongWay = Self("R811", "titration-wrong-way", .schedule, .error,
        "A titration goes the wrong way: `increase` to a target below the first dose, or `decrease` to one above it.")
    public static let neverTaken = Self("R812", "never-taken", .schedule, .warning,
        "An item is never taken within its course (for example weekly on Sunday in a course of three weekdays, or once on a day after the plan ends).")
    public static let takenWithFood = Self("R813", "taken-with-food", .schedule, .warning,
        "A drug that is taken on an empty stomach is scheduled with a meal.")
    public static let advice = Self("R814", "advice", .advice, .note,
        "Advice from the sources about the plan as a whole, such as a missing companion nutrient.")
    public static let userRule = Self("R815", "user-rule", .rule, .warning,
        "A `rule` written in the plan holds. Its severity and message are the plan's own.")
    public static let notJudged = Self("R816", "not-judged", .caution, .warning,
        "The patient has a condition whose cautions depend on a value the patient block does not give (for example eGFR for kidney disease), so they could not be judged. It is a warning, because silence would read as an all-clear: give the value. A staged name (`ckd stage 4`, `dialysis`) stands for its range's lowest eGFR, and the findings say so.")

    public static let noKnowledge = Self("R817", "no-knowledge", .caution, .warning,
        "The plan declares a substance or drug (`drug warfarin`) that the bundled knowledge base has no facts about. Its schedule, totals and the facts the plan itself gives are checked; interactions, limits, contraindications and cautions from the sources are not, because the tool has none for it.")
    public static let notChecked = Self("R818", "not-checked", .caution, .warning,
        "Part of the plan could not be checked: a name the knowledge base does not know (its item is still simulated and its spacing relations verified, but no interaction, limit or caution of it is known), or lines that could not be read, which stop the schedule and clinical checks until they are fixed. The message lists what was left unchecked, so that no all-clear is ever implied.")

    public static let itemHeld = Self("R820", "item-held", .schedule, .note,
        "An item says `hold if …` and its condition holds for this patient (for example `hold if patient.egfr < 30` with an eGFR of 25). The item is left out: it is not scheduled, totalled or checked against the rest of the plan. The read-back lists it as held.")
    public static let spacingNotVerifiable = Self("R819", "spacing-not-verifiable", .interaction, .warning,
        "A spacing rule (a plan relation or a knowledge-base rule) involves an item taken as needed. As-needed doses have no set time, so the rule cannot be verified on the timeline; it is given as an instruction to pass on to the patient instead.")

    /// Every code, in order. `regimen explain` and the catalog test read this list.
    public static let catalog: [DiagnosticCode] = [
        invalidCharacter, invalidUTF8, nulByte, unterminatedString, tabIndentation, inconsistentIndentation,
        unexpectedIndent, expectedBlock, unexpectedToken, emptyFile, misplacedStatement, unknownPatientField,
        conflictingClause, unknownClause, controlCharacter,
        unknownSubstance, unknownForm, unknownCondition, unknownVariable, unknownDefinition, unknownRelationTarget,
        unknownFunction, unknownPatientAttribute, duplicateDefinition, unknownTimeZone, ambiguousName,
        incompatibleUnits, doseNotAnAmount, noConversion, expectedDuration, unstatedDoseBasis,
        invalidDate, invalidTime, numberTooLarge, nonPositiveDose, implausibleValue, typeMismatch, wrongArguments,
        divisionByZero, invalidCount, dayOutOfOrder, patientFactTwice,
        includeNotFound, includeOutsideTree, includeCycle, notRegularFile,
        fileTooLarge, lineTooLong, nestingTooDeep, includeTooDeep, evaluationLimit, tooManyEvents, tooManyDoses,
        relationNotKept, interactionSpacing, timingNotKept, nonexistentTime, noArrangement, horizonCapped,
        contraindicated, conditionCaution, overUpperLimit, belowRecommended, implausibleDose, unsuitableForm,
        intravenousOutsideClinic, duplicateTherapy, combinationCaution, courseEndsBeforeStart, titrationWrongWay, neverTaken,
        takenWithFood, advice, userRule, notJudged, noKnowledge, notChecked, spacingNotVerifiable,
        itemHeld,
    ]
}
