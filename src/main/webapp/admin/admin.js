// The admin page: figures every 2 s, and the operations of /api/admin. The browser sends the
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
      show($("refresh"), "");
    } catch (e) {
      show($("refresh"), "Could not refresh: " + e.message, true);
    }
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
