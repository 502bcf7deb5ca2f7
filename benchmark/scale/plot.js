'use strict';
// PNG plots from results.json: SVG drawn here, converted with rsvg-convert (librsvg2-bin).
//   node plot.js benchmark/results/<timestamp>
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const dir = process.argv[2];
const out = JSON.parse(fs.readFileSync(path.join(dir, 'results.json'), 'utf8'));
const W = 720;
const H = 420;
const M = { l: 70, r: 20, t: 40, b: 60 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');

function niceMax(v) {
  if (!(v > 0)) return 1;
  const e = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * e).find((x) => x >= v);
}

/** A chart of series [{name, points:[[xLabel, y]]}] over categorical x; lines or grouped bars. */
function chart({ title, xTitle, yTitle, categories, series, bars }) {
  const iw = W - M.l - M.r;
  const ih = H - M.t - M.b;
  const ymax = niceMax(Math.max(...series.flatMap((s) => s.points.map((p) => p[1] || 0))));
  const x = (i) => M.l + (iw * (i + 0.5)) / categories.length;
  const y = (v) => M.t + ih - (ih * v) / ymax;
  const g = [];
  g.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  g.push(`<text x="${W / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${esc(title)}</text>`);
  for (let k = 0; k <= 5; k++) {
    const v = (ymax * k) / 5;
    g.push(`<line x1="${M.l}" x2="${W - M.r}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
    g.push(`<text x="${M.l - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11">${+v.toPrecision(3)}</text>`);
  }
  categories.forEach((c, i) => g.push(`<text x="${x(i)}" y="${M.t + ih + 18}" text-anchor="middle" font-size="11">${esc(c)}</text>`));
  g.push(`<line x1="${M.l}" x2="${W - M.r}" y1="${M.t + ih}" y2="${M.t + ih}" stroke="black"/>`);
  g.push(`<line x1="${M.l}" x2="${M.l}" y1="${M.t}" y2="${M.t + ih}" stroke="black"/>`);
  g.push(`<text x="${W / 2}" y="${H - 14}" text-anchor="middle" font-size="12">${esc(xTitle)}</text>`);
  g.push(`<text transform="translate(16 ${M.t + ih / 2}) rotate(-90)" text-anchor="middle" font-size="12">${esc(yTitle)}</text>`);
  const bw = (iw / categories.length) * 0.8;
  series.forEach((s, si) => {
    const col = COLORS[si % COLORS.length];
    const pts = s.points.map((p) => [categories.indexOf(p[0]), p[1]]).filter((p) => p[0] >= 0 && p[1] !== null);
    if (bars) {
      const w = bw / series.length;
      for (const [i, v] of pts) {
        const x0 = x(i) - bw / 2 + si * w;
        g.push(`<rect x="${x0}" y="${y(v)}" width="${w - 2}" height="${M.t + ih - y(v)}" fill="${col}"/>`);
        g.push(`<text x="${x0 + w / 2}" y="${y(v) - 4}" text-anchor="middle" font-size="10">${+v.toPrecision(3)}</text>`);
      }
    } else {
      g.push(`<polyline fill="none" stroke="${col}" stroke-width="2" points="${pts.map(([i, v]) => `${x(i)},${y(v)}`).join(' ')}"/>`);
      for (const [i, v] of pts) {
        g.push(`<circle cx="${x(i)}" cy="${y(v)}" r="3.5" fill="${col}"/>`);
        g.push(`<text x="${x(i) + 5}" y="${y(v) - 6}" font-size="10">${+v.toPrecision(3)}</text>`);
      }
    }
    g.push(`<rect x="${M.l + 10}" y="${M.t + 6 + si * 16}" width="12" height="10" fill="${col}"/>`);
    g.push(`<text x="${M.l + 28}" y="${M.t + 15 + si * 16}" font-size="11">${esc(s.name)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">${g.join('')}</svg>`;
}

function write(name, svg) {
  const f = path.join(dir, `${name}.svg`);
  fs.writeFileSync(f, svg);
  try {
    execFileSync('rsvg-convert', ['-o', path.join(dir, `${name}.png`), f]);
  } catch (e) {
    console.error(`plot: rsvg-convert failed for ${name}: ${e.message} (SVG kept)`);
  }
}

const runs = out.runs.filter((r) => r.connect);
const label = `${out.server}${out.quick ? ', quick' : ''}`;
const pc = ['p50', 'p90', 'p99', 'p99.9', 'max'];
const keys = ['p50', 'p90', 'p99', 'p999', 'max'];
write(
  'unicast-latency',
  chart({
    title: `Unicast latency, JMS send → client (${label})`,
    xTitle: 'percentile',
    yTitle: 'ms',
    categories: pc,
    series: runs
      .filter((r) => r.unicast && r.unicast.latencyMs)
      .map((r) => ({
        name: `${r.sessions} sessions, ${r.unicast.rate}/s`,
        points: keys.map((k, i) => [pc[i], r.unicast.latencyMs[k]]),
      })),
  }),
);
const counts = runs.map((r) => String(r.sessions));
write(
  'group-delivery',
  chart({
    title: `One notification to the whole group (${label})`,
    xTitle: 'sessions in the group',
    yTitle: 'ms after the JMS send (median)',
    categories: counts,
    series: [
      { name: 'first delivery', points: runs.map((r) => [String(r.sessions), r.group ? r.group.firstMs : null]) },
      { name: 'last delivery', points: runs.map((r) => [String(r.sessions), r.group ? r.group.lastMs : null]) },
    ],
  }),
);
write(
  'memory-per-session',
  chart({
    title: `Server memory per idle session (${label})`,
    xTitle: 'sessions held',
    yTitle: 'KB per session',
    categories: counts,
    bars: true,
    series: [
      { name: 'heap after GC', points: runs.map((r) => [String(r.sessions), r.idle ? r.idle.heapPerSession / 1024 : null]) },
      { name: 'RSS', points: runs.map((r) => [String(r.sessions), r.idle ? r.idle.rssPerSession / 1024 : null]) },
    ],
  }),
);
console.error(`plots in ${dir}`);
