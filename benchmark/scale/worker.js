'use strict';
// One load-generator process: holds its share of the sessions, records what they receive and
// answers the orchestrator over IPC. A process may open at most 20,000 files, so the orchestrator
// forks several of these, each with a few thousand sessions spread over several source addresses.
const WebSocket = require('ws');
const hdr = require('hdr-histogram-js');

const adapter = require(`./adapters/${process.env.BENCH_ADAPTER || 'waterspout'}`);
const opts = JSON.parse(process.env.BENCH_WORKER);
const now = () => performance.timeOrigin + performance.now(); // epoch ms with fraction

const sessions = []; // {id, user, addr, st, ws, open, slow, attempt, series, welcomeAt, ...}
const phases = new Map(); // ph -> {hist, count, first, last, slowCount, byN: Map n -> {count,min,max}}
const closes = {}; // close code -> count
const counters = { failedAttempts: 0, frames: 0, refused: 0, refusedBy: {}, errors: 0, gaps: 0, srvErrors: {} };
const ackDirty = new Set();
let reconnect = true; // reconnect closed sessions with back-off (as waterspout.js does)
let stormStart = 0;
let inflight = 0;
const queue = []; // sessions waiting for a connect slot

function phase(ph) {
  let p = phases.get(ph);
  if (!p) {
    p = {
      hist: hdr.build({ numberOfSignificantValueDigits: 3, useWebAssembly: false }),
      count: 0,
      first: Infinity,
      last: 0,
      slowCount: 0,
      byN: new Map(),
    };
    phases.set(ph, p);
  }
  return p;
}

function onNotification(s, data, t, cursor) {
  counters.frames++;
  if (data.ph === undefined) return;
  const p = phase(data.ph);
  if (s.slowPhases && s.slowPhases.has(data.ph)) {
    p.slowCount++; // a slow consumer's late frames: not the others' latency
    return;
  }
  p.count++;
  if (t < p.first) p.first = t;
  if (t > p.last) p.last = t;
  if (typeof data.sentAt === 'number') {
    const lat = t - data.sentAt;
    p.hist.recordValue(Math.max(1, Math.round(lat * 1000))); // microseconds
    if (data.n !== undefined) {
      let b = p.byN.get(data.n);
      if (!b) p.byN.set(data.n, (b = { count: 0, min: Infinity, max: 0 }));
      b.count++;
      if (lat < b.min) b.min = lat;
      if (lat > b.max) b.max = lat;
    }
  }
  if (data.ph === 'storm') {
    // Each copy with its stream position and the connection it came on, to explain duplicates.
    const got = s.series.get(data.n) || [];
    got.push({ cursor, conn: s.welcomes });
    s.series.set(data.n, got);
  }
}

function connect(s) {
  inflight++;
  s.pending = true;
  const ws = new WebSocket(adapter.url(opts), {
    localAddress: s.addr,
    handshakeTimeout: 30000,
    perMessageDeflate: false,
  });
  s.ws = ws;
  let settled = false;
  const settle = () => {
    if (!settled) {
      settled = true;
      inflight--;
      s.pending = false;
      pump();
    }
  };
  ws.on('unexpected-response', (req, res) => {
    // Refused before the upgrade (an admission filter's 503 with Retry-After): retry after it.
    counters.refused++;
    counters.refusedBy[res.statusCode] = (counters.refusedBy[res.statusCode] || 0) + 1;
    const after = Number(res.headers['retry-after']);
    const delay = (Number.isFinite(after) ? after * 1000 : backoff(s)) + Math.random() * 1000;
    res.resume();
    req.destroy();
    settle();
    s.ws = null;
    setTimeout(() => enqueue(s), delay);
  });
  ws.on('open', () => {
    for (const f of adapter.open(s.st)) ws.send(f);
  });
  ws.on('message', (buf, isBinary) => {
    if (isBinary) return;
    const t = now();
    const ev = adapter.onFrame(s.st, buf.toString());
    if (ev.kind === 'notification') {
      onNotification(s, ev.data, t, ev.cursor);
      if (ev.ackDue) ackDirty.add(s);
    } else if (ev.kind === 'welcome') {
      for (const f of ev.send || []) ws.send(f);
      s.open = true;
      s.attempt = 0;
      s.welcomeAt = t;
      s.welcomes++;
      settle();
    } else if (ev.kind === 'gap') {
      counters.gaps++;
    } else if (ev.kind === 'error') {
      counters.srvErrors[ev.code] = (counters.srvErrors[ev.code] || 0) + 1;
    }
  });
  ws.on('error', () => {
    counters.errors++;
  });
  ws.on('close', (code) => {
    if (s.ws !== ws) return;
    // Closes of established sessions by code; attempts that never got a welcome counted apart.
    if (s.open) closes[code] = (closes[code] || 0) + 1;
    else counters.failedAttempts++;
    s.open = false;
    s.ws = null;
    ackDirty.delete(s);
    const wasSettled = settled;
    settle();
    if (s.closing) return;
    if (!wasSettled || reconnect) {
      setTimeout(() => enqueue(s), backoff(s));
    }
  });
}

// Full-jitter exponential back-off: uniform in [0, min(cap, base * 2^attempt)).
function backoff(s) {
  const d = Math.random() * Math.min(10000, 500 * 2 ** s.attempt);
  s.attempt = Math.min(s.attempt + 1, 20);
  return d;
}

function enqueue(s) {
  if (s.closing || s.ws) return;
  queue.push(s);
  pump();
}

function pump() {
  while (inflight < opts.maxInflight && queue.length > 0) {
    const s = queue.shift();
    if (!s.ws && !s.closing) connect(s);
  }
}

// Coalesced acks: at most one frame per session every 100 ms.
setInterval(() => {
  for (const s of ackDirty) {
    if (s.ws && s.open && !s.paused) {
      const f = adapter.ackFrame(s.st);
      if (f) s.ws.send(f);
    }
  }
  ackDirty.clear();
}, 100).unref();

function summary(withHist) {
  const out = {};
  for (const [ph, p] of phases) {
    out[ph] = {
      count: p.count,
      slowCount: p.slowCount,
      first: p.first === Infinity ? null : p.first,
      last: p.last || null,
      byN: Object.fromEntries(p.byN),
      hist: withHist ? hdr.encodeIntoCompressedBase64(p.hist) : undefined,
    };
  }
  const open = sessions.filter((s) => s.open).length;
  return { open, total: sessions.length, closes, counters, phases: out, queued: queue.length, inflight };
}

const handlers = {
  add({ from, to }) {
    for (let i = from; i < to; i++) {
      const s = {
        id: i,
        user: `bench-u${i}`,
        addr: opts.addrs[i % opts.addrs.length],
        st: adapter.newState(`bench-u${i}`, [opts.group], opts.secret),
        ws: null,
        open: false,
        attempt: 0,
        welcomes: 0,
        welcomeAt: 0,
        series: new Map(),
      };
      sessions.push(s);
      enqueue(s);
    }
    return { added: to - from };
  },
  stats({ hist }) {
    return summary(hist);
  },
  reset({ ph }) {
    phases.delete(ph);
    return {};
  },
  setReconnect({ on }) {
    reconnect = on;
    return {};
  },
  slow({ fraction, on, phases: names, dry }) {
    if (dry) return { ids: sessions.slice(0, Math.round(sessions.length * fraction)).map((s) => s.id) };
    // The first `fraction` of this worker's sessions stop (or resume) reading their sockets; what
    // they get in `names` phases is counted apart, also when they read it late.
    const n = Math.round(sessions.length * fraction);
    const ids = [];
    for (let i = 0; i < n; i++) {
      const s = sessions[i];
      ids.push(s.id);
      if (on) s.slowPhases = new Set(names);
      s.paused = on;
      if (s.ws && s.ws._socket) on ? s.ws._socket.pause() : s.ws._socket.resume();
    }
    return { slow: n, ids };
  },
  stormArm() {
    for (const s of sessions) s.series.clear();
    reconnect = true;
    return {};
  },
  stormMark() {
    stormStart = now();
    return { at: stormStart };
  },
  stormReport({ expected }) {
    const resumed = [];
    let missing = 0;
    let dups = 0;
    let complete = 0;
    let never = 0;
    let missingResumed = 0;
    const examples = [];
    const missingByN = {};
    let received = 0;
    for (const s of sessions) {
      for (const got of s.series.values()) received += got.length;
      const before = missing;
      if (s.open && s.welcomeAt > stormStart) resumed.push(s.welcomeAt - stormStart);
      else never++;
      let ok = true;
      for (const n of expected) {
        const got = s.series.get(n) || [];
        if (got.length === 0) {
          missing++;
          missingByN[n] = (missingByN[n] || 0) + 1;
          ok = false;
        } else if (got.length > 1) {
          dups += got.length - 1;
          ok = false;
          if (examples.length < 10) examples.push({ user: s.user, n, copies: got });
        }
      }
      if (ok) complete++;
      if (s.open && s.welcomeAt > stormStart) missingResumed += missing - before;
    }
    return { resumed, never, missing, missingResumed, missingByN, received, dups, complete, examples };
  },
  closeAll() {
    reconnect = false;
    queue.length = 0;
    for (const s of sessions) {
      s.closing = true;
      if (s.ws) s.ws.terminate();
    }
    return {};
  },
};

process.on('message', (m) => {
  let reply;
  try {
    reply = handlers[m.cmd](m.args || {});
  } catch (e) {
    reply = { error: String(e && e.stack) };
  }
  process.send({ rid: m.rid, reply });
});
process.on('disconnect', () => process.exit(0));
