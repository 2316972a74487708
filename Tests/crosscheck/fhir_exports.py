"""The Bundles a FHIR cross-check validates: the exported goldens, and the re-exports of the plans that
`regimen import --fhir` makes from real records. Shared by validate_fhir_r4.py and
validate_fhir_r4_spec.py, so both judge the same files."""
import pathlib
import subprocess


def exports_of_imports(binary, folder, into):
    """Bundles exported from the plans imported from each FHIR file of the folder; None stands for
    an export that failed (a failure the caller reports)."""
    made = []
    for path in sorted(pathlib.Path(folder).glob("*.json")):
        plan = into / (path.stem + ".regimen")
        bundle = into / (path.stem + ".bundle.json")
        if subprocess.run([binary, "import", "--fhir", str(path), "-o", str(plan)], capture_output=True).returncode != 0:
            continue  # nothing imported (an order that is over): no plan to export
        exported = subprocess.run([binary, "export", "--fhir", str(plan), "-o", str(bundle)], capture_output=True, text=True)
        if exported.returncode not in (0, 1):
            print(f"FAILED {path.name}: export failed: {exported.stderr.strip()[:300]}")
            made.append(None)
            continue
        made.append(bundle)
    return made


def bundles_of(args, tmp):
    """The Bundle paths named by the command line `[--imports REGIMEN FOLDER]... FOLDER...`: every
    re-export of each --imports folder, then every *.json of each plain folder."""
    paths, folders = [], 0
    while args[:1] == ["--imports"]:
        folders += 1
        into = pathlib.Path(tmp) / str(folders)
        into.mkdir()
        paths += exports_of_imports(args[1], args[2], into)
        args = args[3:]
    for folder in args:
        paths += sorted(pathlib.Path(folder).glob("*.json"))
    return paths
