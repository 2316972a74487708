"""pytest settings for the language server tests: the binary under test, and a closing line
"lsp: N passed, M failed" for scripts/test.sh."""
import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]


def pytest_addoption(parser):
    parser.addoption("--regimen", default=os.environ.get("REGIMEN_BINARY", str(ROOT / ".build/debug/regimen")),
                     help="the regimen binary to test")


def pytest_configure(config):
    os.environ["REGIMEN_BINARY"] = os.path.abspath(config.getoption("--regimen"))


def pytest_terminal_summary(terminalreporter):
    passed = len(terminalreporter.stats.get("passed", []))
    failed = len(terminalreporter.stats.get("failed", [])) + len(terminalreporter.stats.get("error", []))
    terminalreporter.write_line(f"lsp: {passed} passed, {failed} failed")
