/* The demo page: mints a demo token, connects with waterspout.js, sends through JMS. */
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const list = (text) => text.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  let client = null;

  async function post(path, body) {
    const response = await fetch("api/demo/" + path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    const json = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(json.error || "HTTP " + response.status);
    return json;
  }

  function toast(n) {
    const div = document.createElement("div");
    div.className = "toast";
    const strong = document.createElement("strong");
    strong.textContent = n.title || n.type;
    div.appendChild(strong);
    div.appendChild(document.createTextNode(n.body || n.type));
    $("toasts").appendChild(div);
    setTimeout(() => div.remove(), 6000);
  }

  function received(n) {
    toast(n);
    const li = document.createElement("li");
    li.textContent = n.occurredAt + "  " + n.type + "  " + (n.title || "") + "  " + (n.body || "");
    li.dataset.id = n.id;
    $("received").prepend(li);
  }

  function status(state, detail) {
    let text = state;
    if (state === "open" && detail && detail.follower) text = "connected through another tab";
    else if (state === "open" && detail && detail.user) text = "connected as " + detail.user +
        (detail.groups.length ? " (groups: " + detail.groups.join(", ") + ")" : "");
    else if (state === "open") text = "connected";
    else if (detail) text += ": " + detail;
    $("status").textContent = text;
    document.body.dataset.status = state;
  }

  $("signin").addEventListener("submit", (event) => {
    event.preventDefault();
    if (client) client.close();
    const user = $("user").value.trim();
    const groups = list($("groups").value);
    client = WaterSpout.connect({
      token: async () => (await post("token", { user: user, groups: groups })).token,
      onNotification: received,
      onStatus: status,
    });
    $("disconnect").disabled = false;
  });

  $("disconnect").addEventListener("click", () => {
    if (client) client.close();
    client = null;
    status("not connected");
    $("disconnect").disabled = true;
  });

  $("send").addEventListener("submit", async (event) => {
    event.preventDefault();
    const message = {
      type: $("type").value,
      to: { users: list($("toUsers").value), groups: list($("toGroups").value) },
      title: $("title").value,
      body: $("body").value,
      data: { sentFrom: "demo page" },
      occurredAt: new Date().toISOString(),
    };
    try {
      const sent = await post("notifications", message);
      $("result").textContent = "sent as JMS message " + sent.jmsMessageId;
    } catch (e) {
      $("result").textContent = "failed: " + e.message;
    }
  });

  $("sendBad").addEventListener("click", async () => {
    try {
      const sent = await post("notifications", "{ this is not JSON");
      $("result").textContent = "sent invalid message " + sent.jmsMessageId +
          ": WaterSpout moves it to waterspout.rejected and logs a warning";
    } catch (e) {
      $("result").textContent = "failed: " + e.message;
    }
  });

  fetch("api/demo").then((r) => {
    $(r.ok ? "demo" : "nodemo").hidden = false;
  }, () => { $("nodemo").hidden = false; });
})();
