#!/usr/bin/env python3
"""Cross-checks `regimen simulate --arrange` against OR-Tools CP-SAT.

Generates day problems (easy, tight, infeasible, open, windowed, and copies: the same lines written
two or three times, which the arranger merges; up to 25 items) as plan files,
runs `regimen simulate FILE --arrange --format json --days 1`, builds the same model from the
tool's documented semantics (README, "The schedule": windows, fixed doses, own-dose spacing, one-
and two-sided rules) in CP-SAT, solves it to proven optimality and asserts:

- no false "impossible": the tool sets rules aside only when CP-SAT proves no arrangement exists;
- no broken rule: the tool's times, re-verified here, keep every window and every rule (a relaxed
  day breaks exactly as many rules as it says it set aside);
- the total minutes moved equal CP-SAT's optimum on at least 99% of the feasible problems and are
  never above 1.01 times it;
- for an infeasible problem, the number of rules set aside equals CP-SAT's minimum;
- on a few problems, this model's broken rules equal the tool's verifier findings (R701/R702) at
  the preferred times and at the arranged ones.

Usage: arrange_cpsat.py REGIMEN [COUNT]. Closes with `arrange: N passed, M failed`.
"""
import json
import os
import random
import subprocess
import sys
import tempfile
import time

from ortools.sat.python import cp_model

EMIT = len(sys.argv) > 1 and sys.argv[1] == "--emit"
REGIMEN = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/regimen"
COUNT = int(sys.argv[2]) if len(sys.argv) > 2 and not EMIT else 240

# Substances with no spacing rule in the knowledge base between any two of them: the only rules
# are the plan's own relations, which this model states itself.
SUBSTANCES = [
    ("levothyroxine", "75mcg"), ("ciprofloxacin", "500mg"), ("levofloxacin", "500mg"), ("moxifloxacin", "400mg"),
    ("doxycycline", "100mg"), ("minocycline", "100mg"), ("tetracycline", "250mg"), ("alendronate", "70mg"),
    ("risedronate", "35mg"), ("ibandronate", "150mg"), ("gabapentin", "300mg"), ("dolutegravir", "50mg"),
    ("raltegravir", "400mg"), ("mycophenolate", "500mg"), ("penicillamine", "250mg"), ("pyridostigmine", "30mg"),
    ("furosemide", "20mg"), ("hydrochlorothiazide", "25mg"), ("spironolactone", "25mg"), ("amiloride", "5mg"),
    ("omeprazole", "20mg"), ("nifedipine", "10mg"), ("amlodipine", "5mg"), ("methotrexate", "2.5mg"),
    ("vitamin b12", "500mcg"), ("melatonin", "1mg"), ("vitamin d3", "1000 IU"),
]
# The name a relation uses for the substance (vitamin d3 is the substance vitamin d).
TARGET = {"vitamin d3": "vitamin d"}


def hm(minutes):
    return "%02d:%02d" % (minutes // 60, minutes % 60)


def parse_hm(text):
    h, m = text.split(":")
    return int(h) * 60 + int(m)


class Problem:
    """A plan of one day: items with their doses (preferred time, window, fixed) and relations."""

    def __init__(self, seed, kind):
        self.seed, self.kind = seed, kind
        rng = random.Random(seed)
        self.wake = rng.choice([360, 390, 420, 450])
        self.breakfast = self.wake + rng.choice([15, 30, 45, 60])
        self.lunch = rng.choice([720, 750, 780])
        self.dinner = rng.choice([1080, 1110, 1140])
        self.bed = rng.choice([1290, 1320, 1350, 1380])
        sizes = {"easy": (2, 6), "tight": (8, 25), "infeasible": (3, 14), "open": (4, 25), "windowed": (4, 20), "copies": (3, 8)}
        low, high = sizes[kind]
        count = rng.randint(low, high)
        chosen = rng.sample(SUBSTANCES, count)
        self.items = []  # dicts: name, dose, timing text, doses [(preferred, lo, hi, fixed)], relations
        for name, dose in chosen:
            self.items.append(self.make_item(rng, name, dose, kind))
        if kind == "infeasible":
            # Two clock times closer than the rule between them allows.
            a, b = rng.sample(range(len(self.items)), 2)
            t = rng.randrange(self.wake + 60, self.bed - 240, 15)
            self.items[a]["timing"] = "daily at " + hm(t)
            self.items[a]["doses"] = [(t, t, t, True)]
            gap = rng.choice([0, 30, 60])
            self.items[b]["timing"] = "daily at " + hm(t + gap)
            self.items[b]["doses"] = [(t + gap, t + gap, t + gap, True)]
            self.items[a]["relations"] = [("apart", rng.choice([2, 3, 4]) * 60, None, self.items[b]["name"])]
        # Relations: each item may carry one or two, to earlier or later items.
        density = {"easy": 0.3, "tight": 0.8, "infeasible": 0.3, "open": 0.5, "windowed": 0.4, "copies": 0.8}[kind]
        # Except for the infeasible kind, relations are kept only when a planted arrangement (a time in
        # each dose's window, its own doses spaced) satisfies them: those problems are feasible, and
        # tight, since the planted times are not the preferred ones.
        planted = {}
        for index, item in enumerate(self.items):
            for _ in range(100):
                times = sorted(rng.randrange(lo, hi + 1, 5) if lo < hi else lo for _, lo, hi, _ in item["doses"])
                if all(times[s + 1] - times[s] >= gap for i, s, gap in self.own_spacing() if i == index):
                    break
            planted[index] = times
        for index, item in enumerate(self.items):
            if item.get("relations") is not None:
                continue
            item["relations"] = []
            for _ in range(1 if kind in ("windowed", "easy") else 2):
                if rng.random() < density and len(self.items) > 1:
                    for _ in range(20):
                        other = rng.choice([j for j in range(len(self.items)) if j != index])
                        relation = self.make_relation(rng, self.items[other]["name"], kind)
                        item["relations"].append(relation)
                        rule = self.rule_of(index, relation)
                        if kind == "infeasible" or not self.breaks(rule, planted):
                            break
                        item["relations"].pop()
        if kind == "copies":
            # Each line written two or three times, relations and all (as a list pasted twice): the
            # copies keep no rule with each other, and the planted times still hold for all of them.
            self.items = [dict(item) for item in self.items for _ in range(rng.choice([2, 3]))][:25]
        self.lines = []

    def make_item(self, rng, name, dose, kind):
        W, B, L, D, Z = self.wake, self.breakfast, self.lunch, self.dinner, self.bed
        if kind == "open":
            options = ["daily"] * 5 + ["twice daily"]
        elif kind == "windowed":
            options = ["daily with breakfast", "daily with lunch", "daily with dinner", "daily on waking", "nightly",
                       "daily, 30min before breakfast", "daily, 1h after dinner", "daily at clock"]
        else:
            options = ["daily", "daily", "twice daily", "daily with breakfast", "daily with lunch", "daily with dinner",
                       "daily on waking", "nightly", "daily, 30min before breakfast", "daily, 1h after dinner",
                       "daily at clock", "daily", "twice daily"] + (["every 12h"] if rng.random() < 0.3 else [])
        timing = rng.choice(options)
        clamp = lambda lo, hi: (max(lo, W), min(hi, Z)) if max(lo, W) <= min(hi, Z) else (lo, hi)
        if timing == "daily":
            doses = [(B, W, Z, False)]
        elif timing == "twice daily":
            doses = [(B, W, Z, False), (D, W, Z, False)]
        elif timing.startswith("daily with "):
            meal = {"breakfast": B, "lunch": L, "dinner": D}[timing.split()[-1]]
            doses = [(meal, *clamp(meal - 30, meal + 60), False)]
        elif timing == "daily on waking":
            doses = [(W, *clamp(W, W + 60), False)]
        elif timing == "nightly":
            doses = [(Z, *clamp(Z - 60, Z), False)]
        elif timing == "daily, 30min before breakfast":
            doses = [(B - 30, *clamp(B - 90, B - 30), False)]
        elif timing == "daily, 1h after dinner":
            doses = [(D + 60, *clamp(D + 60, D + 120), False)]
        elif timing == "daily at clock":
            t = rng.randrange(W, Z, 15)
            timing = "daily at " + hm(t)
            doses = [(t, t, t, True)]
        else:  # every 12h, at a clock time: fixed doses
            t = rng.randrange(W, W + 120, 30)
            timing = "every 12h, at " + hm(t)
            doses = [(t, t, t, True), (t + 720, t + 720, t + 720, True)]
        return {"name": name, "dose": dose, "timing": timing, "doses": doses, "relations": None}

    @staticmethod
    def make_relation(rng, target, kind):
        hours = rng.choice([1, 1, 2, 2, 3, 4]) if kind != "easy" else rng.choice([1, 2])
        shape = rng.choice(["apart", "apart", "after", "before", "either", "notwith"])
        if shape == "either":
            return ("either", rng.choice([1, 2]) * 60, rng.choice([2, 4, 6]) * 60, target)
        if shape == "notwith":
            return ("notwith", 60, None, target)
        return (shape, hours * 60, None, target)

    def relation_text(self, relation):
        shape, a, b, target = relation
        target = TARGET.get(target, target)
        if shape == "apart":
            return "%dh apart from %s" % (a // 60, target)
        if shape == "after":
            return "%dh after %s" % (a // 60, target)
        if shape == "before":
            return "%dh before %s" % (a // 60, target)
        if shape == "either":
            return "%dh before %s or %dh after %s" % (a // 60, target, b // 60, target)
        return "not with " + target

    def text(self):
        lines = ["patient:", "  age 50",
                 "  wake %s, breakfast %s, lunch %s, dinner %s, bed %s" % tuple(map(hm, (self.wake, self.breakfast, self.lunch, self.dinner, self.bed))),
                 '  timezone "UTC"', 'plan "cross-check" from 2026-12-01:']
        for item in self.items:
            parts = ["  %s %s %s" % (item["name"], item["dose"], item["timing"])]
            parts += [self.relation_text(r) for r in item["relations"]]
            item["line"] = len(lines) + 1
            lines.append(", ".join(parts))
        return "\n".join(lines) + "\n"

    # The model, from the documented semantics.

    def rule_of(self, index, relation):
        """A relation as (owner item, forbidden (lower, upper) on t(owner) − t(target), same day only, target items)."""
        shape, a, b, target = relation
        targets = [j for j, other in enumerate(self.items) if other["name"] == target and j != index]
        if shape == "apart":
            window, same_day = (-a, a), False
        elif shape == "after":
            window, same_day = (None, a), True
        elif shape == "before":
            window, same_day = (-a, None), True
        elif shape == "either":
            window, same_day = (-a, b), False
        else:
            window, same_day = (-60, 60), False
        return (index, window, same_day, targets)

    def rules(self):
        return [self.rule_of(index, relation) for index, item in enumerate(self.items) for relation in item["relations"]]

    def breaks(self, rule, times):
        lower, upper = rule[1]
        for (a, s), (x, u), shift in self.pairs(rule):
            d = times[a][s] - times[x][u]
            if (lower is None or d > lower + shift) and (upper is None or d < upper + shift):
                return True
        return False

    def pairs(self, rule):
        """(dose of owner, dose of target, shift) triples that the rule binds."""
        owner, window, same_day, targets = rule
        for s in range(len(self.items[owner]["doses"])):
            for x in targets:
                for u in range(len(self.items[x]["doses"])):
                    for shift in ([0] if same_day else [0, 1440, -1440]):
                        # A pair whose windows keep it out of the forbidden window binds nothing.
                        lower, upper = window
                        _, alo, ahi, _ = self.items[owner]["doses"][s]
                        _, xlo, xhi, _ = self.items[x]["doses"][u]
                        if lower is not None and ahi - xlo <= lower + shift:
                            continue
                        if upper is not None and alo - xhi >= upper + shift:
                            continue
                        yield (owner, s), (x, u), shift

    def own_spacing(self):
        """(item, slot) pairs whose second dose stays at least `gap` after the first."""
        for index, item in enumerate(self.items):
            doses = item["doses"]
            if item["timing"].startswith("every"):
                continue
            for s in range(len(doses) - 1):
                yield index, s, max(60, (doses[s + 1][0] - doses[s][0]) // 2)

    def broken(self, times):
        """The rules the times break (by number), and whether any window or own spacing breaks."""
        broken = set()
        for number, rule in enumerate(self.rules()):
            if self.breaks(rule, times):
                broken.add(number)
        hard = []
        for index, item in enumerate(self.items):
            for s, (p, lo, hi, fixed) in enumerate(item["doses"]):
                if not lo <= times[index][s] <= hi:
                    hard.append("%s dose %d at %s is outside its window %s–%s" % (item["name"], s, hm(times[index][s]), hm(lo), hm(hi)))
        for index, s, gap in self.own_spacing():
            if times[index][s + 1] - times[index][s] < gap:
                hard.append("%s's own doses closer than %d min" % (self.items[index]["name"], gap))
        return broken, hard

    def solve(self, relax):
        """CP-SAT: the least total minutes moved (relax=False), or the fewest rules set aside (relax=True)."""
        model = cp_model.CpModel()
        t = {}
        deviation = []
        for index, item in enumerate(self.items):
            for s, (p, lo, hi, fixed) in enumerate(item["doses"]):
                t[index, s] = model.NewIntVar(lo, hi, "t%d_%d" % (index, s))
                if not relax and lo < hi:
                    e = model.NewIntVar(0, hi - lo, "e%d_%d" % (index, s))
                    model.Add(e >= t[index, s] - p)
                    model.Add(e >= p - t[index, s])
                    deviation.append(e)
        for index, s, gap in self.own_spacing():
            model.Add(t[index, s + 1] - t[index, s] >= gap)
        aside = []
        for number, rule in enumerate(self.rules()):
            r = model.NewBoolVar("r%d" % number) if relax else None
            if r is not None:
                aside.append(r)
            lower, upper = rule[1]
            for (a, s), (x, u), shift in self.pairs(rule):
                d = t[a, s] - t[x, u]
                if lower is not None and upper is not None:
                    # One literal picks the side: d ≤ lower or d ≥ upper (either may be switched off by r).
                    side = model.NewBoolVar("")
                    low = model.Add(d <= lower + shift)
                    high = model.Add(d >= upper + shift)
                    if r is None:
                        low.OnlyEnforceIf(side)
                        high.OnlyEnforceIf(side.Not())
                    else:
                        low.OnlyEnforceIf([side, r.Not()])
                        high.OnlyEnforceIf([side.Not(), r.Not()])
                else:
                    bound = model.Add(d <= lower + shift) if lower is not None else model.Add(d >= upper + shift)
                    if r is not None:
                        bound.OnlyEnforceIf(r.Not())
        model.Minimize(sum(aside) if relax else sum(deviation))
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = 120
        solver.parameters.num_workers = int(os.environ.get("CPSAT_WORKERS", "8"))
        solver.parameters.linearization_level = 2
        status = solver.Solve(model)
        if status == cp_model.INFEASIBLE:
            return None
        assert status == cp_model.OPTIMAL, "CP-SAT did not prove optimality (%s)" % solver.StatusName(status)
        return int(round(solver.ObjectiveValue()))


def run(path, *arguments):
    completed = subprocess.run([REGIMEN, "simulate", path, "--format", "json", *arguments], capture_output=True, text=True)
    try:
        return json.loads(completed.stdout)
    except json.JSONDecodeError:
        raise AssertionError("no JSON from regimen (exit %d): %s" % (completed.returncode, completed.stderr[:500]))


def tool_times(problem, output):
    by_line = {item["line"]: index for index, item in enumerate(problem.items)}
    times = {index: [] for index in range(len(problem.items))}
    for event in output["events"]:
        if event["date"] != "2026-12-01" or event["line"] not in by_line:
            continue
        times[by_line[event["line"]]].append(parse_hm(event["time"]))
    for index, item in enumerate(problem.items):
        times[index].sort()
        assert len(times[index]) == len(item["doses"]), "%s: %d doses, expected %d" % (item["name"], len(times[index]), len(item["doses"]))
    return times


def verifier_lines(output):
    return sorted({d["line"] for d in output["diagnostics"] if d["code"] in ("R701", "R702")})


KINDS = ["easy", "tight", "infeasible", "open", "windowed", "copies"]


def emit(folder, count):
    """Writes the problems as plan files (for regimen-bench) without solving them."""
    os.makedirs(folder, exist_ok=True)
    for number in range(count):
        with open(os.path.join(folder, "p%03d-%s.regimen" % (number, KINDS[number % len(KINDS)])), "w") as handle:
            handle.write(Problem(1000 + number, KINDS[number % len(KINDS)]).text())
    print("arrange: wrote %d problems to %s" % (count, folder))


def main():
    kinds = KINDS
    passed = failed = 0
    feasible = exact = 0
    worst = 1.0
    verifier_checks = 0
    stats = {"optimal": 0, "relaxed": 0}
    by_kind = {}
    tool_seconds = []
    with tempfile.TemporaryDirectory() as folder:
        for number in range(COUNT):
            kind = kinds[number % len(kinds)]
            problem = Problem(1000 + number, kind)
            path = os.path.join(folder, "p%03d.regimen" % number)
            with open(path, "w") as handle:
                handle.write(problem.text())
            try:
                began = time.perf_counter()
                output = run(path, "--arrange", "--days", "1")
                tool_seconds.append(time.perf_counter() - began)
                errors = [d for d in output["diagnostics"] if d["severity"] == "error" and d["code"] not in ("R701", "R702", "R705")]
                assert not errors, "the plan has errors: %s" % [e["message"] for e in errors]
                days = output.get("arrangement") or []
                assert len(days) == 1, "expected one arranged day, got %s" % days
                day = days[0]
                assert day["status"] in ("optimal", "relaxed"), "the day was not arranged: %s %s" % (day, [d["message"] for d in output["diagnostics"] if d["code"] == "R705"])
                times = tool_times(problem, output)
                broken, hard = problem.broken(times)
                assert not hard, "hard limits broken: %s" % hard
                optimum = problem.solve(relax=False)
                if optimum is None:
                    fewest = problem.solve(relax=True)
                    stats["relaxed"] += 1
                    by_kind.setdefault(kind, [0, 0])[1] += 1
                    assert day["status"] == "relaxed", "CP-SAT proves no arrangement exists, the tool says %s" % day["status"]
                    assert day["rules_set_aside"] == fewest, "the tool set aside %d rules, the fewest is %d" % (day["rules_set_aside"], fewest)
                    assert day["set_aside_proven_fewest"], "the tool did not prove its relaxation the smallest"
                    assert len(broken) <= fewest, "the tool's times break %d rules, it set aside %d" % (len(broken), fewest)
                    assert len(broken) == fewest, "the tool's times break %d rules, but no arrangement breaks fewer than %d" % (len(broken), fewest)
                else:
                    stats["optimal"] += 1
                    by_kind.setdefault(kind, [0, 0])[0] += 1
                    feasible += 1
                    assert day["status"] == "optimal", "false impossible: CP-SAT arranges it (optimum %d), the tool says %s" % (optimum, day["status"])
                    assert not broken, "the tool's times break rules %s" % sorted(broken)
                    moved = sum(abs(times[i][s] - dose[0]) for i, item in enumerate(problem.items) for s, dose in enumerate(item["doses"]))
                    assert moved == day["deviation_minutes"], "the tool reports %d minutes moved, its times move %d" % (day["deviation_minutes"], moved)
                    ratio = moved / optimum if optimum else (1.0 if moved == 0 else float("inf"))
                    worst = max(worst, ratio)
                    assert moved >= optimum, "the tool moves %d minutes, below CP-SAT's proven optimum %d: the models differ" % (moved, optimum)
                    assert ratio <= 1.01, "the tool moves %d minutes, the optimum is %d" % (moved, optimum)
                    if moved == optimum:
                        exact += 1
                if number % 20 == 0:
                    # This model against the tool's own verifier: at the preferred times and at the arranged ones.
                    verifier_checks += 1
                    plain = run(path, "--days", "2")
                    preferred = {i: sorted(d[0] for d in item["doses"]) for i, item in enumerate(problem.items)}
                    expected = sorted({problem.items[problem.rules()[n][0]]["line"] for n in problem.broken(preferred)[0]})
                    # The verifier names the line of the relation; this model the line of its item (the same line).
                    assert verifier_lines(plain) == expected, "verifier at preferred times %s, model %s" % (verifier_lines(plain), expected)
                    arranged = run(path, "--days", "2", "--arrange")
                    expected = sorted({problem.items[problem.rules()[n][0]]["line"] for n in broken})
                    assert verifier_lines(arranged) == expected, "verifier after arranging %s, model %s" % (verifier_lines(arranged), expected)
                passed += 1
            except AssertionError as error:
                failed += 1
                keep = os.path.join(tempfile.gettempdir(), "arrange-failed-%03d.regimen" % number)
                with open(keep, "w") as handle:
                    handle.write(problem.text())
                print("FAIL %s problem %d (%s): %s" % (kind, number, keep, error))
    share = exact / feasible if feasible else 1.0
    print("arrange: %d feasible (%d at CP-SAT's optimum, %.1f%%; worst ratio %.3f), %d infeasible; verifier compared on %d"
          % (feasible, exact, 100 * share, worst, stats["relaxed"], verifier_checks))
    print("arrange: by kind (feasible, infeasible): %s" % ", ".join("%s %d/%d" % (k, *v) for k, v in sorted(by_kind.items())))
    if tool_seconds:
        tool_seconds.sort()
        print("arrange: regimen simulate --arrange, whole process: median %.3f s, 95th percentile %.3f s, slowest %.3f s"
              % (tool_seconds[len(tool_seconds) // 2], tool_seconds[int(len(tool_seconds) * 0.95)], tool_seconds[-1]))
    if share < 0.99:
        failed += 1
        print("FAIL: only %.1f%% of feasible problems at the optimum (at least 99%% required)" % (100 * share))
    print("arrange: %d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    if EMIT:
        emit(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 240)
    else:
        main()
