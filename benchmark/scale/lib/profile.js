'use strict';
// --profile: a JFR recording of the server during one scenario (at the largest count), and what
// its CPU samples say: the hottest methods (self) and where the samples fall by package, so a
// figure that misses its target comes with the profile that says what bounds it.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

function jfrTool() {
  const home = process.env.JAVA_HOME;
  const inHome = home && path.join(home, 'bin', 'jfr');
  return inHome && fs.existsSync(inHome) ? inHome : 'jfr';
}

/** Starts a recording named after the scenario; returns a function that stops and summarises it. */
function start(pid, name, dir) {
  const file = path.join(dir, `profile-${name}.jfr`);
  execFileSync('jcmd', [String(pid), 'JFR.start', `name=bench-${name}`, 'settings=profile'], { encoding: 'utf8' });
  return () => {
    execFileSync('jcmd', [String(pid), 'JFR.stop', `name=bench-${name}`, `filename=${file}`], { encoding: 'utf8' });
    return summarise(file, path.join(dir, `profile-${name}.txt`));
  };
}

// Top frame of each execution sample: "package.Class.method(...)" lines of `jfr print`.
function summarise(file, textFile) {
  const text = execFileSync(jfrTool(), ['print', '--events', 'jdk.ExecutionSample', '--stack-depth', '1', file], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const methods = new Map();
  const packages = new Map();
  let samples = 0;
  const re = /stackTrace = \[\s*\n\s*([\w$.<>]+)\(/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    samples++;
    const method = m[1];
    methods.set(method, (methods.get(method) || 0) + 1);
    const parts = method.split('.');
    const pkg = parts.slice(0, Math.min(3, parts.length - 2)).join('.') || '(no package)';
    packages.set(pkg, (packages.get(pkg) || 0) + 1);
  }
  const top = (map, k) =>
    [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, k).map(([key, n]) => ({ key, share: n / samples }));
  const result = { samples, methods: top(methods, 20), packages: top(packages, 12), file: path.basename(file) };
  const pct = (x) => `${(100 * x).toFixed(1)} %`;
  fs.writeFileSync(
    textFile,
    [`${samples} CPU samples of Java code (${result.file}; time in system calls, e.g. socket writes, is not sampled by JFR's ExecutionSample)`, '', 'by package (top frame):']
      .concat(result.packages.map((p) => `  ${pct(p.share).padStart(7)}  ${p.key}`))
      .concat(['', 'hottest methods (self):'])
      .concat(result.methods.map((p) => `  ${pct(p.share).padStart(7)}  ${p.key}`))
      .join('\n') + '\n',
  );
  return result;
}

module.exports = { start, summarise };
