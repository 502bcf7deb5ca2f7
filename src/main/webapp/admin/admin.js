// The admin page: figures every 2 s (this instance's, and the cluster's over time), and the
// operations of /api/admin. The browser sends the
// credentials it asked for (BASIC); every change is JSON or DELETE, never a plain form post.
"use strict";
(function () {
  const api = "../api/admin/";
  const $ = (id) => document.getElementById(id);

  async function call(method, path, body) {
    const options = { method, headers: { Accept: "application/json" } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(api + path, options);
    const json = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error(json.error || response.status + " " + response.statusText);
    }
    return json;
  }

  function show(output, text, failed) {
    output.textContent = text;
    output.className = failed ? "error" : "";
  }

  const millis = (ms) => (ms < 10 ? ms.toFixed(1) : Math.round(ms)) + " ms";

  async function refresh() {
    try {
      const o = await call("GET", "overview");
      for (const key of ["openSessions", "usersOnline", "received", "rejected", "delivered", "dropped"]) {
        $(key).textContent = o[key].toLocaleString();
      }
      for (const key of ["p50", "p90", "p99", "max"]) {
        $(key).textContent = millis(o.latencyMillis[key]);
      }
      $("samples").textContent = o.latencyMillis.samples;
      for (const key of ["maxSessions", "refusedCapacity", "refusedRate", "refusedHeap"]) {
        $(key).textContent = o.admission[key].toLocaleString();
      }
      $("admittedSessions").textContent = o.admission.sessions.toLocaleString();
      $("heapPercent").textContent = o.admission.heapPercent + " %";
      $("heapWatermarkPercent").textContent = o.admission.heapWatermarkPercent + " %";
      for (const key of ["p50", "p99"]) {
        $("frame-" + key).textContent = o.frameBytes[key].toLocaleString() + " B";
      }
      $("since").textContent = new Date(o.since).toLocaleString();
      $("admin").textContent = o.admin;
      await refreshCluster();
      show($("refresh"), "");
    } catch (e) {
      show($("refresh"), "Could not refresh: " + e.message, true);
    }
  }

  // The cluster view: a table of the latest samples, and a line per instance over time (dashed:
  // the sum of the live ones, for the figures that add up).
  const colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b"];
  const svg = (name, attributes) => {
    const element = document.createElementNS("http://www.w3.org/2000/svg", name);
    for (const [k, v] of Object.entries(attributes)) element.setAttribute(k, v);
    return element;
  };

  function chart(element, instances, key, summed, spanMillis, now) {
    const width = 400, height = 150, left = 40, bottom = 18, top = 8;
    const x = (at) => left + ((at - (now - spanMillis)) / spanMillis) * (width - left - 4);
    const lines = instances.map((i) => ({ color: i.color, points: i.samples.map((s) => [s.at, s[key]]) }));
    if (summed && instances.length > 1) {
      // The sum at each of this instance's sample times, of every live instance's nearest sample.
      const live = instances.filter((i) => i.state === "live");
      const times = (live.find((i) => i.self) || live[0] || { samples: [] }).samples.map((s) => s.at);
      const nearest = (samples, at) => samples.reduce((best, s) =>
        Math.abs(s.at - at) < Math.abs(best.at - at) ? s : best, samples[0]);
      const sum = times.map((at) => [at, live.reduce((total, i) => {
        const s = nearest(i.samples, at);
        return total + (s && Math.abs(s.at - at) <= 5000 ? s[key] : 0);
      }, 0)]);
      lines.push({ sum: true, points: sum });
    }
    const max = Math.max(1, ...lines.flatMap((l) => l.points.map((p) => p[1])));
    const y = (value) => height - bottom - (value / max) * (height - bottom - top);
    element.replaceChildren(
      svg("line", { class: "axis", x1: left, y1: height - bottom, x2: width, y2: height - bottom }),
      svg("line", { class: "axis", x1: left, y1: top, x2: left, y2: height - bottom }));
    const label = (text, attributes) => {
      const t = svg("text", attributes);
      t.textContent = text;
      element.append(t);
    };
    label(max.toLocaleString(undefined, { maximumFractionDigits: 1 }), { x: 2, y: top + 8 });
    label("0", { x: 2, y: height - bottom });
    label("-" + Math.round(spanMillis / 60000) + " min", { x: left, y: height - 4 });
    label("now", { x: width - 22, y: height - 4 });
    for (const line of lines) {
      if (line.points.length === 0) continue;
      const points = line.points.map(([at, v]) => x(at).toFixed(1) + "," + y(v).toFixed(1)).join(" ");
      const attributes = line.sum ? { class: "sum", points } : { points, stroke: line.color };
      element.append(svg("polyline", attributes));
    }
  }

  async function refreshCluster() {
    const c = await call("GET", "cluster");
    const body = $("instances").tBodies[0];
    body.replaceChildren();
    const legend = $("legend");
    legend.replaceChildren();
    c.instances.forEach((instance, n) => {
      instance.color = colors[n % colors.length];
      const last = instance.samples[instance.samples.length - 1];
      const row = body.insertRow();
      row.dataset.instance = instance.name;
      const name = instance.name + (instance.self ? " (this one)" : "");
      for (const value of [name, instance.state, last.sessions.toLocaleString(),
        last.deliveredPerSecond.toLocaleString(), millis(last.p50Millis), millis(last.p99Millis),
        last.heapPercent + " %"]) {
        row.insertCell().textContent = value;
      }
      const entry = document.createElement("span");
      const swatch = document.createElement("i");
      swatch.style.background = instance.color;
      entry.append(swatch, name);
      legend.append(entry);
    });
    if (c.instances.length > 1) {
      const entry = document.createElement("span");
      entry.innerHTML = '<i style="background:#222"></i>all live, summed (dashed: sessions, deliveries)';
      legend.append(entry);
    }
    $("cluster-live").textContent = c.total.live + " live";
    $("cluster-sessions").textContent = c.total.sessions.toLocaleString();
    $("cluster-rate").textContent = c.total.deliveredPerSecond.toLocaleString();
    // The newest sample's time, not the browser's clock: the server's and the browser's may differ.
    const now = Math.max(0, ...c.instances.flatMap((i) => i.samples.map((s) => s.at)));
    const span = 10 * 60 * 1000;
    chart($("chart-sessions"), c.instances, "sessions", true, span, now);
    chart($("chart-rate"), c.instances, "deliveredPerSecond", true, span, now);
    chart($("chart-p99"), c.instances, "p99Millis", false, span, now);
  }

  function user() {
    const id = $("user").value.trim();
    if (!id) throw new Error("Enter a user id first");
    return encodeURIComponent(id);
  }

  async function list() {
    const result = await call("GET", "users/" + user() + "/sessions");
    const body = $("sessions").tBodies[0];
    body.replaceChildren();
    for (const s of result.sessions) {
      const row = body.insertRow();
      for (const value of [s.id, s.groups.join(", "), new Date(s.openedAt).toLocaleString(), s.queuedFrames]) {
        row.insertCell().textContent = value;
      }
    }
    $("sessions").hidden = result.sessions.length === 0;
    return result.sessions.length + " open session(s) of " + result.user;
  }

  function action(handler, output) {
    return async (event) => {
      event.preventDefault();
      try {
        show(output, await handler());
      } catch (e) {
        show(output, e.message, true);
      }
      refresh();
    };
  }

  $("user-form").addEventListener("submit", action(list, $("user-result")));
  $("test").addEventListener("click", action(async () => {
    const r = await call("POST", "users/" + user() + "/test-notification", {});
    return "Test notification taken by " + r.reached + " session(s)";
  }, $("user-result")));
  $("disconnect").addEventListener("click", action(async () => {
    const r = await call("DELETE", "users/" + user() + "/sessions");
    return "Disconnected " + r.disconnected + " session(s)";
  }, $("user-result")));
  $("announce-form").addEventListener("submit", action(async () => {
    const r = await call("POST", "announcements", { title: $("title").value, body: $("body").value });
    return "Announcement taken by " + r.reached + " session(s)";
  }, $("announce-result")));

  refresh();
  setInterval(refresh, 2000);
})();
