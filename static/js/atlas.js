// ConvAtlas's own script: theme, keys, pan and zoom. Everything works without it.
(function () {
  'use strict';
  var root = document.documentElement;
  try {
    var saved = localStorage.getItem('convatlas-theme');
    if (saved === 'light' || saved === 'dark') root.dataset.theme = saved;
  } catch (e) { /* storage may be unavailable */ }

  function toggleTheme() {
    var dark = root.dataset.theme ? root.dataset.theme === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
    root.dataset.theme = dark ? 'light' : 'dark';
    try { localStorage.setItem('convatlas-theme', root.dataset.theme); } catch (e) { /* ignore */ }
  }

  function togglePresent() {
    var url = new URL(location.href);
    if (url.searchParams.get('present') === '1') url.searchParams.delete('present');
    else url.searchParams.set('present', '1');
    location.href = url.toString();
  }

  function typing(e) {
    var t = e.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }

  // Download a diagram as PNG, drawn by the server (render/) in the view and theme on
  // screen, at twice its size.
  function downloadPNG(button) {
    var dark = root.dataset.theme ? root.dataset.theme === 'dark' : matchMedia('(prefers-color-scheme: dark)').matches;
    var url = new URL(button.dataset.png, location.href);
    url.searchParams.set('theme', dark ? 'dark' : 'light');
    url.searchParams.set('scale', '2');
    fetch(url).then(function (r) { if (!r.ok) throw new Error(r.statusText); return r.blob(); }).then(function (blob) {
      var a = document.createElement('a');
      a.href = URL.createObjectURL(blob); a.download = button.dataset.name;
      document.body.appendChild(a); a.click(); a.remove();
    });
  }

  document.addEventListener('click', function (e) {
    if (!e.target.closest) return;
    if (e.target.closest('[data-theme-toggle]')) toggleTheme();
    var png = e.target.closest('[data-png]');
    if (png) downloadPNG(png);
  });
  document.addEventListener('focusin', function (e) {
    if (e.target.matches && e.target.matches('[data-copyable]')) e.target.select();
  });
  // Stepping through the layers, the highlight and the diagram's zoom are in room.js.

  document.addEventListener('keydown', function (e) {
    if (typing(e) || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === 't') toggleTheme();
    else if (e.key === 'p') togglePresent();
    else if (e.key === 'f' && document.fullscreenEnabled) {
      if (document.fullscreenElement) document.exitFullscreen(); else root.requestFullscreen();
    }
  });

  // The notes editor keeps what is typed: in this browser, and in the link.
  document.addEventListener('DOMContentLoaded', function () {
    var area = document.querySelector('[data-notes]');
    if (!area) return;
    var url = new URL(location.href);
    try {
      var saved = localStorage.getItem('convatlas-notes');
      if (!url.searchParams.get('src') && saved && saved !== area.value) {
        area.value = saved;
        area.dispatchEvent(new Event('input', { bubbles: true }));
      }
    } catch (e) { /* ignore */ }
    area.addEventListener('input', function () {
      try { localStorage.setItem('convatlas-notes', area.value); } catch (e) { /* ignore */ }
      var u = new URL(location.href);
      if (area.value.length < 8000) u.searchParams.set('src', area.value); else u.searchParams.delete('src');
      history.replaceState(null, '', u.toString());
    });
  });

  // The playground: line numbers, the error's line marked, the last good diagram greyed,
  // share links that carry the definition compressed, and a YAML download.
  function base64url(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  function compress(text) {
    var stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
    return new Response(stream).arrayBuffer().then(function (buf) { return base64url(new Uint8Array(buf)); });
  }
  function playgroundState() {
    var area = document.querySelector('[data-playground]');
    if (!area) return;
    var gutter = document.querySelector('[data-gutter]');
    var error = document.getElementById('pg-error');
    var bad = error && error.dataset.line ? parseInt(error.dataset.line, 10) : 0;
    var lines = area.value.split('\n').length, out = [];
    for (var i = 1; i <= lines; i++) out.push(i === bad ? '<mark>' + i + '</mark>' : String(i));
    gutter.innerHTML = out.join('\n');
    gutter.scrollTop = area.scrollTop;
    var result = document.getElementById('pg-result');
    if (result) result.classList.toggle('stale', !!(error && error.textContent.trim()));
  }
  document.addEventListener('DOMContentLoaded', function () {
    var area = document.querySelector('[data-playground]');
    if (!area) return;
    area.addEventListener('input', playgroundState);
    area.addEventListener('scroll', function () { document.querySelector('[data-gutter]').scrollTop = area.scrollTop; });
    document.querySelector('[data-share]').addEventListener('click', function () {
      compress(area.value).then(function (def) {
        var url = location.origin + '/playground?def=' + def;
        history.replaceState(null, '', url);
        var status = document.querySelector('[data-share-status]');
        if (navigator.clipboard) navigator.clipboard.writeText(url).catch(function () {});
        status.textContent = 'The link is in the address bar' + (navigator.clipboard ? ' and copied.' : '.');
      });
    });
    document.querySelector('[data-download-yaml]').addEventListener('click', function () {
      var a = document.createElement('a');
      var id = (area.value.match(/^id:\s*(\S+)/m) || [])[1] || 'network';
      a.href = URL.createObjectURL(new Blob([area.value], { type: 'application/yaml' }));
      a.download = id + '.yaml';
      document.body.appendChild(a); a.click(); a.remove();
    });
    playgroundState();
  });
  document.addEventListener('htmx:afterSettle', playgroundState);

  // ONNX import: a file chosen is sent at once; a file dropped on the form too.
  document.addEventListener('DOMContentLoaded', function () {
    var form = document.querySelector('[data-onnx-drop]');
    if (!form) return;
    var input = form.querySelector('[data-onnx-file]');
    input.addEventListener('change', function () { if (input.files.length) form.submit(); });
    form.addEventListener('dragover', function (e) { e.preventDefault(); form.classList.add('dropping'); });
    form.addEventListener('dragleave', function () { form.classList.remove('dropping'); });
    form.addEventListener('drop', function (e) {
      e.preventDefault();
      form.classList.remove('dropping');
      if (!e.dataTransfer.files.length) return;
      input.files = e.dataTransfer.files;
      form.submit();
    });
  });

  // Notes the server cannot render (too large, nested too deeply) come back as 413 or
  // 422 with the reason in place of the preview: show it instead of keeping a stale one.
  document.addEventListener('htmx:beforeSwap', function (e) {
    if (e.detail.target.id === 'notes-preview' && (e.detail.xhr.status === 413 || e.detail.xhr.status === 422)) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });
  document.addEventListener('htmx:oobAfterSwap', playgroundState);

  // Pan and zoom for embedded diagrams.
  document.addEventListener('DOMContentLoaded', function () {
    var box = document.querySelector('[data-panzoom]');
    if (!box) return;
    var svg = box.querySelector('svg');
    var scale = 1, x = 0, y = 0, drag = null;
    function apply() { svg.style.transform = 'translate(' + x + 'px,' + y + 'px) scale(' + scale + ')'; }
    // Fit the diagram to the frame, enlarging a small one up to 4×; a frame with no size
    // yet (a slide not shown, a closed tab) is fitted when it gets one, and again when
    // it is resized, until the reader pans or zooms. A diagram that would shrink below
    // legible text (the smallest, 12 px, under 11) is fitted to the frame's width
    // instead, no smaller than legible, from its top: the reader pans down it.
    var moved = false, legible = 11 / 12;
    function fit() {
      var w = svg.width.baseVal.value, h = svg.height.baseVal.value;
      if (!box.clientWidth || !box.clientHeight || !w || !h) return;
      scale = Math.min(box.clientWidth / w, box.clientHeight / h, 4);
      if (scale < legible) scale = Math.max(Math.min(box.clientWidth / w, 4), legible);
      x = Math.max(0, (box.clientWidth - w * scale) / 2); y = Math.max(0, (box.clientHeight - h * scale) / 2); apply();
    }
    if (window.ResizeObserver) new ResizeObserver(function () { if (!moved) fit(); }).observe(box);
    function zoom(f, cx, cy) {
      moved = true;
      cx = cx === undefined ? box.clientWidth / 2 : cx; cy = cy === undefined ? box.clientHeight / 2 : cy;
      x = cx - (cx - x) * f; y = cy - (cy - y) * f; scale *= f; apply();
    }
    // The wheel pans, as it scrolls a page; with Ctrl (or a trackpad's pinch) it zooms.
    box.addEventListener('wheel', function (e) {
      e.preventDefault();
      if (e.ctrlKey || e.metaKey) { zoom(e.deltaY < 0 ? 1.15 : 1 / 1.15, e.offsetX, e.offsetY); return; }
      moved = true; x -= e.deltaX; y -= e.deltaY; apply();
    }, { passive: false });
    box.addEventListener('pointerdown', function (e) { drag = { x: e.clientX - x, y: e.clientY - y }; box.setPointerCapture(e.pointerId); });
    box.addEventListener('pointermove', function (e) { if (drag) { moved = true; x = e.clientX - drag.x; y = e.clientY - drag.y; apply(); } });
    box.addEventListener('pointerup', function () { drag = null; });
    document.querySelectorAll('[data-zoom]').forEach(function (b) {
      b.addEventListener('click', function () {
        var z = b.dataset.zoom;
        if (z === 'in') zoom(1.25); else if (z === 'out') zoom(0.8); else { moved = false; fit(); }
      });
    });
    fit();
  });
})();
