"use strict";
// policycheck report: filters, search, sortable tables, matrix clicks, anchors that open their evidence.
// Facet filters match as `policycheck gaps` does: class = the row's class or its verdict under the governing
// policy; feature and data type include descendants (each row lists its ancestors); scenario and recipient exact.
(function () {
  const form = document.getElementById("filters");
  const facets = ["class", "recipient", "feature", "type", "scenario"];
  const attr = {class: "classes", recipient: "recipient", feature: "features", type: "types", scenario: "scenarios"};
  const search = document.getElementById("search");
  const shown = document.getElementById("shown");
  const gapRows = Array.from(document.querySelectorAll("tr.gap"));

  function state() {
    const s = {q: search.value.trim().toLowerCase()};
    for (const f of facets) s[f] = form.elements[f].value;
    return s;
  }
  function facetMatch(el, s) {
    return facets.every(f => !s[f] || (el.dataset[attr[f]] || "").split(" ").includes(s[f]));
  }
  function textMatch(el, s) {
    return !s.q || el.textContent.toLowerCase().includes(s.q);
  }
  function apply() {
    const s = state();
    const faceted = facets.some(f => s[f]);
    for (const row of document.querySelectorAll("tr.frow")) {
      row.classList.toggle("hidden", !facetMatch(row, s) || (row.classList.contains("gap") && !textMatch(row, s)));
    }
    for (const el of document.querySelectorAll(".searchable:not(tr.gap)")) {
      let visible = textMatch(el, s);
      const rows = el.querySelectorAll("tr.frow");
      if (faceted) visible = visible && rows.length > 0 && Array.from(rows).some(r => !r.classList.contains("hidden"));
      el.classList.toggle("hidden", !visible);
    }
    const n = gapRows.filter(r => !r.classList.contains("hidden")).length;
    shown.textContent = (faceted || s.q) ? n + " of " + gapRows.length + " gap rows shown" : gapRows.length + " gap rows";
  }
  form.addEventListener("change", apply);
  search.addEventListener("input", apply);
  document.getElementById("clear-filters").addEventListener("click", () => { form.reset(); apply(); });

  // matrix: a cell filters by its data type and feature and shows the gap rows
  for (const cell of document.querySelectorAll("td.cell")) {
    const pick = () => {
      form.reset();
      form.elements.type.value = cell.dataset.type;
      form.elements.feature.value = cell.dataset.feature;
      apply();
      document.getElementById("gap_rows").scrollIntoView();
    };
    cell.addEventListener("click", pick);
    cell.addEventListener("keydown", e => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); pick(); } });
  }

  // sortable tables: click a header (again to reverse); numbers sort as numbers
  function key(cell) {
    const text = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
    const n = Number(text.replace(/,/g, ""));
    return text !== "" && !Number.isNaN(n) ? n : text.toLowerCase();
  }
  for (const table of document.querySelectorAll("table.sortable")) {
    const headers = Array.from(table.tHead ? table.tHead.rows[0].cells : []);
    headers.forEach((th, i) => th.addEventListener("click", () => {
      const dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
      headers.forEach(h => h.removeAttribute("aria-sort"));
      th.setAttribute("aria-sort", dir);
      const body = table.tBodies[0];
      const rows = Array.from(body.rows);
      rows.sort((a, b) => {
        const x = key(a.cells[i] || a), y = key(b.cells[i] || b);
        const c = typeof x === typeof y ? (x < y ? -1 : x > y ? 1 : 0) : (typeof x === "number" ? -1 : 1);
        return dir === "ascending" ? c : -c;
      });
      rows.forEach(r => body.appendChild(r));
    }));
  }

  // anchors: reveal the target (clear filters that hide it, open the folded evidence around it)
  function reveal() {
    const id = decodeURIComponent(location.hash.slice(1));
    const el = id && document.getElementById(id);
    if (!el) return;
    if (el.closest(".hidden") || el.classList.contains("hidden")) { form.reset(); search.value = ""; apply(); }
    for (let d = el.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) d.open = true;
    el.scrollIntoView();
  }
  window.addEventListener("hashchange", reveal);
  window.addEventListener("beforeprint", () => document.querySelectorAll("details").forEach(d => { d.open = true; }));
  apply();
  reveal();
})();
