#!/usr/bin/env python3
"""Measures what a newcomer waits for: `mvn -Prun` from the command to the "ready" line, the
resident memory of Payara Micro and the broker at that moment, and a clean Ctrl-C.

    python3 benchmark/startup-time.py                      # warm Maven cache
    python3 benchmark/startup-time.py -Dmaven.repo.local=$(mktemp -d)   # cold: downloads everything

Runs Maven in a pseudo-terminal, as a person would, so Ctrl-C reaches it the same way.
"""
import os
import pty
import select
import subprocess
import sys
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
command = ["mvn", "-Prun"] + sys.argv[1:]
servers = "payara-micro.jar --nocluster|org.apache.activemq.artemis.boot.Artemis run"


def rss(pid):
    with open(f"/proc/{pid}/status") as status:
        fields = dict(line.split(":", 1) for line in status if ":" in line)
    return int(fields["VmRSS"].split()[0]) // 1024, int(fields["VmHWM"].split()[0]) // 1024


pid, fd = pty.fork()
if pid == 0:
    os.chdir(root)
    os.execvp(command[0], command)

output, start, ready, stopped_at = b"", time.time(), None, None
while time.time() - start < 900:
    readable, _, _ = select.select([fd], [], [], 0.2)
    if readable:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    if ready is None and b"is ready" in output:
        ready = time.time() - start
        print(f"ready after {ready:.1f} s: {' '.join(command)}")
        found = subprocess.run(["pgrep", "-f", servers], capture_output=True, text=True).stdout
        for server in found.split():
            cmdline = open(f"/proc/{server}/cmdline").read()
            name = "Payara Micro" if "payara-micro" in cmdline else "Artemis broker"
            now, peak = rss(server)
            print(f"  {name:15} RSS {now} MB (peak so far {peak} MB)")
        os.write(fd, b"\x03")
        stopped_at = time.time()
    if b"BUILD FAILURE" in output or (stopped_at and time.time() - stopped_at > 40):
        break
    if stopped_at and not subprocess.run(["pgrep", "-f", servers], capture_output=True).stdout:
        print(f"Ctrl-C: both stopped after {time.time() - stopped_at:.1f} s")
        break

if ready is None:
    print("\n".join(output.decode(errors="replace").splitlines()[-30:]))
    sys.exit(1)
