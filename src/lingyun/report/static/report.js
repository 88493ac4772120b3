/* lingyun report: hover tooltips, filters and layer switches.  Inlined into every report.
   Record text only ever reaches the page through textContent, never innerHTML. */
(function () {
  "use strict";
  var tip = document.getElementById("tip");
  var threshold = document.getElementById("threshold");
  var onlyLow = document.getElementById("only-low");
  var onlyIssues = document.getElementById("only-issues");
  var shown = document.getElementById("shown");
  var pages = Array.prototype.slice.call(document.querySelectorAll("section.page"));

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function parseList(value) {
    try {
      var list = JSON.parse(value || "[]");
      return Array.isArray(list) ? list : [];
    } catch (e) {
      return [];
    }
  }

  function confidenceOf(distance) {
    return distance >= 255 ? "" : (1 - distance / 254).toFixed(3);
  }

  function glyphTip(data) {
    tip.appendChild(el("div", data.text, "big"));
    tip.appendChild(el("div", "confidence " + (data.conf || "unknown")));
    var table = el("table");
    var head = el("tr");
    ["candidate", "distance", "confidence"].forEach(function (name) {
      head.appendChild(el("th", name));
    });
    table.appendChild(head);
    parseList(data.cands).forEach(function (pair) {
      var row = el("tr", null, "cand");
      row.appendChild(el("td", pair[0]));
      row.appendChild(el("td", pair[1]));
      row.appendChild(el("td", confidenceOf(Number(pair[1]))));
      table.appendChild(row);
    });
    tip.appendChild(table);
  }

  function fieldTip(data) {
    tip.appendChild(el("div", data.field, "big"));
    tip.appendChild(el("div", "value: " + (data.value || "(empty)")));
    tip.appendChild(el("div", "confidence " + (data.conf || "unknown")));
    parseList(data.issues).forEach(function (issue) {
      tip.appendChild(el("div", issue, "bad"));
    });
  }

  function related(target) {
    var page = target.closest("section.page");
    if (!page || target.dataset.i === undefined) return [];
    return Array.prototype.slice.call(
      page.querySelectorAll('[data-i="' + target.dataset.i + '"]'));
  }

  function show(event) {
    var target = event.target.closest ? event.target.closest(".glyph, .g, .field") : null;
    if (!target) return;
    var others = related(target);
    var source = target;
    if (target.classList.contains("g")) {
      source = others.filter(function (node) { return node.classList.contains("glyph"); })[0];
      if (!source) return;
    }
    tip.textContent = "";
    if (target.classList.contains("field")) fieldTip(source.dataset);
    else glyphTip(source.dataset);
    others.forEach(function (node) { node.classList.add("hot"); });
    tip.hidden = false;
    move(event);
  }

  function move(event) {
    if (tip.hidden) return;
    var x = event.clientX + 14;
    var y = event.clientY + 14;
    var box = tip.getBoundingClientRect();
    if (x + box.width > window.innerWidth) x = Math.max(0, event.clientX - box.width - 14);
    if (y + box.height > window.innerHeight) y = Math.max(0, event.clientY - box.height - 14);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }

  function hide(event) {
    var target = event.target.closest ? event.target.closest(".glyph, .g, .field") : null;
    if (!target) return;
    tip.hidden = true;
    related(target).forEach(function (node) { node.classList.remove("hot"); });
  }

  function limit() {
    var value = parseFloat(threshold.value);
    return isNaN(value) ? Number(document.body.dataset.threshold) : value;
  }

  function below(node, value) {
    return node.dataset.conf !== "" && Number(node.dataset.conf) < value;
  }

  function apply() {
    var value = limit();
    var visible = 0;
    pages.forEach(function (page) {
      var low = 0;
      page.querySelectorAll(".glyph, .g, .field, .field-row").forEach(function (node) {
        var isLow = below(node, value);
        node.classList.toggle("low", isLow);
        var counted = node.classList.contains("glyph") || node.classList.contains("field-row");
        if (isLow && counted) low += 1;
      });
      page.dataset.low = String(low);
      page.querySelectorAll("tr.field-row").forEach(function (row) {
        row.hidden = onlyIssues.checked && row.dataset.issues === "0";
      });
      var hide = (onlyLow.checked && low === 0) ||
        (onlyIssues.checked && page.dataset.issues === "0");
      page.hidden = hide;
      if (!hide) visible += 1;
    });
    shown.textContent = "showing " + visible + " of " + pages.length + " page(s)";
  }

  function layers() {
    document.querySelectorAll(".layer-toggle").forEach(function (box) {
      document.querySelectorAll("svg.overlay .layer." + box.value).forEach(function (layer) {
        layer.classList.toggle("off", !box.checked);
      });
    });
  }

  function sizeFromImage(img) {
    var svg = img.parentNode.querySelector("svg.overlay");
    if (svg && !svg.getAttribute("viewBox") && img.naturalWidth) {
      svg.setAttribute("viewBox", "0 0 " + img.naturalWidth + " " + img.naturalHeight);
    }
  }

  document.querySelectorAll("figure.sheet img").forEach(function (img) {
    if (img.complete) sizeFromImage(img);
    else img.addEventListener("load", function () { sizeFromImage(img); });
  });
  document.addEventListener("mouseover", show);
  document.addEventListener("mousemove", move);
  document.addEventListener("mouseout", hide);
  [threshold, onlyLow, onlyIssues].forEach(function (input) {
    input.addEventListener("input", apply);
    input.addEventListener("change", apply);
  });
  document.querySelectorAll(".layer-toggle").forEach(function (box) {
    box.addEventListener("change", layers);
  });
  apply();
  layers();
})();
