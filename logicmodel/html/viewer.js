// The logicmodel viewer: pan and zoom, a panel per box or link, filters, search.
// Everything the model says arrives in the JSON data block and reaches the page
// through textContent only; the page's Content-Security-Policy admits this script
// alone (by its hash) and no markup sinks (Trusted Types), so model text stays text.
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const data = JSON.parse($("lm-data").textContent);
  // the signs of what a variant adds and changes, written in by the page (logicmodel.signs)
  const SIGNS = JSON.parse("__LM_SIGNS__");
  // One figure, or one per variant of the model (the first inline, the others in templates).
  const figures = data.variants || [data];
  const templates = [...document.querySelectorAll("template.lm-variant-figure")];
  const svgs = [$("lm-svg")];
  let figure = figures[0];
  let elements = figure.elements;
  let svg = svgs[0];
  const fig = $("lm-figure");
  const panel = $("lm-panel");
  const statusLine = $("lm-status");
  const search = $("lm-search");
  const results = $("lm-results");
  const fade = $("lm-fade");
  const live = document.body.dataset.live === "1";
  const SVGNS = "http://www.w3.org/2000/svg";
  let groups = new Map();
  for (const el of document.querySelectorAll("[data-needs-script]")) el.hidden = false;

  const make = (tag, cls, text) => {
    const el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text !== undefined) el.textContent = text;
    return el;
  };
  const say = (text) => { statusLine.textContent = text; };

  // Once per figure, when it is first shown: links are thin, so give each a wide,
  // invisible stroke to click; and badge what a variant added or changed (the signs of
  // logicmodel.signs), so
  // that the mark is a sign and not a colour alone.
  const badge = (g, x, y, sign) => {
    const b = document.createElementNS(SVGNS, "g");
    b.setAttribute("class", "lm-badge");
    b.setAttribute("aria-hidden", "true");
    const c = document.createElementNS(SVGNS, "circle");
    c.setAttribute("cx", x); c.setAttribute("cy", y); c.setAttribute("r", "6.5");
    const t = document.createElementNS(SVGNS, "text");
    t.setAttribute("x", x); t.setAttribute("y", y + 3.6); t.setAttribute("text-anchor", "middle");
    t.textContent = sign;
    b.append(c, t);
    g.append(b);
  };
  const prepare = (el) => {
    if (el.dataset.prepared) return;
    el.dataset.prepared = "1";
    const box = el.viewBox.baseVal;
    el.dataset.home = [box.x, box.y, box.width, box.height].join(" ");
    for (const g of el.querySelectorAll(".lm-link")) {
      const path = g.querySelector("path");
      if (!path) continue;
      const hit = path.cloneNode(false);
      hit.setAttribute("class", "lm-hit");
      hit.removeAttribute("stroke-dasharray");
      g.insertBefore(hit, path);
    }
    for (const g of el.querySelectorAll(".lm-added, .lm-changed")) {
      const sign = g.classList.contains("lm-added") ? SIGNS.added : SIGNS.changed;
      if (g.classList.contains("lm-link")) {
        const path = g.querySelector("path:not(.lm-hit)");
        if (!path || !path.getTotalLength) continue;
        const p = path.getPointAtLength(path.getTotalLength() / 2);
        badge(g, p.x, p.y, sign);
      } else {
        const r = g.getBBox();
        badge(g, r.x + r.width - 1, r.y + 1, sign);
      }
    }
  };

  // ---- pan and zoom, by moving the viewBox --------------------------------
  let home = [0, 0, 1, 1];
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
    const ref = (figure.references && figure.references[id]) || data.references[id];
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
  function closePanel(keepFocus) {
    if (panel.hidden) return false;
    panel.hidden = true;
    $("lm-about").hidden = false;
    const g = current && groups.get(current);
    if (g) { g.classList.remove("lm-selected"); if (!keepFocus) g.focus(); }
    current = null;
    return true;
  }
  $("lm-close").addEventListener("click", () => closePanel(false));

  fig.addEventListener("click", (e) => {
    if (dragged) { dragged = false; return; }
    const g = e.target.closest ? e.target.closest(".lm-el") : null;
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
  let members = {};
  // A variant has its own pathways and groups: the filters offer the figure's options,
  // keeping what was chosen when the new figure has it too.
  function useFacets() {
    members = {};
    const facets = {};
    for (const f of figure.facets) { members[f.id] = f.members; facets[f.id] = f; }
    for (const s of selects) {
      const f = facets[s.dataset.facet];
      s.closest("label").hidden = !f;
      if (!f || !f.options) continue;
      const was = s.value;
      const all = make("option", null, f.all);
      all.value = "";
      s.replaceChildren(all);
      for (const [value, label] of f.options) {
        const o = make("option", null, label);
        o.value = value;
        s.append(o);
      }
      s.value = f.options.some(([value]) => value === was) ? was : "";
    }
  }
  function applyFilters() {
    const chosen = selects.filter((s) => s.value && members[s.dataset.facet])
      .map((s) => [s.dataset.facet, s.value]);
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

  // ---- variants -------------------------------------------------------------
  const variantSelect = $("lm-variant");
  const changes = $("lm-changes");
  const baseTitle = $("lm-title").textContent;
  function showChanges() {
    if (!changes) return;
    changes.replaceChildren();
    changes.hidden = !data.variants;
    if (!data.variants) return;
    changes.append(make("h2", null, figure.label));
    if (figure.description) changes.append(make("p", "lm-text", figure.description));
    if (!figure.changes) {
      if (figures.length > 1) {
        changes.append(make("p", "lm-text", "The base model: what the variants share. " +
          "Choose a variant to see its own model, with what it adds (+) and changes (~) " +
          "marked."));
      }
      return;
    }
    if (!figure.changes.length) {
      changes.append(make("p", "lm-text", "As in the base model."));
      return;
    }
    changes.append(make("p", "lm-text", "What this variant does to the base model: " +
      "boxes and links it adds are marked +, those it changes ~."));
    for (const s of figure.changes) {
      const sec = make("section", "lm-sec");
      sec.append(make("h3", null, s.h));
      for (const it of s.items) sec.append(item(it));
      changes.append(sec);
    }
  }
  function useVariant(i) {
    const was = current ? elements[current] : null;
    closePanel(true);
    figure = figures[i];
    elements = figure.elements;
    if (!svgs[i]) {
      const shown = templates[i - 1] && templates[i - 1].content.querySelector("svg");
      if (!shown) return;
      svgs[i] = document.importNode(shown, true);
    }
    if (svgs[i] !== svg) { svg.replaceWith(svgs[i]); svg = svgs[i]; }
    prepare(svg);
    groups = new Map();
    for (const g of svg.querySelectorAll(".lm-el")) groups.set(g.dataset.key, g);
    for (const g of svg.querySelectorAll(".lm-match")) g.classList.remove("lm-match");
    marked = new Set();
    home = svg.dataset.home.split(" ").map(Number);
    vb = home.slice();
    show();
    $("lm-title").textContent = figure.title || baseTitle;
    if (data.variants) document.title = `${figure.title || baseTitle} (${figure.label})`;
    if (variantSelect) variantSelect.value = String(i);
    useFacets();
    applyFilters();
    runSearch();
    showChanges();
    if (was) {
      const same = Object.keys(elements).find(
        (k) => elements[k].id === was.id && elements[k].type === was.type);
      if (same) select(same, false);
    }
  }
  const variantIndex = (id) => figures.findIndex((f) => f.id === id);
  if (variantSelect) {
    variantSelect.addEventListener("change", () => {
      const i = Number(variantSelect.value);
      useVariant(i);
      try { history.replaceState(null, "", "#variant=" + encodeURIComponent(figures[i].id)); }
      catch (err) { /* a page without history: the choice just is not kept */ }
    });
  }
  const hashed = () => {
    const m = /^#variant=(.+)$/.exec(location.hash);
    if (!m) return -1;
    try { return variantIndex(decodeURIComponent(m[1])); } catch (err) { return -1; }
  };
  const fromHash = hashed() >= 0;
  useVariant(Math.max(0, hashed()));
  window.addEventListener("hashchange", () => {
    const i = hashed();
    if (i >= 0 && figures[i] !== figure) useVariant(i);
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
        const v = typeof saved.variant === "string" ? variantIndex(saved.variant) : -1;
        if (v >= 0 && !fromHash) useVariant(v);
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
          { vb, facets, fade: fade.checked, search: search.value, current,
            variant: figure.id }));
      } catch (err) { /* nothing to keep */ }
    });
  }
  document.body.dataset.ready = "1";
})();
