#!/usr/bin/env python3
"""Drives the real `regimen repl` through a pseudo-terminal, as a person at a keyboard would.

First session: edits a line with the arrow keys before Enter, completes a substance's form with
Tab, abandons an input with Ctrl-C, saves the session with :save, leaves with Ctrl-D.
Second session: recalls the first session's line with the Up arrow (history kept on disk).
Then `regimen check` must accept the saved plan. Last, where this user may make a mount
namespace (root), a session with libedit hidden: the REPL must say line editing is off and go on.

Usage: repl_pty.py PATH_TO_REGIMEN_BINARY. Closes with "repl pty: N passed, M failed".
"""
import os
import subprocess
import sys
import tempfile

import pexpect

from tally import Tally

binary = os.path.abspath(sys.argv[1])
work = tempfile.mkdtemp()
env = dict(os.environ, XDG_STATE_HOME=os.path.join(work, "state"), TERM="xterm", NO_COLOR="1", HOME=work)
tally = Tally("repl pty")
check = tally.check


def spawn():
    child = pexpect.spawn(binary, ["repl"], env=env, cwd=work, encoding="utf-8", timeout=15, dimensions=(40, 200))
    child.expect("regimen> ")
    return child


try:
    child = spawn()
    # Arrow keys: type a line with a mistake, go left over it, fix it, go back to the end.
    child.send("zinc 15mg dxily")
    child.send("\x1b[D\x1b[D\x1b[D")        # Left ×3: the cursor is after "dx"
    child.send("\x7f")                    # Backspace removes the "x"
    child.send("a")                       # "daily"; Enter in the middle of the line submits all of it
    child.send("\r")
    index = child.expect([r"\+ zinc 15 mg oral, daily", "does not start a clause", pexpect.TIMEOUT])
    check("a line edited with the arrow keys is evaluated as edited", index == 0)
    child.expect("regimen> ")

    # Tab completes a substance's form (`glyc` alone is glycerophosphate or glycinate).
    child.send("magnesium glyci\t")
    check("Tab completes glyci to glycinate", child.expect(["nate", pexpect.TIMEOUT]) == 0)
    child.send("300mg nightly\r")
    check("the completed line is evaluated", child.expect([r"\+ magnesium glycinate 300 mg", pexpect.TIMEOUT]) == 0)
    child.expect("regimen> ")

    # Ctrl-C abandons the input, not the session.
    child.send("plan \"x\":\r")
    child.expect(r"\.\.\. ")
    child.send("\x03")
    check("Ctrl-C returns to the prompt", child.expect(["regimen> ", pexpect.TIMEOUT]) == 0)

    # An expression prints its value with units.
    child.send("5 mg/kg * 68kg\r")
    check("an expression prints its value", child.expect(["340 mg", pexpect.TIMEOUT]) == 0)
    child.expect("regimen> ")

    child.send(":save plan.regimen\r")
    check(":save writes the plan", child.expect(["saved 2 statement", pexpect.TIMEOUT]) == 0)
    child.expect("regimen> ")
    child.send(":save plan.regimen\r")
    check(":save refuses to overwrite", child.expect(["exists; use :save!", pexpect.TIMEOUT]) == 0)
    child.expect("regimen> ")
    child.send("\x04")                    # Ctrl-D on an empty line leaves
    child.expect(pexpect.EOF)

    # Second session: Up recalls the last line of the first one.
    child = spawn()
    child.send("\x1b[A")                  # Up: the last entry, ":save plan.regimen"
    child.send("\x1b[A")                  # Up again: "5 mg/kg * 68kg"
    child.send("\r")
    check("Up recalls history from the earlier session", child.expect(["340 mg", pexpect.TIMEOUT]) == 0)
    child.expect("regimen> ")
    child.send(":quit\r")
    child.expect(pexpect.EOF)

    result = subprocess.run([binary, "check", os.path.join(work, "plan.regimen")], capture_output=True, text=True)
    check("regimen check accepts the saved plan", result.returncode == 0)
    saved = open(os.path.join(work, "plan.regimen")).read()
    check("the saved plan holds the session", "zinc 15mg daily" in saved and "magnesium glycinate 300mg nightly" in saved)
except (pexpect.EOF, pexpect.TIMEOUT) as error:
    tally.case("the session", [f"it stopped answering: {error}"])

# libedit is loaded when the REPL starts, not linked: hide it behind an empty file in a private
# mount namespace and the REPL must still work, plainly, after a note that says why.
library = next((path for path in ["/lib/x86_64-linux-gnu/libedit.so.2", "/usr/lib/x86_64-linux-gnu/libedit.so.2",
                                  "/lib/aarch64-linux-gnu/libedit.so.2"] if os.path.exists(path)), None)
if library and subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0:
    script = f"mount --bind /dev/null {library} && exec {binary} repl"
    child = pexpect.spawn("unshare", ["-m", "sh", "-c", script], env=env, cwd=work, encoding="utf-8", timeout=15)
    try:
        check("without libedit the REPL says line editing is off",
              child.expect(["line editing, history and completion are off: .*libedit", pexpect.TIMEOUT]) == 0)
        child.send("zinc 15mg daily\r")
        check("without libedit the REPL still evaluates lines", child.expect([r"\+ zinc 15 mg oral, daily", pexpect.TIMEOUT]) == 0)
        child.send(":quit\r")
        child.expect(pexpect.EOF)
    except (pexpect.EOF, pexpect.TIMEOUT) as error:
        tally.case("the session without libedit", [f"it stopped answering: {error}"])
else:
    print("repl pty: the session without libedit was not run (no libedit.so.2, or no mount namespace for this user)")

sys.exit(tally.close())
