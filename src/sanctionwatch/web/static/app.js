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
    if (row && !ev.target.closest("a")) { window.location.href = row.getAttribute("data-href"); }
  });
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
    var note = document.getElementById("note");
    if (note && ev.target === note && ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
      var button = document.getElementById(note.getAttribute("data-action") || "");
      if (button) { ev.preventDefault(); button.click(); }
    }
  });
})();
