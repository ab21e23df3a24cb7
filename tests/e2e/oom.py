#!/usr/bin/env python3
"""Out of memory end to end (issue 9): a scan that runs out of memory says
so and exits 3; it never crashes, and never passes as clean or partial.

usage: oom.py ceiling PRODLINT SOURCE_DIR
       oom.py failmalloc PRODLINT SOURCE_DIR SHIM

ceiling: a generated repository with one large Python file, scanned under
--max-memory / PRODLINT_MAX_MEMORY:
  - past the ceiling: exit 3, one line on stderr naming the large file and
    the ceiling, nothing on stdout, and with -o no report file (nor a
    temporary one) left behind;
  - the option beats the variable; a ceiling hit outside any file (while
    loading rules) names no file; invalid sizes are usage errors (exit 2);
  - the same ceiling with the large file skipped (--max-file-size) scans
    to the end: the large file, not the scan, is what ran out.

failmalloc: SHIM (tests/e2e/failmalloc.c) makes the n-th allocation of a
whole scan of fixtures/repos/sample-service fail, for 30 values of n spread
geometrically over the allocations an undisturbed run makes. Every run
must exit 3 with "out of memory" on stderr, or give the undisturbed run's
exit code, stdout and stderr byte for byte; never a signal (libc calls that
allocate inside, realpath and opendir, go through pl_xrealpath and
pl_xopendir, which treat ENOMEM as out of memory). A sanitizer build owns malloc, so without SHIM this prints `SKIP: ...`.
"""
import os
import subprocess
import sys
import tempfile

TIMEOUT = 300  # per run; the sanitizer build is slow, a hang is slower
SWEEP = 30

SMALL_PY = ('import openai\n'
            'client = openai.OpenAI()\n'
            'client.chat.completions.create(model="gpt-4", messages=[])\n')


class Failure(Exception):
    pass


def run(prodlint, args, cwd, env_extra=None):
    env = dict(os.environ)
    env.pop("PRODLINT_MAX_MEMORY", None)
    env["NO_COLOR"] = "1"
    env["PRODLINT_NO_CACHE"] = "1"
    env.update(env_extra or {})
    p = subprocess.run([prodlint] + args, cwd=cwd, env=env, capture_output=True,
                       timeout=TIMEOUT)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def expect(cond, what, out="", err=""):
    if not cond:
        raise Failure(f"{what}\n--- stdout:\n{out[-2000:]}\n--- stderr:\n{err[-2000:]}")


def make_repo(root):
    os.makedirs(os.path.join(root, "app"))
    with open(os.path.join(root, "app", "small.py"), "w") as f:
        f.write(SMALL_PY)
    # About 3 MB of plain Python, parsed in full (the model call at the top
    # lets rules in past the prefilter): its syntax tree needs well over
    # 100 MiB.
    lines = ["import openai", "openai.OpenAI().chat.completions.create(model='gpt-4', messages=[])", ""]
    size, i = 0, 0
    while size < 3_000_000:
        line = (f"def handler_{i}(request, value={i}):\n"
                f"    result = compute(request.payload, value, [1, 2, 3], {{\"k\": {i}}})\n"
                f"    return result\n")
        lines.append(line)
        size += len(line) + 1
        i += 1
    with open(os.path.join(root, "app", "big.py"), "w") as f:
        f.write("\n".join(lines))


def oom_line(size, path=None):
    where = f"{path}: " if path else ""
    return f"prodlint: {where}out of memory (more than {size} in use; see --max-memory)\n"


def ceiling(prodlint, tmp):
    repo = os.path.join(tmp, "repo")
    make_repo(repo)
    # One thread: with two, the allocation that crosses the ceiling may be
    # the small file's, made while the large one holds the memory, and the
    # message names the file whose allocation failed.
    big = ["--max-file-size", "8000000", "-j1"]

    # Past the ceiling with -o: exit 3, the file named, no report left.
    rc, out, err = run(prodlint, big + ["--max-memory", "48M", "-f", "json", "-o", "report.json",
                                        "repo"], tmp)
    expect(rc == 3, f"--max-memory 48M -o: exit {rc}, expected 3", out, err)
    expect(err == oom_line("48 MiB", "app/big.py"), "stderr is not the one OOM line", out, err)
    expect(out == "", "stdout not empty", out, err)
    left = [n for n in os.listdir(tmp) if n.startswith("report.json")]
    expect(not left, f"report files left behind: {left}", out, err)

    # The variable, and no partial report on stdout.
    rc, out, err = run(prodlint, big + ["repo"], tmp, {"PRODLINT_MAX_MEMORY": "40MiB"})
    expect(rc == 3, f"PRODLINT_MAX_MEMORY=40MiB: exit {rc}, expected 3", out, err)
    expect(err == oom_line("40 MiB", "app/big.py"), "stderr is not the one OOM line", out, err)
    expect(out == "", "a partial report on stdout", out, err)

    # The option beats the variable.
    rc, out, err = run(prodlint, big + ["--max-memory", "48M", "repo"], tmp,
                       {"PRODLINT_MAX_MEMORY": "20M"})
    expect(rc == 3 and err == oom_line("48 MiB", "app/big.py"),
           f"--max-memory 48M with PRODLINT_MAX_MEMORY=20M: exit {rc}", out, err)

    # Out of memory before any file (loading the rules): no file named.
    rc, out, err = run(prodlint, ["--max-memory", "2M", "repo"], tmp)
    expect(rc == 3 and err == oom_line("2 MiB"), f"--max-memory 2M: exit {rc}", out, err)

    # Invalid sizes.
    for args, env in ((["--max-memory", "12X", "repo"], {}),
                      (["--max-memory", "", "repo"], {}),
                      (["repo"], {"PRODLINT_MAX_MEMORY": "lots"})):
        rc, out, err = run(prodlint, args, tmp, env)
        expect(rc == 2 and ("--max-memory" in err or "PRODLINT_MAX_MEMORY" in err),
               f"{args} {env}: exit {rc}, expected a usage error", out, err)

    # Control: the same ceiling with the large file skipped scans to the end.
    rc, out, err = run(prodlint, ["-j2", "--max-memory", "48M", "repo"], tmp)
    expect(rc == 1 and "app/small.py:3:" in out and "out of memory" not in err,
           f"control run without the large file: exit {rc}", out, err)
    print("ceiling: exit 3 naming the file and the ceiling; option, variable, control: ok")


def failmalloc(prodlint, source, shim):
    if not shim:
        print("SKIP: a sanitizer build replaces malloc, so the LD_PRELOAD shim cannot")
        return
    args = ["--no-cache", "-j2", "fixtures/repos/sample-service"]
    rc0, out0, err0 = run(prodlint, args, source, {"LD_PRELOAD": shim, "FAILMALLOC_COUNT": "1"})
    lines = err0.splitlines(keepends=True)
    expect(lines and lines[-1].startswith("failmalloc: "), "the shim did not count", out0, err0)
    total = int(lines[-1].split()[1])
    err0 = "".join(lines[:-1])
    expect(rc0 == 1 and out0, f"undisturbed run: exit {rc0}", out0, err0)
    ns = sorted({max(1, round(total ** (i / SWEEP))) for i in range(1, SWEEP + 1)})
    counts = {"oom": 0, "same": 0}
    problems = []
    for n in ns:
        rc, out, err = run(prodlint, args, source, {"LD_PRELOAD": shim, "FAILMALLOC_N": str(n)})
        if rc < 0:
            problems.append(f"n={n}: killed by signal {-rc}\n{err[-1500:]}")
        elif rc == 3 and "out of memory" in err:
            counts["oom"] += 1
        elif rc == rc0 and out == out0 and err == err0:
            counts["same"] += 1
        else:
            problems.append(f"n={n}: exit {rc} (undisturbed {rc0}), stdout "
                            f"{'identical' if out == out0 else 'differs'}\n--- stderr:\n"
                            f"{err[-1500:]}")
    print(f"failmalloc: {total} allocations; {len(ns)} runs: {counts['oom']} out of memory, "
          f"{counts['same']} identical")
    if problems:
        raise Failure("\n\n".join(problems))


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("ceiling", "failmalloc"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    mode, prodlint, source = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
    try:
        if mode == "ceiling":
            with tempfile.TemporaryDirectory(prefix="prodlint-oom-") as tmp:
                ceiling(prodlint, tmp)
        else:
            shim = sys.argv[4] if len(sys.argv) > 4 else ""
            failmalloc(prodlint, source, os.path.abspath(shim) if shim else "")
    except Failure as e:
        print(f"FAIL: {e}", file=sys.stderr)
        return 1
    except subprocess.TimeoutExpired as e:
        print(f"FAIL: timed out: {e.cmd}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
