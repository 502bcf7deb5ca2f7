'use strict';
// The markdown table printed at the end (and saved as summary.md).
const kb = (b) => (b === null || b === undefined ? '-' : `${(b / 1024).toFixed(1)} KB`);
const mb = (b) => (b === null || b === undefined ? '-' : `${(b / 2 ** 20).toFixed(0)} MB`);
const lat = (l) => (l ? `${l.p50} / ${l.p99} / ${l.p999} / ${l.max} ms (${l.count})` : '-');
const err = (x) => (x && x.error ? `error: ${x.error}` : null);

function rows(r) {
  const out = [];
  const c = r.connect;
  if (c)
    out.push([
      'connect',
      `${c.open}/${c.target} open in ${c.seconds.toFixed(1)} s (${c.perSecond}/s), refused ${c.refused}${
        Object.keys(c.refusedBy || {}).length ? ` ${JSON.stringify(c.refusedBy)}` : ''
      }`,
    ]);
  const i = r.idle;
  if (i)
    out.push(
      ['(1) idle: heap after GC 0 → N', err(i) || `${mb(i.heap0)} → ${mb(i.heapN)}: **${kb(i.heapPerSession)}/session**`],
      ['(1) idle: RSS 0 → N', err(i) || `${mb(i.rss0)} → ${mb(i.rssN)}: **${kb(i.rssPerSession)}/session**`],
      ['(1) idle: server CPU with N held', err(i) || `${i.idleCpuPercent} % of a core over ${i.idleCpuSeconds} s`],
    );
  const u = r.unicast;
  if (u)
    out.push([
      `(2) unicast ${u.rate || ''}/s, persistent: p50 / p99 / p99.9 / max`,
      err(u) || `${lat(u.latencyMs)}; received ${u.received}/${u.sent}`,
    ]);
  const g = r.group;
  if (g)
    out.push([
      '(3) one group notification to all: first / last (median of reps)',
      err(g) || `${g.firstMs} / **${g.lastMs} ms** (worst last ${g.lastMaxMs} ms, ${g.reps} reps, ${g.incomplete} incomplete)`,
    ]);
  const f = r.frames;
  if (f)
    out.push([
      '(4) delivered frames/s (bursts of group notifications)',
      err(f) || `**${f.framesPerSecond}/s** (${f.frames}/${f.expected} frames, ${f.notifications} notifications, ${f.seconds} s from first send)`,
    ]);
  const k = r.intake;
  if (k)
    out.push([
      '(5) intake, persistent, unicast as fast as the broker takes them',
      err(k) || `**${k.messagesPerSecond} msg/s** until the last received (${k.received}/${k.messages}; broker accepted ${k.brokerAcceptedPerSecond}/s)`,
    ]);
  const s = r.storm;
  if (s)
    out.push([
      '(6) reconnect storm: kill -9, restart: 99% / 100% resumed',
      err(s) ||
        `${s.resumed99S} / ${s.resumed100S} s after the kill (server ready after ${s.serverReadyAfterS} s; +${s.resumed99SinceReadyS} / +${s.resumed100SinceReadyS} s after ready); not resumed ${s.notResumed}; **lost ${s.lost} (${s.lostInResumedSessions} in sessions that resumed), duplicates ${s.duplicates}** of ${s.seriesSent} each; refusals ${JSON.stringify(s.refusedBy)}`,
    ]);
  for (const f of (r.faults && r.faults.runs) || []) {
    out.push([
      `(8) fault under load: ${f.fault}`,
      err(f) ||
        `**lost ${f.lost}, shown twice ${f.duplicates}** of ${f.sent} group notifications to each of ${f.sessions} sessions; ${f.linesBroken} lines broke, welcomed again p50 ${f.welcomedAgainP50S} s / max ${f.welcomedAgainMaxS} s after the signal; every session had all ${f.sent} after ${f.everySessionCompleteAfterS} s; the process back (launcher) after ${f.processBackAfterS} s`,
    ]);
  }
  if (r.faults && r.faults.skipped) out.push(['(8) faults', r.faults.skipped]);
  const w = r.slow;
  if (w)
    out.push([
      '(7) slow consumers (1%): others\' unicast p99 without → with',
      err(w) ||
        `${w.baseline.unicast && w.baseline.unicast.p99} → ${w.withSlow.unicast && w.withSlow.unicast.p99} ms (p50 ${w.baseline.unicast && w.baseline.unicast.p50} → ${w.withSlow.unicast && w.withSlow.unicast.p50}); ${w.slowSessions} slow, ${w.slowClosed1013} closed 1013`,
    ]);
  if (r.end)
    out.push([
      'end',
      `open ${r.end.open}; closes of open sessions ${JSON.stringify(r.end.closes)}; failed connect attempts ${r.end.failedAttempts}; gaps ${r.end.gaps}; server errors ${JSON.stringify(r.end.serverErrors)}`,
    ]);
  return out;
}

// The issue's targets (a 2-core machine), each judged from this run: yes, no, or n/a when the run
// did not test it (fewer sessions than the target names, a slower rate, the scenario left out).
const TARGET_SESSIONS = 19000;
const num = (x) => (x === null || x === undefined ? '-' : Number(x).toLocaleString('en-US'));
const yn = (b) => (b ? 'yes' : 'no');

function targets(out) {
  const runs = out.runs || [];
  const r = runs[runs.length - 1] || {};
  const n = r.sessions || 0;
  const big = n >= TARGET_SESSIONS;
  const few = `n/a (${num(n)} < ${num(TARGET_SESSIONS)} sessions)`;
  const rows = [];
  const row = (scenario, target, measured, met) => rows.push([scenario, target, measured, met]);
  const missing = (x) => !x || x.error;
  const why = (x) => (x && x.error ? `error: ${x.error}` : 'not run');

  const i = r.idle;
  const e = r.end || {};
  const errors = Object.values(e.serverErrors || {}).reduce((a, b) => a + b, 0) + (e.gaps || 0);
  if (missing(i)) row('sessions held, embedded default heap', '19,000, no error; ≤8 KB heap and ≤16 KB RSS each', why(i), 'n/a');
  else {
    const held = i.open;
    const ok = held >= TARGET_SESSIONS && errors === 0 && i.heapPerSession <= 8192 && i.rssPerSession <= 16384;
    const embedded = out.server === 'payara-micro';
    row(
      'sessions held, embedded default heap',
      '19,000, no error; ≤8 KB heap and ≤16 KB RSS each',
      `${num(held)} held${r.connect && r.connect.refused ? ` (${num(r.connect.refused)} refused on the way)` : ''}; ${kb(i.heapPerSession)} heap, ${kb(i.rssPerSession)} RSS each; server errors/gaps ${errors}${embedded ? '' : ` (on ${out.server}, not embedded)`}`,
      n < TARGET_SESSIONS ? few : !embedded ? 'n/a (not the embedded server)' : yn(ok),
    );
  }

  const c = r.connect && r.connect.capacity;
  if (!c) row('beyond capacity', 'handshakes refused with 503, server healthy', `the session limit was not reached (${num(r.connect && r.connect.open)} of ${num(n)} held)`, 'n/a');
  else
    row(
      'beyond capacity',
      'handshakes refused with 503, server healthy',
      `limit at ${num(c.held)} sessions: ${num(c.refused503)} handshakes refused with 503; /health/ready ${c.readyStatus}${c.readyReason ? ` "${c.readyReason}"` : ''}; /health/live ${c.liveStatus}, /waterspout/ ${c.appStatus}`,
      yn(c.refused503 > 0 && c.atCapacity && c.liveStatus === 200 && c.appStatus === 200),
    );

  const g = r.group;
  row(
    `group notification to ${num(TARGET_SESSIONS / 1000)}k`,
    'last delivery ≤150 ms',
    missing(g) ? why(g) : `last ${g.lastMs} ms (median of ${g.reps}; worst ${g.lastMaxMs} ms) to ${num(g.sessions)}, ${g.incomplete} incomplete`,
    missing(g) ? 'n/a' : !big ? few : yn(g.lastMs <= 150 && g.incomplete === 0),
  );

  const u = r.unicast;
  const ul = u && u.latencyMs;
  row(
    'unicast at 1,000/s, 19k connected, persistent',
    'p50 ≤2 ms, p99 ≤10 ms',
    missing(u) ? why(u) : `${num(u.rate)}/s to ${num(n)}: p50 ${ul ? ul.p50 : '-'} ms, p99 ${ul ? ul.p99 : '-'} ms; received ${num(u.received)}/${num(u.sent)}`,
    missing(u) || !ul ? 'n/a' : !big ? few : u.rate < 1000 ? `n/a (${num(u.rate)}/s < 1,000/s)` : yn(ul.p50 <= 2 && ul.p99 <= 10 && u.received >= u.sent),
  );

  const f = r.frames;
  row(
    'delivered frames/s',
    '≥60,000',
    missing(f) ? why(f) : `${num(f.framesPerSecond)}/s (${num(f.frames)}/${num(f.expected)} frames to ${num(f.sessions)} sessions)`,
    missing(f) ? 'n/a' : yn(f.framesPerSecond >= 60000 && f.frames >= f.expected),
  );

  const k = r.intake;
  row(
    'intake, persistent',
    '≥3,000 msg/s',
    missing(k) ? why(k) : `${num(k.messagesPerSecond)} msg/s until the last received (${num(k.received)}/${num(k.messages)})`,
    missing(k) ? 'n/a' : yn(k.messagesPerSecond >= 3000 && k.received >= k.messages),
  );

  const s = r.storm;
  row(
    `reconnect storm, ${num(TARGET_SESSIONS / 1000)}k`,
    '99% in 10 s, all in 20 s, 0 lost, 0 duplicates',
    missing(s)
      ? why(s)
      : `99% / all resumed ${s.resumed99SinceReadyS ?? '-'} / ${s.resumed100SinceReadyS ?? '-'} s after the server was ready again (${s.resumed99S ?? '-'} / ${s.resumed100S ?? '-'} s after the kill); not resumed ${num(s.notResumed)}; lost ${num(s.lost)}, duplicates ${num(s.duplicates)}`,
    missing(s)
      ? 'n/a'
      : !big
        ? few
        : yn(s.resumed99SinceReadyS !== null && s.resumed99SinceReadyS <= 10 && s.resumed100SinceReadyS !== null && s.resumed100SinceReadyS <= 20 && s.lost === 0 && s.duplicates === 0),
  );

  const w = r.slow;
  const b = w && w.baseline && w.baseline.unicast;
  const o = w && w.withSlow && w.withSlow.unicast;
  const inc = b && o && b.p99 > 0 ? ((o.p99 - b.p99) / b.p99) * 100 : null;
  row(
    'slow consumers',
    "others' p99 +<10%",
    missing(w) ? why(w) : `p99 ${b ? b.p99 : '-'} → ${o ? o.p99 : '-'} ms (${inc === null ? '-' : `${inc >= 0 ? '+' : ''}${inc.toFixed(1)} %`}) with ${num(w.slowSessions)} slow (${num(w.slowClosed1013)} closed 1013)`,
    missing(w) || inc === null ? 'n/a' : yn(inc < 10),
  );
  return rows;
}

function report(out) {
  const m = out.machine || {};
  const lines = [
    `### WaterSpout scale benchmark: ${out.server}${out.quick ? ' (quick)' : ''}, ${out.started}`,
    '',
    ...(out.stopped ? [`**Stopped early: ${out.stopped}** (the figures below are what it had)`, ''] : []),
    `Server: ${out.serverVersion || out.server}. Machine: ${m.cpuModel || '?'}, ${m.cpus} cores, ${m.memGiB} GiB, ${m.kernel || '?'}; ${m.jdk || 'JDK ?'}; Node ${m.node || '?'}.`,
    '',
    `${out.workers} client processes, source addresses ${out.addresses[0]}..${out.addresses[out.addresses.length - 1]}; clients, broker and server on one machine; load average at start ${out.loadAverageAtStart.map((x) => x.toFixed(1)).join(' ')}${out.loadAverageAtEnd ? `, at end ${out.loadAverageAtEnd.map((x) => x.toFixed(1)).join(' ')}` : ''}`,
    '',
  ];
  for (const r of out.runs) {
    lines.push(`#### ${r.sessions} sessions`, '', '| scenario | result |', '|---|---|');
    for (const [a, b] of rows(r)) lines.push(`| ${a} | ${b} |`);
    if (r.idle && r.idle.topClasses) {
      lines.push('', `Top 15 classes by bytes added, 0 → ${r.sessions} sessions (per session):`, '');
      lines.push('| class | bytes added | per session | instances added |', '|---|---|---|---|');
      for (const c of r.idle.topClasses)
        lines.push(`| \`${c.cls}\` | ${c.bytes} | ${(c.bytes / r.idle.open).toFixed(0)} B | ${c.instances} |`);
    }
    lines.push('');
  }
  const last = out.runs[out.runs.length - 1];
  lines.push(
    `#### Targets (the issue's, for a 2-core machine), at ${last ? num(last.sessions) : '-'} sessions on ${out.serverVersion || out.server}`,
    '',
    '| scenario | target | measured (this run) | met? |',
    '|---|---|---|---|',
  );
  for (const t of targets(out)) lines.push(`| ${t.join(' | ')} |`);
  lines.push('');
  return lines.join('\n');
}

module.exports = { report, targets };
