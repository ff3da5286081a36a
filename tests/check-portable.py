#!/usr/bin/env python3
# The app builds on macOS and Windows too: every POSIX- or Linux-only call, header or path in
# the programs' sources stands inside an #ifdef G_OS_UNIX, or in a G_OS_WIN32 branch where
# Windows has its own (fcntl.h for _O_BINARY).
# Usage: check-portable.py SOURCE_ROOT
# SPDX-License-Identifier: GPL-3.0-or-later
import pathlib, re, sys

POSIX_ONLY = re.compile(
    r"#\s*include\s*<(sys/|unistd\.h|fcntl\.h|poll\.h|glib-unix\.h|gio/gunix)"
    r"|\b(g_unix_\w+|[gs]etrlimit|RLIMIT_\w+|SO_LINGER|epoll_\w+|fork|kill|sigaction|mkfifo"
    r"|getuid|S_ISCHR|S_ISFIFO|S_ISSOCK)\s*\("
    r'|"/proc/|"/dev/')
OPENS = re.compile(r"#\s*(ifdef\s+G_OS_(UNIX|WIN32)|if\s+defined\s*\(?\s*G_OS_(UNIX|WIN32)|ifndef\s+G_OS_(WIN32|UNIX))")

problems = []
root = pathlib.Path(sys.argv[1])
for path in sorted(list((root / "src").rglob("*.c")) + list((root / "src").rglob("*.h"))):
    stack = []  # one entry per open #if: does it guard POSIX-only code?
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        stripped = line.strip()
        if re.match(r"#\s*if", stripped):
            stack.append(bool(OPENS.match(stripped)))
        elif re.match(r"#\s*(else|elif)", stripped) and stack:
            stack[-1] = False
        elif re.match(r"#\s*endif", stripped) and stack:
            stack.pop()
        elif POSIX_ONLY.search(line) and not any(stack):
            problems.append(f"{path.relative_to(root)}:{number}: {stripped}")

for problem in problems:
    print("not behind G_OS_UNIX:", problem)
sys.exit(1 if problems else 0)
