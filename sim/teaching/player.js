// The linesim player: replays the films embedded in the page (sim/teaching/player.py writes
// them as JSON in <script id="film-data">) on the SVG picture the page already holds.
//
// Exact by construction: the state shown at time t is the state after every event at or before
// t, rebuilt from the events (from a checkpoint saved every CHECKPOINT events), never
// interpolated. sim/teaching/replay.py computes the same state in Python; the tests hold the two
// together. Units flying between stations while the film plays are a picture of hand-overs that
// already happened (they change no count); a paused player shows none.
"use strict";

(function () {
  const DATA = JSON.parse(document.getElementById("film-data").textContent);
  const CHECKPOINT = 512;
  const FLIGHT_SECONDS = 0.6; // real seconds a hand-over flies for
  const MAX_FLIGHTS = 160;
  const STATE_NAMES = DATA.states; // the model's state codes, in order
  const OFF = "off_shift";
  const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  const T0 = DATA.t0;
  const T1 = DATA.t1;

  // ------------------------------------------------------------------ numbers (as sim/numbers.py)

  function groupThousands(text) {
    const parts = text.split(".");
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return parts.join(".");
  }

  // A number for a person, as sim.numbers.number: 131,287 · 195.4 · 3.256 · 0.8979; "–" if missing.
  function fmt(x, sig) {
    sig = sig || 4;
    if (x === null || x === undefined || Number.isNaN(x)) return "–";
    if (!Number.isFinite(x)) return x > 0 ? "∞" : "−∞";
    const a = Math.abs(x);
    if (Number.isInteger(x) || a >= Math.pow(10, sig - 1)) return groupThousands(x.toFixed(0));
    const decimals = Math.min(12, sig - 1 - Math.floor(Math.log10(a)));
    return groupThousands(x.toFixed(decimals).replace(/0+$/, "").replace(/\.$/, ""));
  }

  function two(n) {
    return (n < 10 ? "0" : "") + n;
  }

  // "Tue 00:30:00 · day 2": time 0 is 00:00 on the first day of a week (a Monday).
  function clockText(t) {
    const day = Math.floor(t / 86400);
    const s = Math.floor(t - day * 86400);
    const hms = two(Math.floor(s / 3600)) + ":" + two(Math.floor((s % 3600) / 60)) + ":" + two(s % 60);
    return DAYS[day % 7] + " " + hms + " · day " + (day + 1);
  }

  // ------------------------------------------------------------------------------ the replay

  function newState(film) {
    const where = new Int32Array(film.nUnits).fill(-1);
    const places = film.init.places.map(function (p, k) {
      p.forEach(function (u) { where[u] = k; });
      return p.slice();
    });
    return {
      k: 0, t: T0, codes: film.init.states.slice(), units: film.init.servers.slice(), places: places,
      where: where, held: film.init.held.slice(), completed: 0, scrapped: 0, wip: film.init.wip,
      wipArea: 0, leadSum: 0,
    };
  }

  function copyState(s) {
    return {
      k: s.k, t: s.t, codes: s.codes.slice(), units: s.units.slice(),
      places: s.places.map(function (p) { return p.slice(); }), where: s.where.slice(), held: s.held.slice(),
      completed: s.completed, scrapped: s.scrapped, wip: s.wip, wipArea: s.wipArea, leadSum: s.leadSum,
    };
  }

  function enter(s, unit, place) {
    s.places[place].push(unit);
    s.where[unit] = place;
  }

  function removeHeld(s, unit) {
    for (let i = 0; i < s.held.length; i += 2) {
      if (s.held[i] === unit) { s.held.splice(i, 2); return; }
    }
  }

  // Apply event s.k (kinds as sim/teaching/record.py: 0 state, 1 take, 2 give, 3 release,
  // 4 hold, 5 admit); returns the unit a give handed on (for the flights), else -1.
  function applyNext(film, s) {
    const e = film.events, i = 4 * s.k;
    const t = e[i], kind = e[i + 1], a = e[i + 2], b = e[i + 3];
    let given = -1;
    s.wipArea += s.wip * (t - s.t);
    s.t = t;
    s.k += 1;
    if (kind === 0) {
      s.codes[a] = b;
    } else if (kind === 1) {
      const p = s.where[b];
      if (p >= 0) { s.places[p].splice(s.places[p].indexOf(b), 1); s.where[b] = -1; }
      s.units[a] = b;
    } else if (kind === 2) {
      given = s.units[a];
      s.units[a] = -1;
      if (b === -1) { s.completed += 1; s.leadSum += t - film.units[2 * given + 1]; s.wip -= 1; }
      else if (b === -2) { s.scrapped += 1; s.wip -= 1; }
      else enter(s, given, b);
    } else if (kind === 3) {
      s.wip += 1; enter(s, a, b);
    } else if (kind === 4) {
      s.wip += 1; s.held.push(a, b);
    } else if (kind === 5) {
      removeHeld(s, a); enter(s, a, b);
    }
    return given;
  }

  // One pass over the events: a checkpoint every CHECKPOINT events, each give's unit, the times.
  function prepare(film) {
    film.nUnits = film.units.length / 2;
    const n = film.events.length / 4;
    film.times = new Float64Array(n);
    film.givenUnit = new Int32Array(n).fill(-1);
    film.checkpoints = [];
    const s = newState(film);
    for (let k = 0; k < n; k++) {
      if (k % CHECKPOINT === 0) film.checkpoints.push(copyState(s));
      film.times[k] = film.events[4 * k];
      film.givenUnit[k] = applyNext(film, s);
    }
  }

  // The number of events at or before t.
  function countUpTo(film, t) {
    let lo = 0, hi = film.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (film.times[mid] <= t) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  function stateAt(film, t) {
    const n = countUpTo(film, t);
    const c = Math.floor(n / CHECKPOINT);
    const s = film.checkpoints.length ? copyState(film.checkpoints[Math.min(c, film.checkpoints.length - 1)])
      : newState(film);
    while (s.k < n) applyNext(film, s);
    s.wipArea += s.wip * (t - s.t);
    s.t = t;
    return s;
  }

  function isOff(film, t) {
    return film.off.some(function (p) { return p[0] <= t && t < p[1]; });
  }

  function onTime(film, a, b) {
    let total = Math.max(0, b - a);
    film.off.forEach(function (p) { total -= Math.max(0, Math.min(b, p[1]) - Math.max(a, p[0])); });
    return total;
  }

  function bottleneckAt(film, t) {
    const seg = film.bottleneck.find(function (g) { return g[0] <= t && (t < g[1] || (t === g[1] && t === T1)); });
    return seg ? seg[2] : [];
  }

  // ---------------------------------------------------------------------------------- drawing

  function Panel(film, root) {
    this.film = film;
    this.root = root;
    this.suffix = root.getAttribute("data-suffix");
    this.slots = Array.from(root.querySelectorAll("rect.slot"));
    this.marks = this.slots.map(function (r) { return root.querySelector("rect.unit[data-for='" + r.id + "']"); });
    this.boxes = Array.from(root.querySelectorAll("rect.station"));
    this.stacks = Array.from(root.querySelectorAll("g.stack")).map(function (g) {
      return { place: +g.getAttribute("data-place"), cells: Array.from(g.querySelectorAll("rect.cell")),
        count: g.querySelector("text.count"), more: g.querySelector("text.more"), x: +g.getAttribute("data-x"),
        top: +g.getAttribute("data-top"), cap: g.getAttribute("data-capacity") };
    });
    this.flights = root.querySelector("g.flights");
    this.centers = this.slots.map(function (r) {
      return [+r.getAttribute("x") + r.getAttribute("width") / 2, +r.getAttribute("y") + r.getAttribute("height") / 2];
    });
  }

  function counter(panel, name) {
    return document.getElementById(name + panel.suffix);
  }

  Panel.prototype.draw = function (s, t, playing, speed) {
    const film = this.film, off = isOff(film, t);
    for (let i = 0; i < this.slots.length; i++) {
      const state = off ? OFF : STATE_NAMES[s.codes[i]];
      const slot = this.slots[i];
      if (slot.getAttribute("data-state") !== state) {
        slot.setAttribute("data-state", state);
        slot.setAttribute("fill", DATA.colors[state]);
      }
      const mark = this.marks[i];
      if (mark) {
        const u = s.units[i];
        mark.setAttribute("visibility", u >= 0 ? "visible" : "hidden");
        if (u >= 0) mark.setAttribute("fill", DATA.products[film.units[2 * u]]);
      }
    }
    this.drawStacks(s);
    this.drawBottleneck(bottleneckAt(film, t));
    this.drawCounters(s, t, off);
    this.drawFlights(t, playing ? Math.min(300, speed * FLIGHT_SECONDS) : 0);
  };

  Panel.prototype.drawStacks = function (s) {
    const film = this.film;
    this.stacks.forEach(function (st) {
      const units = s.places[st.place];
      st.cells.forEach(function (cell, k) {
        const u = units[k];
        cell.setAttribute("visibility", u === undefined ? "hidden" : "visible");
        if (u !== undefined) cell.setAttribute("fill", DATA.products[film.units[2 * u]]);
      });
      st.count.textContent = fmt(units.length) + "/" + st.cap;
      const more = units.length - st.cells.length;
      st.more.textContent = more > 0 ? "+" + fmt(more) : "";
    });
  };

  Panel.prototype.drawBottleneck = function (stations) {
    this.boxes.forEach(function (box) {
      const on = stations.indexOf(+box.getAttribute("data-index")) >= 0;
      box.setAttribute("class", on ? "station bottleneck" : "station");
    });
    counter(this, "bottleneck-now").textContent = bottleneckWords(this.film, stations);
  };

  // As player.py's bottleneck_words: one station, "all N tie", "tie: a, b", or "none active".
  function bottleneckWords(film, stations) {
    if (!stations.length) return "none active";
    if (stations.length === 1) return film.stations[stations[0]].label;
    const flow = film.flow;
    if (stations.length === flow.length && stations.every(function (k, i) { return k === flow[i]; })) {
      return "all " + flow.length + " tie";
    }
    return "tie: " + stations.map(function (k) { return film.stations[k].label; }).join(", ");
  }

  Panel.prototype.drawCounters = function (s, t, off) {
    const film = this.film, elapsed = t - T0, work = onTime(film, T0, t);
    counter(this, "completed").textContent = fmt(s.completed);
    counter(this, "wip").textContent = fmt(s.wip);
    const held = counter(this, "held");
    if (held) held.textContent = fmt(s.held.length / 2);
    counter(this, "throughput").textContent = work > 0 ? fmt(3600 * s.completed / work) : "–";
    const meanWip = elapsed > 0 ? s.wipArea / elapsed : null;
    const rate = elapsed > 0 ? s.completed / elapsed : null;
    const lead = s.completed ? s.leadSum / s.completed : null;
    counter(this, "little-wip").textContent = fmt(meanWip);
    counter(this, "little-th").textContent = rate === null ? "–" : fmt(3600 * rate);
    counter(this, "little-ct").textContent = fmt(lead);
    counter(this, "little-product").textContent = rate === null || lead === null ? "–" : fmt(rate * lead);
    counter(this, "shift").textContent = off ? "off shift" : "on shift";
    counter(this, "shift").setAttribute("class", off ? "shift off" : "shift on");
  };

  // Units handed on in the last `span` simulated seconds, flying from their server to where they went.
  Panel.prototype.drawFlights = function (t, span) {
    const film = this.film, layer = this.flights;
    while (layer.firstChild) layer.removeChild(layer.firstChild);
    if (span <= 0) return;
    const hi = countUpTo(film, t);
    let k = countUpTo(film, t - span), drawn = 0;
    for (; k < hi && drawn < MAX_FLIGHTS; k++) {
      const u = film.givenUnit[k];
      if (u < 0) continue;
      const e = 4 * k, from = this.centers[film.events[e + 2]], to = this.target(film.events[e + 3], from);
      const f = (t - film.times[k]) / span;
      const dot = document.createElementNS(layer.namespaceURI, "circle");
      dot.setAttribute("cx", from[0] + (to[0] - from[0]) * f);
      dot.setAttribute("cy", from[1] + (to[1] - from[1]) * f);
      dot.setAttribute("r", 5);
      dot.setAttribute("fill", DATA.products[film.units[2 * u]]);
      dot.setAttribute("class", "flight");
      layer.appendChild(dot);
      drawn += 1;
    }
  };

  Panel.prototype.target = function (dest, from) {
    if (dest === -1) return [from[0] + 60, from[1]];
    if (dest === -2) return [from[0], from[1] + 60];
    const st = this.stacks.find(function (x) { return x.place === dest; });
    return st ? [st.x + 5, st.top] : from;
  };

  // ------------------------------------------------------------------------------- controls

  const player = { t: T0, playing: false, speed: 4, last: null, panels: [] };

  function draw() {
    const states = player.panels.map(function (p) { return stateAt(p.film, player.t); });
    player.panels.forEach(function (p, i) { p.draw(states[i], player.t, player.playing, player.speed); });
    document.getElementById("clock").textContent = clockText(player.t);
    document.getElementById("seconds").textContent = fmt(player.t, 9);
    const scrub = document.getElementById("scrub");
    scrub.value = String(Math.round(1000 * (player.t - T0) / Math.max(T1 - T0, 1e-9)));
    const off = player.panels.length > 0 && isOff(player.panels[0].film, player.t);
    document.getElementById("bar").setAttribute("class", off ? "bar off" : "bar");
    if (states.length === 2) drawGap(states[0].completed, states[1].completed);
  }

  function drawGap(a, b) {
    const gap = document.getElementById("gap"), d = b - a;
    gap.setAttribute("data-gap", String(d));
    const names = player.panels.map(function (p) { return p.film.name; });
    gap.textContent = d === 0 ? "B (" + names[1] + ") is level with A (" + names[0] + ")"
      : "B (" + names[1] + ") is " + fmt(Math.abs(d)) + " unit" + (Math.abs(d) === 1 ? "" : "s") + " "
        + (d > 0 ? "ahead of" : "behind") + " A (" + names[0] + ")";
  }

  function setTime(t) {
    player.t = Math.min(T1, Math.max(T0, t));
    draw();
  }

  function frame(now) {
    if (!player.playing) return;
    if (player.last !== null) setTime(player.t + (now - player.last) / 1000 * player.speed);
    player.last = now;
    if (player.t >= T1) { pause(); return; }
    window.requestAnimationFrame(frame);
  }

  function play() {
    if (player.t >= T1) player.t = T0;
    player.playing = true;
    player.last = null;
    document.getElementById("play").textContent = "Pause";
    window.requestAnimationFrame(frame);
  }

  function pause() {
    player.playing = false;
    document.getElementById("play").textContent = "Play";
    draw();
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", "#t=" + player.t + "&play=0");
    }
  }

  // The next moment anything happens in any film, after the current one.
  function stepNext() {
    if (player.playing) pause();
    let next = T1;
    player.panels.forEach(function (p) {
      const k = countUpTo(p.film, player.t);
      if (k < p.film.times.length) next = Math.min(next, p.film.times[k]);
      p.film.off.forEach(function (o) { [o[0], o[1]].forEach(function (x) { if (x > player.t) next = Math.min(next, x); }); });
    });
    setTime(next);
    pause();
  }

  function fragment() {
    const out = {};
    window.location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
      const i = kv.indexOf("=");
      if (i > 0) out[decodeURIComponent(kv.slice(0, i))] = decodeURIComponent(kv.slice(i + 1));
    });
    return out;
  }

  function bind() {
    document.getElementById("play").addEventListener("click", function () { if (player.playing) pause(); else play(); });
    document.getElementById("step").addEventListener("click", stepNext);
    const speed = document.getElementById("speed");
    speed.addEventListener("change", function () { player.speed = +speed.value; });
    document.getElementById("scrub").addEventListener("input", function (ev) {
      setTime(T0 + (T1 - T0) * (+ev.target.value) / 1000);
    });
    window.addEventListener("hashchange", start);
    // the keyboard, for a projector: space plays or pauses, the right arrow steps to the next event
    document.addEventListener("keydown", function (ev) {
      const tag = ev.target && ev.target.tagName;
      if (tag === "SELECT" || tag === "INPUT" || tag === "BUTTON") return;
      if (ev.key === " ") { ev.preventDefault(); if (player.playing) pause(); else play(); }
      else if (ev.key === "ArrowRight") { ev.preventDefault(); stepNext(); }
    });
  }

  function start() {
    const f = fragment();
    const t = f.t !== undefined ? parseFloat(f.t) : T0;
    setTime(Number.isFinite(t) ? t : T0);
    if (f.play === "0") { player.playing = false; document.getElementById("play").textContent = "Play"; }
    else play();
  }

  // The scrub bar's track shaded where the first film is off shift (nights, breaks, days off).
  function shadeScrub() {
    const off = DATA.films[0].off, span = Math.max(T1 - T0, 1e-9), stops = [];
    off.forEach(function (p) {
      const a = (100 * (p[0] - T0) / span).toFixed(3), b = (100 * (p[1] - T0) / span).toFixed(3);
      stops.push("transparent " + a + "%", "#999999 " + a + "%", "#999999 " + b + "%", "transparent " + b + "%");
    });
    if (stops.length) {
      document.getElementById("scrub").style.background =
        "linear-gradient(to right, transparent 0%, " + stops.join(", ") + ", transparent 100%)";
    }
  }

  function init() {
    DATA.films.forEach(prepare);
    shadeScrub();
    player.panels = Array.from(document.querySelectorAll(".panel")).map(function (root, i) {
      return new Panel(DATA.films[i], root);
    });
    player.speed = +document.getElementById("speed").value;
    bind();
    start();
  }

  init();
})();
