#!/usr/bin/env python3
"""Writes this folder's test resources from the dosage examples of NHS Digital's Dose Syntax
Implementation Guide (see SOURCES.md). The guide's examples are FHIR STU3 fragments; each is placed,
unchanged in meaning, in a minimal R4 MedicationRequest: STU3's Dosage.doseQuantity/doseRange go
into R4's doseAndRate, and a fragment that is only a Timing (or only a dose, or only a maximum)
gets the rest of a dosage from the guide's simple example 1 (1 tablet of oxytetracycline 250mg,
four times a day, oral). Run it to regenerate; the .json files are committed."""
import json

UCUM = "http://unitsofmeasure.org"
SCT = "http://snomed.info/sct"
TABLET = {"value": 1, "unit": "tablet", "system": SCT, "code": "428673006"}
ORAL = {"coding": [{"system": SCT, "code": "26643006", "display": "oral"}]}
FOUR_DAILY = {"repeat": {"frequency": 4, "period": 1, "periodUnit": "d"}}
OXYTETRACYCLINE = {"coding": [{"system": SCT, "code": "324095003", "display": "Oxytetracycline 250mg tablets"}]}


def mg(value):
    return {"value": value, "unit": "milligram", "system": UCUM, "code": "mg"}


def request(name, text, dosages, medication=OXYTETRACYCLINE):
    resource = {"resourceType": "MedicationRequest", "id": name, "status": "active", "intent": "order",
                "medicationCodeableConcept": medication, "subject": {"display": "test patient"},
                "dosageInstruction": dosages}
    for dosage in dosages:
        dosage.setdefault("text", text)
    with open(f"{name}.json", "w") as out:
        json.dump(resource, out, indent=2)
        out.write("\n")


def timing_only(name, text, timing):
    request(name, text, [{"timing": timing, "route": ORAL, "doseAndRate": [{"doseQuantity": TABLET}]}])


# examples-dosage-timing.xml
timing_only("timing-every-8-hours", "every 8 hours", {"repeat": {"frequency": 1, "period": 8, "periodUnit": "h"}})
timing_only("timing-4-times-a-day", "4 times a day", {"repeat": {"frequency": 4, "period": 1, "periodUnit": "d"}})
timing_only("timing-2-to-4-times-a-day", "2 to 4 times a day", {"repeat": {"frequency": 2, "frequencyMax": 4, "period": 1, "periodUnit": "d"}})
# The guide writes `<periodMax="4"/>`, an XML slip for `<periodMax value="4"/>`.
timing_only("timing-every-3-to-4-weeks", "every 3 to 4 weeks", {"repeat": {"frequency": 1, "period": 3, "periodMax": 4, "periodUnit": "wk"}})
timing_only("timing-3-to-4-times-every-1-to-2-weeks", "3 to 4 times every 1 to 2 weeks",
            {"repeat": {"frequency": 3, "frequencyMax": 4, "period": 1, "periodMax": 2, "periodUnit": "wk"}})
timing_only("timing-daily", "daily", {"repeat": {"period": 1, "periodUnit": "d"}})
timing_only("timing-twice", "twice", {"repeat": {"frequency": 2}})
# examples-dosage-timing-when.xml
timing_only("when-at-breakfast", "Event occurs at breakfast", {"repeat": {"when": ["CM"]}})
timing_only("when-1-hour-before-breakfast", "Event occurs at 1 hour before breakfast", {"repeat": {"when": ["ACM"], "offset": 60}})
timing_only("when-1-hour-after-breakfast", "Event occurs at 1 hour after breakfast", {"repeat": {"when": ["PCM"], "offset": 60}})
# examples-dosage-timing-dayOfWeek-timeOfDay.xml
timing_only("dayofweek-mondays-and-thursdays", "to be given on Mondays and Thursdays",
            {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d", "dayOfWeek": ["mon", "thu"]}})
timing_only("timeofday-twice-daily-10-and-14", "to be given twice daily at 10:00 and 14:00",
            {"repeat": {"frequency": 2, "period": 1, "periodUnit": "d", "timeOfDay": ["10:00:00", "14:00:00"]}})
timing_only("dayofweek-mondays-at-midday", "to be given on Mondays at midday",
            {"repeat": {"frequency": 1, "period": 1, "periodUnit": "wk", "dayOfWeek": ["mon"], "timeOfDay": ["12:00:00"]}})
# examples-dosage-duration-bounds-count.xml
timing_only("duration-over-8-hours", "over 8 hours", {"repeat": {"duration": 8, "durationUnit": "h"}})
timing_only("duration-up-to-16-hours", "up to 16 hours", {"repeat": {"durationMax": 16, "durationUnit": "h"}})
timing_only("bounds-3-times-a-day-for-7-days", "three times a day for 7 days",
            {"repeat": {"frequency": 3, "period": 1, "periodUnit": "d", "boundsDuration": {"value": 7, "unit": "day", "code": "d", "system": UCUM}}})
timing_only("bounds-for-2-to-3-weeks", "for 2 to 3 weeks",
            {"repeat": {"boundsRange": {"low": {"value": 3, "unit": "week", "system": UCUM, "code": "wk"},
                                        "high": {"value": 3, "unit": "week", "system": UCUM, "code": "wk"}}}})
timing_only("bounds-from-1-to-10-november-2018", "from 01/11/2018 to 10/11/2018",
            {"repeat": {"boundsPeriod": {"start": "2018-11-01", "end": "2018-11-10"}}})
timing_only("count-once", "once", {"repeat": {"count": 1}})
timing_only("count-three-or-four-times", "administer three or four times", {"repeat": {"count": 3, "countMax": 4}})
# examples-dosage-timing-event.xml
timing_only("event-1-november-2019", "on 1st Nov 2019", {"event": ["2019-11-01"]})
timing_only("event-two-dates-and-times", "on 1st Nov 2019 at 10:30 and again on 1st Dec 2019 at 22:03",
            {"event": ["2019-11-01T10:30:00Z", "2019-12-01T22:30:00Z"]})
# examples-dosage-timing-doseQuantity.xml and -doseRange.xml
request("dose-1-capsule", "1 capsule", [{"timing": FOUR_DAILY, "route": ORAL,
        "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "capsule", "system": SCT, "code": "732937005"}}]}])
request("dose-30-milligrams", "30 milligrams", [{"timing": FOUR_DAILY, "route": ORAL, "doseAndRate": [{"doseQuantity": mg(30)}]}])
request("dose-range-7.5-to-30-milligrams", "for a dose between 7.5 to 30 milligram",
        [{"timing": FOUR_DAILY, "route": ORAL, "doseAndRate": [{"doseRange": {"low": mg(7.5), "high": mg(30)}}]}])
# examples-dosage-maxdoseper.xml
request("max-12mg-per-24-hours", "Maximum dose per period of 12mg/24 hours",
        [{"timing": FOUR_DAILY, "route": ORAL, "doseAndRate": [{"doseQuantity": mg(2.5)}],
          "maxDosePerPeriod": {"numerator": mg(12), "denominator": {"value": 24, "unit": "hour", "system": UCUM, "code": "h"}}}])
request("max-2.5mg-per-administration", "Maximum dose per administration of 2.5mg",
        [{"timing": FOUR_DAILY, "route": ORAL, "doseAndRate": [{"doseQuantity": mg(2.5)}], "maxDosePerAdministration": mg(2.5)}])
request("max-600mg-per-m2-per-lifetime", "Maximum dose over lifetime of the patient of 600 mg/m2",
        [{"timing": FOUR_DAILY, "route": ORAL, "doseAndRate": [{"doseQuantity": mg(2.5)}],
          "maxDosePerLifetime": {"value": 600, "unit": "milligram per square metre", "system": UCUM, "code": "mg/m2"}}])
# example-dosage-simple1.xml, simple3.xml, inter1.xml, inter2.xml
request("simple1-oxytetracycline", "1 tablet four times a day, oral", [{"doseAndRate": [{"doseQuantity": TABLET}], "timing": FOUR_DAILY, "route": ORAL}])
request("simple3-omeprazole", "1 tablet daily, oral", [{"timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}},
        "doseAndRate": [{"doseQuantity": TABLET}], "route": ORAL}],
        {"coding": [{"system": SCT, "code": "407846000", "display": "Omeprazole 10mg gastro-resistant tablets"}]})
request("inter1-novorapid-as-required", "inject according to insulin requirements",
        [{"method": {"coding": [{"system": SCT, "code": "422145002", "display": "inject"}]},
          "patientInstruction": "according to insulin requirements", "asNeededBoolean": True}],
        {"coding": [{"system": SCT, "code": "3279211000001105", "display": "NovoRapid Penfill 100units/ml solution for injection 3ml cartridges (Novo Nordisk Ltd)"}]})
# The guide's inter2 puts frequency, period and when directly in <timing>, an STU3 slip for <timing><repeat>.
request("inter2-zopiclone-at-bedtime-prn", "1 tablet, at BEDTIME, PRN, oral",
        [{"timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d", "when": ["HS"]}}, "asNeededBoolean": True,
          "doseAndRate": [{"doseQuantity": TABLET}], "route": ORAL}],
        {"coding": [{"system": SCT, "code": "321177003", "display": "Zopiclone 3.75mg tablets"}]})
# examples-dosage-sequential-sequence.xml
steps = [(1, 4, 60), (2, 1, 50), (3, 1, 40), (4, 1, 30), (5, 1, 20), (6, 1, 10)]
request("sequential-prednisolone-taper", "Prednisolone, 60mg daily for 4 days, then 50mg next day, then 40mg, then 30mg, then 20mg, then 10mg, then stop",
        [{"sequence": seq, "timing": {"repeat": {"boundsDuration": {"value": days, "unit": "day", "code": "d", "system": UCUM},
                                                 "frequency": 1, "period": 1, "periodUnit": "d"}},
          "doseAndRate": [{"doseQuantity": mg(dose)}]} for seq, days, dose in steps],
        {"coding": [{"system": SCT, "code": "52388000", "display": "Prednisolone"}]})
