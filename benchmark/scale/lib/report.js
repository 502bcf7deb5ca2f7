'use strict';
// The markdown table printed at the end (and saved as summary.md).
const kb = (b) => (b === null || b === undefined ? '-' : `${(b / 1024).toFixed(1)} KB`);
const mb = (b) => (b === null || b === undefined ? '-' : `${(b / 2 ** 20).toFixed(0)} MB`);
const lat = (l) => (l ? `${l.p50} / ${l.p99} / ${l.p999} / ${l.max} ms (${l.count})` : '-');
const err = (x) => (x && x.error ? `error: ${x.error}` : null);

function rows(r) {
  const out = [];
  const c = r.connect;
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

function report(out) {
  const lines = [
    `### WaterSpout scale benchmark: ${out.server}${out.quick ? ' (quick)' : ''}, ${out.started}`,
    '',
    `${out.machine.cpus} cores, ${out.machine.memGiB} GiB; ${out.workers} client processes, source addresses ${out.addresses[0]}..${out.addresses[out.addresses.length - 1]}; clients, broker and server on one machine; load average at start ${out.loadAverageAtStart.map((x) => x.toFixed(1)).join(' ')}${out.loadAverageAtEnd ? `, at end ${out.loadAverageAtEnd.map((x) => x.toFixed(1)).join(' ')}` : ''}`,
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
  return lines.join('\n');
}

module.exports = { report };
