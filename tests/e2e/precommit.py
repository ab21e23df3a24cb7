#!/usr/bin/env python3
"""prodlint as a pre-commit hook, end to end, with the real pre-commit tool.

usage: precommit.py PRODLINT SOURCE_DIR

A temporary git repository gets a `repo: local` hook made of this source
tree's .pre-commit-hooks.yaml itself (its hook list placed under `hooks:`,
so every field is the one users get), `pre-commit install`, and commits:

  1. a clean service (a model call with a token cap, a deploy workflow whose
     deploy needs an eval job): the commit goes through;
  2. a file with a finding: the commit is blocked, the output names the
     finding, and a finding in an older file committed with --no-verify
     does not appear (only what is committed is reported);
  3. the same file fixed: the commit goes through; an unstaged bad edit left
     in the work tree does not block it (pre-commit stashes it, and prodlint
     reports what is committed);
  4. the workflow without its eval job: the commit is blocked by the
     repository-level finding eval-gate/deploy-without-eval.

Nothing touches the network or the caller's configuration: HOME,
PRE_COMMIT_HOME and XDG_CACHE_HOME point into the temporary directory,
GIT_CONFIG_NOSYSTEM is set, and `prodlint` on PATH is the binary under test.
Prints `SKIP: ...` (ctest then reports the test as skipped) where
pre-commit or git is not installed.
"""
import os
import shutil
import subprocess
import sys
import tempfile

LLM_PY = '''import logging
import os

from openai import OpenAI

log = logging.getLogger(__name__)
client = OpenAI(timeout=30, max_retries=2)
MODEL = os.environ.get("CHAT_MODEL", "gpt-4o-2024-08-06")


def answer(question: str) -> str:
    resp = client.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": question}],
        max_tokens=500,
    )
    log.info("llm_call", extra={"tokens": resp.usage.total_tokens})
    return resp.choices[0].message.content
'''

SUMMARIZE_BAD = '''from app.llm import MODEL, client


def summarize(text: str) -> str:
    resp = client.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": "Summarize: " + text}],
    )
    return resp.choices[0].message.content
'''

SUMMARIZE_GOOD = SUMMARIZE_BAD.replace(
    '"Summarize: " + text}],\n', '"Summarize: " + text}],\n        max_tokens=300,\n')

LEGACY_PY = '''from app.llm import MODEL, client


def legacy(text: str) -> str:
    return client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": text}])
'''

WORKFLOW = '''name: deploy
on:
  push:
    branches: [main]
jobs:
  evals:
    runs-on: ubuntu-latest
    steps:
      - run: npx promptfoo@0.107.0 eval -c evals/promptfooconfig.yaml
  deploy:
    needs: [evals]
    runs-on: ubuntu-latest
    steps:
      - run: kubectl apply -f deploy/
'''

WORKFLOW_NO_EVALS = '''name: deploy
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: kubectl apply -f deploy/
'''


class Failure(Exception):
    pass


def main():
    if len(sys.argv) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    prodlint, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    pre_commit = shutil.which("pre-commit")
    if not pre_commit:
        print("SKIP: pre-commit not installed")
        return 0
    if not shutil.which("git"):
        print("SKIP: git not installed")
        return 0
    with tempfile.TemporaryDirectory(prefix="prodlint-precommit-") as tmp:
        try:
            run_scenario(tmp, prodlint, source, pre_commit)
        except Failure as e:
            print(f"FAIL: {e}")
            return 1
    print("ok: pre-commit blocks and allows commits as expected")
    return 0


def run_scenario(tmp, prodlint, source, pre_commit):
    home, repo, bin_dir = (os.path.join(tmp, d) for d in ("home", "repo", "bin"))
    for d in (home, repo, bin_dir):
        os.makedirs(d)
    os.symlink(prodlint, os.path.join(bin_dir, "prodlint"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update({
        "HOME": home,
        "XDG_CONFIG_HOME": os.path.join(home, ".config"),
        "XDG_CACHE_HOME": os.path.join(tmp, "cache"),
        "PRE_COMMIT_HOME": os.path.join(tmp, "pre-commit"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "PATH": bin_dir + os.pathsep + env.get("PATH", "/usr/bin:/bin"),
        "PRODLINT_RULES_DIR": os.path.join(source, "rules"),
        "NO_COLOR": "1",
    })
    env.pop("PRODLINT_NO_CACHE", None)

    def sh(*args, check=True):
        p = subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True,
                           errors="replace", timeout=300)
        if check and p.returncode != 0:
            raise Failure(f"{' '.join(args)} exited {p.returncode}:\n{p.stdout}{p.stderr}")
        return p

    def write(rel, text):
        path = os.path.join(repo, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)

    def commit(message, expect_ok, must=(), must_not=()):
        p = sh("git", "commit", "-q", "-m", message, check=False)
        out = p.stdout + p.stderr
        if (p.returncode == 0) != expect_ok:
            raise Failure(f"commit '{message}': expected it to be "
                          f"{'allowed' if expect_ok else 'blocked'}, exit {p.returncode}:\n{out}")
        for text in must:
            if text not in out:
                raise Failure(f"commit '{message}': output lacks '{text}':\n{out}")
        for text in must_not:  # a finding located there: a line starting with it
            if any(line.startswith(text) for line in out.splitlines()):
                raise Failure(f"commit '{message}': output shows '{text}':\n{out}")
        return out

    # The hook definition users get, as a local hook.
    with open(os.path.join(source, ".pre-commit-hooks.yaml")) as f:
        hooks = f.read()
    config = "repos:\n  - repo: local\n    hooks:\n" + "".join(
        "      " + line if line.strip() else line for line in hooks.splitlines(True))
    sh("git", "init", "-q", "-b", "main", ".")
    sh("git", "config", "user.name", "prodlint test")
    sh("git", "config", "user.email", "test@example.invalid")
    write(".pre-commit-config.yaml", config)
    write("app/__init__.py", "")
    write("app/llm.py", LLM_PY)
    write(".github/workflows/deploy.yml", WORKFLOW)
    sh(pre_commit, "install")

    # 1. A clean service goes through.
    sh("git", "add", "-A")
    commit("a clean service", True, must=["prodlint"])
    # An older problem, committed past the hook: later commits must not show it.
    write("app/legacy.py", LEGACY_PY)
    sh("git", "add", "app/legacy.py")
    sh("git", "commit", "-q", "--no-verify", "-m", "legacy code")

    # 2. A finding in a staged file blocks the commit.
    write("app/summarize.py", SUMMARIZE_BAD)
    sh("git", "add", "app/summarize.py")
    commit("summaries", False,
           must=["app/summarize.py:5", "budget/completion-without-token-cap"],
           must_not=["app/legacy.py:"])

    # 3. Fixed, it goes through; an unstaged bad edit elsewhere does not count.
    write("app/summarize.py", SUMMARIZE_GOOD)
    sh("git", "add", "app/summarize.py")
    write("app/llm.py", LLM_PY.replace("        max_tokens=500,\n", ""))
    commit("summaries, capped", True)
    sh("git", "checkout", "--", "app/llm.py")

    # 4. Dropping the eval job the deploy needed: a repository-level finding.
    write(".github/workflows/deploy.yml", WORKFLOW_NO_EVALS)
    sh("git", "add", ".github/workflows/deploy.yml")
    commit("faster deploys", False,
           must=["eval-gate/deploy-without-eval", ".github/workflows/deploy.yml"],
           must_not=["app/legacy.py:"])

    # The hook ran through pre-commit each time, not around it.
    log = sh("git", "log", "--format=%s").stdout.split("\n")
    if log[:3] != ["summaries, capped", "legacy code", "a clean service"]:
        raise Failure(f"unexpected history: {log}")


if __name__ == "__main__":
    sys.exit(main())
