#!/usr/bin/env python3
"""Targeted scans end to end: --staged, --changed-since, file arguments, the cache.

usage: targeted.py PRODLINT SOURCE_DIR

In a temporary git repository (the caller's git and cache configuration
shut out) this checks what SPEC 1 promises for a hook:
  - `prodlint --staged` as a plain .git/hooks/pre-commit blocks a commit
    whose staged content has a finding and lets the fixed one through; it
    reads the index, not the work tree (a bad unstaged edit does not count,
    a bad staged version counts even when the work tree is fixed);
  - file arguments split over several runs (as pre-commit may do): each
    run reports only its files and its exit code reflects only them, and
    together they report what one run over all of them does;
  - --changed-since REF reports findings on changed lines only, and a path
    argument narrows it further;
  - the per-file cache: a second run is served from it, results do not
    change, --no-cache bypasses it, and nothing is ever written inside the
    repository;
  - usage errors: --staged outside a work tree, an unknown revision,
    --staged with --changed-since.
Prints `SKIP: git not installed` where git is missing.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

BAD = '''from openai import OpenAI

client = OpenAI(timeout=30)


def ask(q):
    return client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": q}])


def ask_more(q):
    return client.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": q}],
        max_tokens=100,
    )
'''

GOOD = BAD.replace('"content": q}])\n', '"content": q}], max_tokens=50)\n')


class Failure(Exception):
    pass


def main():
    if len(sys.argv) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    prodlint, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    if not shutil.which("git"):
        print("SKIP: git not installed")
        return 0
    with tempfile.TemporaryDirectory(prefix="prodlint-targeted-") as tmp:
        try:
            checks(tmp, prodlint, source)
        except Failure as e:
            print(f"FAIL: {e}")
            return 1
    print("ok: targeted scans")
    return 0


def checks(tmp, prodlint, source):
    home, repo, cache = (os.path.join(tmp, d) for d in ("home", "repo", "cache"))
    for d in (home, repo):
        os.makedirs(d)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({"HOME": home, "XDG_CONFIG_HOME": os.path.join(home, ".config"),
                "XDG_CACHE_HOME": cache, "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1",
                "PRODLINT_RULES_DIR": os.path.join(source, "rules")})
    env.pop("PRODLINT_NO_CACHE", None)

    def run(*args, cwd=repo, check=None):
        p = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                           errors="replace", timeout=300)
        if check is not None and p.returncode != check:
            raise Failure(f"{' '.join(args)}: exit {p.returncode}, expected {check}:\n"
                          f"{p.stdout}{p.stderr}")
        return p

    def lint(*args, check=None):
        return run(prodlint, "--select", "budget", *args, check=check)

    def findings(*args):
        p = lint("-f", "json", *args)
        return sorted((f["path"], f["line"], f["rule"], f["fingerprint"])
                      for f in json.loads(p.stdout)["findings"])

    def write(rel, text):
        path = os.path.join(repo, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)

    def expect(cond, what, p=None):
        if not cond:
            raise Failure(what + (f":\n{p.stdout}{p.stderr}" if p else ""))

    run("git", "init", "-q", "-b", "main", ".", check=0)
    run("git", "config", "user.name", "t", check=0)
    run("git", "config", "user.email", "t@example.invalid", check=0)
    write("svc/a.py", GOOD)
    write("svc/b.py", GOOD)
    write("svc/c.py", BAD)  # an old problem, committed before any hook
    run("git", "add", "-A", check=0)
    run("git", "commit", "-q", "-m", "start", check=0)

    # --- the plain git hook -------------------------------------------------------
    hook = os.path.join(repo, ".git", "hooks", "pre-commit")
    with open(hook, "w") as f:
        f.write(f"#!/bin/sh\nexec '{prodlint}' --select budget --staged\n")
    os.chmod(hook, 0o755)
    write("svc/a.py", BAD)
    run("git", "add", "svc/a.py", check=0)
    write("svc/a.py", GOOD)  # fixed in the work tree only: the index still has it
    p = run("git", "commit", "-q", "-m", "a", check=1)
    out = p.stdout + p.stderr  # git hands a hook's stdout to stderr
    expect("svc/a.py:7:" in out and "svc/c.py" not in out,
           "the hook reports the staged svc/a.py and nothing else", p)
    write("svc/a.py", GOOD + "# reviewed\n")
    run("git", "add", "svc/a.py", check=0)
    write("svc/b.py", BAD)  # broken in the work tree, not staged
    run("git", "commit", "-q", "-m", "a fixed", check=0)
    write("svc/b.py", GOOD)
    os.remove(hook)

    # --- file arguments split over runs -------------------------------------------
    write("svc/a.py", BAD)
    write("svc/b.py", BAD.replace("def ask(q)", "def ask_b(q)"))
    both = findings("svc/a.py", "svc/b.py")
    one, two = findings("svc/a.py"), findings("svc/b.py")
    expect(both and sorted(one + two) == both, f"split runs differ: {one} + {two} != {both}")
    expect(all(f[0] == "svc/a.py" for f in one), f"run over svc/a.py reports {one}")
    lint("svc/b.py", check=1)
    write("svc/b.py", GOOD)
    lint("svc/b.py", check=0)  # svc/a.py and svc/c.py still have findings: not this run's
    # The findings of named files are the full scan's, fingerprints included.
    full = findings(".")
    expect([f for f in full if f[0] == "svc/a.py"] == findings("svc/a.py"),
           "a named file's findings differ from the full scan's")

    # --- --changed-since -----------------------------------------------------------
    run("git", "checkout", "-q", "-b", "topic", check=0)
    run("git", "commit", "-q", "-am", "a broken again", check=0)
    write("svc/c.py", BAD + "\n\ndef ask_c(q):\n    return client.chat.completions.create("
          "model=MODEL, messages=[])\n")
    changed = findings("--changed-since", "main")
    # svc/a.py: its line 7 changed on the topic branch; svc/c.py: only the new function.
    expect(changed == sorted([f for f in full if f[0] == "svc/a.py"] +
                             [f for f in findings("svc/c.py") if f[1] > 16]),
           f"--changed-since main: {changed}")
    narrowed = findings("--changed-since", "main", "svc/c.py")
    expect([f[0] for f in narrowed] == ["svc/c.py"], f"narrowed to svc/c.py: {narrowed}")
    p = lint("--changed-since", "no-such-ref", check=2)
    expect("no-such-ref" in p.stderr, "an unknown revision is named", p)
    p = lint("--staged", "--changed-since", "main", check=2)

    # --- the cache -----------------------------------------------------------------
    # Suppressions are judged after the cache, from the file: a used one, an
    # unused one and an expired one come out the same cached or not, all rules.
    write("svc/d.py", "# prodlint-ignore budget -- capped by the gateway\n" + BAD.replace(
        "def ask_more(q):", "# prodlint-ignore reliability -- nothing here until 2020-01-01\n"
        "def ask_more(q):") + "\nx = 1  # prodlint-ignore staleness -- unused\n")
    everything = [run(prodlint, "-f", "json", *a, ".").stdout for a in ((), (), ("--no-cache",))]
    expect(everything[0] == everything[1] == everything[2] or
           len({json.dumps(json.loads(e)["findings"]) for e in everything}) == 1,
           "all rules: the cache changed the findings")
    metas = {f["rule"] for f in json.loads(everything[1])["findings"]}
    expect({"meta/unused-suppression"} <= metas, f"meta findings expected, got {metas}")
    cold = lint("--stats", "-f", "json", ".")
    warm = lint("--stats", "-f", "json", ".")
    expect("cache: " in warm.stderr and " 0 misses" in warm.stderr,
           "a second run is served from the cache", warm)
    strip = lambda out: [dict(f) for f in json.loads(out)["findings"]]
    expect(strip(cold.stdout) == strip(warm.stdout), "the cache changed the findings")
    nocache = lint("--stats", "--no-cache", ".")
    expect("cache:" not in nocache.stderr, "--no-cache reads no cache", nocache)
    expect(os.path.isdir(os.path.join(cache, "prodlint")), "the cache is under XDG_CACHE_HOME")
    status = run("git", "status", "--porcelain", "--ignored", check=0).stdout
    expect(".cache" not in status and "prodlint" not in status,
           f"something was written inside the repository:\n{status}")

    # --- outside a work tree ---------------------------------------------------------
    p = run(prodlint, "--staged", cwd=home, check=2)
    expect("git work tree" in p.stderr, "--staged outside git says why", p)


if __name__ == "__main__":
    sys.exit(main())
