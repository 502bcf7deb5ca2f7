/*
 * The dispatcher demo: sends the order system's three kinds of event as real JMS messages (through
 * /api/demo/notifications?receipt=true, which sets JMSReplyTo to the demo's receipt queue) and
 * waits for each one's receipt (/api/demo/receipts/<JMS message id>).
 */
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);

  function row(label, to) {
    const tr = document.createElement("tr");
    [label, to, "", "sending..."].forEach((text) => {
      const td = document.createElement("td");
      td.textContent = text;
      tr.appendChild(td);
    });
    $("sent").tBodies[0].prepend(tr);
    return tr;
  }

  async function waitForReceipt(tr, id) {
    const until = Date.now() + 10 * 60 * 1000;
    while (Date.now() < until) {
      const response = await fetch("api/demo/receipts/" + encodeURIComponent(id) + "?wait=10");
      if (response.status === 200) {
        const receipt = await response.json();
        const cell = tr.cells[3];
        cell.textContent = receipt.receipt + (receipt.unseen && receipt.unseen.length ? " (not seen by " + JSON.stringify(receipt.unseen) + ")" : "");
        tr.dataset.receipt = receipt.receipt;
        if (receipt.receipt !== "unseen") return;
      } else if (response.status !== 204) {
        tr.cells[3].textContent = "HTTP " + response.status;
        return;
      }
    }
  }

  async function send(label, message) {
    const to = (message.to.users || []).concat((message.to.groups || []).map((g) => "group " + g)).join(", ");
    const tr = row(label, to);
    const response = await fetch("api/demo/notifications?receipt=true", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(message),
    });
    const json = await response.json().catch(() => ({}));
    if (!response.ok) {
      tr.cells[3].textContent = json.error || "HTTP " + response.status;
      return;
    }
    tr.cells[2].textContent = json.jmsMessageId;
    tr.dataset.message = json.jmsMessageId;
    tr.cells[3].textContent = "waiting for the receipt...";
    waitForReceipt(tr, json.jmsMessageId);
  }

  const stamp = () => Date.now().toString(36);

  $("route").addEventListener("submit", (e) => {
    e.preventDefault();
    const order = $("routeOrder").value.trim();
    send("work order " + order + " routed", {
      id: "wo-" + order + "-routed-" + stamp(),
      type: "work-order.routed",
      to: { users: [$("routePro").value.trim()] },
      title: "New work order " + order,
      body: $("routeJob").value,
      data: { workOrderId: Number(order) || order },
    });
  });
  $("approve").addEventListener("submit", (e) => {
    e.preventDefault();
    const order = $("approveOrder").value.trim();
    const limit = Number($("approveLimit").value);
    send("spend limit of " + order + " approved", {
      id: "wo-" + order + "-limit-" + stamp(),
      type: "spend-limit.approved",
      to: { users: [$("approvePro").value.trim()] },
      title: "Spend limit raised to $" + limit,
      body: "Work order " + order + ": you may now spend up to $" + limit,
      data: { workOrderId: Number(order) || order, limit: limit },
    });
  });
  $("cancel").addEventListener("submit", (e) => {
    e.preventDefault();
    const order = $("cancelOrder").value.trim();
    send("work order " + order + " cancelled", {
      id: "wo-" + order + "-cancelled-" + stamp(),
      type: "work-order.cancelled",
      to: { groups: ["support"] },
      title: "Work order " + order + " cancelled",
      body: $("cancelReason").value,
      data: { workOrderId: Number(order) || order },
    });
  });
})();
