// The logicmodel viewer: pan and zoom, a panel per box or link, filters, search.
// Everything the model says arrives in the JSON data block and reaches the page
// through textContent only; the page's Content-Security-Policy admits this script
// alone (by its hash) and no markup sinks (Trusted Types), so model text stays text.
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const data = JSON.parse($("lm-data").textContent);
  const elements = data.elements;
  const svg = $("lm-svg");
  const fig = $("lm-figure");
  const panel = $("lm-panel");
  const statusLine = $("lm-status");
  const search = $("lm-search");
  const results = $("lm-results");
  const fade = $("lm-fade");
  const live = document.body.dataset.live === "1";
  const groups = new Map();
  for (const g of svg.querySelectorAll(".lm-el")) groups.set(g.dataset.key, g);
  for (const el of document.querySelectorAll("[data-needs-script]")) el.hidden = false;

  const make = (tag, cls, text) => {
    const el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text !== undefined) el.textContent = text;
    return el;
  };
  const say = (text) => { statusLine.textContent = text; };

  // Links are thin: give each a wide, invisible stroke to click.
  for (const g of svg.querySelectorAll(".lm-link")) {
    const path = g.querySelector("path");
    if (!path) continue;
    const hit = path.cloneNode(false);
    hit.setAttribute("class", "lm-hit");
    hit.removeAttribute("stroke-dasharray");
    g.insertBefore(hit, path);
  }

  // ---- pan and zoom, by moving the viewBox --------------------------------
  const b = svg.viewBox.baseVal;
  const home = [b.x, b.y, b.width, b.height];
  let vb = home.slice();
  const show = () => svg.setAttribute("viewBox", vb.map((v) => +v.toFixed(2)).join(" "));
  const unitsPerPx = () => {
    const m = svg.getScreenCTM();
    return m && m.a ? 1 / m.a : vb[2] / Math.max(1, fig.clientWidth);
  };
  const toSvg = (x, y) => {
    const m = svg.getScreenCTM();
    if (!m) return [vb[0] + vb[2] / 2, vb[1] + vb[3] / 2];
    const p = new DOMPoint(x, y).matrixTransform(m.inverse());
    return [p.x, p.y];
  };
  const zoomAt = (factor, x, y) => {
    const w = Math.min(home[2] * 3, Math.max(home[2] / 30, vb[2] / factor));
    const f = w / vb[2];
    vb = [x - (x - vb[0]) * f, y - (y - vb[1]) * f, w, vb[3] * f];
    show();
  };
  const zoomCentre = (factor) => zoomAt(factor, vb[0] + vb[2] / 2, vb[1] + vb[3] / 2);
  const fit = () => { vb = home.slice(); show(); };
  const pan = (dx, dy) => { vb[0] += dx; vb[1] += dy; show(); };

  fig.addEventListener("wheel", (e) => {
    e.preventDefault();
    const [x, y] = toSvg(e.clientX, e.clientY);
    zoomAt(Math.exp(-e.deltaY * 0.0015), x, y);
  }, { passive: false });

  let drag = null;
  let dragged = false;
  fig.addEventListener("pointerdown", (e) => {
    if (e.button !== 0) return;
    drag = { x: e.clientX, y: e.clientY, vb: vb.slice(), k: unitsPerPx(), id: e.pointerId };
    dragged = false;
  });
  fig.addEventListener("pointermove", (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (!dragged && Math.hypot(dx, dy) < 4) return;
    if (!dragged) { dragged = true; fig.classList.add("lm-dragging"); fig.setPointerCapture(drag.id); }
    vb[0] = drag.vb[0] - dx * drag.k;
    vb[1] = drag.vb[1] - dy * drag.k;
    show();
  });
  const endDrag = () => { drag = null; fig.classList.remove("lm-dragging"); };
  fig.addEventListener("pointerup", endDrag);
  fig.addEventListener("pointercancel", endDrag);

  $("lm-zoom-in").addEventListener("click", () => zoomCentre(1.25));
  $("lm-zoom-out").addEventListener("click", () => zoomCentre(0.8));
  $("lm-fit").addEventListener("click", fit);

  // ---- the panel ---------------------------------------------------------
  let current = null;
  const reference = (id) => {
    const li = make("li");
    const ref = data.references[id];
    if (!ref) { li.textContent = id; return li; }
    li.append(make("span", null, ref.citation));
    if (ref.href && /^https?:\/\//i.test(ref.href)) {
      const a = make("a", null, ref.link || ref.href);
      a.href = ref.href;
      a.rel = "noopener noreferrer";
      li.append(" ", a);
    }
    return li;
  };
  const item = (it) => {
    const div = make("div", "lm-item");
    if (it.goto) {
      const btn = make("button", "lm-goto", it.title);
      btn.type = "button";
      btn.dataset.goto = it.goto;
      btn.addEventListener("click", () => select(it.goto, true));
      div.append(btn);
    } else if (it.title) {
      div.append(make("p", "lm-item-title", it.title));
    }
    if (it.text) div.append(make("p", "lm-text", it.text));
    if (it.rows) {
      const dl = make("dl");
      for (const [k, v] of it.rows) dl.append(make("dt", null, k), make("dd", null, v));
      div.append(dl);
    }
    if (it.refs) {
      const ul = make("ul", "lm-refs");
      for (const r of it.refs) ul.append(reference(r));
      div.append(ul);
    }
    return div;
  };
  // Bring an element into view; when it was chosen from a list, also zoom until it reads.
  const reveal = (g, readable) => {
    let r = g.getBoundingClientRect();
    const f = fig.getBoundingClientRect();
    if (readable && r.height > 0 && r.height < 24) {
      const [x, y] = toSvg(r.left + r.width / 2, r.top + r.height / 2);
      zoomAt(Math.min(40 / r.height, 30), x, y);
      r = g.getBoundingClientRect();
    }
    if (r.left >= f.left && r.right <= f.right && r.top >= f.top && r.bottom <= f.bottom) return;
    const k = unitsPerPx();
    pan((r.left + r.width / 2 - (f.left + f.width / 2)) * k,
        (r.top + r.height / 2 - (f.top + f.height / 2)) * k);
  };
  function select(key, moveFocus) {
    const el = elements[key];
    if (!el) return;
    if (current) groups.get(current)?.classList.remove("lm-selected");
    current = key;
    const g = groups.get(key);
    if (g) { g.classList.add("lm-selected"); reveal(g, moveFocus); }
    $("lm-panel-type").textContent = el.type;
    $("lm-panel-title").textContent = el.label;
    const body = $("lm-panel-body");
    body.replaceChildren();
    for (const s of el.sections) {
      const sec = make("section", "lm-sec");
      sec.append(make("h3", null, s.h));
      for (const it of s.items) sec.append(item(it));
      body.append(sec);
    }
    panel.hidden = false;
    $("lm-about").hidden = true;
    if (moveFocus) panel.focus();
  }
  function closePanel() {
    if (panel.hidden) return false;
    panel.hidden = true;
    $("lm-about").hidden = false;
    const g = current && groups.get(current);
    if (g) { g.classList.remove("lm-selected"); g.focus(); }
    current = null;
    return true;
  }
  $("lm-close").addEventListener("click", closePanel);

  svg.addEventListener("click", (e) => {
    if (dragged) { dragged = false; return; }
    const g = e.target.closest(".lm-el");
    if (g) select(g.dataset.key, false);
  });
  fig.addEventListener("keydown", (e) => {
    const g = e.target.closest ? e.target.closest(".lm-el") : null;
    if (g && (e.key === "Enter" || e.key === " ")) {
      e.preventDefault();
      select(g.dataset.key, true);
      return;
    }
    const step = 0.1;
    const keys = {
      "+": () => zoomCentre(1.25), "=": () => zoomCentre(1.25), "-": () => zoomCentre(0.8),
      "0": fit,
      ArrowLeft: () => pan(-vb[2] * step, 0), ArrowRight: () => pan(vb[2] * step, 0),
      ArrowUp: () => pan(0, -vb[3] * step), ArrowDown: () => pan(0, vb[3] * step),
    };
    if (keys[e.key] && !e.ctrlKey && !e.metaKey && !e.altKey) { e.preventDefault(); keys[e.key](); }
  });

  // ---- filters -----------------------------------------------------------
  const selects = [...document.querySelectorAll("select[data-facet]")];
  const members = {};
  for (const f of data.facets) members[f.id] = f.members;
  function applyFilters() {
    const chosen = selects.filter((s) => s.value).map((s) => [s.dataset.facet, s.value]);
    let shown = 0;
    for (const [key, g] of groups) {
      const ok = chosen.every(([f, v]) => (members[f][key] || []).includes(v));
      g.classList.toggle("lm-off", !ok && !fade.checked);
      g.classList.toggle("lm-faded", !ok && fade.checked);
      if (g.classList.contains("lm-node")) g.setAttribute("tabindex", ok ? "0" : "-1");
      if (ok) shown += 1;
    }
    document.body.classList.toggle("lm-filtered", chosen.length > 0);
    say(chosen.length ? `${shown} of ${groups.size} boxes and links shown` : "");
  }
  for (const s of selects) s.addEventListener("change", applyFilters);
  fade.addEventListener("change", applyFilters);

  // ---- search ------------------------------------------------------------
  // The figure dims everything while searching (one class on the SVG) and marks the hits,
  // so a keystroke touches only the elements whose state changes, even with thousands.
  let hits = [];
  let marked = new Set();
  function runSearch() {
    const q = search.value.trim().toLowerCase();
    results.replaceChildren();
    hits = q ? Object.keys(elements).filter((k) => groups.has(k) && elements[k].search.includes(q))
      : [];
    const hitSet = new Set(hits);
    for (const key of marked) if (!hitSet.has(key)) groups.get(key).classList.remove("lm-match");
    for (const key of hitSet) if (!marked.has(key)) groups.get(key).classList.add("lm-match");
    marked = hitSet;
    svg.classList.toggle("lm-searching", q !== "");
    results.hidden = !q;
    if (!q) { say(""); return; }
    for (const key of hits.slice(0, 100)) {
      const el = elements[key];
      const li = make("li");
      const btn = make("button", "lm-goto", `${el.type}: ${el.label}`);
      btn.type = "button";
      btn.dataset.goto = key;
      btn.addEventListener("click", () => select(key, true));
      li.append(btn);
      results.append(li);
    }
    say(hits.length === 1 ? "1 match" : `${hits.length} matches`);
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && hits.length) { e.preventDefault(); select(hits[0], true); }
  });

  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      if (closePanel()) { e.preventDefault(); return; }
      if (search.value) { search.value = ""; runSearch(); search.focus(); e.preventDefault(); }
    } else if (e.key === "/" && !/^(INPUT|SELECT|TEXTAREA)$/.test(e.target.tagName)) {
      e.preventDefault();
      search.focus();
    }
  });

  // ---- print the whole figure, then come back -----------------------------
  let beforePrint = null;
  window.addEventListener("beforeprint", () => { beforePrint = vb.slice(); fit(); });
  window.addEventListener("afterprint", () => { if (beforePrint) { vb = beforePrint; show(); } });

  // ---- the live preview keeps its place across reloads -------------------
  const stateKey = "lm-state:" + location.pathname;
  if (live) {
    try {
      const saved = JSON.parse(sessionStorage.getItem(stateKey) || "null");
      if (saved) {
        if (Array.isArray(saved.vb) && saved.vb.length === 4 && saved.vb.every(Number.isFinite)) {
          vb = saved.vb; show();
        }
        for (const s of selects) {
          const v = saved.facets && saved.facets[s.dataset.facet];
          if (typeof v === "string" && [...s.options].some((o) => o.value === v)) s.value = v;
        }
        fade.checked = saved.fade === true;
        applyFilters();
        if (typeof saved.search === "string") { search.value = saved.search; runSearch(); }
        if (typeof saved.current === "string" && elements[saved.current]) select(saved.current, false);
      }
    } catch (err) { /* storage may be unavailable; start fresh */ }
    window.addEventListener("pagehide", () => {
      const facets = {};
      for (const s of selects) facets[s.dataset.facet] = s.value;
      try {
        sessionStorage.setItem(stateKey, JSON.stringify(
          { vb, facets, fade: fade.checked, search: search.value, current }));
      } catch (err) { /* nothing to keep */ }
    });
  }
  document.body.dataset.ready = "1";
})();
