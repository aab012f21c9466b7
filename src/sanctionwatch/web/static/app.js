// sanctionwatch triage page: keyboard shortcuts. No library, no inline script (CSP).
(function () {
  "use strict";
  function typing(ev) {
    var t = ev.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
  }
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("table.queue tr.row")); }
  function select(list, i) {
    list.forEach(function (r) { r.classList.remove("selected"); });
    if (list[i]) { list[i].classList.add("selected"); list[i].scrollIntoView({ block: "nearest" }); }
  }
  document.addEventListener("click", function (ev) {
    var row = ev.target.closest && ev.target.closest("table.queue tr.row");
    if (row && !ev.target.closest("a") && !ev.target.closest("input") && !ev.target.closest("label")) {
      window.location.href = row.getAttribute("data-href");
    }
  });
  var all = document.getElementById("select-all");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll("table.queue input.pick").forEach(function (b) { b.checked = all.checked; });
    });
  }
  // On the queue: a / d act on the ticked alerts, or on the current row when none is ticked;
  // the note is asked for first (a dismissal needs one), Enter in it submits.
  function bulk(key, list, cur) {
    var button = document.getElementById(key === "a" ? "bulk-acknowledged" : "bulk-dismissed");
    var note = document.getElementById("bulk-note");
    if (!button || !note) { return false; }
    var ticked = document.querySelectorAll("table.queue input.pick:checked");
    if (!ticked.length && cur >= 0) {
      var box = list[cur].querySelector("input.pick");
      if (box) { box.checked = true; }
    }
    note.setAttribute("data-action", button.id);
    note.placeholder = "note, then Enter to " + button.textContent.toLowerCase();
    note.focus();
    return true;
  }
  document.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
    if (typing(ev)) {
      if (ev.key === "Escape") { ev.target.blur(); }
      return;
    }
    var list = rows();
    var cur = list.findIndex(function (r) { return r.classList.contains("selected"); });
    if (ev.key === "j" && list.length) { select(list, Math.min(cur + 1, list.length - 1)); ev.preventDefault(); }
    else if (ev.key === "k" && list.length) { select(list, Math.max(cur - 1, 0)); ev.preventDefault(); }
    else if (ev.key === "Enter" && cur >= 0) { window.location.href = list[cur].getAttribute("data-href"); ev.preventDefault(); }
    else if (ev.key === "/") { var f = document.getElementById("f-entity"); if (f) { f.focus(); ev.preventDefault(); } }
    else if (ev.key === "n" || ev.key === "p") {
      var a = document.getElementById(ev.key === "n" ? "older" : "newer"); if (a) { a.click(); }
    }
    else if (ev.key === "x" && cur >= 0) {
      var pick = list[cur].querySelector("input.pick"); if (pick) { pick.checked = !pick.checked; ev.preventDefault(); }
    }
    else if ((ev.key === "a" || ev.key === "d") && document.getElementById("bulk") && bulk(ev.key, list, cur)) {
      ev.preventDefault();
    }
    else if (ev.key === "m") { var me = document.getElementById("do-assign-me"); if (me) { me.click(); ev.preventDefault(); } }
    else if (ev.key === "a" || ev.key === "e" || ev.key === "d") {
      var note = document.getElementById("note");
      var target = { a: "do-acknowledged", e: "do-escalated", d: "do-dismissed" }[ev.key];
      if (note && document.getElementById(target)) {
        note.focus();
        note.setAttribute("data-action", target);
        note.placeholder = "note, then Ctrl+Enter to " + document.getElementById(target).textContent.toLowerCase();
        ev.preventDefault();
      }
    }
  });
  document.addEventListener("keydown", function (ev) {
    var b = document.getElementById("bulk-note");
    if (b && ev.target === b && ev.key === "Enter") {
      // never the form's first button by accident: only the action a key chose
      ev.preventDefault();
      var go = document.getElementById(b.getAttribute("data-action") || "");
      if (go) { go.click(); }
    }
  });
  document.addEventListener("keydown", function (ev) {
    var note = document.getElementById("note");
    if (note && ev.target === note && ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
      var button = document.getElementById(note.getAttribute("data-action") || "");
      if (button) { ev.preventDefault(); button.click(); }
    }
  });
})();
