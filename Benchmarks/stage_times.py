"""Times each stage of a fairground command from its progress line: runs the command on a pseudo-terminal (so the
progress line is drawn), notes when each stage's text first appears, and prints the wall seconds between them.

    python3 Benchmarks/stage_times.py fairground audit WORLD --model MODEL --out DIR --threads 2

The first stage's time includes starting the process and reading the inputs.
"""
import os
import pty
import re
import sys
import time

start = time.time()
pid, fd = pty.fork()
if pid == 0:
    os.environ.pop("CI", None)
    os.execvp(sys.argv[1], sys.argv[1:])
buf = b""; last = None; t_last = start; stages = []
while True:
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data: break
    buf += data
    parts = re.split(rb"[\r\n]", buf)
    buf = parts[-1]
    for p in parts[:-1]:
        text = re.sub(rb"\x1b\[K", b"", p).decode(errors="replace").strip()
        if not text: continue
        key = re.sub(r"\d+/\d+ \(\d+%\)", "", text).strip()
        if key != last:
            now = time.time()
            if last is not None: stages.append((last, now - t_last))
            last, t_last = key, now
os.waitpid(pid, 0)
now = time.time()
if last is not None: stages.append((last, now - t_last))
for k, v in stages: print(f"{v:7.2f} s  {k}")
print(f"{now-start:7.2f} s  total")
