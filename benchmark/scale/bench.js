'use strict';
// The orchestrator: forks the client workers and the sender, runs the scenarios against a server
// the `run` script started, and writes the table, results.json and the plots.
//   node bench.js --results DIR --server payara-micro --sessions 2500[,5000] [--quick] [--no-storm]
//                 [--scenarios idle,unicast,group,frames,intake,slow,storm,faults]
//                 [--adapter waterspout]
//                 [--profile]
const { fork } = require('child_process');
const fs = require('fs');
const path = require('path');
const hdr = require('hdr-histogram-js');
const srv = require('./lib/server');
const { report } = require('./lib/report');
const profile = require('./lib/profile');

const { sleep } = srv;
const args = parseArgs(process.argv.slice(2));
const quick = Boolean(args.quick);
const counts = String(args.sessions || (quick ? '2500' : '19000'))
  .split(',')
  .map(Number)
  .sort((a, b) => a - b);
const serverName = args.server || 'payara-micro';
const results = args.results;
const adapterName = args.adapter || 'waterspout';
const adapter = require(`./adapters/${adapterName}`);
const GROUP = 'bench';
const ALL = ['idle', 'unicast', 'group', 'frames', 'intake', 'slow', 'storm', 'faults'];
// Scenarios recorded with JFR under --profile (at the largest count).
const PROFILED = new Set(['unicast', 'group', 'frames', 'intake', 'slow']);
const only = new Set(args.scenarios ? String(args.scenarios).split(',') : ALL);
const P0 = quick
  ? { idleCpuS: 10, rate: 200, rateS: 20, groupReps: 10, bursts: 10, intake: 2000, slowS: 15 }
  : { idleCpuS: 30, rate: 1000, rateS: 60, groupReps: 10, bursts: 30, intake: 10000, slowS: 30 };
const P = { ...P0 };
if (args.rate) P.rate = Number(args.rate); // a slower machine may not keep up with the default
if (args.reps) P.groupReps = Number(args.reps);
const PER_WORKER = 4000; // sessions per process (each is a file; a process may open 20,000)
const PER_ADDRESS = 5000; // sessions per source address (ephemeral ports per address pair)
const MAX_INFLIGHT = Number(args.inflight || 200);
const log = (...a) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);

function parseArgs(argv) {
  const o = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const [k, v] = a.slice(2).split('=');
    if (v !== undefined) o[k] = v;
    else if (argv[i + 1] && !argv[i + 1].startsWith('--')) o[k] = argv[++i];
    else o[k] = true;
  }
  return o;
}

// The forked children (workers, sender), each in its own process group (detached), so that a
// Ctrl-C meant for this process does not reach them before it has saved what it has, and so that
// stopping kills each group whole.
const children = [];
let stopping = false;

// A forked child answering {rid, cmd, args} with {rid, reply}. If it dies while the benchmark
// still needs it, the benchmark fails at once (no wait for replies that never come).
function rpcChild(file, env, label) {
  const child = fork(path.join(__dirname, file), [], { env: { ...process.env, ...env }, detached: true });
  children.push(child);
  const waiting = new Map();
  let rid = 0;
  child.on('message', (m) => {
    const w = waiting.get(m.rid);
    waiting.delete(m.rid);
    if (w) m.reply && m.reply.error ? w.reject(new Error(m.reply.error)) : w.resolve(m.reply);
  });
  child.on('exit', (code, signal) => {
    const why = `${label} (pid ${child.pid}) exited ${signal ? `on ${signal}` : `with ${code}`}`;
    for (const w of waiting.values()) w.reject(new Error(why));
    waiting.clear();
    if (!stopping) fail(`${why} while the benchmark ran`);
  });
  child.on('error', () => {}); // a send to a dead child: its exit reports it
  return {
    child,
    call(cmd, a) {
      return new Promise((resolve, reject) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          reject(new Error(`${label} is gone`));
          return;
        }
        waiting.set(++rid, { resolve, reject });
        child.send({ rid, cmd, args: a });
      });
    },
  };
}

/** Kills the children's process groups (synchronous, so it also works on the way out). */
function killChildren(sig = 'SIGKILL') {
  for (const c of children) {
    try {
      process.kill(-c.pid, sig);
    } catch (e) {
      // already gone
    }
  }
}

let out; // the results so far, saved on the way out too
function saveResults() {
  if (out && results) fs.writeFileSync(path.join(results, 'results.json'), JSON.stringify(out, null, 2));
}

/** Ends the benchmark: children killed, the results so far saved, exit with `code`. */
function finish(code, message) {
  if (stopping) return;
  stopping = true;
  if (message) log(message);
  killChildren();
  if (out) {
    out.stopped = message || null;
    try {
      saveResults();
      if (code !== 0) fs.writeFileSync(path.join(results, 'summary.md'), report(out));
    } catch (e) {
      // nothing more to do
    }
  }
  process.exit(code);
}

function fail(message) {
  finish(1, `FAILED: ${message}; stopping`);
}

const SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
for (const [sig, code] of Object.entries(SIGNALS)) {
  process.on(sig, () => {
    if (stopping) {
      killChildren();
      process.exit(code);
    }
    finish(code, `${sig}: stopping (results so far in results.json)`);
  });
}
process.on('exit', () => killChildren());

const maxN = counts[counts.length - 1];
const workerCount = Math.max(2, Math.ceil(maxN / PER_WORKER));
const addrCount = Math.max(2, Math.ceil(maxN / PER_ADDRESS) + 1);
const addrs = Array.from({ length: addrCount }, (_, i) => `127.0.0.${i + 2}`);
const workers = [];
let sender;

const all = (cmd, a) => Promise.all(workers.map((w) => w.call(cmd, a)));

async function stats(hist = false) {
  const parts = await all('stats', { hist });
  const m = { open: 0, total: 0, frames: 0, failedAttempts: 0, closes: {}, refused: 0, refusedBy: {}, gaps: 0, srvErrors: {}, phases: {} };
  for (const p of parts) {
    m.open += p.open;
    m.total += p.total;
    m.refused += p.counters.refused;
    m.frames += p.counters.frames;
    m.failedAttempts += p.counters.failedAttempts;
    m.gaps += p.counters.gaps;
    for (const [k, v] of Object.entries(p.closes)) m.closes[k] = (m.closes[k] || 0) + v;
    for (const [k, v] of Object.entries(p.counters.refusedBy)) m.refusedBy[k] = (m.refusedBy[k] || 0) + v;
    for (const [k, v] of Object.entries(p.counters.srvErrors)) m.srvErrors[k] = (m.srvErrors[k] || 0) + v;
    for (const [ph, s] of Object.entries(p.phases)) {
      const t = (m.phases[ph] = m.phases[ph] || { count: 0, slowCount: 0, first: Infinity, last: 0, byN: {}, hist: null });
      t.count += s.count;
      t.slowCount += s.slowCount;
      if (s.first !== null) t.first = Math.min(t.first, s.first);
      if (s.last !== null) t.last = Math.max(t.last, s.last);
      for (const [n, b] of Object.entries(s.byN)) {
        const x = (t.byN[n] = t.byN[n] || { count: 0, min: Infinity, max: 0 });
        x.count += b.count;
        x.min = Math.min(x.min, b.min);
        x.max = Math.max(x.max, b.max);
      }
      if (s.hist) {
        const h = hdr.decodeFromCompressedBase64(s.hist, 32, false);
        if (!t.hist) t.hist = hdr.build({ numberOfSignificantValueDigits: 3, useWebAssembly: false });
        t.hist.add(h);
      }
    }
  }
  return m;
}

// Polls the workers until check(stats) holds, or until progress(stats) has not changed for
// stallMs (the server stopped delivering), or after capMs in all.
async function waitFor(check, stallMs, everyMs = 250, progress = (s) => s.frames, capMs = 600000) {
  const start = Date.now();
  let last;
  let changed = Date.now();
  for (;;) {
    const s = await stats();
    if (check(s)) return s;
    const p = progress(s);
    if (p !== last) {
      last = p;
      changed = Date.now();
    }
    if (Date.now() - changed > stallMs || Date.now() - start > capMs) return s;
    await sleep(everyMs);
  }
}

const ph = (s, name) => s.phases[name] || { count: 0, slowCount: 0, first: Infinity, last: 0, byN: {} };
const ms = (us) => Math.round(us / 10) / 100; // µs -> ms with 2 decimals
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : null;
};

function percentiles(h) {
  if (!h || h.totalCount === 0) return null;
  const p = (q) => ms(h.getValueAtPercentile(q));
  return { count: h.totalCount, p50: p(50), p90: p(90), p99: p(99), p999: p(99.9), max: ms(h.maxValue) };
}

/** The server process to measure: on the cluster (8080 is HAProxy), its first instance. */
const SERVER_PORT = args.server === 'cluster' ? 8081 : 8080;

function serverPid() {
  return srv.pidOnPort(SERVER_PORT);
}

async function memory(label, pid) {
  const heap = srv.heapUsed(pid);
  const rss = srv.rss(pid);
  const hist = srv.classHistogram(pid, path.join(results, `class-histogram-${label}.txt`));
  return { heap, rss, hist };
}

async function connectTo(n, from) {
  const t0 = Date.now();
  const per = Math.ceil((n - from) / workers.length);
  await Promise.all(
    workers.map((w, i) => {
      const a = from + i * per;
      const b = Math.min(n, a + per);
      return a < b ? w.call('add', { from: a, to: b }) : null;
    }),
  );
  let last = 0;
  let lastChange = Date.now();
  let s;
  for (;;) {
    s = await stats();
    if (s.open !== last) {
      last = s.open;
      lastChange = Date.now();
    }
    if (s.open >= n || Date.now() - lastChange > (quick ? 20000 : 60000)) break;
    if ((Date.now() - t0) % 5000 < 1000) log(`connect: ${s.open}/${n} open, refused ${s.refused}`);
    await sleep(1000);
  }
  const seconds = (Date.now() - t0) / 1000;
  const refused503 = s.refusedBy['503'] || 0;
  return {
    capacity: s.open < n && refused503 > 0 ? await capacityProbe(s, refused503) : undefined,
    target: n,
    open: s.open,
    seconds,
    perSecond: Math.round((s.open - from) / seconds),
    refused: s.refused,
    refusedBy: s.refusedBy,
    closes: s.closes,
  };
}

// At the session limit: what readiness says and whether the server still answers, while the
// sessions beyond it keep being refused and retried.
async function capacityProbe(s, refused503) {
  const readyUrl = adapter.health(serverName);
  const ready = await srv.httpGet(readyUrl);
  const live = await srv.httpGet(readyUrl.replace(/ready$/, 'live'));
  const app = await srv.httpGet('http://127.0.0.1:8080/waterspout/');
  let reason = null;
  try {
    const j = JSON.parse(ready.body);
    reason = j.reason || (j.checks || []).map((c) => c.data && c.data.reason).find(Boolean) || null;
  } catch (e) {
    const m = ready.body.match(/at capacity[^"]*/);
    reason = m ? m[0] : null;
  }
  if (!reason) {
    const m = ready.body.match(/at capacity[^"]*/);
    reason = m ? m[0] : null;
  }
  const r = {
    held: s.open,
    refused503,
    readyStatus: ready.status,
    readyReason: reason,
    atCapacity: /at capacity/.test(ready.body),
    liveStatus: live.status,
    appStatus: app.status,
  };
  log('at the session limit:', JSON.stringify(r));
  return r;
}

async function idleScenario(n, base, pid) {
  await sleep(2000);
  const m = await memory(`${n}`, pid);
  const open = (await stats()).open;
  const top = srv.histogramDiff(base.hist, m.hist, 15);
  const cpu = await srv.cpuPercent(pid, P.idleCpuS);
  return {
    open,
    heap0: base.heap,
    heapN: m.heap,
    rss0: base.rss,
    rssN: m.rss,
    heapPerSession: Math.round((m.heap - base.heap) / open),
    rssPerSession: Math.round((m.rss - base.rss) / open),
    idleCpuPercent: Math.round(cpu * 10) / 10,
    idleCpuSeconds: P.idleCpuS,
    topClasses: top,
  };
}

async function unicastScenario(name, extra = {}) {
  await all('reset', { ph: name });
  const { stallMs, ...rest } = extra;
  const sent = await sender.call('steady', { ph: name, rate: P.rate, seconds: P.rateS, ...rest });
  const s = await waitFor((x) => ph(x, name).count + ph(x, name).slowCount >= sent.sent, extra.stallMs || 15000);
  const h = (await stats(true)).phases[name];
  return { rate: P.rate, seconds: P.rateS, sent: sent.sent, received: ph(s, name).count, latencyMs: percentiles(h && h.hist) };
}

async function groupScenario(n) {
  await all('reset', { ph: 'group' });
  const firsts = [];
  const lasts = [];
  let incomplete = 0;
  for (let k = 0; k < P.groupReps; k++) {
    const open = (await stats()).open;
    await sender.call('series', { ph: 'group', from: k, to: k + 1, spacingMs: 0, group: GROUP });
    const s = await waitFor((x) => (ph(x, 'group').byN[k] || { count: 0 }).count >= open, 20000, 100);
    const b = ph(s, 'group').byN[k];
    if (!b || b.count < open) incomplete++;
    if (b) {
      firsts.push(b.min);
      lasts.push(b.max);
    }
    await sleep(500);
  }
  const r = (x) => Math.round(x * 10) / 10;
  return {
    sessions: n,
    reps: P.groupReps,
    firstMs: r(median(firsts)),
    lastMs: r(median(lasts)),
    lastMaxMs: r(Math.max(...lasts)),
    incomplete,
  };
}

async function framesScenario() {
  await all('reset', { ph: 'burst' });
  const open = (await stats()).open;
  const b = await sender.call('burst', { ph: 'burst', count: P.bursts, group: GROUP });
  const want = P.bursts * open;
  const s = await waitFor((x) => ph(x, 'burst').count >= want, 20000, 250);
  const p = ph(s, 'burst');
  return {
    notifications: P.bursts,
    sessions: open,
    frames: p.count,
    expected: want,
    framesPerSecond: Math.round(p.count / ((p.last - p.first) / 1000)),
    framesPerSecondFromSend: Math.round(p.count / ((p.last - b.start) / 1000)),
    seconds: Math.round(p.last - b.start) / 1000,
  };
}

async function intakeScenario(n) {
  await all('reset', { ph: 'intake' });
  const b = await sender.call('burst', { ph: 'intake', count: P.intake, users: n });
  const s = await waitFor((x) => ph(x, 'intake').count + ph(x, 'intake').slowCount >= P.intake, 20000, 250);
  const p = ph(s, 'intake');
  return {
    messages: P.intake,
    received: p.count,
    brokerAcceptedPerSecond: Math.round(P.intake / ((b.sentEnd - b.start) / 1000)),
    messagesPerSecond: Math.round(p.count / ((p.last - b.start) / 1000)),
    seconds: Math.round(p.last - b.start) / 1000,
  };
}

async function slowScenario(n) {
  const common = { users: n, seconds: P.slowS, groupMs: 1000, group: GROUP, bodyBytes: 4000 };
  const saved = P.rateS;
  P.rateS = P.slowS;
  const base = await unicastScenario('slow-base', { ...common, groupPh: 'slow-base-g', exclude: (await all('slow', { fraction: 0.01, dry: true })).flatMap((m) => m.ids) });
  const closedBefore = (await stats()).closes['1013'] || 0;
  const marked = await all('slow', { fraction: 0.01, on: true, phases: ['slow-on', 'slow-on-g'] });
  // Unicast goes to the others only (so all of it is expected); the slow ones still get the group
  // notifications, which fill their sockets and the server's outboxes.
  const exclude = marked.flatMap((m) => m.ids);
  const on = await unicastScenario('slow-on', { ...common, groupPh: 'slow-on-g', exclude });
  const closed = ((await stats()).closes['1013'] || 0) - closedBefore;
  await all('slow', { fraction: 0.01, on: false });
  P.rateS = saved;
  const h = (await stats(true)).phases;
  const g = (name) => percentiles(h[name] && h[name].hist);
  await sleep(3000);
  return {
    slowSessions: marked.reduce((a, m) => a + m.slow, 0),
    groupEveryMs: 1000,
    groupBodyBytes: 4000,
    baseline: { unicast: base.latencyMs, group: g('slow-base-g') },
    withSlow: { unicast: on.latencyMs, group: g('slow-on-g') },
    slowClosed1013: closed,
  };
}

/** What every session got of the numbered series `expected`, summed over the workers. */
async function seriesReport(expected) {
  const parts = await all('stormReport', { expected });
  return {
    resumed: parts.flatMap((p) => p.resumed).sort((a, b) => a - b),
    never: parts.reduce((a, p) => a + p.never, 0),
    missing: parts.reduce((a, p) => a + p.missing, 0),
    missingResumed: parts.reduce((a, p) => a + p.missingResumed, 0),
    examples: parts.flatMap((p) => p.examples).slice(0, 10),
    received: parts.reduce((a, p) => a + p.received, 0),
    missingByN: parts.reduce((a, p) => {
      for (const [k, v] of Object.entries(p.missingByN)) a[k] = (a[k] || 0) + v;
      return a;
    }, {}),
    dups: parts.reduce((a, p) => a + p.dups, 0),
    complete: parts.reduce((a, p) => a + p.complete, 0),
  };
}

/** Polls `check` every 500 ms until it holds (true) or `timeoutMs` passed (false). */
async function until(check, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await sleep(500);
  }
  return false;
}

/** How many of the cluster's instances HAProxy counts UP (its statistics, CSV). */
async function instancesUp() {
  try {
    const { body } = await srv.httpGet('http://127.0.0.1:8404/;csv');
    return body
      .split('\n')
      .map((l) => l.split(','))
      .filter((f) => f[0] === 'instances' && String(f[1]).startsWith('instance-') && f[17] === 'UP').length;
  } catch (e) {
    return 0;
  }
}

// The cluster's faults, in an order in which each one breaks sessions: the broker (none should
// break), then 8081 stopped (its half moves to 8082), then 8082 killed (everyone moves to 8081).
const FAULTS = [
  { name: 'primary broker kill -9', port: 61616, signal: 'SIGKILL' },
  { name: 'instance 8081 SIGTERM', port: 8081, signal: 'SIGTERM' },
  { name: 'instance 8082 kill -9', port: 8082, signal: 'SIGKILL' },
];

/**
 * One fault under a steady load: a group notification to every session every 100 ms for 10 s
 * (persistent AMQP, the sender failing over between the broker pair); 3 s in, the process on the
 * fault's port gets its signal (the launcher restarts it). Counts, per session, every number of the
 * series missing (lost) or got more than once (shown twice), the lines that broke and when they
 * were welcomed again, and when every session had the whole series.
 */
async function faultScenario(n, fault) {
  const SERIES = 100;
  const SPACING = 100;
  const upBefore = await until(async () => (await instancesUp()) === 2, 240000);
  await all('reset', { ph: 'storm' });
  await all('stormArm');
  const expected = Array.from({ length: SERIES }, (_, i) => i);
  const sending = sender.call('series', { ph: 'storm', from: 0, to: SERIES, spacingMs: SPACING, group: GROUP });
  await sleep(3000);
  const pid = srv.pidOnPort(fault.port);
  if (!pid) {
    await sending; // not into the next fault's series
    return { fault: fault.name, error: `nothing listens on ${fault.port}` };
  }
  await all('stormMark');
  const at = Date.now();
  process.kill(pid, fault.signal);
  log(`faults: ${fault.name} (pid ${pid})`);
  const { sent } = await sending;
  let rep;
  let completeAt = null;
  let progress = -1;
  let changed = Date.now();
  for (;;) {
    rep = await seriesReport(expected);
    if (rep.complete >= n) {
      completeAt = Date.now();
      break;
    }
    if (rep.received !== progress) {
      progress = rep.received;
      changed = Date.now();
    }
    if (Date.now() - changed > 60000) break;
    await sleep(250);
  }
  // Late copies would be duplicates: look again a little later.
  await sleep(3000);
  rep = await seriesReport(expected);
  const back = await until(() => {
    const now = srv.pidOnPort(fault.port);
    return Boolean(now) && now !== pid;
  }, 300000);
  const backAt = back ? Date.now() : null;
  const counters = await stats();
  const s = (t) => (t === null ? null : Math.round((t - at) / 100) / 10);
  const q = (xs, f) => (xs.length ? Math.round(xs[Math.min(xs.length - 1, Math.ceil(f * xs.length) - 1)]) / 1000 : null);
  return {
    fault: fault.name,
    sessions: n,
    instancesUpBefore: upBefore ? 2 : await instancesUp(),
    sent,
    lost: rep.missing,
    duplicates: rep.dups,
    duplicateExamples: rep.examples,
    linesBroken: rep.resumed.length,
    welcomedAgainP50S: q(rep.resumed, 0.5),
    welcomedAgainMaxS: q(rep.resumed, 1),
    everySessionCompleteAfterS: s(completeAt),
    processBackAfterS: s(backAt),
    // Since the start of the run: handshakes refused (503) by reason, failed connect attempts.
    refusedSoFar: counters.refusedBy,
    failedAttemptsSoFar: counters.failedAttempts,
  };
}

async function faultsScenario(n) {
  if (serverName !== 'cluster') return { skipped: 'the faults need --server cluster' };
  const runs = [];
  for (const fault of FAULTS) {
    runs.push(await faultScenario(n, fault));
    log('faults', JSON.stringify(runs[runs.length - 1]));
  }
  return { runs };
}

async function stormScenario(n) {
  const SERIES = 20;
  await all('reset', { ph: 'storm' });
  await all('stormArm');
  const open = (await stats()).open;
  await sender.call('series', { ph: 'storm', from: 0, to: SERIES / 2, spacingMs: 100, group: GROUP });
  await waitFor((x) => ph(x, 'storm').count >= open * (SERIES / 2), 30000);
  const pid = serverPid();
  const marks = await all('stormMark');
  const killAt = Date.now();
  const saved = srv.killForStorm(pid, results);
  log(`storm: killed server ${pid}${saved.paused ? ` (launcher ${saved.paused} stopped)` : ''}`);
  const during = sender.call('series', { ph: 'storm', from: SERIES / 2, to: SERIES, spacingMs: 200, group: GROUP });
  await sleep(1000);
  const newPid = await srv.restart(saved, results);
  log(`storm: restarted server as ${newPid}`);
  await during;
  // The server's readiness, and the application's page: Payara Micro's /health/ready answers 200
  // before the WAR is deployed (its checks are not registered yet), and under a reconnect storm
  // the deployment can take a minute more.
  const ready =
    (await srv.waitReady(adapter.health(serverName), 180000)) &&
    (await srv.waitReady('http://127.0.0.1:8080/waterspout/', 180000));
  const readyAt = Date.now();
  log(`storm: server ready=${ready} after ${(readyAt - killAt) / 1000} s`);
  const expected = Array.from({ length: SERIES }, (_, i) => i);
  let rep;
  let resumedBefore = -1;
  let changed = Date.now();
  const end = Date.now() + 600000;
  for (;;) {
    rep = await seriesReport(expected);
    // Progress: sessions resumed, or series notifications received.
    if (rep.resumed.length + rep.received !== resumedBefore) {
      resumedBefore = rep.resumed.length + rep.received;
      changed = Date.now();
    }
    // Until all have resumed and have the series, or nothing moved for a minute.
    if ((rep.complete >= n && rep.resumed.length >= n) || Date.now() > end) break;
    if (Date.now() - changed > 60000) break;
    await sleep(1000);
  }
  const at = (q) => {
    const i = Math.ceil(q * n) - 1;
    return i < rep.resumed.length ? Math.round(rep.resumed[i]) / 1000 : null;
  };
  const readyS = (readyAt - killAt) / 1000;
  const s99 = at(0.99);
  const s100 = at(1);
  const sinceReady = (x) => (x === null ? null : Math.round((x - readyS) * 100) / 100);
  return {
    sessions: n,
    openBefore: open,
    restartedBy: `kill -9 of the server${serverName === 'wildfly' ? ' and its embedded broker' : ', broker kept'}, restarted with the same command line${saved.paused ? ' (launcher paused)' : ''}`,
    serverReadyAfterS: readyS,
    resumed99S: s99,
    resumed100S: s100,
    resumed99SinceReadyS: sinceReady(s99),
    resumed100SinceReadyS: sinceReady(s100),
    resumedCount: rep.resumed.length,
    notResumed: n - rep.resumed.length,
    seriesSent: SERIES,
    lost: rep.missing,
    lostInResumedSessions: rep.missingResumed,
    lostByNumber: rep.missingByN,
    duplicates: rep.dups,
    duplicateExamples: rep.examples,
    refusedBy: (await stats()).refusedBy,
    sessionsComplete: rep.complete,
    markSkewMs: Math.round(Math.max(...marks.map((m) => m.at)) - Math.min(...marks.map((m) => m.at))),
  };
}

async function main() {
  fs.mkdirSync(results, { recursive: true });
  const secret = process.env.WATERSPOUT_TOKEN_SECRET;
  const inflightPer = Math.max(10, Math.ceil(MAX_INFLIGHT / workerCount));
  for (let i = 0; i < workerCount; i++) {
    const opts = { host: '127.0.0.1', port: 8080, addrs, group: GROUP, secret, maxInflight: inflightPer };
    workers.push(rpcChild('worker.js', { BENCH_WORKER: JSON.stringify(opts), BENCH_ADAPTER: adapterName }, `worker ${i + 1}`));
  }
  const brokers = serverName === 'cluster' ? { BENCH_BROKER_PORTS: '61616,61617' } : {};
  sender = rpcChild('sender.js', { BENCH_ADAPTER: adapterName, ...brokers }, 'sender');
  out = {
    started: new Date().toISOString(),
    server: serverName,
    serverVersion: args['server-version'] || null,
    adapter: adapterName,
    quick,
    params: P,
    workers: workerCount,
    addresses: addrs,
    maxInflight: MAX_INFLIGHT,
    machine: machine(),
    loadAverageAtStart: require('os').loadavg(),
    runs: [],
  };
  const save = saveResults;
  const pid = serverPid();
  log(`server pid ${pid}; ${workerCount} workers, addresses ${addrs[0]}..${addrs[addrs.length - 1]}`);
  await sender.call('waitAccepted', { total: 0, timeoutMs: 1 });
  const base = await memory('0', pid);
  let from = 0;
  for (const n of counts) {
    const run = { sessions: n };
    out.runs.push(run);
    log(`--- ${n} sessions ---`);
    run.connect = await connectTo(n, from);
    from = n;
    log('connect', JSON.stringify(run.connect));
    const step = async (name, f) => {
      if (!only.has(name)) return;
      log(`scenario ${name} ...`);
      const profiled = args.profile && n === maxN && PROFILED.has(name) ? profile.start(srv.pidOnPort(SERVER_PORT), name, results) : null;
      try {
        run[name] = await f();
      } catch (e) {
        run[name] = { error: String(e.message || e) };
      }
      if (profiled) {
        try {
          run[name].profile = profiled();
        } catch (e) {
          run[name].profile = { error: String(e.message || e) };
        }
      }
      log(name, JSON.stringify(run[name]));
      save();
    };
    const live = srv.pidOnPort(SERVER_PORT);
    if (!live) {
      run.error = 'server not listening';
      break;
    }
    await step('idle', () => idleScenario(n, base, live));
    await step('unicast', () => unicastScenario('unicast', { users: n }));
    await step('group', () => groupScenario(n));
    await step('frames', () => framesScenario());
    await step('intake', () => intakeScenario(n));
    await step('slow', () => slowScenario(n));
    if (n === maxN && !args['no-storm'] && serverName !== 'cluster') await step('storm', () => stormScenario(n));
    if (n === maxN && serverName === 'cluster') await step('faults', () => faultsScenario(n));
    const s = await stats();
    run.end = { open: s.open, failedAttempts: s.failedAttempts, closes: s.closes, refused: s.refused, gaps: s.gaps, serverErrors: s.srvErrors };
    save();
  }
  out.finished = new Date().toISOString();
  out.loadAverageAtEnd = require('os').loadavg();
  save();
  await all('closeAll');
  const md = report(out);
  fs.writeFileSync(path.join(results, 'summary.md'), md);
  console.log(md);
  finish(0);
}

/** The machine the figures come from: CPU, cores, memory, kernel, JDK and Node. */
function machine() {
  const os = require('os');
  const cpus = os.cpus();
  let jdk = null;
  try {
    const v = require('child_process').spawnSync('java', ['-version'], { encoding: 'utf8' });
    jdk = (v.stderr || '').split('\n')[0].trim() || null;
    const rt = (v.stderr || '').split('\n').find((l) => /Runtime Environment/.test(l));
    if (rt) jdk = `${jdk}; ${rt.trim()}`;
  } catch (e) {
    // no java on the PATH: the server found its own
  }
  return {
    cpuModel: cpus.length ? cpus[0].model.trim() : null,
    cpus: cpus.length,
    memGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: `${os.type()} ${os.release()} ${os.arch()}`,
    jdk,
    node: process.version,
  };
}

main().catch((e) => fail(e.stack || String(e)));
