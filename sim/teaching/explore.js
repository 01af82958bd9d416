// The linesim explorer: shows one precomputed grid point at a time (sim/teaching/explore.py
// writes every point as JSON in <script id="explore-data">). Nothing is computed here but the
// drawing: the numbers and their text come from the sweep.
"use strict";

(function () {
  const DATA = JSON.parse(document.getElementById("explore-data").textContent);
  const SVG = document.getElementById("stations").namespaceURI; // the page's own SVG element names it
  const chosen = DATA.paths.map(function () { return 0; });
  let xPath = 0;

  function el(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function pointOf(at) {
    for (let i = 0; i < DATA.index.length; i++) {
      if (DATA.index[i].every(function (v, j) { return v === at[j]; })) return i;
    }
    return -1;
  }

  function fmt(x) {
    if (x === null || x === undefined || !Number.isFinite(x)) return "–";
    const a = Math.abs(x);
    if (a >= 1000) return Math.round(x).toLocaleString("en-US");
    if (a >= 100) return x.toFixed(1);
    if (a >= 1) return x.toFixed(2);
    return x.toPrecision(3);
  }

  function buildControls() {
    const box = document.getElementById("controls");
    DATA.paths.forEach(function (p, j) {
      const div = document.createElement("div");
      div.className = "control";
      const label = document.createElement("label");
      label.textContent = p.path;
      label.setAttribute("for", "vary-" + j);
      const input = document.createElement("input");
      input.type = "range"; input.min = "0"; input.max = String(p.values.length - 1); input.step = "1";
      input.value = "0"; input.id = "vary-" + j; input.setAttribute("data-path", p.path);
      const value = document.createElement("span");
      value.className = "value"; value.id = "value-" + j;
      input.addEventListener("input", function () { chosen[j] = +input.value; xPath = j; show(); });
      div.appendChild(label); div.appendChild(input); div.appendChild(value);
      box.appendChild(div);
    });
  }

  function showKpis(pt) {
    const rows = document.getElementById("kpi-rows");
    rows.textContent = "";
    DATA.kpis.forEach(function (k) {
      const tr = document.createElement("tr");
      const v = pt.kpis[k.key];
      [k.label, v[2], k.unit].forEach(function (text, c) {
        const td = document.createElement("td");
        td.textContent = text;
        if (c === 1) { td.className = "num"; td.setAttribute("data-kpi", k.key); }
        tr.appendChild(td);
      });
      rows.appendChild(tr);
    });
  }

  function showStations(pt) {
    const svg = document.getElementById("stations"), rowH = 22, left = 190, width = 900;
    svg.textContent = "";
    svg.setAttribute("viewBox", "0 0 " + (left + width + 30) + " " + (pt.stations.length * rowH + 24));
    svg.setAttribute("width", "100%");
    pt.stations.forEach(function (st, r) {
      const y = r * rowH + 4;
      const bn = st[0] === pt.bottleneck;
      svg.appendChild(el("text", { x: left - 8, y: y + 14, "text-anchor": "end", "font-weight": bn ? "700" : "400" },
        st[0] + (bn ? " (bottleneck)" : "")));
      let x = left;
      DATA.fractions.forEach(function (f, i) {
        const w = width * st[i + 1];
        if (w > 0) {
          const rect = el("rect", { x: x, y: y, width: w, height: rowH - 5, fill: DATA.colors[f] });
          rect.appendChild(el("title", {}, st[0] + ": " + DATA.fraction_words[i] + " " + (100 * st[i + 1]).toFixed(1) + "%"));
          svg.appendChild(rect);
        }
        x += w;
      });
    });
    [0, 0.25, 0.5, 0.75, 1].forEach(function (f) {
      svg.appendChild(el("text", { x: left + width * f, y: pt.stations.length * rowH + 20, "text-anchor": "middle" },
        (100 * f) + "%"));
    });
  }

  function curve(k, at) {
    const p = DATA.paths[xPath], pts = [];
    p.values.forEach(function (label, v) {
      const here = at.slice(); here[xPath] = v;
      const i = pointOf(here);
      if (i < 0) return;
      const m = DATA.points[i].kpis[k.key];
      pts.push({ x: p.x ? p.x[v] : v, label: label, v: v, mean: m[0], ci: m[1] });
    });
    return pts;
  }

  function showCurve(k, at) {
    const W = 420, H = 230, L = 62, R = 12, T = 26, B = 40;
    const pts = curve(k, at).filter(function (q) { return q.mean !== null; });
    const svg = el("svg", { viewBox: "0 0 " + W + " " + H, width: "100%", "data-kpi": k.key, role: "img" });
    svg.appendChild(el("text", { x: 4, y: 15, "font-weight": "700" }, k.label + " · " + k.unit));
    if (!pts.length) return svg;
    const xs = pts.map(function (q) { return q.x; });
    // every KPI shown is a count, a rate, a time or a share: nothing below zero
    const low = function (q) { return Math.max(0, q.mean - (q.ci || 0)); };
    let lo = Infinity, hi = -Infinity;
    pts.forEach(function (q) { lo = Math.min(lo, low(q)); hi = Math.max(hi, q.mean + (q.ci || 0)); });
    if (hi - lo < 1e-12) { lo -= 1; hi += 1; }
    const pad = 0.08 * (hi - lo); lo = Math.max(0, lo - pad); hi += pad;
    const x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs), IN = 34; // room for the end labels
    const sx = function (x) {
      return x1 === x0 ? L + (W - L - R) / 2 : L + IN + (W - L - R - 2 * IN) * (x - x0) / (x1 - x0);
    };
    const sy = function (y) { return T + (H - T - B) * (1 - (y - lo) / (hi - lo)); };
    const s = k.scale;
    svg.appendChild(el("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: "#888" }));
    svg.appendChild(el("line", { x1: L, y1: T, x2: L, y2: H - B, stroke: "#888" }));
    [lo, (lo + hi) / 2, hi].forEach(function (y) {
      svg.appendChild(el("text", { x: L - 5, y: sy(y) + 4, "text-anchor": "end" }, fmt(y * s)));
    });
    const band = pts.map(function (q) { return sx(q.x) + "," + sy(q.mean + (q.ci || 0)); })
      .concat(pts.slice().reverse().map(function (q) { return sx(q.x) + "," + sy(low(q)); }));
    svg.appendChild(el("polygon", { points: band.join(" "), fill: "#0072B2", "fill-opacity": "0.18", stroke: "none" }));
    svg.appendChild(el("polyline", { points: pts.map(function (q) { return sx(q.x) + "," + sy(q.mean); }).join(" "),
      fill: "none", stroke: "#0072B2", "stroke-width": 2 }));
    pts.forEach(function (q) {
      const on = q.v === at[xPath];
      svg.appendChild(el("circle", { cx: sx(q.x), cy: sy(q.mean), r: on ? 7 : 3.5, fill: on ? "#D55E00" : "#0072B2",
        class: on ? "marked" : "" }));
      const tick = el("text", { x: sx(q.x), y: H - B + 16, "text-anchor": "middle" },
        q.label.length > 12 ? q.label.slice(0, 11) + "…" : q.label);
      tick.appendChild(el("title", {}, q.label));
      svg.appendChild(tick);
    });
    svg.appendChild(el("text", { x: (L + W - R) / 2, y: H - 6, "text-anchor": "middle" }, DATA.paths[xPath].path));
    return svg;
  }

  function show() {
    const i = pointOf(chosen);
    const pt = DATA.points[i];
    document.body.setAttribute("data-point", String(i));
    DATA.paths.forEach(function (p, j) {
      document.getElementById("vary-" + j).value = String(chosen[j]);
      document.getElementById("value-" + j).textContent = " = " + p.values[chosen[j]];
    });
    const meta = document.getElementById("point-meta");
    meta.textContent = "Grid point " + (i + 1) + " of " + DATA.points.length + ": " + pt.replications
      + " replications, engine " + pt.engine + ", bottleneck " + pt.bottleneck + ". ";
    if (pt.flag) {
      const f = document.createElement("span"); f.className = "flag";
      f.textContent = "The means are not long-run figures here (" + pt.flag + ").";
      meta.appendChild(f);
    }
    showKpis(pt);
    showStations(pt);
    document.getElementById("curve-meta").textContent = "Against " + DATA.paths[xPath].path
      + (DATA.paths.length > 1 ? ", the other paths as chosen above (move a control to put its path on the x axis)" : "")
      + "; the chosen point is marked.";
    const box = document.getElementById("curves");
    box.textContent = "";
    DATA.kpis.forEach(function (k) { box.appendChild(showCurve(k, chosen)); });
  }

  function legend() {
    const box = document.getElementById("legend");
    DATA.fractions.forEach(function (f, i) {
      const span = document.createElement("span");
      const sw = document.createElement("i"); sw.style.background = DATA.colors[f];
      span.appendChild(sw); span.appendChild(document.createTextNode(DATA.fraction_words[i]));
      box.appendChild(span);
    });
  }

  function fromFragment() {
    const m = /(?:^#|&)point=(\d+)/.exec(window.location.hash);
    if (m && +m[1] < DATA.index.length) DATA.index[+m[1]].forEach(function (v, j) { chosen[j] = v; });
  }

  buildControls();
  legend();
  fromFragment();
  show();
  window.addEventListener("hashchange", function () { fromFragment(); show(); });
})();
