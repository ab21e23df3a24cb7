#!/usr/bin/env python3
"""Validate prodlint's SARIF output against the SARIF 2.1.0 JSON schema.

Runs `prodlint --format sarif` over
  - the end-to-end data repo (tests/e2e/data/repo) with the e2e rules,
  - the sample service (fixtures/repos/sample-service) with the built-in rules,
  - a scratch repo with awkward file names (space, '%', ':', non-ASCII,
    non-UTF-8) and non-ASCII text before a finding,
and validates each log with the `jsonschema` module (the validator for the
schema's own `$schema`, draft-04), plus the few things the schema cannot
say: URIs are RFC 3986 references that decode back to the path, ruleIndex
points at the rule named by ruleId, columns are UTF-16 code units.

The schema is tests/data/sarif-schema-2.1.0.json, a copy of the OASIS
SARIF 2.1.0 errata01 schema
(https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json,
the `id` inside it), kept in the repository so this test never skips for
want of it. --schema or PRODLINT_SARIF_SCHEMA picks another file; without
the copy the default is <source>/../shared/sarif-schema-2.1.0.json. If the
schema or the jsonschema module is missing, the script prints `SKIP: ...`
and exits 0 (ctest reports the test as skipped).
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# RFC 3986 URI-reference, as far as characters go: unreserved, reserved and
# percent-escapes only (no spaces, no raw non-ASCII).
URI_CHARS = re.compile(r"^(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def default_schema():
    copy = os.path.join(ROOT, "tests", "data", "sarif-schema-2.1.0.json")
    if os.path.exists(copy):
        return copy
    return os.path.join(os.path.dirname(ROOT), "shared", "sarif-schema-2.1.0.json")


def make_validator(jsonschema, schema):
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft4Validator)
    cls.check_schema(schema)
    checker = jsonschema.FormatChecker()
    # The uri formats need an optional package (rfc3987); check them here.
    if "uri-reference" not in checker.checkers:
        checker.checks("uri-reference")(lambda s: not isinstance(s, str) or bool(URI_CHARS.match(s)))
    if "uri" not in checker.checkers:
        checker.checks("uri")(lambda s: not isinstance(s, str)
                              or bool(URI_CHARS.match(s) and SCHEME.match(s)))
    return cls(schema, format_checker=checker)


def run_sarif(binary, args, cwd, env_extra=None):
    env = dict(os.environ)
    env.update({"NO_COLOR": "1", "PRODLINT_RULES_DIR": os.path.join(ROOT, "rules")})
    env.update(env_extra or {})
    proc = subprocess.run([binary, "--format", "sarif"] + args, cwd=cwd, env=env,
                          capture_output=True, timeout=300)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"prodlint {' '.join(args)} exited {proc.returncode}:\n"
                         f"{proc.stderr.decode(errors='replace')}")
    return json.loads(proc.stdout.decode("utf-8"))


def check_consistency(log, name):
    """What GitHub relies on beyond the schema."""
    problems = []
    run = log["runs"][0]
    if run.get("columnKind") != "utf16CodeUnits":
        problems.append("columnKind is not utf16CodeUnits")
    rules = run["tool"]["driver"]["rules"]
    for i, res in enumerate(run["results"]):
        idx = res.get("ruleIndex")
        if idx is None or rules[idx]["id"] != res["ruleId"]:
            problems.append(f"result {i}: ruleIndex {idx} does not name {res['ruleId']}")
        loc = res["locations"][0]["physicalLocation"]["artifactLocation"]
        if loc.get("uriBaseId") != "%SRCROOT%" or SCHEME.match(loc["uri"]) or loc["uri"].startswith("/"):
            problems.append(f"result {i}: uri {loc['uri']!r} is not relative to %SRCROOT%")
        if "prodlintFingerprint/v1" not in res.get("partialFingerprints", {}):
            problems.append(f"result {i}: no partialFingerprints")
    return [f"{name}: {p}" for p in problems]


def awkward_repo(tmp):
    """Files whose names need percent-encoding, and non-ASCII before a finding."""
    repo = os.path.join(tmp, "awkward")
    os.makedirs(os.path.join(repo, "sub dir"))
    files = {
        b"sub dir/100%:a.py": 's = "\u00e9\U0001F600"; eval(question)\n'.encode(),
        "caf\u00e9.py".encode(): b"eval(x)\n",
        b"latin\xe9.py": b"eval(y)\n",
    }
    for rel, data in files.items():
        with open(os.path.join(os.fsencode(repo), rel), "wb") as f:
            f.write(data)
    return repo


def check_awkward(log):
    problems = []
    results = log["runs"][0]["results"]
    by_path = {}
    for res in results:
        uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        by_path[urllib.parse.unquote_to_bytes(uri)] = res
    want = {b"sub dir/100%:a.py", "caf\u00e9.py".encode(), b"latin\xe9.py"}
    if set(by_path) != want:
        problems.append(f"awkward: uris decode to {sorted(by_path)}, expected {sorted(want)}")
        return problems
    region = by_path[b"sub dir/100%:a.py"]["locations"][0]["physicalLocation"]["region"]
    # `s = "é😀"; ` is 14 bytes, 10 code points, 11 UTF-16 units.
    if (region.get("startColumn"), region.get("endColumn")) != (12, 26):
        problems.append(f"awkward: region {region} is not in UTF-16 code units (12..26)")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--schema", default=os.environ.get("PRODLINT_SARIF_SCHEMA") or default_schema())
    opts = ap.parse_args()
    try:
        import jsonschema
    except ImportError:
        print("SKIP: the python3 jsonschema module is not installed (scripts/bootstrap.sh installs it)")
        return 0
    if not os.path.exists(opts.schema):
        print(f"SKIP: no SARIF schema at {opts.schema}")
        return 0
    with open(opts.schema) as f:
        validator = make_validator(jsonschema, json.load(f))
    binary = os.path.abspath(opts.binary)

    tmp = tempfile.mkdtemp(prefix="prodlint-sarif-")
    try:
        e2e_rules = os.path.join(ROOT, "tests", "e2e", "data", "rules.yaml")
        cases = [
            ("e2e data repo", ["--no-builtin-rules", "--rules", e2e_rules,
                               os.path.join(ROOT, "tests", "e2e", "data", "repo")], ROOT, None),
            ("sample service", [os.path.join(ROOT, "fixtures", "repos", "sample-service")], ROOT,
             None),
            ("awkward names", ["--no-builtin-rules", "--rules", e2e_rules, awkward_repo(tmp)], tmp,
             check_awkward),
        ]
        failures = []
        for name, args, cwd, extra in cases:
            log = run_sarif(binary, args, cwd)
            errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
            for e in errors[:20]:
                path = "/".join(str(p) for p in e.absolute_path)
                failures.append(f"{name}: {path}: {e.message}")
            failures += check_consistency(log, name)
            if extra:
                failures += extra(log)
            nres = len(log["runs"][0]["results"])
            print(f"{'FAIL' if errors else 'ok':4} {name}: {nres} results, "
                  f"{len(log['runs'][0]['tool']['driver']['rules'])} rules")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print(f)
    print(f"schema: {opts.schema}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
