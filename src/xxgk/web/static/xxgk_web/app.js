// xxgk web: linking findings, cells and the original (no inline scripts: the CSP forbids them).
(function () {
  "use strict";

  function clear() {
    document.querySelectorAll(".hl").forEach(function (el) { el.classList.remove("hl"); });
  }

  function highlight(keys, line, page) {
    clear();
    var first = null, cell = null;
    keys.forEach(function (key) {
      document.querySelectorAll('[data-key="' + CSS.escape(key) + '"]').forEach(function (el) {
        el.classList.add("hl");
        if (el.classList.contains("box") && !first) { first = el; }
        if (el.matches("td.v") && !cell) { cell = el; }
      });
    });
    // The read side too (its own pane), at once: two smooth scrolls at the same time cancel each other.
    if (cell) { cell.scrollIntoView({ block: "center", inline: "nearest" }); }
    if (!first && line) {
      first = document.getElementById("L" + line);
      if (first) { first.classList.add("hl"); }
    }
    if (!first && page) { first = document.getElementById("page-" + page); }
    if (first) { first.scrollIntoView({ block: "center", behavior: "smooth" }); }
  }

  document.addEventListener("click", function (event) {
    var finding = event.target.closest(".finding[data-location]");
    if (finding && !event.target.closest("form")) {
      document.querySelectorAll(".finding.hl").forEach(function (el) { el.classList.remove("hl"); });
      highlight([finding.dataset.location], finding.dataset.line, finding.dataset.page);
      finding.classList.add("hl");
      return;
    }
    var cell = event.target.closest("td.v[data-key], .box[data-key]");
    if (cell) {
      highlight([cell.dataset.key]);
      (cell.dataset.findings || "").split(" ").filter(Boolean).forEach(function (id) {
        var el = document.getElementById("finding-" + id);
        if (el) { el.classList.add("hl"); }
      });
      var panel = document.getElementById("cell-panel");
      var url = cell.dataset.url;
      if (panel && url && window.htmx) { window.htmx.ajax("GET", url, { target: panel, swap: "innerHTML" }); }
    }
  });

  // Drag and drop onto the upload zone fills the file input.
  document.addEventListener("DOMContentLoaded", function () {
    var zone = document.querySelector(".dropzone");
    if (!zone) { return; }
    var input = zone.querySelector("input[type=file]");
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) {
      input.files = e.dataTransfer.files;
      var count = zone.querySelector(".count");
      if (count) { count.textContent = "已选择 " + input.files.length + " 个文件"; }
    });
  });
})();

// Cell boxes over the PDF page images: positions (percent of the page) from data-box, set here
// because the CSP allows no inline style attributes.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".box[data-box]").forEach(function (box) {
    var p = box.dataset.box.split(" ");
    box.style.left = p[0] + "%"; box.style.top = p[1] + "%";
    box.style.width = p[2] + "%"; box.style.height = p[3] + "%";
  });
  document.querySelectorAll("td.v.sev-error, td.v.sev-warning").forEach(function (cell) {
    document.querySelectorAll('.box[data-key="' + CSS.escape(cell.dataset.key) + '"]').forEach(function (box) {
      box.classList.add(cell.classList.contains("sev-error") ? "sev-error" : "sev-warning");
    });
  });
});

// The report form: after each live check, mark the cells the findings concern (the list says why).
document.addEventListener("htmx:afterSwap", function (event) {
  var flagged = document.getElementById("flagged");
  if (!flagged || !event.detail.target || event.detail.target.id !== "draft-findings") { return; }
  var keys = new Set((flagged.dataset.keys || "").split(" ").filter(Boolean));
  document.querySelectorAll("table.form-table td.v[data-key]").forEach(function (cell) {
    cell.classList.toggle("sev-warning", keys.has(cell.dataset.key));
  });
});
