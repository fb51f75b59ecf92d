// The grade book grid: arrow keys and Enter move, a column pasted from Excel fills the cells, each cell
// saves on its own when left. A cell that could not reach the server is kept in localStorage and sent
// again when the connection returns, so nothing typed is lost. Without this file the grid is a plain form.
(function () {
  "use strict";
  var form = document.getElementById("gradebook");
  if (!form || !form.dataset.cellUrl) return;
  var url = form.dataset.cellUrl;
  var field = form.dataset.field;
  var statusBox = document.getElementById("gradebook-status");
  var storeKey = "gradebook:" + url;
  var cells = Array.prototype.slice.call(form.querySelectorAll("input.cell"));
  var rows = Array.prototype.slice.call(form.querySelectorAll("tbody tr[data-student]"));
  var grid = rows.map(function (tr) { return Array.prototype.slice.call(tr.querySelectorAll("input.cell")); });
  var saved = {};  // name -> the value the server holds
  var retryTimer = null;

  function csrfToken() {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function pending() {
    try { return JSON.parse(localStorage.getItem(storeKey) || "{}"); } catch (e) { return {}; }
  }

  function setPending(name, value) {
    var all = pending();
    if (value === null) { delete all[name]; } else { all[name] = value; }
    try { localStorage.setItem(storeKey, JSON.stringify(all)); } catch (e) { /* storage full: keep going */ }
  }

  function say(text) { if (statusBox) statusBox.textContent = text; }

  function mark(input, state, message) {
    input.classList.remove("saving", "saved", "error", "pending");
    if (state) input.classList.add(state);
    if (state === "error") {
      input.setAttribute("aria-invalid", "true");
      input.title = message || "";
    } else {
      input.removeAttribute("aria-invalid");
      input.title = state === "pending" ? "Chưa lưu được: sẽ tự gửi lại khi có mạng." : "";
    }
  }

  function updateRow(input, row) {
    var tr = input.closest("tr");
    Object.keys(row || {}).forEach(function (key) {
      var out = tr.querySelector('[data-out="' + key + '"]');
      if (out) out.textContent = row[key];
    });
  }

  function scheduleRetry() {
    if (retryTimer) return;
    retryTimer = setTimeout(function () { retryTimer = null; retryAll(); }, 5000);
  }

  // One save at a time, in the order the cells were left: two requests in flight could answer out of
  // order, and the row's average shown would be the older one's. A cell waiting in the queue is sent once,
  // with what it holds when its turn comes.
  var queue = Promise.resolve();
  var queued = {};

  function save(input) {
    mark(input, "saving");
    setPending(input.name, input.value.trim());
    if (queued[input.name]) return queue;
    queued[input.name] = true;
    queue = queue.then(function () {
      delete queued[input.name];
      return send(input);
    });
    return queue;
  }

  function send(input) {
    var value = input.value.trim();
    var body = new FormData();
    var tr = input.closest("tr");
    body.append("student", tr.dataset.student);
    body.append("term", input.dataset.term);
    body.append("kind", input.dataset.kind);
    body.append("index", input.dataset.index);
    var part = input.dataset.field || field;  // a primary cell: its level, or its test score beside it
    body.append(part, value);
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    }).then(function (response) {
      if (response.status >= 500) throw new Error("server");
      // A refusal that is not ours (an expired session's sign-in page, a proxy) still says something.
      return response.json().catch(function () {
        return { error: "Không lưu được ô này (mã " + response.status + "). Hãy tải lại trang." };
      }).then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (input.value.trim() !== value) return;  // typed again meanwhile: that save decides
      setPending(input.name, null);
      if (result.ok) {
        input.value = result.data[part] || "";
        saved[input.name] = input.value;
        mark(input, "saved");
        updateRow(input, result.data.row);
        say("");
      } else {
        mark(input, "error", result.data.error);
        say(result.data.error);
      }
    }).catch(function () {
      // Offline or the server down: keep it, mark it, try again.
      mark(input, "pending");
      say("Mất kết nối: ô chưa lưu sẽ được gửi lại tự động.");
      scheduleRetry();
    });
  }

  function retryAll() {
    var all = pending();
    Object.keys(all).forEach(function (name) {
      var input = form.querySelector('input.cell[name="' + name + '"]');
      if (input) { input.value = all[name]; save(input); } else { setPending(name, null); }
    });
  }

  function position(input) {
    for (var r = 0; r < grid.length; r++) {
      var c = grid[r].indexOf(input);
      if (c >= 0) return [r, c];
    }
    return null;
  }

  function focusAt(r, c) {
    if (r < 0 || r >= grid.length) return;
    var target = grid[r][Math.max(0, Math.min(c, grid[r].length - 1))];
    if (target) { target.focus(); target.select(); }
  }

  function changed(input) {
    return input.value.trim() !== (saved[input.name] || "");
  }

  cells.forEach(function (input) { saved[input.name] = input.value.trim(); });

  form.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("cell")) return;
    var at = position(input);
    if (!at) return;
    var atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    var atEnd = input.selectionStart === input.value.length;
    var whole = input.selectionStart === 0 && input.selectionEnd === input.value.length;
    var move = null;
    if (event.key === "ArrowDown" || (event.key === "Enter" && !event.shiftKey)) move = [1, 0];
    else if (event.key === "ArrowUp" || (event.key === "Enter" && event.shiftKey)) move = [-1, 0];
    else if (event.key === "ArrowRight" && (atEnd || whole)) move = [0, 1];
    else if (event.key === "ArrowLeft" && (atStart || whole)) move = [0, -1];
    if (!move) return;
    event.preventDefault();  // Enter must not submit the whole form
    focusAt(at[0] + move[0], at[1] + move[1]);
  });

  form.addEventListener("focusin", function (event) {
    if (event.target.classList && event.target.classList.contains("cell")) event.target.select();
  });

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input.classList && input.classList.contains("cell") && changed(input)) save(input);
  });

  form.addEventListener("paste", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("cell")) return;
    var text = (event.clipboardData || window.clipboardData).getData("text");
    if (text.indexOf("\n") < 0 && text.indexOf("\t") < 0) return;  // one value: the browser pastes it
    event.preventDefault();
    var at = position(input);
    var lines = text.replace(/\r/g, "").replace(/\n$/, "").split("\n");
    lines.forEach(function (line, i) {
      line.split("\t").forEach(function (value, j) {
        var row = grid[at[0] + i];
        var target = row && row[at[1] + j];
        if (!target) return;
        target.value = value.trim();
        if (changed(target)) save(target);
      });
    });
    say("Đã dán " + lines.length + " dòng.");
  });

  form.addEventListener("submit", function (event) {
    // With the script every cell is already saved; the button then only sends what is still waiting.
    event.preventDefault();
    cells.filter(changed).forEach(save);
    retryAll();
  });

  window.addEventListener("online", retryAll);
  window.addEventListener("beforeunload", function (event) {
    if (Object.keys(pending()).length) { event.preventDefault(); event.returnValue = ""; }
  });

  // Cells typed while offline on an earlier visit: show them and send them now.
  retryAll();
})();
