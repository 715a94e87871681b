// ConvAtlas's page script for the room: the diagram's fit, zoom, pan and overview (kept
// in the URL as ?zoom=); stepping by drawn box, every key press kept and the URL
// replaced rather than pushed; the search boxes (`/` focuses one); presentation mode's
// keys. Without it every link still works: a box or a step is a link to the layer's page.
(function () {
  'use strict';
  var doc = document;

  // ---------------------------------------------------------------- the diagram's zoom
  var zoom = { mode: '', z: 1 }; // mode: '' (automatic), 'width', 'height' or 'manual'
  var MIN_ZOOM = 0.05, MAX_ZOOM = 4;

  function diagramSVG() { return doc.querySelector('#diagram svg.diagram'); }
  function scroller() { return doc.querySelector('#diagram .diagram-scroll'); }
  function present() { return doc.documentElement.classList.contains('present'); }
  function natural(svg) {
    var vb = svg.viewBox.baseVal;
    return { w: vb.width, h: vb.height };
  }
  function room(box) {
    var cs = getComputedStyle(box);
    return {
      w: box.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight),
      h: box.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom)
    };
  }

  function readZoom() {
    var v = new URL(location.href).searchParams.get('zoom') || '';
    if (v === 'width' || v === 'height') { zoom.mode = v; return; }
    var n = parseFloat(v);
    if (n > 0) { zoom.mode = 'manual'; zoom.z = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, n / 100)); return; }
    zoom.mode = '';
  }
  function writeZoom() {
    var u = new URL(location.href);
    if (zoom.mode === 'width' || zoom.mode === 'height') u.searchParams.set('zoom', zoom.mode);
    else if (zoom.mode === 'manual') u.searchParams.set('zoom', String(Math.round(zoom.z * 100)));
    else u.searchParams.delete('zoom');
    if (u.toString() !== location.href) history.replaceState(history.state, '', u.toString());
  }

  // The innermost frame (a module, a block, a stage) around the selected box: what
  // presentation mode fits to the width.
  function frameAround(svg, g) {
    if (!g) return null;
    var b = g.getBBox(), best = null;
    svg.querySelectorAll('g.frame:not([data-aux]) > rect').forEach(function (r) {
      var x = r.x.baseVal.value, y = r.y.baseVal.value, w = r.width.baseVal.value, h = r.height.baseVal.value;
      if (x <= b.x && y <= b.y && x + w >= b.x + b.width && y + h >= b.y + b.height && (!best || w * h < best.w * best.h)) {
        best = { x: x, y: y, w: w, h: h };
      }
    });
    return best;
  }

  // applyZoom sizes the SVG for the zoom; focus, when given, is a point of the drawing
  // (in its own units) to keep under the same spot of the view.
  function applyZoom(focus) {
    var svg = diagramSVG(), box = scroller();
    if (!svg || !box) return;
    var n = natural(svg), z = zoom.z, old = parseFloat(svg.getAttribute('width')) / n.w || 1;
    // A long top-down diagram gets the overview beside it: keep its strip free.
    box.classList.toggle('has-overview', svg.getAttribute('data-dir') !== 'lr' && n.h > 2.5 * box.clientHeight);
    var space = room(box);
    if (!focus) focus = { x: (box.scrollLeft + box.clientWidth / 2) / old, y: (box.scrollTop + box.clientHeight / 2) / old, at: null };
    var frame = null;
    if (zoom.mode === 'width') z = space.w / n.w;
    else if (zoom.mode === 'height') z = space.h / n.h;
    else if (zoom.mode === '') {
      // Automatic: the whole width when it does not fit; in presentation mode the frame
      // around the selection, at most the drawing's own size.
      z = Math.min(1, space.w / n.w);
      if (present() && selectedEl) {
        frame = frameAround(svg, selectedEl);
        if (frame) z = Math.min(1, space.w / frame.w);
      } else if (present()) {
        // Nothing selected: the drawing at its presentation size, legible from the back
        // row; a wider one (a run's ×N and figures beside its block) scrolls.
        z = 1;
      }
    }
    z = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z));
    zoom.z = z;
    svg.setAttribute('width', String(n.w * z));
    svg.setAttribute('height', String(n.h * z));
    box.classList.toggle('zoomed-out', z < 1);
    var level = doc.querySelector('[data-zoom-level]');
    if (level) level.textContent = Math.round(z * 100) + '%';
    if (frame) {
      box.scrollLeft = frame.x * z - (box.clientWidth - frame.w * z) / 2;
    } else {
      var ax = focus.at ? focus.at.x : box.clientWidth / 2, ay = focus.at ? focus.at.y : box.clientHeight / 2;
      box.scrollLeft = focus.x * z - ax;
      box.scrollTop = focus.y * z - ay;
    }
    overview.build();
  }

  function setZoom(mode, factor, focus) {
    var svg = diagramSVG();
    if (!svg) return;
    if (mode === 'in' || mode === 'out') {
      zoom.z = zoom.z * (mode === 'in' ? 1.25 : 0.8) * (factor || 1);
      zoom.mode = 'manual';
    } else if (mode === 'factor') {
      zoom.z = zoom.z * factor;
      zoom.mode = 'manual';
    } else {
      zoom.mode = mode;
    }
    applyZoom(focus);
    writeZoom();
    if (selectedEl) reveal(selectedEl);
  }

  // Drag to pan; a drag is not a click.
  var drag = null, dragged = false;
  doc.addEventListener('pointerdown', function (e) {
    var box = e.target.closest && e.target.closest('#diagram .diagram-scroll');
    if (!box || e.button !== 0 || e.pointerType === 'touch') return;
    drag = { box: box, x: e.clientX, y: e.clientY, left: box.scrollLeft, top: box.scrollTop, id: e.pointerId, moving: false };
    dragged = false;
  });
  doc.addEventListener('pointermove', function (e) {
    if (!drag) return;
    var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (!drag.moving && Math.abs(dx) + Math.abs(dy) > 5) {
      drag.moving = true;
      drag.box.classList.add('dragging');
      try { drag.box.setPointerCapture(drag.id); } catch (err) { /* ignore */ }
    }
    if (drag.moving) {
      drag.box.scrollLeft = drag.left - dx;
      drag.box.scrollTop = drag.top - dy;
    }
  });
  function endDrag() {
    if (drag && drag.moving) { dragged = true; drag.box.classList.remove('dragging'); }
    drag = null;
  }
  doc.addEventListener('pointerup', endDrag);
  doc.addEventListener('pointercancel', endDrag);
  // Ctrl + wheel zooms around the pointer; the wheel alone scrolls.
  doc.addEventListener('wheel', function (e) {
    var box = e.target.closest && e.target.closest('#diagram .diagram-scroll');
    if (!box || !e.ctrlKey) return;
    e.preventDefault();
    var r = box.getBoundingClientRect(), at = { x: e.clientX - r.left, y: e.clientY - r.top };
    setZoom('factor', e.deltaY < 0 ? 1.15 : 1 / 1.15, { x: (box.scrollLeft + at.x) / zoom.z, y: (box.scrollTop + at.y) / zoom.z, at: at });
  }, { passive: false });

  // ------------------------------------------------------------- the overview (minimap)
  // Long diagrams get a strip beside them with every box drawn small and the part in
  // view outlined; clicking or dragging in it moves the view.
  var overview = {
    canvas: null, image: null, sx: 1, sy: 1, lr: false, svg: null, size: '',
    build: function () {
      var svg = diagramSVG(), box = scroller();
      var wrap = box && box.parentNode;
      var old = wrap && wrap.querySelector('.overview');
      if (!svg || !box) return;
      var n = natural(svg), z = zoom.z, lr = svg.getAttribute('data-dir') === 'lr';
      var long = lr ? n.w * z > 2.5 * box.clientWidth : n.h * z > 2.5 * box.clientHeight;
      if (!long) { if (old) old.remove(); overview.canvas = null; overview.svg = null; return; }
      // The boxes are drawn once per diagram and size of the view; moving only redraws the frame.
      if (old && overview.svg === svg && overview.size === box.clientWidth + 'x' + box.clientHeight) { overview.draw(); return; }
      overview.svg = svg; overview.size = box.clientWidth + 'x' + box.clientHeight;
      var c = old || doc.createElement('canvas');
      c.className = 'overview' + (lr ? ' overview-lr' : '');
      c.setAttribute('role', 'img');
      c.setAttribute('aria-label', 'Overview of the whole diagram; click to move there');
      if (!old) wrap.appendChild(c);
      var cw = lr ? Math.max(120, box.clientWidth - 16) : 56, ch = lr ? 48 : Math.max(120, box.clientHeight - 16);
      c.width = cw; c.height = ch;
      overview.canvas = c; overview.lr = lr;
      overview.sx = cw / n.w; overview.sy = ch / n.h;
      var img = doc.createElement('canvas');
      img.width = cw; img.height = ch;
      var ctx = img.getContext('2d'), colours = {};
      svg.querySelectorAll('g.box').forEach(function (g) {
        var r = g.querySelector('rect:not(.card)');
        if (!r) return;
        var kind = (g.getAttribute('class').match(/box-(\w+)/) || [])[1] || 'other';
        if (!colours[kind]) colours[kind] = getComputedStyle(r).stroke || '#888';
        ctx.fillStyle = colours[kind];
        ctx.fillRect(r.x.baseVal.value * overview.sx, r.y.baseVal.value * overview.sy,
          Math.max(1, r.width.baseVal.value * overview.sx), Math.max(1, r.height.baseVal.value * overview.sy));
      });
      overview.image = img;
      overview.draw();
    },
    draw: function () {
      var c = overview.canvas, box = scroller();
      if (!c || !box) return;
      var ctx = c.getContext('2d'), z = zoom.z;
      ctx.clearRect(0, 0, c.width, c.height);
      ctx.drawImage(overview.image, 0, 0);
      ctx.strokeStyle = getComputedStyle(c).color;
      ctx.lineWidth = 2;
      ctx.strokeRect(box.scrollLeft / z * overview.sx + 1, box.scrollTop / z * overview.sy + 1,
        Math.max(4, box.clientWidth / z * overview.sx - 2), Math.max(4, box.clientHeight / z * overview.sy - 2));
    },
    moveTo: function (e) {
      var c = overview.canvas, box = scroller();
      var r = c.getBoundingClientRect(), z = zoom.z;
      var x = (e.clientX - r.left) * (c.width / r.width) / overview.sx, y = (e.clientY - r.top) * (c.height / r.height) / overview.sy;
      box.scrollLeft = x * z - box.clientWidth / 2;
      box.scrollTop = y * z - box.clientHeight / 2;
    }
  };
  var overviewDrag = false;
  doc.addEventListener('pointerdown', function (e) {
    if (overview.canvas && e.target === overview.canvas) { overviewDrag = true; overview.moveTo(e); e.preventDefault(); }
  });
  doc.addEventListener('pointermove', function (e) { if (overviewDrag) overview.moveTo(e); });
  doc.addEventListener('pointerup', function () { overviewDrag = false; });
  var drawQueued = false;
  doc.addEventListener('scroll', function (e) {
    if (!overview.canvas || !e.target.classList || !e.target.classList.contains('diagram-scroll') || drawQueued) return;
    drawQueued = true;
    requestAnimationFrame(function () { drawQueued = false; overview.draw(); });
  }, true);

  // ------------------------------------------------------------------- the selection
  var steps = null, stepAt = null, drawnMap = null, selectedEl = null;
  var want = null, inflight = null, queue = [];

  function arch() { return doc.querySelector('article.arch[data-steps]'); }
  function panel() { return doc.getElementById('layer-panel'); }
  function panelLayer() { var p = panel(); return p ? p.dataset.layer || null : null; }
  function stepList() {
    if (!steps) {
      var a = arch();
      steps = a && a.dataset.steps ? a.dataset.steps.split(' ') : [];
      stepAt = {};
      steps.forEach(function (n, i) { stepAt[n] = i; });
    }
    return steps;
  }
  function drawn() {
    if (!drawnMap) {
      drawnMap = {};
      doc.querySelectorAll('#diagram svg.diagram [data-layer]').forEach(function (g) {
        drawnMap[g.getAttribute('data-layer')] = g;
        var f = g.getAttribute('data-folded');
        if (f) f.split(' ').forEach(function (name) { if (name) drawnMap[name] = g; });
      });
    }
    return drawnMap;
  }
  // The position among the drawn boxes of the box that draws a layer.
  function boxPosition(name) {
    stepList();
    if (name in stepAt) return stepAt[name];
    var g = drawn()[name];
    if (g && g.getAttribute('data-layer') in stepAt) return stepAt[g.getAttribute('data-layer')];
    return -1;
  }

  // Every box that draws the same layer as g: one per device in the streams view.
  function twins(g) {
    return doc.querySelectorAll('#diagram svg.diagram [data-layer="' + CSS.escape(g.getAttribute('data-layer')) + '"]');
  }
  function markSelected(g) { twins(g).forEach(function (t) { t.classList.add('selected'); }); }

  function highlight(name) {
    var g = name ? drawn()[name] : null;
    if (g === selectedEl) return;
    doc.querySelectorAll('#diagram svg.diagram .selected').forEach(function (s) { s.classList.remove('selected'); });
    selectedEl = g || null;
    if (!g) return;
    markSelected(g);
    // Presentation mode fits the diagram around each new selection.
    if (present() && zoom.mode === '') applyZoom();
    reveal(g);
  }

  // Keep the selection in view: scroll the diagram's own box, never the page.
  function reveal(g) {
    var box = scroller();
    if (!box || !g) return;
    var r = g.getBoundingClientRect(), b = box.getBoundingClientRect(), m = 24;
    if (r.top < b.top + m || r.bottom > b.bottom - m) box.scrollTop += (r.top + r.height / 2) - (b.top + b.height / 2);
    if (r.left < b.left + m || r.right > b.right - m) box.scrollLeft += (r.left + r.width / 2) - (b.left + b.width / 2);
  }

  function layerHref(name) {
    var u = new URL(location.href);
    u.searchParams.delete('layer');
    var q = u.searchParams.toString();
    return '/a/' + arch().dataset.arch + '/layer/' + encodeURIComponent(name) + (q ? '?' + q : '');
  }

  function select(name, push) {
    if (!name) return;
    want = name;
    highlight(name);
    // In the static export offline.js swaps the panels in (no request can be made);
    // the page's address is its #layer=.
    if (window.ConvAtlasOffline) { window.ConvAtlasOffline.show(name, push); return; }
    var href = layerHref(name);
    if (push) history.pushState(null, '', href); else history.replaceState(null, '', href);
    var toggle = doc.querySelector('[data-present-toggle]');
    if (toggle) toggle.href = presentHref();
    request();
  }

  // One panel request at a time; when it comes back, the latest wish is asked for.
  function request() {
    if (inflight || !want || want === panelLayer()) return;
    if (!window.htmx) { location.href = layerHref(want); return; }
    inflight = want;
    var done = function () { inflight = null; request(); drain(); };
    window.htmx.ajax('GET', layerHref(want), { target: '#layer-panel', swap: 'outerHTML' }).then(done, done);
  }

  // Steps wait in a queue: a step by box is taken at once (the boxes are known); a step
  // by operation waits until the panel shows the layer it starts from.
  function drain() {
    while (queue.length) {
      var action = queue[0];
      if ((action === 'next-op' || action === 'prev-op') && (inflight || want !== panelLayer())) { request(); return; }
      queue.shift();
      take(action);
    }
  }

  function take(action) {
    var list = stepList(), cur = want || panelLayer();
    if (!list.length) return;
    var pos = cur ? boxPosition(cur) : -1, target = null;
    switch (action) {
      case 'next': target = cur === null ? list[0] : pos >= 0 && pos + 1 < list.length ? list[pos + 1] : null; break;
      case 'prev': target = pos > 0 ? list[pos - 1] : null; break;
      case 'first': target = list[0]; break;
      case 'last': target = list[list.length - 1]; break;
      case 'next-op': case 'prev-op': {
        var link = doc.querySelector('#layer-panel [data-step="' + action + '"]');
        target = link ? link.dataset.name : null;
        break;
      }
    }
    if (cur !== null && pos < 0 && (action === 'next' || action === 'prev')) {
      // A layer the script cannot place (a panel from elsewhere): follow the panel's link.
      var l = doc.querySelector('#layer-panel [data-step="' + action + '"]');
      target = l ? l.dataset.name : null;
    }
    if (target && target !== cur) select(target, false);
  }

  function step(action) {
    queue.push(action);
    drain();
  }

  // Clicks on boxes, on the panel's steps and on search hits select in place.
  doc.addEventListener('click', function (e) {
    if (dragged) { dragged = false; e.preventDefault(); e.stopPropagation(); return; }
    if (!e.target.closest || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || !arch()) return;
    var fit = e.target.closest('[data-fit]');
    if (fit) { setZoom(fit.dataset.fit); return; }
    var link = e.target.closest('#diagram a.layer-link, #layer-panel a[data-step]:not([data-step="close"]), a[data-layer-hit]');
    if (!link || !window.htmx) return;
    var name = link.dataset.name || link.dataset.layerHit;
    if (!name) { var g = link.closest('[data-layer]'); name = g && g.getAttribute('data-layer'); }
    if (!name) return;
    e.preventDefault();
    e.stopPropagation();
    queue = [];
    select(name, !link.closest('#layer-panel'));
  }, true);

  function presentHref() {
    var u = new URL(location.href);
    if (u.searchParams.get('present') === '1') u.searchParams.delete('present'); else u.searchParams.set('present', '1');
    u.searchParams.delete('zoom');
    return u.toString();
  }

  function typing(e) {
    var t = e.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }

  doc.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (typing(e)) {
      if (e.key === 'Escape' && e.target.matches('[data-search-focus]')) e.target.blur();
      return;
    }
    if (e.key === '/') {
      var s = doc.querySelector('[data-search-focus]') || doc.querySelector('[data-header-search]');
      if (s) { e.preventDefault(); s.focus(); s.select(); }
      return;
    }
    if (e.key === 'Escape' && present()) { e.preventDefault(); location.href = presentHref(); return; }
    if (!arch() || !panel()) return;
    var keys = { ArrowRight: 'next', j: 'next', ArrowLeft: 'prev', k: 'prev', Home: 'first', End: 'last' };
    var action = keys[e.key];
    if (!action) {
      if (e.key === 'Escape') {
        var close = doc.querySelector('#layer-panel [data-step="close"]');
        if (close) { e.preventDefault(); location.href = close.href; }
      }
      return;
    }
    if (e.shiftKey && (action === 'next' || action === 'prev')) action += '-op';
    e.preventDefault();
    step(action);
  });

  // After htmx swaps the panel or the diagram.
  var knownDiagram = null;
  function diagramChanged() {
    var d = doc.getElementById('diagram');
    if (d === knownDiagram) return false;
    knownDiagram = d;
    drawnMap = null; selectedEl = null;
    doc.querySelectorAll('[data-zoom-bar]').forEach(function (b) { b.hidden = false; });
    return true;
  }
  // The panel says in which view the server drew it: when selecting its layer expanded a
  // stage, the address takes the expanded view, so that the next step does not send the
  // diagram again.
  function adoptPanelView() {
    var p = panel();
    if (!p || p.dataset.query === undefined || p.dataset.layer !== want) return;
    var u = new URL(location.href), q = new URLSearchParams(p.dataset.query);
    var zoomed = u.searchParams.get('zoom');
    if (zoomed) q.set('zoom', zoomed);
    var s = q.toString();
    if (('?' + s) !== u.search && !(s === '' && u.search === '')) {
      u.search = s;
      history.replaceState(history.state, '', u.toString());
    }
  }
  doc.addEventListener('htmx:afterSettle', function () {
    adoptPanelView();
    if (diagramChanged()) applyZoom();
    highlight(want || panelLayer());
    drain();
  });
  doc.addEventListener('htmx:pushedIntoHistory', function () { writeZoom(); });
  // The browser leaves an empty style attribute on some inputs (autofill's preview);
  // htmx's history snapshot would carry it back in, which the Content-Security-Policy
  // refuses, so it is dropped before the snapshot.
  doc.addEventListener('htmx:beforeHistorySave', function () {
    doc.querySelectorAll('[style=""]').forEach(function (el) { el.removeAttribute('style'); });
  });
  // Back and forward between layers of this page: show the layer of the address.
  window.addEventListener('popstate', function (e) {
    if (e.state && e.state.htmx) return; // htmx restores its own entries
    var m = location.pathname.match(/^\/a\/[^/]+\/layer\/([^/]+)$/);
    if (!arch()) return;
    if (!m) { location.reload(); return; }
    queue = [];
    want = decodeURIComponent(m[1]);
    highlight(want);
    request();
  });

  var resizeTimer = 0;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { applyZoom(); if (selectedEl) reveal(selectedEl); }, 100);
  });

  // ------------------------------------------------------------------------- filters
  // An input with data-filter hides the elements of that selector whose data-search
  // lacks a word of it, and the groups (data-filter-group) left empty.
  function words(q) {
    return q.toLowerCase().replace(/×/g, 'x').split(/[\s,]+/).filter(Boolean).slice(0, 8);
  }
  function filter(input) {
    var w = words(input.value), shown = 0, all = doc.querySelectorAll(input.dataset.filter);
    all.forEach(function (el) {
      var text = el.getAttribute('data-search') || '';
      var ok = w.every(function (x) { return text.indexOf(x) >= 0; });
      el.hidden = !ok;
      if (ok) shown++;
    });
    if (input.dataset.filterGroup) {
      doc.querySelectorAll(input.dataset.filterGroup).forEach(function (g) {
        g.hidden = !g.querySelector(input.dataset.filter + ':not([hidden])');
      });
    }
    if (input.dataset.filterHide) doc.querySelectorAll(input.dataset.filterHide).forEach(function (el) { el.hidden = w.length > 0; });
    var count = input.form && input.form.querySelector('[data-filter-count]');
    if (count) count.textContent = w.length ? shown + ' of ' + all.length : '';
    var u = new URL(location.href);
    if (input.name && u.pathname === (input.form && new URL(input.form.action, location.href).pathname)) {
      if (input.value) u.searchParams.set(input.name, input.value); else u.searchParams.delete(input.name);
      history.replaceState(history.state, '', u.toString());
    }
  }
  doc.addEventListener('input', function (e) {
    if (e.target.matches && e.target.matches('[data-filter]')) filter(e.target);
  });
  doc.addEventListener('submit', function (e) {
    // Filtering happens as one types; Enter opens the only match, if there is one.
    var input = e.target.querySelector('[data-filter]');
    if (!input) return;
    var shown = [].filter.call(doc.querySelectorAll(input.dataset.filter), function (el) { return !el.hidden; });
    var a = shown.length === 1 && shown[0].querySelector('a[href]');
    e.preventDefault();
    if (a) location.href = a.href;
  });

  // ------------------------------------------------------------------------ start
  function start() {
    doc.querySelectorAll('[data-zoom-bar]').forEach(function (b) { b.hidden = false; });
    doc.querySelectorAll('[data-filter]').forEach(function (i) { if (i.value) filter(i); });
    if (!arch()) return;
    knownDiagram = doc.getElementById('diagram');
    readZoom();
    want = panelLayer();
    var name = want;
    if (name) {
      selectedEl = drawn()[name] || null;
      doc.querySelectorAll('#diagram svg.diagram .selected').forEach(function (s) { s.classList.remove('selected'); });
      if (selectedEl) markSelected(selectedEl);
    }
    applyZoom();
    if (selectedEl) reveal(selectedEl);
    // A link to a layer opens at the diagram and the panel, with the panel's figures on
    // the screen; the page's own scroll is left alone when the reader already moved it.
    var bench = doc.querySelector('.workbench');
    if (name && bench && !present() && window.scrollY === 0 && innerWidth > 760) {
      var top = bench.getBoundingClientRect().top;
      if (top > innerHeight * 0.3) window.scrollTo(0, top - 8);
    }
  }
  // Started in a task of its own after DOMContentLoaded: measuring the page for the zoom
  // lays it out, which need not hold up the page's being ready.
  function later() { setTimeout(start, 0); }
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', later); else later();
})();
