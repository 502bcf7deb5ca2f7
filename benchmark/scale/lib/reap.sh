#!/usr/bin/env bash
# Stops every process of one benchmark run: those whose environment holds WATERSPOUT_BENCH_RUN=ID
# (the run script gives it to everything it starts, and children inherit it, also when they start
# their own sessions or are reparented). Paused ones are continued, all get SIGTERM, and those left
# after GRACE seconds get SIGKILL.
#
#   lib/reap.sh ID [GRACE]              stop them now
#   lib/reap.sh --watch PID ID [GRACE]  wait until PID is gone first (the run script's watchdog:
#                                       it stops the run's processes also after a kill -9 of run)
set -u
trap '' INT HUP # a Ctrl-C meant for the run script must not stop its watchdog
watch=
if [[ ${1:-} == --watch ]]; then watch=$2; shift 2; fi
id=$1
grace=${2:-30}

# The pids of the run's processes, this script's own excluded (it does not hold the mark).
members() {
  grep -slz -- "^WATERSPOUT_BENCH_RUN=$id\$" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3
}

if [[ -n $watch ]]; then
  trap 'exit 0' TERM # the run script stopped everything itself and lets its watchdog go
  while kill -0 "$watch" 2>/dev/null; do sleep 1; done
  trap '' TERM
  left=$(members)
  [[ -z $left ]] && exit 0
  echo "[bench] the run script is gone; stopping what it started: $(echo $left)" >&2
fi
left=$(members)
[[ -z $left ]] && exit 0
kill -TERM $left 2>/dev/null
kill -CONT $left 2>/dev/null
for ((i = 0; i < grace * 2; i++)); do
  [[ -z $(members) ]] && exit 0
  sleep 0.5
done
for _ in 1 2 3 4 5; do
  left=$(members)
  [[ -z $left ]] && exit 0
  kill -KILL $left 2>/dev/null
  sleep 0.2
done
exit 1
