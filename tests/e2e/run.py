#!/usr/bin/env python3
"""End-to-end golden tests of the prodlint CLI.

Each directory under tests/e2e/cases/ is one case:
  cmd             the arguments, one shell-quoted line (run from the case directory)
  stdout, stderr  expected output (timings normalised to 0)
  exit            expected exit code
  env             optional: extra environment, one KEY=VALUE a line (e.g.
                  PRODLINT_TODAY=2025-06-01 for suppression expiry)
  setup           optional: a shell script for cases that change files (init,
                  baselines). The case then runs in a temporary copy of its
                  directory, placed so that `../../data` still leads to
                  tests/e2e/data and under an empty `.git` directory, so
                  that .prodlint.yaml discovery stops inside the copy. The
                  script runs there with `sh -e` (and $PRODLINT set to the
                  binary) before the command.
  files           optional, with setup: paths (one a line) of files the run
                  leaves in the copy, compared with expect/<path>
The case directory itself usually holds the tree that is scanned (`repo/`)
and any rule files it needs. Run with --update to re-accept the current
output after checking the diff.
"""
import argparse
import difflib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

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
                "GIT_CONFIG_NOSYSTEM": "1",
                # Goldens show one scan's own work: no per-file cache (src/cache/).
                "PRODLINT_NO_CACHE": "1"})
    env.pop("PRODLINT_TODAY", None)  # hermetic: only a case's env file sets it
    env_file = os.path.join(case_dir, "env")
    if os.path.exists(env_file):
        with open(env_file) as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    key, _, value = line.partition("=")
                    env[key] = value
    if os.path.exists(os.path.join(case_dir, "setup")):
        with tempfile.TemporaryDirectory(prefix="prodlint-e2e-") as tmp:
            return run_in_copy(binary, case_dir, args, env, update, tmp)
    proc = subprocess.run([binary] + args, cwd=case_dir, env=env, capture_output=True,
                          text=True, errors="replace", timeout=120)
    return compare(case_dir, proc, {}, update)


def run_in_copy(binary, case_dir, args, env, update, tmp):
    """Run a case with a `setup` script in tmp/cases/<name>, beside tmp/data."""
    os.mkdir(os.path.join(tmp, ".git"))
    os.symlink(os.path.join(HERE, "data"), os.path.join(tmp, "data"))
    work = os.path.join(tmp, "cases", os.path.basename(case_dir))
    shutil.copytree(case_dir, work, symlinks=True,
                    ignore=shutil.ignore_patterns("stdout", "stderr", "exit", "expect"))
    env = dict(env, PRODLINT=binary, HOME=work,
               XDG_CONFIG_HOME=os.path.join(work, ".no-config"))
    setup = subprocess.run(["sh", "-e", "setup"], cwd=work, env=env, capture_output=True,
                           text=True, errors="replace", timeout=120)
    if setup.returncode != 0:
        return [f"setup failed with exit {setup.returncode}:\n{setup.stdout}{setup.stderr}"]
    proc = subprocess.run([binary] + args, cwd=work, env=env, capture_output=True,
                          text=True, errors="replace", timeout=120)
    files = {}
    files_list = os.path.join(case_dir, "files")
    if os.path.exists(files_list):
        with open(files_list) as f:
            for name in f.read().split():
                path = os.path.join(work, name)
                files[os.path.join("expect", name)] = (
                    open(path, errors="replace").read() if os.path.exists(path) else "(missing)\n")
    return compare(case_dir, proc, files, update)


def compare(case_dir, proc, files, update):
    got = {"stdout": normalise(proc.stdout), "stderr": normalise(proc.stderr),
           "exit": f"{proc.returncode}\n"}
    got.update(files)
    failures = []
    for name, actual in got.items():
        path = os.path.join(case_dir, name)
        if update:
            os.makedirs(os.path.dirname(path), exist_ok=True)
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
