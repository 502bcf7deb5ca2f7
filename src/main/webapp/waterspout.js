/*
 * WaterSpout browser client (minimal): connects to /ws, authenticates with the first frame,
 * hands notifications to a callback and reconnects with jittered exponential backoff.
 *
 *   const client = WaterSpout.connect({
 *     url: "ws://host/waterspout/ws",          // optional: defaults to this page's server
 *     token: async () => fetchTokenSomehow(), // called on every (re)connect
 *     onNotification: (n) => ...,             // {id, type, title, body, data, occurredAt}
 *     onStatus: (status, detail) => ...,      // "connecting" | "open" | "closed" | "refused"
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
          onStatus("open", frame);
        } else if (frame.op === "notification") {
          onNotification(frame);
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
