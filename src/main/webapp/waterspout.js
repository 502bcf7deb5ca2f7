/*
 * WaterSpout browser client. No dependencies; a classic script (window.WaterSpout) and, through
 * waterspout.mjs, an ES module.
 *
 *   const client = WaterSpout.connect({
 *     token: async () => fetchTokenSomehow(),  // a string, or a function returning one or a
 *                                              // promise of one: called on every (re)connect
 *     onNotification: (n) => ...,              // optional, as on("notification", ...)
 *     onStatus: (state, detail) => ...,        // optional: "connecting" | "open" | "closed" |
 *                                              // "refused" | "gap" | "error"
 *     ack: true,                               // acknowledge each notification once its
 *                                              // handlers returned (or their promises resolved)
 *     transports: ["websocket", "sse", "polling"], // tried in this order
 *     shareTabs: true,                         // one connection for all tabs of this origin
 *     base: "https://host/waterspout/",        // optional: defaults to this script's directory
 *     retryWebSocketMs: 60000,                 // on a fallback, how often WebSocket is tried
 *   });
 *   client.on("notification", (n) => ..., { type: "work-order.*" });  // filtered by type
 *   client.on("gap", (g) => ...);     // {stream?, from, to}: retention dropped those
 *   client.on("state", (s) => ...);   // {state, transport, leader, detail}
 *   client.on("error", (e) => ...);   // {code, message}
 *   client.close();
 *
 * It connects over WebSocket, and falls back to Server-Sent Events, then to long polling, when a
 * transport cannot be opened or stays silent past the heartbeat; on a fallback it tries WebSocket
 * again every minute. Each stream (the user's own, numbered by seq, and each group's, numbered by
 * offset) resumes after the last notification handed on, on every transport, and a notification
 * seen twice is dropped. Reconnects wait a full-jitter exponential back-off (0.5 s doubling to
 * 30 s). Tabs of one origin elect a leader with Web Locks: it alone holds the connection and
 * passes every notification to the others over a BroadcastChannel; when it closes, another takes
 * over from the cursor it heard last, so nothing is lost or shown twice.
 */
(function (global) {
  "use strict";

  const HEARTBEAT_MS = 25000;
  const SILENCE_MS = 2 * HEARTBEAT_MS + 10000;
  const RETRY_WEBSOCKET_MS = 60000;
  const POLL_WAIT_S = 25;
  const ALL = ["websocket", "sse", "polling"];

  const scriptBase = (function () {
    const script = typeof document !== "undefined" && document.currentScript;
    return script && script.src ? new URL(".", script.src).toString() : null;
  })();

  function encodeStream(name) {
    return encodeURIComponent(name).replace(/[!'()*]/g, function (c) {
      return "%" + c.charCodeAt(0).toString(16).toUpperCase();
    });
  }

  function connect(options) {
    options = options || {};
    const base = options.base || scriptBase || new URL(".", document.baseURI).toString();
    const order = (options.transports || ALL).filter(function (t) {
      return ALL.indexOf(t) >= 0;
    });
    const listeners = { notification: [], gap: [], state: [], error: [] };
    // Where each stream stands: the last number handed on, by stream; "" is the user's own.
    const at = {};
    let known = false;
    let stopped = false;
    let leader = false;
    let transport = null; // the open transport: {name, close(), ack(numbers)}
    let rung = 0; // index into order of the transport tried now
    let attempts = 0;
    let timer = null;
    let upgradeTimer = null;
    let releaseLock = null;
    let channel = null;

    function on(event, handler, filter) {
      if (!listeners[event]) throw new Error("unknown event: " + event);
      listeners[event].push({ handler: handler, filter: filter || {} });
      return client;
    }

    function off(event, handler) {
      listeners[event] = (listeners[event] || []).filter(function (l) {
        return l.handler !== handler;
      });
      return client;
    }

    function typeMatches(pattern, type) {
      if (!pattern) return true;
      if (pattern.endsWith("*")) return String(type).startsWith(pattern.slice(0, -1));
      return pattern === type;
    }

    function emit(event, payload) {
      const results = [];
      listeners[event].forEach(function (l) {
        if (event === "notification" && !typeMatches(l.filter.type, payload.type)) return;
        try {
          results.push(l.handler(payload));
        } catch (e) {
          setTimeout(function () {
            throw e;
          });
        }
      });
      return Promise.all(results);
    }

    function state(name, detail) {
      emit("state", { state: name, transport: transport && transport.name, leader: leader, detail: detail });
      if (options.onStatus) options.onStatus(name, detail);
      if (leader && channel) {
        const shared = { state: name, transport: transport && transport.name, leader: false, detail: detail === undefined ? null : detail };
        channel.postMessage({ kind: "state", state: JSON.parse(JSON.stringify(shared)) });
      }
    }

    // A notification frame: dropped when already handed on; else handed to the handlers, passed
    // to the other tabs by the leader, and acknowledged once the handlers are done.
    function notification(frame, fromLeader) {
      const stream = typeof frame.offset === "number" ? frame.stream : typeof frame.seq === "number" ? "" : null;
      if (stream !== null) {
        const number = stream === "" ? frame.seq : frame.offset;
        if (number <= (at[stream] || 0)) return;
        at[stream] = number;
      }
      if (leader && channel) channel.postMessage({ kind: "frame", frame: frame });
      const done = emit("notification", frame);
      if (options.onNotification) {
        try {
          options.onNotification(frame);
        } catch (e) {
          setTimeout(function () {
            throw e;
          });
        }
      }
      if (stream !== null && !fromLeader && options.ack !== false) {
        const numbers = {};
        numbers[stream] = stream === "" ? frame.seq : frame.offset;
        done.then(
          function () {
            if (transport) transport.ack(numbers);
          },
          function () {}
        );
      }
    }

    function frame(f, fromLeader) {
      if (f.op === "notification") {
        notification(f, fromLeader);
      } else if (f.op === "gap") {
        const stream = f.stream || "";
        at[stream] = Math.max(at[stream] || 0, f.to);
        if (leader && channel) channel.postMessage({ kind: "frame", frame: f });
        emit("gap", f);
        if (options.onStatus) {
          const of = f.stream ? " of " + f.stream : "";
          options.onStatus("gap", "notifications " + f.from + " to " + f.to + of + " are no longer kept");
        }
      } else if (f.op === "error") {
        if (f.code === "cursor-ahead") {
          // The server's history was reset: its numbers start below ours; follow them.
          at[f.stream || ""] = f.latest;
        }
        emit("error", { code: f.code, message: f.message });
        if (options.onStatus) options.onStatus("error", f.code + ": " + f.message);
      }
    }

    // The welcome: on the first connection the streams start where the user's acks left them.
    function welcome(w) {
      attempts = 0;
      if (!known && typeof w.seq === "number") {
        at[""] = Math.max(at[""] || 0, w.acked);
        Object.keys(w.streams || {}).forEach(function (name) {
          at[name] = Math.max(at[name] || 0, w.streams[name].acked);
        });
        known = typeof w.seq === "number";
      }
      state("open", w);
    }

    function cursor() {
      if (!known) return null;
      let text = String(at[""] || 0);
      Object.keys(at).forEach(function (name) {
        if (name !== "") text += ";" + encodeStream(name) + "=" + at[name];
      });
      return text;
    }

    // The cursor a poll was answered with: the streams it names that we had not heard of.
    function adopt(header) {
      if (!header) return;
      const parts = header.split(";");
      at[""] = Math.max(at[""] || 0, Number(parts[0]) || 0);
      parts.slice(1).forEach(function (part) {
        const eq = part.lastIndexOf("=");
        const name = decodeURIComponent(part.slice(0, eq));
        at[name] = Math.max(at[name] || 0, Number(part.slice(eq + 1)) || 0);
      });
      known = true;
    }

    async function token() {
      const t = typeof options.token === "function" ? await options.token() : options.token;
      if (!t) throw new Error("no token");
      return t;
    }

    // ---- transports: each calls opened() on its welcome (or first answer), failed(early) when
    // it ends; early: it never opened, which moves on to the next transport.

    function webSocket(t, opened, failed) {
      if (typeof global.WebSocket !== "function") {
        failed(true, "WebSocket unavailable");
        return null;
      }
      const url = new URL("ws", base);
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      const socket = new global.WebSocket(url.toString());
      let open = false;
      let heard = Date.now();
      let watch = null;
      socket.onopen = function () {
        socket.send(JSON.stringify({ op: "auth", token: t }));
        const c = cursor();
        if (c !== null) socket.send(JSON.stringify(resumeFrame()));
      };
      socket.onmessage = function (event) {
        heard = Date.now();
        let f;
        try {
          f = JSON.parse(event.data);
        } catch (e) {
          return;
        }
        if (f.op === "welcome") {
          open = true;
          const first = !known;
          welcome(f);
          if (first && typeof f.seq === "number") socket.send(JSON.stringify(resumeFrame()));
          opened();
        } else {
          frame(f, false);
        }
      };
      socket.onclose = function (event) {
        clearInterval(watch);
        // 1008: the server refused the token; a new one is asked for on the next attempt.
        failed(!open && event.code !== 1008 && event.code !== 1013, event.code + " " + event.reason, event.code === 1008);
      };
      // The server's RFC 6455 pings are invisible here: ask for a pong now and then, and give the
      // connection up when nothing came for two heartbeats.
      watch = setInterval(function () {
        const silent = Date.now() - heard;
        if (silent > SILENCE_MS) {
          socket.close(4000, "silent");
        } else if (silent > HEARTBEAT_MS && socket.readyState === 1 && open) {
          socket.send(JSON.stringify({ op: "ping" }));
        }
      }, HEARTBEAT_MS / 2);
      return {
        name: "websocket",
        close: function () {
          clearInterval(watch);
          socket.onclose = null;
          socket.close(1000, "bye");
        },
        ack: function (numbers) {
          if (socket.readyState !== 1) return;
          const ack = { op: "ack" };
          if ("" in numbers) ack.seq = numbers[""];
          const streams = {};
          Object.keys(numbers).forEach(function (n) {
            if (n !== "") streams[n] = numbers[n];
          });
          if (Object.keys(streams).length) ack.streams = streams;
          socket.send(JSON.stringify(ack));
        },
      };
    }

    function resumeFrame() {
      const streams = {};
      Object.keys(at).forEach(function (name) {
        if (name !== "") streams[name] = at[name];
      });
      return { op: "resume", after: at[""] || 0, streams: streams };
    }

    // Acks over HTTP, gathered for 100 ms: a burst is one request.
    function httpAcks(t) {
      let waiting = null;
      return function (numbers) {
        if (!waiting) {
          waiting = {};
          setTimeout(function () {
            const body = {};
            if ("" in waiting) body.seq = waiting[""];
            const streams = {};
            Object.keys(waiting).forEach(function (n) {
              if (n !== "") streams[n] = waiting[n];
            });
            if (Object.keys(streams).length) body.streams = streams;
            waiting = null;
            fetch(new URL("api/ack", base), {
              method: "POST",
              headers: { Authorization: "Bearer " + t, "Content-Type": "application/json" },
              body: JSON.stringify(body),
            }).catch(function () {});
          }, 100);
        }
        Object.keys(numbers).forEach(function (n) {
          waiting[n] = Math.max(waiting[n] || 0, numbers[n]);
        });
      };
    }

    // SSE read with fetch, which sends the token in a header and sees the heartbeat comments
    // (EventSource does neither; it would need a ticket from api/tickets).
    function sse(t, opened, failed) {
      const abort = new AbortController();
      let closed = false;
      const url = new URL("sse", base);
      const c = cursor();
      if (c !== null) url.searchParams.set("after", c);
      let open = false;
      let heard = Date.now();
      const watch = setInterval(function () {
        if (Date.now() - heard > SILENCE_MS) abort.abort();
      }, HEARTBEAT_MS / 2);
      fetch(url, { headers: { Authorization: "Bearer " + t, Accept: "text/event-stream" }, signal: abort.signal, cache: "no-store" })
        .then(async function (response) {
          if (response.status === 401) throw { refused: true, message: "401" };
          if (!response.ok || !response.body) throw new Error("HTTP " + response.status);
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = "";
          let data = [];
          let name = "message";
          for (;;) {
            const chunk = await reader.read();
            if (chunk.done) break;
            heard = Date.now();
            buffer += chunk.value;
            let nl;
            while ((nl = buffer.search(/\r\n|\n|\r/)) >= 0) {
              const line = buffer.slice(0, nl);
              buffer = buffer.slice(nl + (buffer.startsWith("\r\n", nl) ? 2 : 1));
              if (line === "") {
                if (data.length) {
                  const f = JSON.parse(data.join("\n"));
                  if (name === "welcome") {
                    open = true;
                    welcome(f);
                    opened();
                  } else {
                    frame(f, false);
                  }
                }
                data = [];
                name = "message";
              } else if (line.startsWith("data:")) {
                data.push(line.slice(5).replace(/^ /, ""));
              } else if (line.startsWith("event:")) {
                name = line.slice(6).trim();
              }
            }
          }
          throw new Error("stream ended");
        })
        .catch(function (e) {
          clearInterval(watch);
          if (!closed) failed(!open && !e.refused, String(e.message || e), !!e.refused);
        });
      return {
        name: "sse",
        close: function () {
          closed = true;
          clearInterval(watch);
          abort.abort();
        },
        ack: httpAcks(t),
      };
    }

    function polling(t, opened, failed) {
      let closed = false;
      let abort = null;
      let open = false;
      async function loop() {
        while (!closed) {
          abort = new AbortController();
          const timeout = setTimeout(function () {
            abort.abort();
          }, (POLL_WAIT_S + 10) * 1000);
          const url = new URL("api/notifications", base);
          const c = cursor();
          if (c !== null) url.searchParams.set("after", c);
          // The first answers at once: it says the transport works, and where the streams stand.
          url.searchParams.set("wait", open ? String(POLL_WAIT_S) : "0");
          let response;
          try {
            response = await fetch(url, { headers: { Authorization: "Bearer " + t }, signal: abort.signal, cache: "no-store" });
          } finally {
            clearTimeout(timeout);
          }
          if (response.status === 401) throw { refused: true, message: "401" };
          if (response.status !== 200 && response.status !== 204) throw new Error("HTTP " + response.status);
          const frames = response.status === 200 ? await response.json() : [];
          if (!open) {
            open = true;
            attempts = 0;
            state("open", { transport: "polling" });
            opened();
          }
          frames.forEach(function (f) {
            frame(f, false);
          });
          adopt(response.headers.get("WaterSpout-Cursor"));
        }
      }
      loop().catch(function (e) {
        if (!closed) failed(!open && !e.refused, String(e.message || e), !!e.refused);
      });
      return {
        name: "polling",
        close: function () {
          closed = true;
          if (abort) abort.abort();
        },
        ack: httpAcks(t),
      };
    }

    const TRANSPORTS = { websocket: webSocket, sse: sse, polling: polling };

    function schedule() {
      if (stopped || !leader) return;
      const ceiling = Math.min(30000, 500 * Math.pow(2, attempts++));
      timer = setTimeout(start, Math.random() * ceiling);
    }

    async function start() {
      if (stopped || !leader) return;
      state("connecting", order[rung]);
      let t;
      try {
        t = await token();
      } catch (e) {
        state("closed", "no token: " + e.message);
        schedule();
        return;
      }
      if (stopped || !leader) return;
      const name = order[rung];
      let ended = false;
      let current = null;
      current = TRANSPORTS[name](
        t,
        function opened() {
          clearTimeout(upgradeTimer);
          if (rung > 0 && order.indexOf("websocket") >= 0) {
            // On a fallback: try WebSocket again in a while (resuming from the cursor).
            upgradeTimer = setTimeout(function () {
              if (transport === current && !stopped) {
                current.close();
                transport = null;
                rung = 0;
                start();
              }
            }, options.retryWebSocketMs || RETRY_WEBSOCKET_MS);
          }
        },
        function failed(early, detail, refused) {
          if (ended) return;
          ended = true;
          if (transport === current) transport = null;
          clearTimeout(upgradeTimer);
          state(refused ? "refused" : "closed", detail);
          if (early && rung < order.length - 1) {
            // This transport cannot be opened here: the next one, at once.
            rung++;
            start();
            return;
          }
          // None could be opened (the server away?): after the back-off, from the top again. One
          // that was open and dropped is tried again as it is.
          if (early) rung = 0;
          schedule();
        }
      );
      // A transport that cannot even start (no WebSocket here) has failed already, inside the call.
      if (current && !ended) transport = current;
    }

    function stopTransport() {
      clearTimeout(timer);
      clearTimeout(upgradeTimer);
      if (transport) transport.close();
      transport = null;
    }

    function lead() {
      leader = true;
      rung = 0;
      attempts = 0;
      start();
    }


    // The user a token is for (its unverified claims: only to pick the tabs that may share).
    function claims(t) {
      try {
        const part = t.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
        const c = JSON.parse(atob(part + "===".slice((part.length + 3) % 4)));
        return c.sub + " " + (c.groups || []).slice().sort().join(",");
      } catch (e) {
        return "";
      }
    }

    // Tabs of one user share one connection: the tab holding the lock leads, the others listen.
    async function follow() {
      let first = null;
      try {
        first = await token();
      } catch (e) {
        // No token now: the key cannot say whose connection this is; this tab connects alone.
        lead();
        return;
      }
      if (stopped) return;
      const key = "waterspout " + base + " " + (options.shareKey || claims(first));
      channel = new BroadcastChannel(key);
      channel.onmessage = function (event) {
        const m = event.data;
        if (leader || !m) return;
        if (m.kind === "frame") {
          // Not "known": a tab that heard only some streams takes the others from its welcome.
          frame(m.frame, true);
        } else if (m.kind === "state") {
          emit("state", m.state);
          if (options.onStatus) options.onStatus(m.state.state, m.state.detail);
        }
      };
      const holdLead = function (lock) {
        if (!lock || stopped) return undefined;
        return new Promise(function (resolve) {
          releaseLock = resolve;
          lead();
        });
      };
      navigator.locks.request(key, { ifAvailable: true }, function (lock) {
        if (lock) return holdLead(lock);
        // Another tab leads: follow it, and wait to take over when it goes.
        state("open", { follower: true });
        navigator.locks.request(key, holdLead);
        return undefined;
      });
    }

    const client = {
      on: on,
      off: off,
      close: function () {
        stopped = true;
        stopTransport();
        if (releaseLock) releaseLock();
        if (channel) channel.close();
      },
      get transport() {
        return transport ? transport.name : null;
      },
      get leader() {
        return leader;
      },
      get cursor() {
        return cursor();
      },
    };

    const share = options.shareTabs !== false && global.navigator && navigator.locks && typeof global.BroadcastChannel === "function";
    if (share) {
      follow();
    } else {
      lead();
    }
    return client;
  }

  global.WaterSpout = { connect: connect };
})(typeof window !== "undefined" ? window : globalThis);
