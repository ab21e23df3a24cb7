#!/usr/bin/env python3
"""End-to-end golden tests of the prodlint CLI.

Each directory under tests/e2e/cases/ is one case:
  cmd             the arguments, one shell-quoted line (run from the case directory)
  stdout, stderr  expected output (timings normalised to 0)
  exit            expected exit code
The case directory itself usually holds the tree that is scanned (`repo/`)
and any rule files it needs. Run with --update to re-accept the current
output after checking the diff.
"""
import argparse
import difflib
import os
import re
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def normalise(text):
    text = re.sub(r'"ms": \d+', '"ms": 0', text)
    text = re.sub(r"\d+(\.\d+)? ms\b", "0 ms", text)
    return text


def run_case(binary, case_dir, update):
    with open(os.path.join(case_dir, "cmd")) as f:
        args = shlex.split(f.read().strip())
    env = dict(os.environ)
    env.update({"NO_COLOR": "1", "PRODLINT_RULES_DIR": os.path.join(ROOT, "rules"),
                "HOME": case_dir, "XDG_CONFIG_HOME": os.path.join(case_dir, ".no-config"),
                "GIT_CONFIG_NOSYSTEM": "1"})
    proc = subprocess.run([binary] + args, cwd=case_dir, env=env, capture_output=True,
                          text=True, errors="replace", timeout=120)
    got = {"stdout": normalise(proc.stdout), "stderr": normalise(proc.stderr),
           "exit": f"{proc.returncode}\n"}
    failures = []
    for name, actual in got.items():
        path = os.path.join(case_dir, name)
        if update:
            with open(path, "w") as f:
                f.write(actual)
            continue
        expected = open(path).read() if os.path.exists(path) else ""
        if expected != actual:
            diff = difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                        f"expected {name}", f"actual {name}")
            failures.append("".join(diff))
    return failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--update", action="store_true", help="re-accept current output")
    ap.add_argument("cases", nargs="*", help="case names (default: all)")
    opts = ap.parse_intermixed_args()
    cases_root = os.path.join(HERE, "cases")
    names = opts.cases or sorted(os.listdir(cases_root))
    failed = 0
    for name in names:
        failures = run_case(os.path.abspath(opts.binary), os.path.join(cases_root, name), opts.update)
        status = "updated" if opts.update else ("FAIL" if failures else "ok")
        print(f"{status:7} {name}")
        for f in failures:
            print(f)
        failed += bool(failures)
    print(f"{len(names) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
