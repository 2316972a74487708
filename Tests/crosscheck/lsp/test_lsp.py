"""End to end: drives `regimen lsp` as an editor does (pytest-lsp's client, over stdin/stdout)
on a temporary workspace with an include, a non-ASCII line and a spacing breach, and checks
every feature the server offers. The raw-protocol tests at the end send bytes no real client
would send (broken frames, `exit` without `shutdown`)."""
import asyncio
import atexit
import json
import os
import pathlib
import shutil
import subprocess
import tempfile

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, default_converter, register_lsp_features

BINARY = os.environ["REGIMEN_BINARY"]
# Where the server writes the bundled knowledge files for "go to definition": not the user's cache.
CACHE = tempfile.mkdtemp(prefix="regimen-lsp-cache-")
atexit.register(shutil.rmtree, CACHE, True)

NON_ASCII = 'zinc 15mg nightly, note "Jürgen’s plan — µg 😀", 4h after magnesum\n'
PLAN = """# Jürgen’s plan — µg (R702 is the spacing finding)
include "clinic/thyroid.regimen"

patient:
  weight 68kg
  timezone "Europe/Berlin"

plan "MS support" from 2026-12-01 for 2 weeks:
  levothyroxine 75mcg daily on waking
  magnesium glycinate 300mg daily with breakfast
  use calm(100mg)
  ashwagandha 300mg daily
""" + NON_ASCII
INCLUDED = """define calm(dose = 200mg):
  magnesium citrate dose nightly
"""


def make_client():
    """pytest-lsp's client, also keeping every publishDiagnostics (with its version) in order."""
    client = LanguageClient(converter_factory=default_converter)
    client.published = []

    def publish(client: LanguageClient, params: types.PublishDiagnosticsParams):
        client.diagnostics[params.uri] = params.diagnostics
        client.published.append(params)

    register_lsp_features(client, dict(DEFAULT_CLIENT_FEATURES, **{types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: publish}))
    return client


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[BINARY, "lsp"], client_factory=make_client,
                                              server_env=dict(os.environ, XDG_CACHE_HOME=CACHE)))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities()))
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def workspace(tmp_path):
    (tmp_path / "clinic").mkdir()
    (tmp_path / "clinic" / "thyroid.regimen").write_text(INCLUDED)
    (tmp_path / "plan.regimen").write_text(PLAN)
    return tmp_path


def uri(path):
    return pathlib.Path(path).as_uri()


def utf16(text):
    return len(text.encode("utf-16-le")) // 2


async def published(client, document, version=None, timeout=10.0):
    """Waits for diagnostics of `document` (of `version`, when given); returns the params."""
    for _ in range(int(timeout / 0.02)):
        for params in reversed(client.published):
            if params.uri == document and (version is None or params.version == version):
                return params
        await asyncio.sleep(0.02)
    raise AssertionError(f"no diagnostics for {document} version {version}: got {[(p.uri, p.version) for p in client.published]}")


def open_document(client, path, text, version=1):
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri(path), language_id="regimen", version=version, text=text)))


def change(client, path, text, version):
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri(path), version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))


def by_code(diagnostics, code):
    return [d for d in diagnostics if d.code == code]


def line_of(text, needle):
    return next(i for i, line in enumerate(text.splitlines()) if needle in line)


# MARK: Diagnostics


@pytest.mark.asyncio
async def test_diagnostics_match_check_with_utf16_ranges(client: LanguageClient, workspace):
    plan = workspace / "plan.regimen"
    open_document(client, plan, PLAN)
    params = await published(client, uri(plan), 1)
    diagnostics = params.diagnostics
    # The same findings as `regimen check`, in the same order.
    check = json.loads(subprocess.run([BINARY, "check", "--format", "json", str(plan)], capture_output=True, text=True).stdout)
    assert [d.code for d in diagnostics] == [d["code"] for d in check["diagnostics"]]
    # The spacing breach: a warning on the magnesium line, the levothyroxine dose as related information.
    breach = by_code(diagnostics, "R702")[0]
    assert breach.severity == types.DiagnosticSeverity.Warning
    assert breach.range.start == types.Position(line=line_of(PLAN, "magnesium glycinate"), character=2)
    assert breach.related_information[0].location.uri == uri(plan)
    assert breach.related_information[0].location.range.start.line == line_of(PLAN, "levothyroxine")
    assert "levothyroxine" in breach.related_information[0].message
    # The unknown name after non-ASCII text: columns in UTF-16 code units (😀 counts two).
    unknown = [d for d in by_code(diagnostics, "R201") if "magnesum" in d.message][0]
    assert unknown.severity == types.DiagnosticSeverity.Error
    start = NON_ASCII.index("magnesum")
    assert unknown.range.start == types.Position(line=line_of(PLAN, "Jürgen’s plan — µg 😀"), character=utf16(NON_ASCII[:start]))
    assert unknown.range.end.character == utf16(NON_ASCII[:start + len("magnesum")])
    assert "did you mean `magnesium`?" in unknown.message
    # The file-level summary (R818) has no place: it is on the first line.
    summary = by_code(diagnostics, "R818")[0]
    assert summary.range.start == types.Position(line=0, character=0)


@pytest.mark.asyncio
async def test_checks_not_run_summary_on_line_zero(client: LanguageClient, workspace):
    broken = workspace / "broken.regimen"
    text = "# Jürgen’s plan — µg\nmagnesium glycinate 300mg nightly, 4h afte levothyroxine\n"
    broken.write_text(text)
    open_document(client, broken, text)
    diagnostics = (await published(client, uri(broken), 1)).diagnostics
    assert diagnostics[0].severity == types.DiagnosticSeverity.Error and diagnostics[0].range.start.line == 1
    assert diagnostics[-1].code == "R818" and diagnostics[-1].range.start == types.Position(line=0, character=0)


@pytest.mark.asyncio
async def test_newer_edits_cancel_stale_checks(client: LanguageClient, workspace):
    plan = workspace / "plan.regimen"
    open_document(client, plan, PLAN)
    await published(client, uri(plan), 1)
    before = len(client.published)
    # Five edits faster than the debounce: only the last version is checked and published.
    for version in range(2, 7):
        change(client, plan, PLAN + f"zinc {version}mg daily\n", version)
        await asyncio.sleep(0.01)
    params = await published(client, uri(plan), 6)
    await asyncio.sleep(0.4)
    versions = [p.version for p in client.published[before:] if p.uri == uri(plan)]
    assert versions == [6]
    assert any("zinc" in d.message or d.code for d in params.diagnostics)


def test_an_edit_arriving_in_pieces_during_a_check_makes_it_stale(tmp_path):
    # The edit's first half arrives while the plan's first check runs, the rest after it ends, as a
    # large edit through a pipe can: a check overtaken by a half-read edit is stale all the same,
    # so no diagnostics of version 1 may come after the edit began to arrive.
    import threading
    import time
    text = 'plan "large" from 2026-12-01 for 1 week:\n' + "".join(
        f'  magnesium glycinate {100 + i % 50}mg daily with breakfast, note "item {i} — µg"\n' for i in range(600))
    document = uri(tmp_path / "large.regimen")
    server = subprocess.Popen([BINARY, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=dict(os.environ, XDG_CACHE_HOME=CACHE))
    received = []

    def read():
        while True:
            header = b""
            while not header.endswith(b"\r\n\r\n"):
                byte = server.stdout.read(1)
                if not byte:
                    return
                header += byte
            received.append((time.monotonic(), json.loads(server.stdout.read(int(header.split(b":")[1])))))
    reader = threading.Thread(target=read)
    reader.start()

    def send(data):
        server.stdin.write(data)
        server.stdin.flush()
    send(frame(INITIALIZE) + frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": document, "languageId": "regimen", "version": 1, "text": text}}}))
    edit = frame({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": document, "version": 2}, "contentChanges": [{"text": text + "  zinc 15mg daily\n"}]}})
    time.sleep(0.02)
    began = time.monotonic()
    send(edit[:len(edit) // 2])
    time.sleep(0.6)
    send(edit[len(edit) // 2:])
    for _ in range(3000):
        if any(m.get("params", {}).get("version") == 2 for _, m in received):
            break
        time.sleep(0.02)
    send(frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}) + frame({"jsonrpc": "2.0", "method": "exit"}))
    server.stdin.close()
    reader.join(timeout=30)
    assert server.wait(timeout=30) == 0
    published = [(at, m["params"]["version"]) for at, m in received if m.get("method") == "textDocument/publishDiagnostics"]
    assert [version for _, version in published][-1] == 2, published
    assert not [at for at, version in published if version == 1 and at > began], "a stale check was published"


@pytest.mark.asyncio
async def test_editing_an_include_rechecks_its_includer_and_never_publishes_closed_files(client: LanguageClient, workspace):
    plan, included = workspace / "plan.regimen", workspace / "clinic" / "thyroid.regimen"
    open_document(client, plan, PLAN)
    first = await published(client, uri(plan), 1)
    assert not any("glycinat`" in d.message for d in first.diagnostics)
    # The included file was read from disk, and gets no diagnostics of its own while closed.
    assert all(p.uri != uri(included) for p in client.published)
    # Open it and break it, unsaved: the plan is checked again with the text in memory.
    open_document(client, included, INCLUDED)
    await published(client, uri(included), 1)
    count = len([p for p in client.published if p.uri == uri(plan)])
    change(client, included, INCLUDED.replace("citrate", "citrat"), 2)
    await published(client, uri(included), 2)
    for _ in range(200):
        fresh = [p for p in client.published if p.uri == uri(plan)][count:]
        if fresh:
            break
        await asyncio.sleep(0.02)
    errors = [d for d in fresh[-1].diagnostics if "citrat`" in d.message]
    assert errors, [d.message for d in fresh[-1].diagnostics]
    # Placed on the include line, pointing to the line in the included file.
    assert errors[0].range.start.line == line_of(PLAN, "include")
    assert errors[0].related_information[0].location.uri == uri(included)
    assert errors[0].related_information[0].location.range.start.line == 1
    # Closed unsaved: its findings are cleared, and the plan reads it from disk again.
    count = len([p for p in client.published if p.uri == uri(plan)])
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri(included))))
    for _ in range(200):
        fresh = [p for p in client.published if p.uri == uri(plan)][count:]
        if fresh:
            break
        await asyncio.sleep(0.02)
    last = [p for p in client.published if p.uri == uri(included)][-1]
    assert last.version is None and not last.diagnostics, "cleared"
    assert fresh and not any("citrat`" in d.message for d in fresh[-1].diagnostics)


def make_watching_client():
    """A client that can watch files, keeping the registrations the server asks for."""
    client = make_client()
    client.registrations = []

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams):
        client.registrations.extend(params.registrations)
        return None
    return client


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[BINARY, "lsp"], client_factory=make_watching_client,
                                              server_env=dict(os.environ, XDG_CACHE_HOME=CACHE)))
async def watching(lsp_client: LanguageClient):
    watched = types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True)
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(workspace=types.WorkspaceClientCapabilities(did_change_watched_files=watched))))
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_an_include_changed_on_disk_rechecks_its_includer(watching: LanguageClient, workspace):
    client = watching
    for _ in range(250):
        if client.registrations:
            break
        await asyncio.sleep(0.02)
    assert [r.method for r in client.registrations] == ["workspace/didChangeWatchedFiles"]
    assert client.registrations[0].register_options["watchers"][0]["globPattern"] == "**/*.regimen"
    plan, included = workspace / "plan.regimen", workspace / "clinic" / "thyroid.regimen"
    open_document(client, plan, PLAN)
    first = await published(client, uri(plan), 1)
    assert not any("citrat`" in d.message for d in first.diagnostics)
    # Saved by another program (the file is not open in the editor).
    count = len(client.published)
    included.write_text(INCLUDED.replace("citrate", "citrat"))
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=uri(included), type=types.FileChangeType.Changed)]))
    for _ in range(250):
        fresh = [p for p in client.published[count:] if p.uri == uri(plan)]
        if fresh:
            break
        await asyncio.sleep(0.02)
    assert fresh and any("citrat`" in d.message for d in fresh[-1].diagnostics), [p.uri for p in client.published[count:]]
    assert fresh[-1].version == 1, "the plan's own text did not change"


# MARK: Hover


@pytest.mark.asyncio
async def test_hover(client: LanguageClient, workspace):
    plan = workspace / "plan.regimen"
    open_document(client, plan, PLAN)
    await published(client, uri(plan), 1)

    async def hover(needle, offset=1, after=""):
        line = line_of(PLAN, after + needle) if after else line_of(PLAN, needle)
        text = PLAN.splitlines()[line]
        character = utf16(text[:text.index(needle) + offset])
        result = await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri(plan)), position=types.Position(line=line, character=character)))
        return result.contents.value if result else None

    item = await hover("magnesium glycinate")
    assert "magnesium glycinate 300 mg elemental magnesium" in item and "with breakfast (07:30)" in item
    assert "elemental magnesium: 14.1%" in item, "what the knowledge base holds"
    assert "interaction-spacing" in await hover("R702")
    assert "68 kg" in await hover("weight")
    assert "Europe/Berlin" in await hover("timezone")


# MARK: Completion


@pytest.mark.asyncio
async def test_completion(client: LanguageClient, workspace):
    plan = workspace / "plan.regimen"
    text = PLAN + "magnesium glyc\n  tim\n"
    open_document(client, plan, text)
    await published(client, uri(plan), 1)

    async def complete(line_text, in_patient=False):
        lines = text.splitlines()
        # Type `line_text` as a new line: in the patient block (after `weight`), or at the end.
        index = line_of(text, "weight 68kg") + 1 if in_patient else len(lines)
        new = lines[:index] + [line_text] + lines[index:]
        change(client, plan, "\n".join(new) + "\n", complete.version)
        complete.version += 1
        result = await client.text_document_completion_async(types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(plan)),
            position=types.Position(line=index, character=utf16(line_text))))
        return [item.text_edit.new_text for item in result.items]
    complete.version = 2

    assert "glycinate" in await complete("magnesium glyc")
    assert "magnesium" in await complete("  magnes")
    assert "levothyroxine" in await complete("  levoth")
    assert "patient" in await complete("pat")
    assert await complete("  zinc 15mg nigh") == ["nightly"]
    assert "patient.egfr" in await complete("let x = patient.eg")
    assert "timezone" in await complete("  tim", in_patient=True)
    assert "conditions" in await complete("  cond", in_patient=True)
    assert "myasthenia" in await complete("  conditions myasth", in_patient=True)
    assert '"Europe/Berlin"' in await complete('  timezone "Europe/Ber', in_patient=True)
    assert '"clinic/' in await complete('include "cl')
    assert '"clinic/thyroid.regimen"' in await complete('include "clinic/th')


# MARK: Formatting, symbols, definition


@pytest.mark.asyncio
async def test_formatting(client: LanguageClient, workspace):
    plan = workspace / "messy.regimen"
    messy = "magnesium glycinate 300 mg  nightly\n"
    open_document(client, plan, messy)
    await published(client, uri(plan), 1)
    options = types.FormattingOptions(tab_size=2, insert_spaces=True)
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=types.TextDocumentIdentifier(uri=uri(plan)), options=options))
    assert [e.new_text for e in edits] == ["magnesium glycinate 300mg nightly\n"]
    change(client, plan, "magnesium glycinate 300 mg  nightly, 4h afte levothyroxine\n", 2)
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=types.TextDocumentIdentifier(uri=uri(plan)), options=options))
    assert not edits, "no edit for a file with a syntax error"


@pytest.mark.asyncio
async def test_symbols_and_definition(client: LanguageClient, workspace):
    plan = workspace / "plan.regimen"
    open_document(client, plan, PLAN)
    await published(client, uri(plan), 1)
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(
        text_document=types.TextDocumentIdentifier(uri=uri(plan))))
    names = [s.name for s in symbols]
    assert names == ['include "clinic/thyroid.regimen"', "patient", 'plan "MS support"', "zinc"]
    block = symbols[2]
    assert [c.name for c in block.children] == ["levothyroxine", "magnesium glycinate", "use calm", "ashwagandha"]
    assert [c.name for c in symbols[1].children] == ["weight", "timezone"]

    async def definition(needle, offset=2):
        line = line_of(PLAN, needle)
        text = PLAN.splitlines()[line]
        return await client.text_document_definition_async(types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(plan)),
            position=types.Position(line=line, character=utf16(text[:text.index(needle) + offset]))))

    include = await definition("clinic/thyroid")
    assert include.uri == uri(workspace / "clinic" / "thyroid.regimen")
    define = await definition("calm(")
    assert define.uri == uri(workspace / "clinic" / "thyroid.regimen")
    assert define.range.start == types.Position(line=0, character=7)

    # Names the knowledge base defines: its bundled file, written read-only to the cache folder.
    for needle, expected in [("levothyroxine", "drug levothyroxine:"), ("magnesium glycinate", "substance magnesium:"),
                             ("zinc", "substance zinc:")]:
        found = await definition(needle)
        path = pathlib.Path(found.uri.removeprefix("file://"))
        assert found.uri.startswith(pathlib.Path(CACHE).as_uri() + "/regimen/knowledge/"), found.uri
        assert path.read_text().splitlines()[found.range.start.line] == expected
        assert not os.stat(path).st_mode & 0o222, "read-only"
    assert await definition("ashwagandha") is None, "a name the knowledge base does not define"


# MARK: Code actions and inlay hints


@pytest.mark.asyncio
async def test_code_actions(client: LanguageClient, workspace):
    plan = workspace / "fix.regimen"
    text = "magnesium glycinat 100mg nightly\nquuxamine 5mg daily\n"
    open_document(client, plan, text)
    diagnostics = (await published(client, uri(plan), 1)).diagnostics
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri(plan)),
        range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=1, character=0)),
        context=types.CodeActionContext(diagnostics=list(diagnostics))))
    by_title = {a.title: a for a in actions}
    fix = by_title["Change to `glycinate`"]
    edit = fix.edit.changes[uri(plan)][0]
    assert (edit.range.start.character, edit.range.end.character, edit.new_text) == (10, 18, "glycinate")
    declare = by_title["Declare `quuxamine` as a drug in this plan"]
    edit = declare.edit.changes[uri(plan)][0]
    assert edit.new_text.startswith("drug quuxamine:\n") and edit.range.start.line == 0
    # Applied, the declaration leaves a warning (R817), not an error.
    change(client, plan, edit.new_text + text.replace("glycinat ", "glycinate "), 2)
    fixed = (await published(client, uri(plan), 2)).diagnostics
    assert not [d for d in fixed if d.severity == types.DiagnosticSeverity.Error], [d.message for d in fixed]
    assert by_code(fixed, "R817")


def apply_edits(text, edits):
    """The text with LSP edits applied; positions count UTF-16 code units."""
    lines = text.split("\n")

    def offset(position):
        line = lines[position.line].encode("utf-16-le")[:position.character * 2].decode("utf-16-le")
        return sum(len(l) + 1 for l in lines[:position.line]) + len(line)
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[:offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]
    return text


@pytest.mark.asyncio
async def test_spacing_breach_quick_fix(client: LanguageClient, workspace):
    # A clock time for a dose that can move within its window (after non-ASCII text on the line,
    # so the edit's columns count UTF-16), and another meal for one that cannot.
    cases = [('zinc 15mg daily, note "Jürgen’s µg 😀", at 08:00\niron bisglycinate 25mg daily with breakfast\n',
              "Take zinc at 09:30", 'zinc 15mg daily, note "Jürgen’s µg 😀", at 09:30'),
             ("levothyroxine 75mcg daily on waking\nmagnesium glycinate 300mg daily with breakfast\n",
              "Move magnesium glycinate to lunch", "magnesium glycinate 300mg daily with lunch")]
    for number, (text, title, fixed_line) in enumerate(cases):
        plan = workspace / f"breach{number}.regimen"
        open_document(client, plan, text)
        diagnostics = (await published(client, uri(plan), 1)).diagnostics
        assert len(by_code(diagnostics, "R702")) == 1, [d.message for d in diagnostics]
        actions = await client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(plan)),
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=2, character=0)),
            context=types.CodeActionContext(diagnostics=list(diagnostics))))
        action = {a.title: a for a in actions}.get(title)
        assert action, [a.title for a in actions]
        assert action.kind == types.CodeActionKind.QuickFix and action.is_preferred and action.diagnostics[0].code == "R702"
        fixed = apply_edits(text, action.edit.changes[uri(plan)])
        assert fixed_line in fixed.splitlines(), fixed
        change(client, plan, fixed, 2)
        after = (await published(client, uri(plan), 2)).diagnostics
        # The plan still reads, and the breach is gone.
        assert not [d for d in after if d.severity == types.DiagnosticSeverity.Error], [d.message for d in after]
        assert not by_code(after, "R702"), [d.message for d in after]


@pytest.mark.asyncio
async def test_inlay_hints(client: LanguageClient, workspace):
    plan = workspace / "hints.regimen"
    text = "patient:\n  bed 22:00\nmagnesium glycinate 300mg nightly\ncalcium carbonate 500mg salt daily with dinner\n"
    open_document(client, plan, text)
    await published(client, uri(plan), 1)
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=types.TextDocumentIdentifier(uri=uri(plan)),
        range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=4, character=0))))
    labels = {(h.position.line, h.position.character): h.label for h in hints}
    assert labels[(2, len("magnesium glycinate 300mg"))] == "elemental (≈2128 mg as glycinate)"
    assert labels[(2, len("magnesium glycinate 300mg nightly"))] == "22:00", "the patient's bedtime"
    assert labels[(3, len("calcium carbonate 500mg"))] == "≈200 mg elemental calcium"
    assert labels[(3, len("calcium carbonate 500mg salt daily with dinner"))] == "18:30"


# MARK: Protocol


@pytest.mark.asyncio
async def test_unknown_method_is_method_not_found(client: LanguageClient):
    with pytest.raises(Exception) as error:
        await client.protocol.send_request_async("regimen/noSuchMethod", {})
    assert "-32601" in str(error.value) or "MethodNotFound" in type(error.value).__name__ or "no method" in str(error.value)


def frame(message):
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def run_raw(data):
    """Sends `data` to `regimen lsp` at once, closes its input; returns (exit code, messages, stderr)."""
    result = subprocess.run([BINARY, "lsp"], input=data, capture_output=True, timeout=30)
    messages, out = [], result.stdout
    while out:
        header, _, rest = out.partition(b"\r\n\r\n")
        length = int(header.split(b":")[1])
        messages.append(json.loads(rest[:length]))
        out = rest[length:]
    return result.returncode, messages, result.stderr.decode()


INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}


def test_malformed_messages_are_logged_and_skipped():
    data = (b"Content-Length: 7\r\n\r\n{broken"                       # not JSON
            + b"Content-Type: x\r\n\r\n"                              # no length
            + frame([1, 2])                                           # not an object
            + frame(INITIALIZE)
            + frame({"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {}})  # bad params
            + frame({"jsonrpc": "2.0", "id": 3, "method": "shutdown"})
            + frame({"jsonrpc": "2.0", "method": "exit"}))
    code, messages, stderr = run_raw(data)
    assert code == 0
    assert [m.get("id") for m in messages] == [1, 2, 3]
    assert messages[1]["error"]["code"] == -32602
    assert "not JSON" in stderr and "Content-Length" in stderr


def test_exit_codes():
    shutdown = frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    exit_ = frame({"jsonrpc": "2.0", "method": "exit"})
    assert run_raw(frame(INITIALIZE) + shutdown + exit_)[0] == 0
    assert run_raw(frame(INITIALIZE) + exit_)[0] == 1, "exit without shutdown"
    assert run_raw(frame(INITIALIZE))[0] == 1, "end of input without shutdown"
    code, messages, _ = run_raw(frame({"jsonrpc": "2.0", "id": 1, "method": "textDocument/hover", "params": {}}) + exit_)
    assert messages[0]["error"]["code"] == -32002, "a request before initialize"


def test_vscode_package_contributes_the_language_grammar_and_server():
    root = pathlib.Path(__file__).resolve().parents[3] / "editors" / "vscode"
    package = json.loads((root / "package.json").read_text())
    language = package["contributes"]["languages"][0]
    assert language["id"] == "regimen" and language["extensions"] == [".regimen"]
    grammar = package["contributes"]["grammars"][0]
    assert json.loads((root / grammar["path"]).read_text())["scopeName"] == grammar["scopeName"] == "source.regimen"
    assert (root / language["configuration"]).exists() and (root / package["main"]).exists()
    assert package["contributes"]["configuration"]["properties"]["regimen.server.command"]["default"] == "regimen"
