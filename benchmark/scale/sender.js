'use strict';
// The order system: sends persistent JMS messages (AMQP 1.0, durable) to WaterSpout's input queue.
// Runs in its own process so that the schedule of the steady rate is not disturbed by the clients.
// The steady rate is open-loop: message i is due at t0 + i/rate and carries that intended time as
// sentAt, whether or not the broker took the previous ones in time (no coordinated omission).
const rhea = require('rhea');

const adapter = require(`./adapters/${process.env.BENCH_ADAPTER || 'waterspout'}`);
const now = () => performance.timeOrigin + performance.now();

/** Unique to this sender: the ids of its series never meet a history's older ones. */
const RUN = `bench-${process.pid}-${Date.now()}`;

const container = rhea.create_container();
// The broker's ports, tried in turn on each (re)connect: on the cluster the primary and its backup
// (BENCH_BROKER_PORTS=61616,61617), as a producer's failover URL does.
const ports = (process.env.BENCH_BROKER_PORTS || String(adapter.broker.port)).split(',').map(Number);
let attempt = 0;
const conn = container.connect({
  connection_details: () => ({ host: adapter.broker.host, port: ports[attempt++ % ports.length] }),
  reconnect: true,
  initial_reconnect_delay: 200,
  max_reconnect_delay: 2000,
});
const sender = conn.open_sender({ target: { address: adapter.broker.address }, autosettle: true });
let accepted = 0;
let rejected = 0;
let lastAccepted = 0;
const backlog = [];
// Sent but not yet accepted, in order: sent again after a reconnect (WildFly's broker goes down
// with the server in the storm), as a JMS producer whose send did not return would retry.
const unsettled = new Map(); // delivery -> body
sender.on('accepted', (ctx) => {
  unsettled.delete(ctx.delivery);
  accepted++;
  lastAccepted = now();
});
sender.on('rejected', (ctx) => {
  unsettled.delete(ctx.delivery);
  rejected++;
});
sender.on('released', (ctx) => {
  unsettled.delete(ctx.delivery);
  rejected++;
});
sender.on('sendable', flush);
conn.on('disconnected', () => {
  backlog.unshift(...unsettled.values());
  unsettled.clear();
});

function flush() {
  while (backlog.length > 0 && sender.sendable()) {
    const body = backlog.shift();
    unsettled.set(sender.send({ durable: true, body }), body);
  }
}

function send(body) {
  backlog.push(body);
  flush();
}

const pad = (n) => (n > 0 ? 'x'.repeat(n) : undefined);

function randomUser(n, exclude) {
  for (;;) {
    const i = Math.floor(Math.random() * n);
    if (!exclude || !exclude.has(i)) return `bench-u${i}`;
  }
}

/** Open-loop constant rate for `seconds` to random users of [0, users); also groups every groupMs. */
function steady({ ph, rate, seconds, users, groupPh, groupMs, group, bodyBytes, exclude }) {
  const skip = exclude && exclude.length ? new Set(exclude) : null;
  return new Promise((resolve) => {
    const t0 = now() + 20;
    const total = Math.round(rate * seconds);
    const groupTotal = groupMs ? Math.floor((seconds * 1000) / groupMs) : 0;
    let i = 0;
    let g = 0;
    const tick = () => {
      const t = now();
      while (i < total && t0 + (i * 1000) / rate <= t) {
        const sentAt = t0 + (i * 1000) / rate;
        send(adapter.message({ users: [randomUser(users, skip)], data: { sentAt, ph } }));
        i++;
      }
      while (g < groupTotal && t0 + g * groupMs <= t) {
        const sentAt = t0 + g * groupMs;
        const data = { sentAt, ph: groupPh, n: g };
        send(adapter.message({ groups: [group], data, body: pad(bodyBytes) }));
        g++;
      }
      if (i < total || g < groupTotal) setTimeout(tick, 1);
      else resolve({ sent: total, groupSent: groupTotal, lateBacklog: backlog.length });
    };
    setTimeout(tick, 20);
  });
}

/** `count` messages as fast as the broker takes them; resolves when all are accepted. */
function burst({ ph, count, users, group, numbered, bodyBytes }) {
  return new Promise((resolve) => {
    const start = now();
    const base = accepted;
    for (let i = 0; i < count; i++) {
      const data = { sentAt: now(), ph };
      if (numbered) data.n = i;
      const m = group
        ? adapter.message({ groups: [group], data, body: pad(bodyBytes) })
        : adapter.message({ users: [randomUser(users)], data });
      send(m);
    }
    const check = setInterval(() => {
      if (accepted - base >= count) {
        clearInterval(check);
        resolve({ start, sentEnd: lastAccepted, count });
      }
    }, 5);
  });
}

/** One group message (numbered n), or a numbered series `from..to` spaced by `spacingMs`. */
let seriesCount = 0;

function series({ ph, from, to, spacingMs, group }) {
  const call = ++seriesCount;
  return new Promise((resolve) => {
    let n = from;
    const one = () => {
      // With its id, as the contract asks of the order system: a message sent again after a
      // broker failover (at least once) is then taken in once, not shown twice.
      send(adapter.message({ groups: [group], id: `${RUN}-${call}-${ph}-${n}`, data: { sentAt: now(), ph, n } }));
      n++;
      if (n < to) setTimeout(one, spacingMs);
      else resolve({ sent: to - from });
    };
    one();
  });
}

function waitAccepted({ total, timeoutMs }) {
  return new Promise((resolve) => {
    const end = Date.now() + timeoutMs;
    const check = setInterval(() => {
      if (accepted >= total || Date.now() > end) {
        clearInterval(check);
        resolve({ accepted, rejected, backlog: backlog.length });
      }
    }, 20);
  });
}

const handlers = {
  steady,
  burst,
  series,
  waitAccepted,
  status: async () => ({ accepted, rejected, backlog: backlog.length, sendable: sender.sendable() }),
};

process.on('message', async (m) => {
  let reply;
  try {
    reply = await handlers[m.cmd](m.args || {});
  } catch (e) {
    reply = { error: String(e && e.stack) };
  }
  process.send({ rid: m.rid, reply });
});
process.on('disconnect', () => process.exit(0));
