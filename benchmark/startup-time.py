#!/usr/bin/env python3
"""Measures what a newcomer waits for: `mvn -P<profile>` from the command to the "ready" line,
the resident memory of the server and the broker at that moment and after 30 s idle, and a clean
Ctrl-C.

    python3 benchmark/startup-time.py                       # mvn -Prun (Payara Micro)
    python3 benchmark/startup-time.py run-payara-server     # mvn -Prun-payara-server
    python3 benchmark/startup-time.py run-wildfly           # mvn -Prun-wildfly
    python3 benchmark/startup-time.py run -Dmaven.repo.local=$(mktemp -d)   # cold Maven cache

Runs Maven in a pseudo-terminal, as a person would, so Ctrl-C reaches it the same way.
"""
import os
import pty
import select
import subprocess
import sys
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
args = sys.argv[1:]
profile = args.pop(0) if args and not args[0].startswith("-") else "run"
command = ["mvn", "-P" + profile] + args
IDLE_SECONDS = 30
# The server and broker JVMs, by what their command lines hold.
NAMES = {
    "payara-micro.jar": "Payara Micro",
    "glassfish.jar": "Payara Server",
    "jboss-modules.jar": "WildFly",
    "org.apache.activemq.artemis.boot.Artemis": "Artemis broker",
}
pattern = "|".join(NAMES)


def rss(pid):
    with open(f"/proc/{pid}/status") as status:
        fields = dict(line.split(":", 1) for line in status if ":" in line)
    return int(fields["VmRSS"].split()[0]) // 1024


def servers():
    found = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout.split()
    result = {}
    for pid in found:
        try:
            cmdline = open(f"/proc/{pid}/cmdline").read()
        except OSError:
            continue
        if "java" not in cmdline.split("\0")[0] or "org.waterspout.run.Launcher" in cmdline:
            continue  # the start scripts, setsid and the launcher, not the servers
        for marker, name in NAMES.items():
            if marker in cmdline:
                result[pid] = name
    return result


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
        at_ready = {p: (n, rss(p)) for p, n in servers().items()}
        time.sleep(IDLE_SECONDS)
        for p, (name, first) in at_ready.items():
            print(f"  {name:15} RSS {first} MB at ready, {rss(p)} MB after {IDLE_SECONDS} s idle")
        os.write(fd, b"\x03")
        stopped_at = time.time()
    if b"BUILD FAILURE" in output or (stopped_at and time.time() - stopped_at > 60):
        break
    if stopped_at and not servers():
        break

if ready is None:
    print("\n".join(output.decode(errors="replace").splitlines()[-30:]))
    sys.exit(1)
while servers() and time.time() - stopped_at < 60:
    time.sleep(0.1)
left = servers()
print(f"Ctrl-C: {'still running: ' + str(left) if left else 'all stopped'} after {time.time() - stopped_at:.1f} s")
