/*
 * WaterSpout browser client (minimal): connects to /ws, authenticates with the first frame,
 * hands notifications to a callback and reconnects with jittered exponential backoff. With the
 * server's history on, it starts with the user's unacknowledged notifications, resumes each stream
 * (the user's own, numbered by seq, and each group's, numbered by offset) after the last one it
 * handed on when it reconnects, drops duplicates, and acknowledges each notification once the
 * callback has shown it (ack: false leaves acknowledging to the caller).
 *
 *   const client = WaterSpout.connect({
 *     url: "ws://host/waterspout/ws",          // optional: defaults to this page's server
 *     token: async () => fetchTokenSomehow(), // called on every (re)connect
 *     onNotification: (n) => ...,             // {seq | stream+offset, id, type, title, body, data, occurredAt}
 *     ack: true,                              // optional: acknowledge each one once shown
 *     onStatus: (status, detail) => ...,      // "connecting" | "open" | "closed" | "refused" | "gap"
 *   });
 *   client.close();
 */
(function (global) {
  "use strict";

  function defaultUrl() {
    const base = new URL("ws", document.baseURI);
    base.protocol = base.protocol === "https:" ? "wss:" : "ws:";
    return base.toString();
  }

  function connect(options) {
    const url = options.url || defaultUrl();
    const onStatus = options.onStatus || function () {};
    const onNotification = options.onNotification || function () {};
    let socket = null;
    let attempts = 0;
    let stopped = false;
    let timer = null;
    // The last sequence number of the user's own stream handed to onNotification; 0 until the first.
    let last = 0;
    // The same for each group stream, by name ("group:support").
    const offsets = {};

    function schedule() {
      if (stopped) return;
      // 0.5 s doubling to 30 s, with full jitter so a restart does not bring every tab back at once.
      const ceiling = Math.min(30000, 500 * Math.pow(2, attempts++));
      timer = setTimeout(open, Math.random() * ceiling);
    }

    async function open() {
      onStatus("connecting");
      let token;
      try {
        token = await options.token();
      } catch (e) {
        onStatus("closed", "no token: " + e.message);
        schedule();
        return;
      }
      if (stopped) return;
      socket = new WebSocket(url);
      socket.onopen = function () {
        socket.send(JSON.stringify({ op: "auth", token: token }));
      };
      socket.onmessage = function (event) {
        let frame;
        try {
          frame = JSON.parse(event.data);
        } catch (e) {
          return;
        }
        if (frame.op === "welcome") {
          attempts = 0;
          if (typeof frame.seq === "number") {
            // The first connection starts after what the user acknowledged; a reconnection after
            // what this page already has.
            const streams = {};
            Object.keys(frame.streams || {}).forEach(function (name) {
              streams[name] = name in offsets ? offsets[name] : frame.streams[name].acked;
            });
            socket.send(
              JSON.stringify({ op: "resume", after: last > 0 ? last : frame.acked, streams: streams })
            );
          }
          onStatus("open", frame);
        } else if (frame.op === "notification") {
          if (typeof frame.offset === "number") {
            if (frame.offset <= (offsets[frame.stream] || 0)) return;
            offsets[frame.stream] = frame.offset;
          } else if (typeof frame.seq === "number") {
            if (frame.seq <= last) return;
            last = frame.seq;
          }
          onNotification(frame);
          if (options.ack !== false && socket) {
            if (typeof frame.offset === "number") {
              const streams = {};
              streams[frame.stream] = frame.offset;
              socket.send(JSON.stringify({ op: "ack", streams: streams }));
            } else if (typeof frame.seq === "number") {
              socket.send(JSON.stringify({ op: "ack", seq: frame.seq }));
            }
          }
        } else if (frame.op === "gap") {
          const of = frame.stream ? " of " + frame.stream : "";
          onStatus("gap", "notifications " + frame.from + " to " + frame.to + of + " are no longer kept");
        } else if (frame.op === "error" && frame.code === "cursor-ahead") {
          // The server's history was reset: its numbers start below ours; follow them.
          if (frame.stream) offsets[frame.stream] = frame.latest;
          else last = frame.latest;
          onStatus("error", frame.code + ": " + frame.message);
        } else if (frame.op === "error") {
          onStatus("error", frame.code + ": " + frame.message);
        }
      };
      socket.onclose = function (event) {
        socket = null;
        // 1008: the server refused the token; a new token is fetched on the next attempt.
        onStatus(event.code === 1008 ? "refused" : "closed", event.code + " " + event.reason);
        schedule();
      };
    }

    open();
    return {
      close: function () {
        stopped = true;
        clearTimeout(timer);
        if (socket) socket.close(1000, "bye");
      },
    };
  }

  global.WaterSpout = { connect: connect };
})(window);
