/* The moderation queue, enhanced: decisions in place (fetch, no reload) with Undo,
   tab counts that follow, and WordPress's keyboard shortcuts. Without this file the
   same buttons POST and come back to the queue. */
(function () {
  "use strict";

  const UNDO_MS = 8000;
  const form = document.getElementById("changelist-form");
  const table = document.getElementById("result_list");
  if (!form || !table) return;
  const live = document.querySelector(".queue-live");
  const help = document.querySelector(".queue-help");
  const helpButton = document.querySelector(".queue-help-button");
  let selected = null;
  let lastUndo = null; // {row, url, token, timer}

  function csrf() {
    return form.querySelector("input[name=csrfmiddlewaretoken]").value;
  }

  function rows() {
    return Array.from(table.querySelectorAll("tbody tr")).filter((tr) => tr.querySelector(".queue-actions"));
  }

  function say(text) {
    if (live) live.textContent = text;
  }

  function updateCounts(counts) {
    document.querySelectorAll("[data-queue-count]").forEach((el) => {
      const queue = el.dataset.queueCount;
      if (queue in counts) {
        el.textContent = counts[queue];
        if (queue === "held") el.classList.toggle("queue-count-alert", counts[queue] > 0);
      }
    });
  }

  async function post(url, data) {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", csrf());
    Object.entries(data || {}).forEach(([k, v]) => body.append(k, v));
    const response = await fetch(url, {
      method: "POST",
      body,
      headers: { Accept: "application/json", "X-CSRFToken": csrf() },
      credentials: "same-origin",
    });
    let json = null;
    try {
      json = await response.json();
    } catch (e) {
      json = { ok: false, message: "The server did not answer (" + response.status + ")." };
    }
    return json;
  }

  function notice(row) {
    let el = row.querySelector(".queue-notice");
    if (!el) {
      el = document.createElement("span");
      el.className = "queue-notice";
      row.querySelector(".queue-card").after(el);
    }
    return el;
  }

  function render(row, json) {
    const actions = row.querySelector(".queue-actions");
    const wrapper = document.createElement("div");
    wrapper.innerHTML = json.actions;
    actions.replaceWith(wrapper.firstElementChild);
    const state = row.querySelector("[data-queue-state]");
    if (state) {
      state.textContent = json.state_label;
      state.className = "queue-state queue-state-" + json.queue;
    }
    updateCounts(json.counts);
  }

  function clearUndo() {
    if (!lastUndo) return;
    clearTimeout(lastUndo.timer);
    const button = lastUndo.row.querySelector(".queue-undo");
    if (button) button.remove();
    lastUndo = null;
  }

  async function decide(button) {
    const row = button.closest("tr");
    if (row.classList.contains("queue-busy")) return;
    row.classList.add("queue-busy");
    try {
      const json = await post(button.getAttribute("formaction"));
      if (!json.ok && !json.actions) {
        say(json.message);
        return;
      }
      render(row, json);
      const current = new URLSearchParams(location.search).get("queue") || "held";
      row.classList.toggle("queue-decided", current !== "all" && json.queue !== current);
      const el = notice(row);
      el.textContent = json.message;
      say(json.message);
      if (json.undo_token) {
        clearUndo();
        const undo = document.createElement("button");
        undo.type = "button";
        undo.className = "button queue-undo";
        undo.textContent = "Undo";
        el.append(undo);
        lastUndo = {
          row,
          url: json.undo_url,
          token: json.undo_token,
          timer: setTimeout(clearUndo, UNDO_MS),
        };
      }
    } finally {
      row.classList.remove("queue-busy");
    }
  }

  async function undoLast() {
    if (!lastUndo) return;
    const { row, url, token } = lastUndo;
    clearUndo();
    const json = await post(url, { token });
    if (json.actions) render(row, json);
    const current = new URLSearchParams(location.search).get("queue") || "held";
    row.classList.toggle("queue-decided", current !== "all" && json.queue !== current);
    notice(row).textContent = json.message;
    say(json.message);
  }

  // Clicks on a row's buttons: the same POST, through fetch.
  form.addEventListener("click", (event) => {
    const undo = event.target.closest(".queue-undo");
    if (undo) {
      event.preventDefault();
      undoLast();
      return;
    }
    const button = event.target.closest(".queue-actions button[formaction]");
    if (!button) return;
    event.preventDefault();
    select(button.closest("tr"));
    decide(button);
  });

  function select(row) {
    if (!row) return;
    if (selected) selected.classList.remove("queue-selected");
    selected = row;
    row.classList.add("queue-selected");
    row.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    const all = rows();
    if (!all.length) return;
    const index = selected ? all.indexOf(selected) : -1;
    const next = index < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(Math.max(index + step, 0), all.length - 1);
    select(all[next]);
  }

  function press(action) {
    if (!selected) move(1);
    if (!selected) return;
    const button = selected.querySelector('.queue-actions button[data-action="' + action + '"]');
    if (button) decide(button);
    else say("Nothing to " + action.replace("_", " ") + " here.");
  }

  // r: a reply box under the selected row, sent in place (the reply page without JS).
  function openReply(row) {
    const open = row.nextElementSibling;
    if (open && open.classList.contains("queue-reply-row")) {
      open.querySelector("textarea").focus();
      return;
    }
    const tr = document.createElement("tr");
    tr.className = "queue-reply-row";
    const td = document.createElement("td");
    td.colSpan = row.children.length;
    const label = document.createElement("label");
    label.textContent = "Your reply, posted under your name";
    const text = document.createElement("textarea");
    text.rows = 3;
    text.className = "queue-reply-text";
    label.append(text);
    const send = document.createElement("button");
    send.type = "button";
    send.className = "button default queue-reply-send";
    send.textContent = "Reply";
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "button queue-reply-cancel";
    cancel.textContent = "Cancel";
    const problem = document.createElement("p");
    problem.className = "queue-reply-problem";
    problem.setAttribute("role", "alert");
    td.append(label, send, cancel, problem);
    tr.append(td);
    row.after(tr);
    text.focus();
    cancel.addEventListener("click", () => {
      tr.remove();
      select(row);
    });
    text.addEventListener("keydown", (event) => {
      if (event.key === "Escape") cancel.click();
    });
    send.addEventListener("click", async () => {
      send.disabled = true;
      const url = row.querySelector(".queue-actions").dataset.replyUrl;
      const json = await post(url, { comment: text.value });
      send.disabled = false;
      if (!json.ok) {
        problem.textContent = json.message;
        return;
      }
      tr.remove();
      render(row, json);
      notice(row).textContent = json.message;
      say(json.message);
      select(row);
    });
  }

  function showHelp() {
    if (!help) return;
    if (help.open) help.close();
    else help.showModal();
  }

  if (helpButton) {
    helpButton.hidden = false;
    helpButton.addEventListener("click", showHelp);
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.closest("input, textarea, select, [contenteditable]") || (help && help.open && event.key !== "?")) return;
    const keys = {
      j: () => move(1),
      k: () => move(-1),
      a: () => press("approve"),
      s: () => press("spam"),
      d: () => press("delete"),
      u: () => undoLast(),
      r: () => {
        if (!selected) move(1);
        if (selected) openReply(selected);
      },
      "?": showHelp,
    };
    const run = keys[event.key];
    if (run) {
      event.preventDefault();
      run();
    }
  });
})();
