'use strict';
// Prints the figures of several scale runs (results.json of each) side by side, with the ratio of
// each to the first: node lib/compare.js RESULTS_DIR...
const fs = require('fs');
const path = require('path');

const runs = process.argv.slice(2).map((dir) => {
  const r = JSON.parse(fs.readFileSync(path.join(dir, 'results.json'), 'utf8'));
  return { dir, r, last: r.runs[r.runs.length - 1] || {} };
});
const rows = [
  ['sessions', (x) => x.last.sessions],
  ['connect, sessions/s', (x) => x.last.connect && x.last.connect.perSecond],
  ['unicast p50 (ms)', (x) => x.last.unicast && x.last.unicast.latencyMs && x.last.unicast.latencyMs.p50],
  ['unicast p99 (ms)', (x) => x.last.unicast && x.last.unicast.latencyMs && x.last.unicast.latencyMs.p99],
  ['unicast received / sent', (x) => x.last.unicast && `${x.last.unicast.received} / ${x.last.unicast.sent}`],
  ['group: first delivery (ms, median)', (x) => x.last.group && x.last.group.firstMs],
  ['group: last delivery (ms, median)', (x) => x.last.group && x.last.group.lastMs],
  ['intake (messages/s to the browsers)', (x) => x.last.intake && x.last.intake.messagesPerSecond],
  ['intake: broker accepted/s', (x) => x.last.intake && x.last.intake.brokerAcceptedPerSecond],
];
const head = ['figure', ...runs.map((x) => x.r.serverVersion || x.dir)];
const lines = [`| ${head.join(' | ')} | ratio (last / first) |`, `|${head.map(() => '---').join('|')}|---|`];
for (const [name, get] of rows) {
  const values = runs.map((x) => {
    try {
      const v = get(x);
      return v === undefined || v === null ? '' : v;
    } catch (e) {
      return '';
    }
  });
  const a = Number(values[0]);
  const b = Number(values[values.length - 1]);
  const ratio = Number.isFinite(a) && Number.isFinite(b) && a !== 0 && values.length > 1 ? (b / a).toFixed(2) : '';
  lines.push(`| ${name} | ${values.join(' | ')} | ${ratio} |`);
}
console.log(`Machine: ${JSON.stringify(runs[0].r.machine)}\n`);
console.log(lines.join('\n'));
