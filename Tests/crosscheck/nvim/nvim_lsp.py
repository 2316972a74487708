#!/usr/bin/env python3
"""Starts Neovim headless with its built-in LSP client against `regimen lsp`, opens a plan with a
non-ASCII line and a spacing breach, and checks the diagnostics Neovim received, the breach's
quick fix applied by Neovim, and go to definition into the bundled knowledge base.

Usage: nvim_lsp.py PATH_TO_REGIMEN_BINARY. Closes with "nvim lsp: N passed, M failed"."""
import json
import os
import pathlib
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from tally import Tally  # noqa: E402 (the shared module one folder up)

binary = os.path.abspath(sys.argv[1])
here = pathlib.Path(__file__).resolve().parent
work = pathlib.Path(tempfile.mkdtemp())
plan = work / "plan.regimen"
plan.write_text("# Jürgen’s plan — µg 😀\n"
                "levothyroxine 75mcg daily on waking\n"
                "magnesium glycinate 300mg daily with breakfast\n"
                'zinc 15mg nightly, note "µg 😀", 4h after magnesum\n')
out = work / "diagnostics.json"
env = dict(os.environ, REGIMEN_BINARY=binary, REGIMEN_OUT=str(out), HOME=str(work), XDG_CACHE_HOME=str(work / "cache"),
           XDG_CONFIG_HOME=str(work / "config"), XDG_DATA_HOME=str(work / "data"), XDG_STATE_HOME=str(work / "state"))
tally = Tally("nvim lsp")
check = tally.check


try:
    subprocess.run(["nvim", "--headless", "--noplugin", "-i", "NONE", "-u", str(here / "config.lua"), str(plan)],
                   env=env, cwd=work, timeout=60, stdin=subprocess.DEVNULL, capture_output=True)
except subprocess.TimeoutExpired:
    pass
result = json.loads(out.read_text()) if out.exists() else {}
check("Neovim started the server", result.get("client") is True)
check("diagnostics arrived", result.get("found") is True)
diagnostics = result.get("diagnostics", [])
codes = {d["code"]: d for d in diagnostics}
check("the spacing breach (R702) on line 3", codes.get("R702", {}).get("lnum") == 2)
line = 'zinc 15mg nightly, note "µg 😀", 4h after magnesum'
# Neovim turns the UTF-16 column it received into a byte column: right only if the server counted UTF-16.
check("the unknown name after non-ASCII text at its byte column", codes.get("R201", {}).get("col") == len(line[:line.index("magnesum")].encode()))
check("severities: an error and a warning", {d["severity"] for d in diagnostics} >= {1, 2})
check("the breach's quick fix was offered", result.get("action") == "Move magnesium glycinate to lunch")
check("the fix changed the timing clause", result.get("fixed_line") == "magnesium glycinate 300mg daily with lunch")
check("after the fix, the breach is gone", result.get("breach_gone") is True)
check("go to definition opened the knowledge file", result.get("definition_file", "").startswith(str(work / "cache" / "regimen" / "knowledge")))
check("at the definition's line", result.get("definition_line") == "drug levothyroxine:")
check("read-only", result.get("definition_readonly") is True)
sys.exit(tally.close())
