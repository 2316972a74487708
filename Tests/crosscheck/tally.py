"""The count every cross-check closes with ("NAME: N passed, M failed"), kept in one place."""


class Tally:
    def __init__(self, name):
        self.name, self.passed, self.failed = name, 0, 0

    def case(self, label, problems):
        """One case: it passes when `problems` (a list of messages) is empty."""
        if problems:
            self.failed += 1
            print(f"FAILED {label}: " + "; ".join(problems))
        else:
            self.passed += 1

    def check(self, label, condition):
        """One case that passes when `condition` holds."""
        self.case(label, [] if condition else ["does not hold"])

    def close(self):
        """Prints the closing line; the exit status for the script (1 when any case failed)."""
        print(f"{self.name}: {self.passed} passed, {self.failed} failed")
        return 1 if self.failed else 0
