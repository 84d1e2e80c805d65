/**
 * The script report.html runs (inline; the page loads no library): it shows the map's tooltips, makes the
 * county tables sortable, and answers the county search with the county's segment,
 * what stands out about it and its most similar counties (nearest on the kept components). The page reads
 * fully without it; when it has run, `body[data-ready="1"]` is set (the browser tests wait for it).
 * @module
 */

/** The client script's source (plain ES2020, no imports; reads its data from #report-data). */
export const CLIENT_SCRIPT = String.raw`
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var counties = data.counties;

  function sortable(table) {
    var headers = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    headers.forEach(function (th, col) {
      th.tabIndex = 0;
      function sort() {
        var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir);
        var numeric = th.classList.contains("num");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (r) { var c = r.cells[col]; var v = c.getAttribute("data-value") || c.textContent; return numeric ? Number(v) : v; };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          var order = numeric ? x - y : String(x).localeCompare(String(y));
          return dir === "ascending" ? order : -order;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), sortable);

  function similar(i, n) {
    var zi = counties[i].z;
    return counties
      .map(function (c, j) {
        var d = 0;
        for (var k = 0; k < zi.length; k++) d += (c.z[k] - zi[k]) * (c.z[k] - zi[k]);
        return { j: j, d: d };
      })
      .filter(function (x) { return x.j !== i; })
      .sort(function (a, b) { return a.d - b.d; })
      .slice(0, n)
      .map(function (x) { return counties[x.j].l; });
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  var input = document.getElementById("county-search");
  var results = document.getElementById("search-results");
  function search() {
    var q = input.value.trim().toLowerCase();
    results.textContent = "";
    if (q.length < 2) return;
    var hits = [];
    for (var i = 0; i < counties.length && hits.length < 6; i++) {
      if (counties[i].l.toLowerCase().indexOf(q) >= 0) hits.push(i);
    }
    if (hits.length === 0) { results.appendChild(el("p", {}, "No " + data.entity + " matches \u201c" + input.value.trim() + "\u201d.")); return; }
    hits.forEach(function (i) {
      var c = counties[i];
      var hit = el("div", { class: "hit", "data-county": c.l });
      var head = el("div", {});
      head.appendChild(el("strong", {}, c.l));
      head.appendChild(document.createTextNode(" \u2014 segment "));
      head.appendChild(el("span", { class: "swatch", style: "background:" + data.colours[c.g] }));
      head.appendChild(el("span", { class: "segment-name" }, data.segments[c.g]));
      hit.appendChild(head);
      hit.appendChild(el("div", {}, "Stands out: " + c.o + "."));
      hit.appendChild(el("div", { class: "similar" }, "Most similar: " + similar(i, 5).join(", ") + "."));
      results.appendChild(hit);
    });
  }
  input.addEventListener("input", search);

  // The map's shapes carry their descriptions as aria-label ("County: …; State: …; Segment: …; Stands out: …"):
  // the tooltip shows the one under the pointer, one field per line.
  var map = document.querySelector("#map figure.chart");
  if (map) {
    var tip = el("div", { id: "map-tooltip", role: "tooltip" });
    tip.hidden = true;
    map.appendChild(tip);
    map.addEventListener("pointermove", function (e) {
      var shape = e.target;
      var label = shape instanceof SVGPathElement ? shape.getAttribute("aria-label") : null;
      if (!label) { tip.hidden = true; return; }
      tip.textContent = "";
      label.split(/; (?=[A-Z][a-z ]*: )/).forEach(function (field) {
        var colon = field.indexOf(": ");
        var line = el("div", {});
        line.appendChild(el("b", {}, field.slice(0, colon)));
        line.appendChild(document.createTextNode(" " + field.slice(colon + 2)));
        tip.appendChild(line);
      });
      var box = map.getBoundingClientRect();
      var x = e.clientX - box.left + map.scrollLeft + 14;
      tip.style.left = Math.min(x, map.scrollLeft + map.clientWidth - 330) + "px";
      tip.style.top = e.clientY - box.top + 14 + "px";
      tip.hidden = false;
    });
    map.addEventListener("pointerleave", function () { tip.hidden = true; });
  }
  document.body.setAttribute("data-ready", "1");
})();
`;
