#!/usr/bin/env python3
"""Presence-only facts end to end: settled once, the same answers, with the cache.

usage: settled_facts.py PRODLINT

A repo rule that asks only whether a fact is anywhere (`unless:
[records-llm-telemetry]` in observability/llm-calls-not-instrumented) needs
one file to show it: a file scanned after that is not checked for it, and
its cache entry says so. This checks, in a temporary directory (the cache
there too):
  1. three files record token usage; one thread, path order: the first one
     settles the fact, the cache entries of the other two list it as
     unchecked, and the rule is silent;
  2. the first file stops recording usage; the other two are served from
     the cache, relying on a file that no longer shows the fact, so they are
     scanned again: the rule stays silent, as a run without the cache says;
  3. no file records usage any more: the rule fires, with the cache and
     without, and with two threads;
  4. once more the first file records usage: silent again.
"""
import json
import os
import subprocess
import sys
import tempfile

RULE = "observability/llm-calls-not-instrumented"
FACT = "records-llm-telemetry"

CALL = '''from openai import OpenAI

client = OpenAI(timeout=30)


def ask(q):
    resp = client.chat.completions.create(
        model="gpt-4o-2024-08-06", messages=[{"role": "user", "content": q}], max_tokens=100
    )
    {usage}
    return resp.choices[0].message.content
'''

HELPER = '''import logging

log = logging.getLogger(__name__)


def record(resp):
    {usage}
    return resp
'''

USES = 'log.info("tokens %s", resp.usage.total_tokens)'
NONE = "pass"


class Failure(Exception):
    pass


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def scan(prodlint, repo, env, *extra):
    proc = subprocess.run([prodlint, "--format", "json", "--fail-on", "none", *extra, repo],
                          capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise Failure(f"prodlint {' '.join(extra)} exited {proc.returncode}: {proc.stderr}")
    return sorted((f["rule"], f["path"], f["line"]) for f in json.loads(proc.stdout)["findings"])


def cache_entries(cache_dir):
    """path -> the entry's list of unchecked facts."""
    entries = {}
    for top, _, names in os.walk(cache_dir):
        for name in names:
            if name.startswith("."):
                continue
            with open(os.path.join(top, name)) as f:
                try:
                    entry = json.load(f)
                except ValueError:
                    continue
            if isinstance(entry, dict) and "path" in entry:
                entries[entry["path"]] = entry.get("unchecked")
    return entries


def fires(findings):
    return any(rule == RULE for rule, _, _ in findings)


def check(prodlint):
    with tempfile.TemporaryDirectory() as tmp:
        repo = os.path.join(tmp, "repo")
        env = dict(os.environ, XDG_CACHE_HOME=os.path.join(tmp, "cache"), HOME=tmp)
        env.pop("PRODLINT_NO_CACHE", None)
        write(repo, "app/a_chat.py", CALL.replace("{usage}", USES))
        write(repo, "app/b_metrics.py", HELPER.replace("{usage}", USES))
        write(repo, "app/c_more.py", HELPER.replace("{usage}", USES))

        # 1. settled by the first file, one thread, path order
        first = scan(prodlint, repo, env, "-j1")
        if fires(first):
            raise Failure(f"1: {RULE} fired although every file records usage: {first}")
        entries = cache_entries(os.path.join(tmp, "cache"))
        if entries.get("app/a_chat.py") != []:
            raise Failure(f"1: a_chat.py settles the fact and was checked for all: {entries}")
        for rel in ("app/b_metrics.py", "app/c_more.py"):
            if entries.get(rel) != [FACT]:
                raise Failure(f"1: {rel} should be cached as not checked for {FACT}: {entries}")

        # 2. the settling file changes; the cached ones relied on it
        write(repo, "app/a_chat.py", CALL.replace("{usage}", NONE))
        cached = scan(prodlint, repo, env, "-j1")
        fresh = scan(prodlint, repo, env, "-j1", "--no-cache")
        if fires(cached) or cached != fresh:
            raise Failure(f"2: with the cache {cached}, without {fresh}; {RULE} must stay silent")
        entries = cache_entries(os.path.join(tmp, "cache"))
        if entries.get("app/b_metrics.py") != [] and entries.get("app/c_more.py") != []:
            raise Failure(f"2: neither cached file was rechecked for {FACT}: {entries}")

        # 3. nothing records usage: the rule fires, however the run is made
        write(repo, "app/b_metrics.py", HELPER.replace("{usage}", NONE))
        write(repo, "app/c_more.py", HELPER.replace("{usage}", NONE))
        runs = [scan(prodlint, repo, env, *args) for args in
                (("-j1",), ("-j1",), ("-j2",), ("-j1", "--no-cache"))]
        if not fires(runs[0]) or any(r != runs[0] for r in runs):
            raise Failure(f"3: {RULE} must fire in every run alike: {runs}")

        # 4. usage recorded again
        write(repo, "app/c_more.py", HELPER.replace("{usage}", USES))
        runs = [scan(prodlint, repo, env, *args) for args in
                (("-j1",), ("-j2",), ("-j1", "--no-cache"))]
        if any(fires(r) for r in runs):
            raise Failure(f"4: {RULE} fired although c_more.py records usage: {runs}")


def main():
    if len(sys.argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        check(os.path.abspath(sys.argv[1]))
    except Failure as e:
        print(f"FAIL: {e}", file=sys.stderr)
        return 1
    print("ok: presence-only facts settle once and give the same answers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
