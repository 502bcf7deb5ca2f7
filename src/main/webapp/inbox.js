/*
 * The pro inbox demo: each notification pops up as a toast and lands in the inbox, kept in this
 * browser's localStorage per user, so a reload shows it again; waterspout.js resumes after what it
 * handed on (and acknowledged), so a reload or a network drop misses nothing and shows nothing twice.
 */
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const list = (text) => text.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  let client = null;
  let user = null;
  let items = [];

  const key = () => "waterspout-inbox:" + user;
  const load = () => JSON.parse(localStorage.getItem(key()) || "[]");
  const save = () => localStorage.setItem(key(), JSON.stringify(items));
  const unique = (n) => (n.stream || "") + "#" + (n.offset || n.seq || n.id);

  function render() {
    const inbox = $("inbox");
    inbox.textContent = "";
    items.forEach((item) => {
      const li = document.createElement("li");
      li.className = item.read ? "read" : "unread";
      li.dataset.id = item.id;
      const title = document.createElement("strong");
      title.textContent = item.title || item.type;
      li.appendChild(title);
      li.appendChild(document.createTextNode(" " + (item.body || "") + " "));
      const when = document.createElement("time");
      when.textContent = new Date(item.occurredAt).toLocaleString();
      li.appendChild(when);
      li.addEventListener("click", () => {
        item.read = true;
        save();
        render();
      });
      inbox.appendChild(li);
    });
    $("unread").textContent = String(items.filter((i) => !i.read).length);
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
    // Kept before it is acknowledged (waterspout.js acks once this returns).
    if (items.some((i) => i.key === unique(n))) return;
    items.unshift(Object.assign({ key: unique(n), read: false }, n));
    save();
    render();
    toast(n);
  }

  async function token(groups) {
    const response = await fetch("api/demo/token", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ user: user, groups: groups }),
    });
    const json = await response.json();
    if (!response.ok) throw new Error(json.error || "HTTP " + response.status);
    return json.token;
  }

  function signIn(name, groups) {
    if (client) client.close();
    user = name;
    localStorage.setItem("waterspout-inbox-user", JSON.stringify({ user: name, groups: groups }));
    items = load();
    render();
    // Tabs share a connection per user and groups (the token's), as waterspout.js decides.
    client = WaterSpout.connect({ token: () => token(groups) });
    client.on("notification", received);
    client.on("state", (s) => {
      const how = s.transport ? " over " + s.transport : s.detail && s.detail.follower ? " through another tab" : "";
      $("status").textContent = s.state === "open" ? "signed in as " + name + how : s.state;
      document.body.dataset.status = s.state;
    });
  }

  $("signin").addEventListener("submit", (event) => {
    event.preventDefault();
    signIn($("user").value.trim(), list($("groups").value));
  });
  $("readAll").addEventListener("click", () => {
    items.forEach((i) => (i.read = true));
    save();
    render();
  });
  const last = JSON.parse(localStorage.getItem("waterspout-inbox-user") || "null");
  if (last) {
    $("user").value = last.user;
    $("groups").value = last.groups.join(", ");
    signIn(last.user, last.groups);
  }
})();
