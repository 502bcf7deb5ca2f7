'use strict';
// The server under test, seen from outside: its process, memory, CPU, class histogram, and the
// kill -9 and restart of the reconnect storm.
const { execFileSync, spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const http = require('http');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The pid of the process listening on `port`, or null. */
function pidOnPort(port) {
  try {
    const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
    const m = out.match(/pid=(\d+)/);
    return m ? Number(m[1]) : null;
  } catch (e) {
    return null;
  }
}

function httpStatus(url, timeoutMs = 3000) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** GET `url`: {status, body} (status 0 when there is no answer in time). */
function httpGet(url, timeoutMs = 5000) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => {
        if (body.length < 4096) body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: '' }));
  });
}

async function waitReady(url, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if ((await httpStatus(url)) === 200) return true;
    await sleep(200);
  }
  return false;
}

function jcmd(pid, ...args) {
  return execFileSync('jcmd', [String(pid), ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** Heap used after a full GC, in bytes. */
function heapUsed(pid) {
  jcmd(pid, 'GC.run');
  const info = jcmd(pid, 'GC.heap_info');
  const m = info.match(/total\s+\d+K,\s+used\s+(\d+)K/);
  return m ? Number(m[1]) * 1024 : null;
}

function rss(pid) {
  const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)\s+kB/);
  return m ? Number(m[1]) * 1024 : null;
}

function cpuTicks(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime (fields 14, 15)
}

/** CPU used by `pid` over `seconds`, in % of one core. */
async function cpuPercent(pid, seconds) {
  const hz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const a = cpuTicks(pid);
  const t = Date.now();
  await sleep(seconds * 1000);
  return ((cpuTicks(pid) - a) / hz / ((Date.now() - t) / 1000)) * 100;
}

/** Saves the class histogram to `file`; returns Map class -> {instances, bytes}. */
function classHistogram(pid, file) {
  const text = jcmd(pid, 'GC.class_histogram');
  fs.writeFileSync(file, text);
  const map = new Map();
  for (const line of text.split('\n')) {
    const m = line.match(/^\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)/);
    if (m) map.set(m[3], { instances: Number(m[1]), bytes: Number(m[2]) });
  }
  return map;
}

function histogramDiff(before, after, top) {
  const rows = [];
  for (const [cls, a] of after) {
    const b = before.get(cls) || { instances: 0, bytes: 0 };
    rows.push({ cls, bytes: a.bytes - b.bytes, instances: a.instances - b.instances });
  }
  rows.sort((x, y) => y.bytes - x.bytes);
  return rows.slice(0, top);
}

function ppid(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/**
 * Kills the server with SIGKILL and starts it again exactly as the run command did (its command
 * line, environment and working directory, read from /proc), so the broker keeps running. The run
 * command's launcher would stop the broker when its server child dies, so it is stopped (SIGSTOP)
 * first and only continued at the end, when the harness stops everything (the run script, also on
 * a signal: it reads launcher-stopped.pid and server-restarted.pid).
 */
function killForStorm(pid, results) {
  const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const env = {};
  for (const kv of fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
    const i = kv.indexOf('=');
    if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
  }
  const cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
  // The launcher is the server's parent (Payara Micro), or further up: WildFly's standalone.sh and
  // Payara Server's asadmin start-domain --verbose stand between them.
  let paused = null;
  for (let p = ppid(pid); p > 1; p = ppid(p)) {
    if (fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('org.waterspout.run.Launcher')) {
      paused = p;
      break;
    }
  }
  if (paused) {
    process.kill(paused, 'SIGSTOP');
    fs.writeFileSync(path.join(results, 'launcher-stopped.pid'), String(paused));
  }
  process.kill(pid, 'SIGKILL');
  return { cmd, env, cwd, paused };
}

async function restart(saved, results) {
  // As the launcher does before it starts Payara Micro: a fresh temporary directory.
  const tmp = saved.cmd.find((a) => a.startsWith('-Djava.io.tmpdir='));
  if (tmp) {
    const dir = tmp.slice('-Djava.io.tmpdir='.length);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
  }
  const log = fs.openSync(path.join(results, 'server-restarted.log'), 'a');
  const child = spawn(saved.cmd[0], saved.cmd.slice(1), {
    cwd: saved.cwd,
    env: saved.env,
    detached: true,
    stdio: ['ignore', log, log],
  });
  child.unref();
  fs.writeFileSync(path.join(results, 'server-restarted.pid'), String(child.pid));
  return child.pid;
}

module.exports = {
  sleep,
  pidOnPort,
  httpStatus,
  httpGet,
  waitReady,
  heapUsed,
  rss,
  cpuPercent,
  classHistogram,
  histogramDiff,
  killForStorm,
  restart,
};
