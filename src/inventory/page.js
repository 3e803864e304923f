"use strict";
// The inventory page's behaviour: one index of elements per body, built once; highlighting touches only what it lights.
(function () {
  const ALL = JSON.parse(document.getElementById("data").textContent);
  const $ = (id) => document.getElementById(id);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  // A link-like control that wraps as text (a <button> would wrap as a block beside its list bullet).
  const link = (cls, text, fn) => {
    const a = el("span", "link" + (cls ? " " + cls : ""), text);
    a.setAttribute("role", "button");
    a.tabIndex = 0;
    a.onclick = fn;
    a.onkeydown = (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); fn(); } };
    return a;
  };
  const views = Array.from(document.querySelectorAll(".bodyview"));
  let B = null; // the current body: data plus its element index
  let lit = [];

  function index(k) {
    const d = ALL[k];
    const view = views[k];
    const tpl = view.querySelector("template");
    if (tpl) { view.appendChild(tpl.content); tpl.remove(); }
    const svg = view.querySelector("svg");
    const nodeEl = new Array(d.nodes.length);
    view.querySelectorAll(".n").forEach((g) => { nodeEl[+g.dataset.i] = g; });
    const edgeEl = new Array(d.edges.length);
    view.querySelectorAll(".e").forEach((p) => { edgeEl[+p.dataset.i] = p; });
    const itemEdges = d.items.map(() => []);
    const nodeEdges = d.nodes.map(() => []);
    d.edges.forEach((e, i) => {
      e.i.forEach((it) => itemEdges[it].push(i));
      nodeEdges[e.f].push(i);
      if (e.t !== e.f) nodeEdges[e.t].push(i);
    });
    const byId = new Map();
    d.nodes.forEach((n, i) => byId.set(n.id, i));
    const findingById = new Map();
    d.findings.forEach((f, i) => findingById.set(f.id, i));
    return { k, d, view, svg, vp: svg.querySelector(".vp"), nodeEl, edgeEl, itemEdges, nodeEdges, byId, findingById,
      w: +svg.dataset.w, h: +svg.dataset.h, t: { x: 0, y: 0, s: 1 } };
  }
  const cache = [];

  // ---- pan and zoom: one transform on the viewport group
  function apply() {
    const t = B.t;
    B.vp.setAttribute("transform", "translate(" + t.x.toFixed(1) + "," + t.y.toFixed(1) + ") scale(" + t.s.toFixed(4) + ")");
  }
  function fitBox(x0, y0, x1, y1, maxScale) {
    const r = B.svg.getBoundingClientRect();
    const W = r.width || 1000, H = r.height || 700;
    const s = Math.min(W / Math.max(x1 - x0, 1), H / Math.max(y1 - y0, 1), maxScale || 1.5);
    B.t = { s, x: (W - (x1 - x0) * s) / 2 - x0 * s, y: (H - (y1 - y0) * s) / 2 - y0 * s };
    apply();
  }
  function fitAll() { fitBox(0, 0, B.w, B.h, 1.2); }
  function zoom(f, cx, cy) {
    const r = B.svg.getBoundingClientRect();
    if (cx === undefined) { cx = r.width / 2; cy = r.height / 2; }
    const t = B.t, s = Math.min(8, Math.max(0.02, t.s * f));
    t.x = cx - (cx - t.x) * (s / t.s);
    t.y = cy - (cy - t.y) * (s / t.s);
    t.s = s;
    apply();
  }
  const canvas = $("canvas");
  canvas.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    const r = B.svg.getBoundingClientRect();
    zoom(ev.deltaY < 0 ? 1.15 : 1 / 1.15, ev.clientX - r.left, ev.clientY - r.top);
  }, { passive: false });
  let drag = null;
  canvas.addEventListener("pointerdown", (ev) => {
    if (ev.target.closest(".tools")) return;
    drag = { x: ev.clientX, y: ev.clientY, tx: B.t.x, ty: B.t.y, moved: false };
  });
  window.addEventListener("pointermove", (ev) => {
    if (!drag) return;
    const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) { drag.moved = true; canvas.classList.add("dragging"); }
    B.t.x = drag.tx + dx; B.t.y = drag.ty + dy; apply();
  });
  window.addEventListener("pointerup", () => { canvas.classList.remove("dragging"); setTimeout(() => { drag = null; }, 0); });
  $("zin").onclick = () => zoom(1.25);
  $("zout").onclick = () => zoom(0.8);
  $("fit").onclick = fitAll;
  $("clear").onclick = () => { clear(); setHash(""); detail(null); };

  // ---- highlighting
  function clear() {
    lit.forEach((e) => e.classList.remove("lit", "on"));
    lit = [];
    B.view.classList.remove("focus");
    document.documentElement.dataset.lit = "0";
  }
  function light(nodes, edges) {
    clear();
    nodes.forEach((i) => { const e = B.nodeEl[i]; if (e) { e.classList.add("lit"); lit.push(e); } });
    edges.forEach((i) => {
      const e = B.edgeEl[i];
      if (e) { e.classList.add("lit"); lit.push(e); e.parentNode.appendChild(e); }
    });
    B.view.classList.add("focus");
    document.documentElement.dataset.lit = String(lit.length);
    // Bring what is lit into view.
    const ns = new Set(nodes);
    edges.forEach((i) => { ns.add(B.d.edges[i].f); ns.add(B.d.edges[i].t); });
    if (ns.size) {
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      ns.forEach((i) => {
        const m = /translate\(([-\d.]+),([-\d.]+)\)/.exec(B.nodeEl[i].getAttribute("transform"));
        const x = +m[1], y = +m[2];
        x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x + 180); y1 = Math.max(y1, y + 30);
      });
      fitBox(x0 - 60, y0 - 60, x1 + 60, y1 + 60, 1.3);
    }
  }
  function mark(li) {
    if (li) { li.classList.add("on"); lit.push(li); }
    document.documentElement.dataset.lit = String(lit.length);
  }

  // ---- the detail box
  function paperName(p) { return B.d.papers[p].d; }
  function edgeText(i) {
    const e = B.d.edges[i];
    return paperName(e.p) + " " + e.s + " " + B.d.nodes[e.f].n + " → " + B.d.nodes[e.t].n + "（" + e.l + "）";
  }
  function edgeLink(i) {
    return link("", edgeText(i), () => selectEdge(i));
  }
  function itemLink(it) {
    return link("kind-" + B.d.items[it].k, B.d.items[it].n, () => selectItem(it));
  }
  function detail(title, build) {
    const box = $("detail");
    box.textContent = "";
    if (!title) return;
    box.appendChild(el("h3", "", title));
    build(box);
  }
  function list(box, rows) {
    const ul = el("ul");
    rows.forEach((r) => { const li = el("li"); li.appendChild(r); ul.appendChild(li); });
    box.appendChild(ul);
  }

  // ---- selections (each also writes the address, so a link shows the same state)
  function selectNode(i) {
    const n = B.d.nodes[i];
    light([i], B.nodeEdges[i]);
    detail(n.k + "「" + n.n + "」", (box) => {
      const where = n.w.map((w) => paperName(w[0]) + "「" + w[1] + "」" + (w[2] ? "（" + w[2] + "）" : "")).join("、");
      box.appendChild(el("div", "muted", (n.r ? "役割: " + n.r + "　" : "") + "資料: " + where));
      box.appendChild(el("div", "", "流れ " + B.nodeEdges[i].length + " 件"));
      list(box, B.nodeEdges[i].slice(0, 200).map(edgeLink));
    });
    setHash("node=" + encodeURIComponent(n.id));
  }
  function selectEdge(i) {
    const e = B.d.edges[i];
    light([e.f, e.t], [i]);
    detail("流れ " + edgeText(i), (box) => {
      box.appendChild(el("div", "muted", e.u ? "情報項目は資料に記載なし" : "情報項目 " + e.i.length + " 件"));
      list(box, e.i.map(itemLink));
    });
    setHash("edge=" + i);
  }
  function selectItem(it) {
    const edges = B.itemEdges[it];
    const nodes = [];
    edges.forEach((i) => { nodes.push(B.d.edges[i].f, B.d.edges[i].t); });
    light(nodes, edges);
    const papers = new Set(edges.map((i) => B.d.edges[i].p));
    detail("情報項目「" + B.d.items[it].n + "」", (box) => {
      box.appendChild(el("div", "muted", B.d.items[it].k + "・流れ " + edges.length + " 件・資料 " + papers.size + " 件"));
      list(box, edges.slice(0, 200).map(edgeLink));
    });
    mark($("items").children[it]);
    setHash("item=" + encodeURIComponent(B.d.items[it].n));
  }
  function selectFinding(k) {
    const f = B.d.findings[k];
    light(f.n, f.p);
    detail(f.c + " " + f.t, (box) => {
      box.appendChild(el("div", "", f.m));
      if (f.p.length) { box.appendChild(el("div", "muted", "経路")); list(box, f.p.map(edgeLink)); }
      if (f.i.length) { box.appendChild(el("div", "muted", "情報項目")); list(box, f.i.map(itemLink)); }
    });
    mark($("findings").children[k]);
    setHash("finding=" + encodeURIComponent(f.id));
  }
  function selectPaper(p) {
    const edges = [];
    B.d.edges.forEach((e, i) => { if (e.p === p) edges.push(i); });
    light([], edges);
    detail("資料 " + B.d.papers[p].d, (box) => {
      box.appendChild(el("div", "", B.d.papers[p].t));
      box.appendChild(el("div", "muted", B.d.papers[p].f + "・流れ " + edges.length + " 件"));
    });
    mark($("papers").children[p]);
    setHash("paper=" + encodeURIComponent(B.d.papers[p].f));
  }

  // ---- search: substring, case-insensitive; at most 100 results listed
  function search(q) {
    const res = $("results");
    res.textContent = "";
    B.d.nodes.forEach((n, i) => B.nodeEl[i].classList.remove("hit"));
    q = q.trim().toLowerCase();
    if (!q) return 0;
    const hits = [];
    const has = (s) => s && s.toLowerCase().indexOf(q) >= 0;
    B.d.nodes.forEach((n, i) => {
      if (has(n.n) || has(n.l) || n.w.some((w) => has(w[1]))) {
        hits.push([n.k, n.n, () => selectNode(i)]);
        B.nodeEl[i].classList.add("hit");
      }
    });
    B.d.items.forEach((it, i) => { if (has(it.n)) hits.push(["情報項目", it.n, () => selectItem(i)]); });
    B.d.papers.forEach((p, i) => { if (has(p.d) || has(p.t) || has(p.f)) hits.push(["資料", p.d, () => selectPaper(i)]); });
    B.d.findings.forEach((f, i) => { if (has(f.m) || has(f.c)) hits.push([f.c, f.t, () => selectFinding(i)]); });
    hits.slice(0, 100).forEach((h) => {
      const b = link("res", "", h[2]);
      b.appendChild(el("span", "k", h[0]));
      b.appendChild(document.createTextNode(h[1]));
      res.appendChild(b);
    });
    if (hits.length > 100) res.appendChild(el("div", "muted", "ほか " + (hits.length - 100) + " 件"));
    if (!hits.length) res.appendChild(el("div", "muted", "見つかりません"));
    document.documentElement.dataset.hits = String(hits.length);
    return hits.length;
  }
  $("q").addEventListener("input", (ev) => { search(ev.target.value); });
  $("q").addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") { const b = $("results").querySelector(".link"); if (b) b.click(); }
  });

  // ---- clicks on the drawing
  canvas.addEventListener("click", (ev) => {
    if (drag && drag.moved) return;
    const n = ev.target.closest(".n");
    if (n) { selectNode(+n.dataset.i); return; }
    const e = ev.target.closest(".e");
    if (e) { selectEdge(+e.dataset.i); }
  });

  // ---- side lists
  function fillLists() {
    const fl = $("findings"); fl.textContent = "";
    if (!B.d.findings.length) fl.appendChild(el("li", "muted", "なし"));
    B.d.findings.forEach((f, k) => {
      const li = el("li");
      li.appendChild(el("span", "sev " + f.v, f.v));
      li.appendChild(link("", f.c + " " + f.m, () => selectFinding(k)));
      fl.appendChild(li);
    });
    const pl = $("papers"); pl.textContent = "";
    B.d.papers.forEach((p, k) => {
      const li = el("li");
      const sw = el("span", "sw"); sw.style.background = p.c; li.appendChild(sw);
      li.appendChild(link("", p.d + " — " + p.t, () => selectPaper(k)));
      pl.appendChild(li);
    });
    const il = $("items"); il.textContent = "";
    B.d.items.forEach((it, k) => {
      const li = el("li");
      li.appendChild(itemLink(k));
      li.appendChild(el("span", "muted", "（流れ " + B.itemEdges[k].length + "）"));
      il.appendChild(li);
    });
    const nl = $("notes"); nl.textContent = "";
    if (!B.d.notes.length) nl.appendChild(el("li", "muted", "なし"));
    B.d.notes.forEach((n) => nl.appendChild(el("li", "muted", n)));
  }

  function show(k) {
    views.forEach((v, i) => { v.hidden = i !== k; });
    $("body").value = String(k);
    // Index only once the view is shown: its size is known and fitting works.
    if (!cache[k]) cache[k] = index(k);
    if (B) clear();
    B = cache[k];
    fillLists();
    detail(null);
    $("results").textContent = "";
    fitAll();
    const shared = B.d.nodes.filter((n) => new Set(n.w.map((w) => w[0])).size > 1).length;
    $("status").textContent = B.d.name + ": 資料 " + B.d.papers.length + " 件・関係者とシステム " + B.d.nodes.length +
      " 件（資料をまたぐもの " + shared + "）・流れ " + B.d.edges.length + " 件・指摘 " + B.d.findings.length + " 件";
    const root = document.documentElement.dataset;
    root.nodes = String(B.d.nodes.length);
    root.edges = String(B.d.edges.length);
    root.findings = String(B.d.findings.length);
  }
  $("body").addEventListener("change", (ev) => { show(+ev.target.value); setHash(""); });

  // ---- the address: #body=江戸川区&item=氏名 | node=… | finding=… | paper=… | edge=… | q=…
  let hashLock = false;
  function setHash(sel) {
    hashLock = true;
    const h = "body=" + encodeURIComponent(B.d.name) + (sel ? "&" + sel : "");
    history.replaceState(null, "", "#" + h);
    hashLock = false;
  }
  function readHash() {
    const params = new URLSearchParams(location.hash.replace(/^#/, ""));
    const body = params.get("body");
    let k = 0;
    if (body) { const i = ALL.findIndex((d) => d.name === body); if (i >= 0) k = i; }
    if (!B || B.k !== k) show(k);
    const q = params.get("q");
    if (q !== null) { $("q").value = q; search(q); }
    const item = params.get("item");
    if (item !== null) { const i = B.d.items.findIndex((it) => it.n === item); if (i >= 0) selectItem(i); }
    const node = params.get("node");
    if (node !== null && B.byId.has(node)) selectNode(B.byId.get(node));
    const f = params.get("finding");
    if (f !== null && B.findingById.has(f)) selectFinding(B.findingById.get(f));
    const p = params.get("paper");
    if (p !== null) { const i = B.d.papers.findIndex((x) => x.f === p); if (i >= 0) selectPaper(i); }
    const e = params.get("edge");
    if (e !== null && B.d.edges[+e]) selectEdge(+e);
  }
  window.addEventListener("hashchange", () => { if (!hashLock) readHash(); });
  window.addEventListener("resize", () => { if (!lit.length) fitAll(); });
  readHash();
  document.documentElement.dataset.ready = "1";
})();
