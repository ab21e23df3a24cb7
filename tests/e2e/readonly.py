#!/usr/bin/env python3
"""The read-only guarantee (SPEC 1) and atomic -o, end to end.

usage: readonly.py PRODLINT SOURCE_DIR

A copy of fixtures/repos/sample-service, made a git repository with a
staged and an unstaged change, is hashed (every file, directory and
symlink under it, .git included: relative path, type, mode, content or
link target) before and after each mode that must not write into it:
  - a scan to stdout in text (filling the per-file cache), JSON and SARIF
    from outside the tree, and in markdown from inside it;
  - a scan with -o to a file outside the tree;
  - --staged and --changed-since HEAD (libgit2 reads the index; it must not
    refresh it);
  - --baseline with a baseline file outside the tree;
  - `rules test` on the tree;
  - a scan with XDG_CACHE_HOME, and one with HOME, pointing inside the tree
    (the cache must refuse a directory inside the scanned repository).
Then -o itself: a successful write leaves the report and nothing else
beside it; -o into a missing directory and -o onto a directory fail with
exit 2, a message naming the file, and leave nothing behind; SIGINT during
a scan with -o leaves no output file.
"""
import hashlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time


class Failure(Exception):
    pass


def snapshot(root):
    """Path -> (type, mode, digest) for everything under root, root included."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in [""] + dirnames + filenames:
            path = os.path.join(dirpath, name) if name else dirpath
            rel = os.path.relpath(path, root)
            if name == "" and dirpath != root:
                continue  # directories are listed by their parent
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                out[rel] = ("link", st.st_mode, os.readlink(path))
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = ("dir", st.st_mode, "")
            elif stat.S_ISREG(st.st_mode):
                with open(path, "rb") as f:
                    out[rel] = ("file", st.st_mode, hashlib.sha256(f.read()).hexdigest())
            else:
                out[rel] = ("special", st.st_mode, "")
    return out


def differences(before, after):
    lines = []
    for rel in sorted(set(before) | set(after)):
        if rel not in after:
            lines.append(f"  removed: {rel}")
        elif rel not in before:
            lines.append(f"  created: {rel}")
        elif before[rel] != after[rel]:
            lines.append(f"  changed: {rel}: {before[rel]} -> {after[rel]}")
    return "\n".join(lines)


def main():
    if len(sys.argv) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    prodlint, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    with tempfile.TemporaryDirectory(prefix="prodlint-readonly-") as tmp:
        try:
            checks(tmp, prodlint, source)
        except Failure as e:
            print(f"FAIL: {e}")
            return 1
    return 0


def checks(tmp, prodlint, source):
    tree = os.path.join(tmp, "repo")
    out_dir = os.path.join(tmp, "out")
    home = os.path.join(tmp, "home")
    os.makedirs(out_dir)
    os.makedirs(home)
    shutil.copytree(os.path.join(source, "fixtures", "repos", "sample-service"), tree,
                    symlinks=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({"HOME": home, "XDG_CONFIG_HOME": os.path.join(home, ".config"),
                "XDG_CACHE_HOME": os.path.join(tmp, "cache"), "GIT_CONFIG_NOSYSTEM": "1",
                "NO_COLOR": "1", "PRODLINT_RULES_DIR": os.path.join(source, "rules")})
    env.pop("PRODLINT_NO_CACHE", None)

    def run(*args, cwd=tmp, extra=None, check=None):
        e = dict(env, **(extra or {}))
        p = subprocess.run(args, cwd=cwd, env=e, capture_output=True, text=True,
                           errors="replace", timeout=300)
        if check is not None and p.returncode not in check:
            raise Failure(f"{' '.join(args)}: exit {p.returncode}, expected {check}:\n"
                          f"{p.stdout}{p.stderr}")
        return p

    have_git = shutil.which("git") is not None
    if have_git:
        run("git", "init", "-q", "-b", "main", ".", cwd=tree, check=[0])
        run("git", "config", "user.name", "t", cwd=tree, check=[0])
        run("git", "config", "user.email", "t@example.invalid", cwd=tree, check=[0])
        run("git", "add", "-A", cwd=tree, check=[0])
        run("git", "commit", "-q", "-m", "start", cwd=tree, check=[0])
        # A staged and an unstaged change, so --staged and --changed-since have work.
        py = sorted(os.path.join(d, f) for d, _, fs in os.walk(tree) if ".git" not in d
                    for f in fs if f.endswith(".py"))
        with open(py[0], "a") as f:
            f.write("\nclient.chat.completions.create(model='gpt-4o', messages=[])\n")
        run("git", "add", py[0], cwd=tree, check=[0])
        with open(py[-1], "a") as f:
            f.write("\n# unstaged\n")
    # Let git settle the index's racy timestamps before the first snapshot.
    time.sleep(1.1)
    if have_git:
        run("git", "status", "--porcelain", cwd=tree, check=[0])
    before = snapshot(tree)

    def unchanged(what):
        diff = differences(before, snapshot(tree))
        if diff:
            raise Failure(f"{what} wrote into the scanned tree:\n{diff}")

    ok = [0, 1]  # findings are expected; 2 and 3 are not
    for fmt in ("text", "json", "sarif"):
        run(prodlint, "-f", fmt, tree, check=ok)
        unchanged(f"scan -f {fmt}")
    run(prodlint, "-f", "markdown", cwd=tree, check=ok)
    unchanged("scan from inside the tree")
    report = os.path.join(out_dir, "report.sarif")
    run(prodlint, "-f", "sarif", "-o", report, tree, check=ok)
    unchanged("scan -o outside the tree")
    if have_git:
        run(prodlint, "--staged", cwd=tree, check=ok)
        unchanged("scan --staged")
        run(prodlint, "--changed-since", "HEAD", cwd=tree, check=ok)
        unchanged("scan --changed-since HEAD")
    baseline = os.path.join(out_dir, "baseline.json")
    run(prodlint, "--write-baseline", baseline, tree, check=ok)
    run(prodlint, "--baseline", baseline, tree, check=ok)
    unchanged("scan --baseline (file outside the tree)")
    run(prodlint, "rules", "test", tree, check=[0, 1, 2])
    unchanged("rules test on the tree")
    # The cache refuses a directory inside the scanned repository (a few rules
    # suffice: the sanitizer build compiles the whole pack slowly).
    run(prodlint, "--select", "budget", tree,
        extra={"XDG_CACHE_HOME": os.path.join(tree, ".cache")}, check=ok)
    unchanged("a scan with XDG_CACHE_HOME inside the tree")
    run(prodlint, "--select", "budget", ".", cwd=tree, extra={"HOME": tree, "XDG_CACHE_HOME": ""},
        check=ok)
    unchanged("a scan with HOME at the tree")
    print(f"ok: {len(before)} paths unchanged by every read-only mode")

    # --- -o is atomic ------------------------------------------------------------
    def listing():
        return sorted(os.listdir(out_dir))

    expected = listing()
    if expected != ["baseline.json", "report.sarif"]:
        raise Failure(f"-o left more than the report beside it: {expected}")
    with open(report) as f:
        if '"version": "2.1.0"' not in f.read():
            raise Failure("-o did not write the SARIF report")

    missing = os.path.join(out_dir, "no-such-dir", "report.json")
    p = run(prodlint, "-f", "json", "-o", missing, tree, check=[2])
    if missing not in p.stderr or "cannot write" not in p.stderr:
        raise Failure(f"-o into a missing directory: unclear message: {p.stderr!r}")
    if listing() != expected:
        raise Failure(f"-o into a missing directory left files: {listing()}")

    as_dir = os.path.join(out_dir, "a-directory")
    os.mkdir(as_dir)
    expected = listing()
    p = run(prodlint, "-f", "json", "-o", as_dir, tree, check=[2])
    if as_dir not in p.stderr:
        raise Failure(f"-o onto a directory: message does not name it: {p.stderr!r}")
    if listing() != expected or os.listdir(as_dir):
        raise Failure(f"-o onto a directory left a temporary file: {listing()}")
    print("ok: -o writes atomically and cleans up after a failure")

    # SIGINT while scanning: no report, no temporary file. The scan of every
    # fixture is long enough to be interrupted; if it finishes first, the
    # report is whole.
    interrupted = os.path.join(out_dir, "interrupted.json")
    proc = subprocess.Popen([prodlint, "-f", "json", "--no-cache", "-j", "1", "-o", interrupted,
                             os.path.join(source, "fixtures")], env=env, cwd=tmp,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=300)
    left = [n for n in listing() if n.startswith("interrupted")]
    if proc.returncode == -signal.SIGINT or proc.returncode == 130:
        if left:
            raise Failure(f"SIGINT during the scan left {left}")
    elif left != ["interrupted.json"]:
        raise Failure(f"an uninterrupted -o left {left} (exit {proc.returncode}: {err!r})")
    unchanged("an interrupted scan")
    print("ok: SIGINT during a scan leaves no output file")


if __name__ == "__main__":
    sys.exit(main())
