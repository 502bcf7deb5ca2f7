/*
 * The compare demo: one user, four clients in this page (waterspout.js forced onto WebSocket, SSE
 * and long polling, and a plain short poll every 5 s), the same notifications to all, and for each
 * the requests, bytes and delay this page measures. window.compare holds the figures (tests read it).
 */
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const SHORT_POLL_MS = 5000;
  const user = "compare-" + Math.random().toString(36).slice(2, 10);
  const started = Date.now();
  const rows = {};
  const names = { websocket: "WebSocket", sse: "Server-Sent Events", polling: "long polling", short: "short polling (5 s)" };
  Object.keys(names).forEach((k) => (rows[k] = { received: 0, requests: 0, bytes: 0, delays: [] }));
  window.compare = { user: user, rows: rows, sent: 0 };

  const headerBytes = (headers) => {
    let n = 0;
    headers.forEach((value, name) => (n += name.length + value.length + 4));
    return n;
  };
  const kindOf = (url) => (url.includes("/sse") ? "sse" : url.includes("short=1") ? "short" : url.includes("api/notifications") || url.includes("api/ack") ? "polling" : null);

  // Counts what fetch sends and receives for the HTTP transports; the body through a clone, so a
  // stream is counted as it arrives.
  const realFetch = window.fetch.bind(window);
  window.fetch = async function (input, init) {
    const url = String(input instanceof Request ? input.url : input);
    const kind = kindOf(url);
    const response = await realFetch(input, init);
    if (kind) {
      const row = rows[kind];
      row.requests++;
      const sentHeaders = Object.entries((init && init.headers) || {}).reduce((n, [k, v]) => n + k.length + String(v).length + 4, 0);
      row.bytes += url.length + 16 + sentHeaders + ((init && init.body && init.body.length) || 0) + 17 + headerBytes(response.headers);
      if (response.body) {
        const reader = response.clone().body.getReader();
        (async () => {
          for (;;) {
            const chunk = await reader.read().catch(() => ({ done: true }));
            if (chunk.done) break;
            row.bytes += chunk.value.length;
          }
        })();
      }
    }
    return response;
  };

  // Counts the WebSocket's handshake (estimated from its URL) and its frames (payload + header).
  const RealWebSocket = window.WebSocket;
  window.WebSocket = function (url, protocols) {
    const socket = new RealWebSocket(url, protocols);
    const row = rows.websocket;
    row.requests++;
    row.bytes += String(url).length + 230 + 130; // upgrade request and 101 answer, typical sizes
    socket.addEventListener("message", (e) => (row.bytes += e.data.length + (e.data.length < 126 ? 2 : 4)));
    const send = socket.send.bind(socket);
    socket.send = (data) => {
      row.bytes += data.length + (data.length < 126 ? 6 : 8);
      send(data);
    };
    return socket;
  };
  window.WebSocket.prototype = RealWebSocket.prototype;

  function got(kind, n) {
    const row = rows[kind];
    row.received++;
    const sentAt = n.data && n.data.sentAt;
    if (typeof sentAt === "number") row.delays.push(Date.now() - sentAt);
  }

  async function token() {
    const response = await realFetch("api/demo/token", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ user: user, groups: [] }),
    });
    return (await response.json()).token;
  }

  ["websocket", "sse", "polling"].forEach((kind) => {
    WaterSpout.connect({ token: token, transports: [kind], shareTabs: false, ack: false, onNotification: (n) => got(kind, n) });
  });

  // Short polling: what the order system's pages do without push.
  let shortCursor = "0";
  const shortToken = token();
  setInterval(async () => {
    const t = await shortToken;
    const url = "api/notifications?short=1&wait=0&after=" + encodeURIComponent(shortCursor);
    const response = await window.fetch(url, { headers: { Authorization: "Bearer " + t } });
    if (response.status === 200) (await response.json()).forEach((f) => f.op === "notification" && got("short", f));
    shortCursor = response.headers.get("WaterSpout-Cursor") || shortCursor;
  }, SHORT_POLL_MS);

  let paused = false;
  let n = 0;
  async function sendOne() {
    if (!paused) {
      n++;
      await realFetch("api/demo/notifications", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ id: user + "-" + n, type: "compare.tick", to: { users: [user] }, title: "Tick " + n, data: { sentAt: Date.now() } }),
      });
      window.compare.sent = n;
    }
    setTimeout(sendOne, Math.max(1, Number($("every").value) || 3) * 1000);
  }
  setTimeout(sendOne, 2000);
  $("toggle").addEventListener("click", () => {
    paused = !paused;
    $("toggle").textContent = paused ? "Resume" : "Pause";
  });

  const median = (a) => {
    if (!a.length) return null;
    const s = a.slice().sort((x, y) => x - y);
    return s[Math.floor(s.length / 2)];
  };
  setInterval(() => {
    const hours = (Date.now() - started) / 3600000;
    $("sent").textContent = String(n);
    $("elapsed").textContent = String(Math.round((Date.now() - started) / 1000));
    const body = $("figures").tBodies[0];
    body.textContent = "";
    Object.keys(names).forEach((kind) => {
      const r = rows[kind];
      r.median = median(r.delays);
      r.max = r.delays.length ? Math.max.apply(null, r.delays) : null;
      const tr = document.createElement("tr");
      tr.dataset.kind = kind;
      [names[kind], r.received, r.requests, r.bytes, Math.round(r.bytes / hours), r.median === null ? "" : r.median + " ms", r.max === null ? "" : r.max + " ms"].forEach((v) => {
        const td = document.createElement("td");
        td.textContent = String(v);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }, 500);
})();
