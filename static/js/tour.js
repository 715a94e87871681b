// ConvAtlas tours and worksheets: → and ← step through a tour; a worksheet's answers
// and verdicts are kept in this browser (localStorage), never on the server. Without
// this script the links and forms work as plain pages.
(function () {
  'use strict';

  function typing(e) {
    var t = e.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }

  document.addEventListener('keydown', function (e) {
    if (typing(e) || e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return;
    if (!document.getElementById('tour-step')) return;
    var which = { ArrowRight: 'next', PageDown: 'next', ArrowLeft: 'prev', PageUp: 'prev' }[e.key];
    if (!which) return;
    var link = document.querySelector('[data-tour-' + which + ']');
    if (link) { e.preventDefault(); location.href = link.href; }
  });

  // The selected layer of a step's diagram is marked (again: the atlas's script clears
  // marks when no layer panel is open) and brought into view.
  function mark() {
    var box = document.querySelector('.tour-diagram[data-selected]');
    if (!box || !box.dataset.selected) return null;
    var sel = null;
    box.querySelectorAll('[data-layer]').forEach(function (g) {
      if (g.getAttribute('data-layer') === box.dataset.selected) sel = g;
    });
    if (sel) sel.classList.add('selected');
    return sel;
  }
  function showSelected() {
    var box = document.querySelector('.tour-diagram');
    var sel = mark();
    if (!sel) return;
    var r = sel.getBoundingClientRect(), b = box.getBoundingClientRect();
    box.scrollTop += (r.top + r.height / 2) - (b.top + b.height / 2);
    box.scrollLeft += (r.left + r.width / 2) - (b.left + b.width / 2);
  }

  // The progress bar's width, set from its data (no inline style under the CSP).
  function bar() {
    var el = document.querySelector('.tour-bar');
    if (!el) return;
    var n = parseInt(el.dataset.n, 10), count = parseInt(el.dataset.count, 10);
    if (count > 0) el.style.width = (100 * n / count) + '%';
  }

  // Progress: answers and their state, by worksheet.
  function storeKey(form) { return 'convatlas-ws:' + form.dataset.worksheet; }
  function load(form) {
    try { return JSON.parse(localStorage.getItem(storeKey(form)) || '{}') || {}; } catch (e) { return {}; }
  }
  function save(form, data) {
    try { localStorage.setItem(storeKey(form), JSON.stringify(data)); } catch (e) { /* storage may be off */ }
  }
  function progress(form) {
    var out = document.querySelector('[data-progress]');
    if (!out) return;
    var right = form.querySelectorAll('.verdict[data-state="right"]').length;
    var all = form.querySelectorAll('.question').length;
    out.textContent = right + ' of ' + all + ' right (kept in this browser)';
  }
  function record(form) {
    var data = {};
    form.querySelectorAll('.question').forEach(function (li) {
      var input = li.querySelector('input[name="a"]');
      var verdict = li.querySelector('.verdict');
      data[li.dataset.spec + '#' + li.id] = { a: input.value, s: verdict ? verdict.dataset.state : 'open' };
    });
    save(form, data);
    progress(form);
  }
  function restore(form) {
    var data = load(form);
    form.querySelectorAll('.question').forEach(function (li) {
      var saved = data[li.dataset.spec + '#' + li.id];
      var input = li.querySelector('input[name="a"]');
      if (saved && !input.value && saved.a) {
        input.value = saved.a;
        li.dataset.saved = saved.s;
      }
    });
    progress(form);
  }

  document.addEventListener('DOMContentLoaded', function () {
    bar();
    showSelected();
    document.querySelectorAll('form[data-worksheet]').forEach(function (form) {
      restore(form);
      form.addEventListener('input', function () { record(form); });
    });
  });
  document.addEventListener('htmx:afterSettle', mark);
  document.addEventListener('htmx:afterSwap', function (e) {
    var form = e.target.closest && e.target.closest('form[data-worksheet]');
    if (form) record(form);
  });
})();
