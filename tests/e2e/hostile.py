#!/usr/bin/env python3
"""Hostile inputs end to end (issue 9): the scan never crashes, hangs or
passes a broken file as clean.

usage: hostile.py PRODLINT SOURCE_DIR

Every input is generated here, in a scratch directory, one small repository
per case (explicit file arguments would read the whole root for facts):
  - NUL bytes in the first 8 KiB: skipped as binary and counted; later: scanned;
  - invalid UTF-8: scanned, and JSON and SARIF stay valid UTF-8;
  - UTF-16 with a byte order mark (LE and BE) and a UTF-8 BOM: read as text,
    findings on the same lines as the plain file;
  - CRLF line endings: the same findings, lines and columns as LF, and no
    carriage return in snippets;
  - a 50 MB single-line file: skipped by the default --max-file-size and
    counted, not an error; with --max-file-size 100000000 scanned, timed;
  - 10,000-deep nesting in Python, JavaScript, YAML and JSON, and 1,000
    levels of YAML block indentation: exit 3 at once, the file named (code:
    the syntax-tree depth limit; config: the readers' limits); 600 levels of
    Python indentation are scanned (the grammar's scanner fix);
  - a YAML alias bomb in a scanned config file: bounded (exit 3, named);
    and in a rule file: refused with exit 2 at its line and column;
  - symlink loops, dangling links and links out of the scan root, in the
    tree and named on the command line: never followed, counted as special;
  - FIFOs and a UNIX socket, in the tree and named: never opened, no hang;
  - a file and a directory with mode 000: exit 3, both named on stderr and in
    the JSON `errors`, the other files still scanned (as root, which reads
    anything, prodlint runs as `nobody` through setpriv or runuser; without
    either the case is skipped, saying why);
  - files created and deleted while a scan runs: no crash.
Each case runs under a timeout; a hang fails the test.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

CALL_PY = ('import openai\n'
           'client = openai.OpenAI()\n'
           'client.chat.completions.create(model="gpt-4", messages=[])\n')
CALL_JS = ('import OpenAI from "openai";\n'
           'const client = new OpenAI();\n'
           'await client.chat.completions.create({ model: "gpt-4", messages: [] });\n')
DEEP = 10000
TIMEOUT = 300  # per run; the sanitizer build is slow, a hang is slower

# Cases about reading files (not about what rules make of them) use this one
# rule instead of the built-in pack: the sanitizer build compiles the pack's
# queries in seconds per run.
SMALL_RULES = """rules:
  - id: budget/hostile-create
    title: a create call
    severity: warning
    category: budget
    checklist: [RD3]
    rationale: r
    remediation: r
    match:
      - languages: [python]
        query: |
          (call function: (attribute attribute: (identifier) @m) (#eq? @m "create")) @call
      - languages: [javascript]
        query: |
          (call_expression function: (member_expression property: (property_identifier) @m)
            (#eq? @m "create")) @call
"""


class Failure(Exception):
    pass


def main():
    if len(sys.argv) != 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    prodlint, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    with tempfile.TemporaryDirectory(prefix="prodlint-hostile-") as tmp:
        try:
            Cases(tmp, prodlint, source).all()
        except Failure as e:
            print(f"FAIL: {e}")
            return 1
    return 0


class Cases:
    def __init__(self, tmp, prodlint, source):
        self.tmp, self.prodlint = tmp, prodlint
        self.env = dict(os.environ, NO_COLOR="1", PRODLINT_NO_CACHE="1",
                        PRODLINT_RULES_DIR=os.path.join(source, "rules"),
                        XDG_CACHE_HOME=os.path.join(tmp, "cache"))
        small = os.path.join(tmp, "small-rules.yaml")
        with open(small, "w") as f:
            f.write(SMALL_RULES)
        self.small = ["--no-builtin-rules", "--rules", small]

    def all(self):
        for case in (self.binary, self.encodings, self.crlf, self.big_single_line,
                     self.deep_nesting, self.alias_bombs, self.symlinks, self.special_files,
                     self.unreadable, self.vanishing_files):
            t = time.monotonic()
            case()
            print(f"ok: {case.__name__} ({time.monotonic() - t:.1f} s)")

    # --- helpers ------------------------------------------------------------------
    def repo(self, name, files):
        root = os.path.join(self.tmp, name)
        for rel, data in files.items():
            path = os.path.join(root, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data.encode() if isinstance(data, str) else data)
        os.makedirs(root, exist_ok=True)
        return root

    def run(self, *args, cwd=None, expect=(0, 1)):
        t = time.monotonic()
        try:
            p = subprocess.run([self.prodlint, *args], cwd=cwd or self.tmp, env=self.env,
                               capture_output=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            raise Failure(f"prodlint {' '.join(args)}: still running after {TIMEOUT} s")
        p.seconds = time.monotonic() - t
        p.text = p.stdout.decode("utf-8", "replace")
        p.err = p.stderr.decode("utf-8", "replace")
        if p.returncode < 0:
            raise Failure(f"prodlint {' '.join(args)}: killed by signal {-p.returncode}\n{p.err}")
        if p.returncode not in expect:
            raise Failure(f"prodlint {' '.join(args)}: exit {p.returncode}, expected {expect}:\n"
                          f"{p.text}{p.err}")
        return p

    def scan(self, root, *args, expect=(0, 1)):
        p = self.run("-f", "json", *args, root, expect=expect)
        try:
            p.json = json.loads(p.stdout.decode("utf-8"))  # strict: must be UTF-8
        except (UnicodeDecodeError, ValueError) as e:
            raise Failure(f"scan of {root}: output is not valid UTF-8 JSON: {e}")
        return p

    @staticmethod
    def findings(p, path=None):
        return sorted((f["path"], f["line"], f["column"], f["end_line"], f["end_column"], f["rule"])
                      for f in p.json["findings"]
                      if path is None or f["path"] == path)

    @staticmethod
    def expect(cond, what, p=None):
        if not cond:
            extra = f":\n{p.text[:2000]}{p.err[:2000]}" if p is not None else ""
            raise Failure(what + extra)

    def code_findings(self, p, path):
        """A file's findings of the rules that fire in more than one file: rules
        over the code, not the repository-level ones (reported once, at one file)."""
        paths_of = {}
        for f in p.json["findings"]:
            paths_of.setdefault(f["rule"], set()).add(f["path"])
        return [f for f in self.findings(p, path) if len(paths_of[f[5]]) > 1]

    # --- cases --------------------------------------------------------------------
    def binary(self):
        root = self.repo("binary", {
            "nul.py": CALL_PY + "\0\0\0",
            "late_nul.py": CALL_PY + "#" * 9000 + "\n\0\n",
        })
        p = self.scan(root, *self.small)
        skipped = p.json["stats"]["skipped"]
        self.expect(skipped["binary"] == 1, "a NUL in the first 8 KiB counts as binary", p)
        self.expect(not self.findings(p, "nul.py"), "a binary file yields no findings", p)
        self.expect(self.findings(p, "late_nul.py"), "a NUL after 8 KiB: still scanned", p)
        self.expect(not p.json["errors"], "binary files are not errors", p)

    def encodings(self):
        root = self.repo("encodings", {
            "plain.py": CALL_PY,
            "bad_utf8.py": b"# \xff\xfe\xc3\x28 \xe2\x82\n" + CALL_PY.encode()
                           + b'x = "\xed\xa0\x80 \xf8\x88\x80\x80\x80"  # \xc0\xaf\n',
            "utf16le.py": b"\xff\xfe" + CALL_PY.encode("utf-16-le"),
            "utf16be.py": b"\xfe\xff" + CALL_PY.encode("utf-16-be"),
            "utf8bom.py": b"\xef\xbb\xbf" + CALL_PY.encode(),
        })
        p = self.scan(root)
        self.expect(not p.json["errors"] and p.json["stats"]["skipped"]["binary"] == 0,
                    "no encoding makes a file unreadable or binary", p)
        plain = [f[1:] for f in self.code_findings(p, "plain.py")]
        self.expect(plain, "the plain file has findings", p)
        for name in ("utf16le.py", "utf16be.py", "utf8bom.py"):
            got = [f[1:] for f in self.code_findings(p, name)]
            self.expect(got == plain, f"{name}: the plain file's findings {plain}, got {got}", p)
        bad = [(f[1], f[5]) for f in self.code_findings(p, "bad_utf8.py")]
        self.expect(bad == [(f[0] + 1, f[4]) for f in plain],
                    f"invalid UTF-8: the same findings a line lower, got {bad}", p)
        sarif = self.run("-f", "sarif", root)
        try:
            json.loads(sarif.stdout.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            raise Failure(f"SARIF of invalid UTF-8 input is not valid UTF-8 JSON: {e}")

    def crlf(self):
        text = CALL_PY + "\n\ndef ask(q):\n    return client.chat.completions.create(\n" \
                         "        model=\"gpt-4o\",\n        messages=q)\n"
        root = self.repo("crlf", {"lf.py": text, "crlf.py": text.replace("\n", "\r\n")})
        p = self.scan(root, *self.small)
        lf = [f[1:] for f in self.code_findings(p, "lf.py")]
        crlf = [f[1:] for f in self.code_findings(p, "crlf.py")]
        self.expect(len(self.code_findings(p, "lf.py")) >= 2, "the LF file has findings", p)
        self.expect(crlf == lf, f"CRLF: the LF file's findings {lf}, got {crlf}", p)
        self.expect(not any("\r" in f["snippet"] for f in p.json["findings"]),
                    "no carriage return in snippets", p)
        text_out = self.run(*self.small, root)
        self.expect("\r" not in text_out.text, "no carriage return in text output", text_out)

    def big_single_line(self):
        size = 50 * 1000 * 1000
        head = CALL_PY.replace("\n", "; ")
        root = self.repo("big", {})
        with open(os.path.join(root, "big.py"), "wb") as f:
            f.write(head.encode() + b'x = "' + b"a" * (size - len(head) - 7) + b'"\n')
        p = self.scan(root)
        s = p.json["stats"]
        self.expect(s["skipped"]["too_large"] == 1 and s["files"] == 0 and not p.json["errors"],
                    "a 50 MB file is skipped by the default --max-file-size, counted", p)
        self.expect(p.returncode == 0, "a skipped file is no finding", p)
        p = self.scan(root, "--max-file-size", "100000000")
        self.expect(p.json["stats"]["files"] == 1 and not p.json["errors"],
                    "with --max-file-size 100000000 the 50 MB line is scanned", p)
        self.expect(self.findings(p, "big.py"), "findings on the 50 MB line", p)
        self.expect(all(len(f["snippet"]) <= 1000 for f in p.json["findings"]),
                    "snippets of a 50 MB line are cut", p)
        print(f"  50 MB single line scanned in {p.seconds:.1f} s")

    def deep_nesting(self):
        root = self.repo("deep", {
            "deep.py": CALL_PY + "x = " + "f(" * DEEP + ")" * DEEP + "\n",
            "deep_list.py": CALL_PY + "x = " + "[" * DEEP + "]" * DEEP + "\n",
            "deep.js": CALL_JS + "const x = " + "f(" * DEEP + ")" * DEEP + ";\n"
                       + "const y = " + "{a:" * DEEP + "1" + "}" * DEEP + ";\n",
            # 600 indentation levels overran the Python scanner's state buffer
            # (tree-sitter-python#350; patched in cmake/TreeSitter.cmake).
            "deep_indent.py": CALL_PY + "".join(" " * i + "if 1:\n" for i in range(600))
                              + " " * 600 + "'a'\n",
            "deep.yaml": "a: " + "[" * DEEP + "]" * DEEP + "\n",
            "deep_block.yaml": "".join(" " * i + "k:\n" for i in range(1000)),
            "deep.json": "[" * DEEP + "]" * DEEP + "\n",
            "deep_object.json": '{"a":' * DEEP + "1" + "}" * DEEP + "\n",
        })
        p = self.scan(root, expect=(3,))
        named = {e["path"] for e in p.json["errors"]}
        # 600 indentation levels parse (with the scanner fix) and stay under
        # the syntax-tree depth limit: scanned, not an error.
        self.expect("deep_indent.py" not in named, "600 indentation levels are scanned", p)
        for name in ("deep.py", "deep_list.py", "deep.js", "deep.yaml",
                     "deep_block.yaml", "deep.json", "deep_object.json"):
            self.expect(name in named, f"{name}: nesting over the limit is an error naming it", p)
            self.expect(f"{name}:" in p.err, f"{name} is named on stderr", p)
        print(f"  8 files nested up to {DEEP} deep: exit 3 in {p.seconds:.1f} s")

    def alias_bombs(self):
        lines = ['a0: &a0 ["lol", {k: v}]']
        lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 30)]
        bomb = "\n".join(lines) + "\n"
        deploy = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: bomb}\nx:\n"
                  + "".join("  " + l + "\n" for l in lines)
                  + "spec:\n  template:\n    spec:\n      containers: *a29\n")
        root = self.repo("aliases", {"config.yaml": bomb, "deploy/app.yaml": deploy})
        p = self.scan(root, expect=(0, 1, 3))
        self.expect(p.seconds < 60, f"an alias bomb takes {p.seconds:.1f} s", p)
        if p.returncode == 3:
            self.expect(all(e["path"] in ("config.yaml", "deploy/app.yaml")
                            for e in p.json["errors"]), "the bomb is named", p)
        print(f"  9^29 paths through aliases: exit {p.returncode} in {p.seconds:.1f} s")
        rule = self.repo("alias-rule", {"bomb.yaml": "id: budget/x\ntitle: t\n" + bomb})
        p = self.run("--rules", os.path.join(rule, "bomb.yaml"), root, expect=(2,))
        self.expect("bomb.yaml:4:10: " in p.err and "alias" in p.err,
                    "an alias bomb in a rule file: refused at the first alias", p)

    def symlinks(self):
        outside = self.repo("outside", {"secret.py": CALL_PY, "dir/x.py": CALL_PY})
        root = self.repo("links", {"real.py": CALL_PY})
        os.makedirs(os.path.join(root, "sub"))
        links = {"out.py": os.path.join(outside, "secret.py"),
                 "outdir": os.path.join(outside, "dir"),
                 "sub/loop": "..", "a": "b", "b": "a", "self.py": "self.py",
                 "dangling.py": "/nonexistent/x.py", "inside.py": "real.py"}
        for rel, target in links.items():
            os.symlink(target, os.path.join(root, rel))
        p = self.scan(root, *self.small)
        paths = {f["path"] for f in p.json["findings"]}
        self.expect(paths <= {"real.py"}, f"only real.py is read, got {sorted(paths)}", p)
        self.expect(p.json["stats"]["skipped"]["special"] == len(links),
                    "every link is counted as special", p)
        self.expect(not p.json["errors"], "links are not errors", p)
        # Named on the command line (as pre-commit does): a link out of the root is
        # still not read; one inside it is.
        p = self.run(*self.small, "-f", "json", "out.py", "inside.py", cwd=root)
        read = {f["path"] for f in json.loads(p.stdout.decode("utf-8"))["findings"]}
        self.expect("out.py" not in read,
                    f"a link out of the root named on the command line is not read: {read}", p)
        self.expect("inside.py" in read, "a link inside the root named explicitly is read", p)
        self.run(*self.small, "self.py", "a", cwd=root, expect=(2,))  # loops: cannot read

    def special_files(self):
        root = self.repo("special", {"real.py": CALL_PY})
        for name in ("pipe.py", "pipe", "sub/pipe.yaml"):
            os.makedirs(os.path.dirname(os.path.join(root, name)), exist_ok=True)
            os.mkfifo(os.path.join(root, name))
        sock = socket.socket(socket.AF_UNIX)
        try:
            sock.bind(os.path.join(root, "sock.py"))
            p = self.scan(root, *self.small)
            self.expect(p.json["stats"]["skipped"]["special"] == 4,
                        "FIFOs and sockets are counted as special", p)
            self.expect(not p.json["errors"], "special files are not errors", p)
            p = self.run(*self.small, "pipe.py", "pipe", "sock.py", cwd=root, expect=(0,))
        finally:
            sock.close()

    def unprivileged(self):
        """A command prefix under which mode 000 keeps prodlint out: none when we
        are not root; as root, `nobody` through setpriv or runuser, if one of
        them works here and `nobody` can run prodlint where it is (a clone in a
        private home directory cannot). Returns (prefix, None) or (None, why not)."""
        if os.geteuid() != 0:
            return [], None
        tries = (["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"],
                 ["runuser", "-u", "nobody", "--"])
        why = "running as root, and neither setpriv nor runuser can drop to nobody"
        for prefix in tries:
            if not shutil.which(prefix[0]):
                continue
            try:
                ok = subprocess.run(prefix + ["true"], capture_output=True, timeout=30)
                if ok.returncode != 0:
                    continue
                ok = subprocess.run(prefix + [self.prodlint, "--version"], capture_output=True,
                                    cwd="/", timeout=60)
            except (OSError, subprocess.TimeoutExpired):
                continue
            if ok.returncode == 0:
                return prefix, None
            why = f"running as root, and nobody cannot run {self.prodlint}"
        return None, why

    def unreadable(self):
        prefix, why = self.unprivileged()
        if prefix is None:
            print(f"  skipped: {why}")
            return
        # The scratch directory is private (0700): `nobody` needs its own, readable
        # and traversable, with everything it must read inside.
        top = tempfile.mkdtemp(prefix="prodlint-unreadable-")
        try:
            os.chmod(top, 0o755)
            shutil.copy(os.path.join(self.tmp, "small-rules.yaml"), top)
            rules = os.path.join(top, "small-rules.yaml")
            root = os.path.join(top, "repo")
            for rel in ("ok.py", "sub/ok.py", "locked.py", "locked/inner.py"):
                os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
                with open(os.path.join(root, rel), "w") as f:
                    f.write(CALL_PY)
            for dirpath, dirs, files in os.walk(root):
                os.chmod(dirpath, 0o755)
                for name in files:
                    os.chmod(os.path.join(dirpath, name), 0o644)
            os.chmod(os.path.join(root, "locked.py"), 0)
            os.chmod(os.path.join(root, "locked"), 0)
            # HOME: git's global excludes file is looked up there.
            env = dict(self.env, HOME=top)
            small = ["--no-builtin-rules", "--rules", rules]

            def run(*args):
                try:
                    p = subprocess.run(prefix + [self.prodlint, *small, *args], cwd=root, env=env,
                                       capture_output=True, timeout=TIMEOUT)
                except subprocess.TimeoutExpired:
                    raise Failure(f"unreadable files: still running after {TIMEOUT} s")
                p.text = p.stdout.decode("utf-8", "replace")
                p.err = p.stderr.decode("utf-8", "replace")
                return p

            p = run("-f", "json", ".")
            self.expect(p.returncode == 3, f"unreadable entries: exit 3, got {p.returncode}", p)
            out = json.loads(p.stdout.decode("utf-8"))
            errors = {e["path"] for e in out["errors"]}
            self.expect(errors == {"locked.py", "locked"},
                        f"both are errors in the JSON, got {sorted(errors)}", p)
            for name in ("locked.py", "locked"):
                self.expect(any(line.startswith(name + ":") for line in p.err.splitlines()),
                            f"{name} is named on stderr", p)
            paths = {f["path"] for f in out["findings"]}
            self.expect(paths == {"ok.py", "sub/ok.py"},
                        f"the readable files are still scanned, got {sorted(paths)}", p)
            # Named on the command line (as pre-commit does): the same.
            p = run("locked.py", "ok.py")
            self.expect(p.returncode == 3 and "locked.py:" in p.err,
                        f"an unreadable file named on the command line: exit 3, named, "
                        f"got {p.returncode}", p)
            self.expect("ok.py:3:" in p.text, "the other named file is still scanned", p)
        finally:
            for dirpath, dirs, files in os.walk(top):
                for name in dirs:
                    os.chmod(os.path.join(dirpath, name), 0o755)
            shutil.rmtree(top, ignore_errors=True)

    def vanishing_files(self):
        root = self.repo("vanishing", {f"d{i}/f{k}.py": CALL_PY for i in range(20) for k in range(10)})
        stop = threading.Event()

        def churn():
            n = 0
            while not stop.is_set():
                for i in range(20):
                    d = os.path.join(root, f"d{i}")
                    for k in range(10):
                        path = os.path.join(d, f"f{k}.py")
                        try:
                            if n % 2:
                                with open(path, "w") as f:
                                    f.write(CALL_PY * (k + 1))
                            else:
                                os.unlink(path)
                        except OSError:
                            pass
                    if i % 5 == 0 and n % 4 == 1:
                        shutil.rmtree(d, ignore_errors=True)
                        os.makedirs(d, exist_ok=True)
                n += 1

        t = threading.Thread(target=churn)
        t.start()
        try:
            codes = [self.run(*self.small, "-j", "4", root, expect=(0, 1, 3)).returncode
                     for _ in range(3)]
        finally:
            stop.set()
            t.join()
        print(f"  3 scans while files came and went: exit codes {codes}")


if __name__ == "__main__":
    sys.exit(main())
