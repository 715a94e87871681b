// ConvAtlas offline: what the static export (convatlas export) loads in htmx's place.
// Every page of the export is the server's HTML; this script only moves between what
// was rendered in advance, and never makes a request (browsers refuse requests on
// file://, where the export is often opened):
// - layer panels: the server's panels of a network are bundled in a/{id}/panels.js,
//   loaded as a script on the first click; a box, the ← → steps and #layer= permalinks
//   swap them in place, or go to the page where the layer's stage is drawn expanded;
// - presentation mode (p) as a class on the page, kept while moving between pages;
// - Download PNG: drawn by the browser from the diagram on screen, in its theme.
(function () {
  'use strict';
  var root = document.documentElement;
  root.dataset.offline = 'true';
  var bundle = null, waiting = [], initialPanel = null;

  function archID() {
    var a = document.querySelector('article[data-arch]');
    return a && a.dataset.arch;
  }

  // loadPanels calls back with this page's network's panels, loading them once.
  function loadPanels(done) {
    if (bundle) { done(bundle); return; }
    waiting.push(done);
    if (waiting.length > 1) return;
    var s = document.createElement('script');
    s.src = 'panels.js';
    s.onload = function () {
      // The bundle is gzipped JSON in base64 (see web/export.go): inflated here, with
      // no request.
      var packed = (window.ConvAtlasPanels || {})[archID()];
      if (!packed) return;
      var bin = atob(packed), bytes = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
      new Response(stream).text().then(function (text) {
        bundle = JSON.parse(text);
        var calls = waiting; waiting = [];
        calls.forEach(function (f) { f(bundle); });
      });
    };
    document.head.appendChild(s);
  }

  function layerOf(href) {
    var m = /#layer=([^&]*)/.exec(href || '');
    return m ? decodeURIComponent(m[1].replace(/\+/g, ' ')) : null;
  }

  // collapsedStage is the stage of a layer that the diagram on this page does not draw:
  // it sits in a collapsed stage, or in a block that a ×N bracket stands for.
  function collapsedStage(b, name) {
    var stage = b.stages[name];
    if (!stage) return null;
    var box = document.querySelector('svg.diagram .box-stage[data-stage="' + CSS.escape(stage) + '"]');
    if (box) return stage;
    if (!document.querySelector('svg.diagram g.bracket[data-stage="' + CSS.escape(stage) + '"]')) return null;
    var drawn = document.querySelector('svg.diagram [data-layer="' + CSS.escape(name) + '"]') ||
      [].some.call(document.querySelectorAll('svg.diagram [data-folded]'), function (g) { return g.dataset.folded.split(' ').indexOf(name) >= 0; });
    return drawn ? null : stage;
  }

  function settle() {
    document.dispatchEvent(new CustomEvent('htmx:afterSettle', { bubbles: true }));
  }

  function showLayer(name, push) {
    loadPanels(function (b) {
      var html = b.panels[name];
      if (html === undefined) return;
      var stage = collapsedStage(b, name);
      if (stage && b.expanded[stage]) {
        location.href = b.expanded[stage] + '#layer=' + encodeURIComponent(name);
        return;
      }
      html = html.replace(/points="@(\d+)"/g, function (_, k) { return 'points="' + b.shared[+k] + '"'; });
      var panel = document.getElementById('layer-panel');
      if (!panel) return;
      if (initialPanel === null) initialPanel = panel.outerHTML;
      panel.outerHTML = html;
      if (push) history.pushState({ layer: name }, '', '#layer=' + encodeURIComponent(name));
      settle();
    });
  }

  // The layer search: the server's list of every layer (in the bundle), filtered here
  // by the words of the query as the server filters it (templates.FindLayers).
  var maxHits = 40;
  function findLayers(input) {
    var results = document.getElementById('layer-find-results');
    if (!results) return;
    var words = input.value.toLowerCase().replace(/×/g, 'x').split(/[\s,]+/).filter(Boolean).slice(0, 8);
    if (!words.length) { results.textContent = ''; return; }
    loadPanels(function (b) {
      var hits = [];
      for (var i = 0; i < b.find.length && hits.length < maxHits; i++) {
        var text = /data-search="([^"]*)"/.exec(b.find[i]);
        text = text ? text[1].replace(/&amp;/g, '&').replace(/&#34;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>') : '';
        if (words.every(function (w) { return text.indexOf(w) >= 0; })) hits.push(b.find[i]);
      }
      results.textContent = '';
      if (!hits.length) {
        var none = document.createElement('p');
        none.className = 'find-none';
        none.textContent = 'No layer matches “' + input.value + '”.';
        results.appendChild(none);
        return;
      }
      var list = document.createElement('ul');
      list.innerHTML = hits.join('');
      results.appendChild(list);
      if (hits.length === maxHits) {
        var more = document.createElement('p');
        more.className = 'find-more';
        more.textContent = 'The first ' + maxHits + ' matches; type more to narrow them.';
        results.appendChild(more);
      }
    });
  }
  document.addEventListener('input', function (e) {
    if (e.target && e.target.id === 'layer-find-q') findLayers(e.target);
  });
  document.addEventListener('submit', function (e) {
    var input = e.target.querySelector && e.target.querySelector('#layer-find-q');
    if (!input) return;
    e.preventDefault();
    findLayers(input);
  });

  // room.js steps by box and hands each step here: a step replaces the address, a
  // click on a box adds one.
  window.ConvAtlasOffline = {
    show: function (name, push) {
      showLayer(name, push);
      if (!push) history.replaceState({ layer: name }, '', '#layer=' + encodeURIComponent(name));
    }
  };

  function closePanel(push) {
    var panel = document.getElementById('layer-panel');
    if (!panel || initialPanel === null) return;
    panel.outerHTML = initialPanel;
    if (push) history.pushState(null, '', location.pathname + location.search);
    settle();
  }

  document.addEventListener('click', function (e) {
    if (!e.target.closest || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
    var png = e.target.closest('[data-png]');
    if (png) { e.preventDefault(); e.stopImmediatePropagation(); downloadPNG(png); return; }
    var link = e.target.closest('a[href]');
    if (!link || !archID() || !document.getElementById('layer-panel')) return;
    if (link.dataset.step === 'close') { e.preventDefault(); closePanel(true); return; }
    var name = layerOf(link.getAttribute('href'));
    if (name === null) return;
    e.preventDefault();
    showLayer(name, true);
  }, true);

  function fromHash() {
    var name = layerOf(location.hash);
    if (name !== null) showLayer(name, false); else closePanel(false);
  }
  window.addEventListener('popstate', fromHash);
  document.addEventListener('DOMContentLoaded', function () {
    if (layerOf(location.hash) !== null) fromHash();
    if (sessionStorage.getItem('convatlas-present') === '1') present(true);
  });

  // Presentation mode: the server renders it for ?present=1; here it is the page's
  // class, and the chrome hidden, kept for the session.
  function present(on) {
    root.classList.toggle('present', on);
    document.querySelectorAll('.site-header, .site-footer').forEach(function (el) { el.style.display = on ? 'none' : ''; });
    // The server draws the diagram half as large again for the back row: so here.
    document.querySelectorAll('#diagram svg.diagram').forEach(function (svg) {
      var box = svg.viewBox.baseVal;
      svg.style.width = on ? box.width * 1.5 + 'px' : '';
      svg.style.height = on ? box.height * 1.5 + 'px' : '';
    });
    try { sessionStorage.setItem('convatlas-present', on ? '1' : '0'); } catch (e) { /* ignore */ }
  }
  window.addEventListener('keydown', function (e) {
    var t = e.target;
    if (e.key !== 'p' || e.ctrlKey || e.metaKey || e.altKey) return;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    present(!root.classList.contains('present'));
  }, true);

  // Compare: the export has the comparison of each family; choosing networks leads to
  // the one of exactly those, or says which there are.
  function chooseComparison(form) {
    var list = JSON.parse(form.dataset.exported || '{}');
    var ids = Array.prototype.map.call(form.querySelectorAll('input[name="id"]:checked'), function (i) { return i.value; }).sort();
    var file = list[ids.join(',')];
    if (file) { location.href = file; return; }
    var note = form.querySelector('.offline-note');
    if (!note) {
      note = document.createElement('p');
      note.className = 'offline-note';
      note.setAttribute('role', 'status');
      form.insertBefore(note, form.firstChild);
    }
    note.textContent = 'This copy of the atlas has the comparisons of each family only: ';
    Object.keys(list).forEach(function (key, i) {
      var a = document.createElement('a');
      a.href = list[key]; a.textContent = key.split(',').join(', ');
      if (i > 0) note.appendChild(document.createTextNode(' · '));
      note.appendChild(a);
    });
  }
  document.addEventListener('change', function (e) {
    var form = e.target.closest && e.target.closest('form.chooser[data-exported]');
    if (form) chooseComparison(form);
  });
  document.addEventListener('submit', function (e) {
    var form = e.target.closest && e.target.closest('form.chooser[data-exported]');
    if (form) { e.preventDefault(); chooseComparison(form); }
  }, true);

  // The concept calculators run the engine, which a static copy does not have: say so
  // where the reader types, rather than leave the figures silently unchanged.
  function calculatorNote(form) {
    if (form.querySelector('.offline-note')) return;
    var note = document.createElement('p');
    note.className = 'offline-note';
    note.setAttribute('role', 'status');
    note.textContent = 'This copy of the atlas has no engine to recompute: the figures below are for the values shown first. Run convatlas serve to try others.';
    form.appendChild(note);
  }
  document.addEventListener('input', function (e) {
    var form = e.target.closest && e.target.closest('form.calculator');
    if (form) calculatorNote(form);
    var notes = e.target.matches && e.target.matches('[data-notes]') && e.target.parentNode;
    if (notes && !notes.querySelector('.offline-note')) {
      var note = document.createElement('p');
      note.className = 'offline-note';
      note.setAttribute('role', 'status');
      note.textContent = 'This copy of the atlas cannot preview: what you type is kept in this browser; convatlas notes or convatlas serve renders it.';
      notes.appendChild(note);
    }
  });
  document.addEventListener('submit', function (e) {
    var form = e.target.closest && e.target.closest('form.calculator');
    if (form) { e.preventDefault(); calculatorNote(form); }
  }, true);

  // Download PNG: the diagram on screen, with the colours the page's theme gives it,
  // drawn at twice its size by the browser.
  var copied = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'opacity', 'font-size', 'font-family', 'font-weight', 'visibility', 'display'];
  function downloadPNG(button) {
    var svg = document.querySelector('#diagram svg.diagram') || document.querySelector('svg.diagram, svg.volumes-svg');
    if (!svg) return;
    var clone = svg.cloneNode(true);
    var from = svg.querySelectorAll('*'), to = clone.querySelectorAll('*');
    for (var i = 0; i < from.length; i++) {
      var cs = getComputedStyle(from[i]), style = '';
      for (var k = 0; k < copied.length; k++) style += copied[k] + ':' + cs.getPropertyValue(copied[k]) + ';';
      to[i].setAttribute('style', style);
    }
    clone.removeAttribute('style');
    clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    var w = svg.viewBox.baseVal.width, h = svg.viewBox.baseVal.height;
    clone.setAttribute('width', w); clone.setAttribute('height', h);
    var url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(clone)], { type: 'image/svg+xml' }));
    var img = new Image();
    img.onload = function () {
      var canvas = document.createElement('canvas');
      canvas.width = Math.round(w * 2); canvas.height = Math.round(h * 2);
      var ctx = canvas.getContext('2d');
      ctx.scale(2, 2); ctx.drawImage(img, 0, 0, w, h);
      URL.revokeObjectURL(url);
      canvas.toBlob(function (blob) {
        var a = document.createElement('a');
        a.href = URL.createObjectURL(blob); a.download = button.dataset.name || 'diagram.png';
        document.body.appendChild(a); a.click(); a.remove();
      }, 'image/png');
    };
    img.src = url;
  }
})();
