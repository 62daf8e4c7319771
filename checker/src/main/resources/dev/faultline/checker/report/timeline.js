// Draws a check's timeline as inline SVG: one row per process, one bar per op from invocation to
// completion, the linearization as points, the culprit and the candidates highlighted. Only the ops
// inside the current view are drawn, so large histories stay responsive.
(function () {
  var root = document.currentScript.closest('.fl-check');
  var data = JSON.parse(root.querySelector('script.fl-check-data').textContent);
  data.byInv = {};
  data.ops.forEach(function (o, i) { data.byInv[o[1]] = i; });
  var svgBox = root.querySelector('.fl-check-svg');
  var tip = root.querySelector('.fl-check-tip');
  var rangeText = root.querySelector('.fl-check-range');
  var OUTCOME = ['ok', 'fail', 'info', 'pending'];
  var ROW = 20, LABEL = 80, TOP = 24;

  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c];
    });
  }

  // Linearization points: each step as early as its invocation and the previous step allow.
  // Steps are [op, step number, does, state before, state after].
  var lin = {};
  data.lin.forEach(function (k) {
    var prev = -Infinity;
    k.steps.forEach(function (s) {
      var o = data.ops[data.byInv[s[0]]];
      var end = o[2] < 0 ? data.events : o[2];
      var p = Math.max(o[1] + 0.5, prev + 0.04);
      if (p > end - 0.04) { p = Math.max(o[1] + 0.04, end - 0.04); }
      prev = p;
      lin[s[0]] = {key: k.key, n: s[1], does: s[2], before: s[3], after: s[4], p: p};
    });
  });

  var view = {from: data.focus[0], to: data.focus[1]};

  function clampView() {
    var span = Math.max(8, view.to - view.from);
    if (span > data.events) { span = data.events; }
    if (view.from < 0) { view.from = 0; }
    if (view.from + span > data.events) { view.from = Math.max(0, data.events - span); }
    view.to = view.from + span;
  }

  function render() {
    clampView();
    var width = Math.max(600, svgBox.clientWidth || 1000) - 4;
    var plot = width - LABEL - 10;
    var span = view.to - view.from;
    function x(pos) { return LABEL + (pos - view.from) / span * plot; }
    var visible = [];
    var procs = {};
    data.ops.forEach(function (o, i) {
      var end = o[2] < 0 ? data.events : o[2];
      if (end >= view.from && o[1] <= view.to) {
        visible.push(i);
        procs[o[0]] = true;
      }
    });
    var rows = Object.keys(procs).map(Number).sort(function (a, b) { return a - b; });
    var rowOf = {};
    rows.forEach(function (p, r) { rowOf[p] = r; });
    var height = TOP + rows.length * ROW + 10;
    var out = [];
    out.push('<svg xmlns="http://www.w3.org/2000/svg" width="' + width + '" height="' + height + '">');
    // Fault windows: a start-X event to its stop-X (or to the end of the history when it never
    // stopped), shaded behind the ops.
    var open = {};
    var windows = [];
    data.nemesis.forEach(function (n) {
      var f = n[2] || '';
      if (f.indexOf('start-') === 0) {
        open[f.substring(6)] = n[0];
      } else if (f.indexOf('stop-') === 0 && open[f.substring(5)] !== undefined) {
        windows.push([open[f.substring(5)], n[0], f.substring(5)]);
        delete open[f.substring(5)];
      }
    });
    Object.keys(open).forEach(function (k) { windows.push([open[k], data.events, k + ' (open)']); });
    windows.forEach(function (w) {
      if (w[1] >= view.from && w[0] <= view.to) {
        var wx1 = Math.max(LABEL, x(w[0])), wx2 = Math.min(width, x(w[1]));
        out.push('<rect class="fl-fault" x="' + wx1 + '" y="14" width="' + Math.max(1, wx2 - wx1) +
          '" height="' + (height - 14) + '"><title>fault: ' + esc(w[2]) + '</title></rect>');
      }
    });
    data.nemesis.forEach(function (n) {
      if (n[0] >= view.from && n[0] <= view.to) {
        out.push('<line class="fl-nem" x1="' + x(n[0]) + '" x2="' + x(n[0]) + '" y1="14" y2="' + height +
          '"><title>' + esc(n[1]) + '</title></line>');
      }
    });
    rows.forEach(function (p, r) {
      var y = TOP + r * ROW;
      out.push('<text class="fl-lbl" x="4" y="' + (y + 14) + '">process ' + esc(p) + '</text>');
      out.push('<line class="fl-row" x1="' + LABEL + '" x2="' + width + '" y1="' + (y + ROW - 1) +
        '" y2="' + (y + ROW - 1) + '"/>');
    });
    var keyPaths = {};
    visible.forEach(function (i) {
      var o = data.ops[i];
      var y = TOP + rowOf[o[0]] * ROW + 3;
      var end = o[2] < 0 ? data.events : o[2];
      var x1 = Math.max(LABEL, x(o[1])), x2 = Math.min(width, x(end));
      var cls = 'fl-op fl-' + OUTCOME[o[3]];
      if (o[1] === data.culprit) { cls += ' fl-culprit'; }
      if (data.candidates[o[1]] !== undefined) { cls += ' fl-cand'; }
      out.push('<rect class="' + cls + '" data-i="' + i + '" x="' + x1 + '" y="' + y + '" width="' +
        Math.max(2, x2 - x1) + '" height="' + (ROW - 7) + '" rx="3"/>');
      var l = lin[o[1]];
      if (l) {
        var cx = x(l.p), cy = y + (ROW - 7) / 2;
        out.push('<circle class="fl-pt" data-i="' + i + '" cx="' + cx + '" cy="' + cy + '" r="4"/>');
        (keyPaths[l.key] = keyPaths[l.key] || []).push([l.n, cx, cy]);
      }
    });
    Object.keys(keyPaths).forEach(function (k) {
      var pts = keyPaths[k].sort(function (a, b) { return a[0] - b[0]; });
      out.push('<polyline class="fl-path" points="' + pts.map(function (q) {
        return q[1] + ',' + q[2];
      }).join(' ') + '"/>');
    });
    out.push('</svg>');
    svgBox.innerHTML = out.join('');
    rangeText.textContent = 'history positions ' + Math.floor(view.from) + '–' + Math.ceil(view.to) +
      ' of ' + data.events + ' · ' + visible.length + ' ops shown';
  }

  function describe(i) {
    var o = data.ops[i];
    var h = '<b>' + esc(o[5]) + '</b><br>' + OUTCOME[o[3]] + ', invoked at ' + o[1] +
      (o[2] < 0 ? ', never completed' : ', completed at ' + o[2]);
    var l = lin[o[1]];
    if (l) {
      h += '<br>linearized as step ' + l.n + ': ' + esc(l.does) + '<br>state before: ' +
        esc(l.before) + '<br>state after: ' + esc(l.after);
    } else if (o[3] === 1) {
      h += '<br>failed: did not take effect';
    } else if (o[3] >= 2) {
      h += '<br>not in the linearization (may never have taken effect)';
    }
    if (o[1] === data.culprit) {
      h += '<br><span class="fl-bad">cannot be linearized: no candidate can come next</span>';
    }
    if (data.candidates[o[1]] !== undefined) {
      h += '<br><span class="fl-warn">candidate next: ' + esc(data.candidates[o[1]]) + '</span>';
    }
    return h;
  }

  svgBox.addEventListener('mousemove', function (e) {
    var i = e.target.getAttribute && e.target.getAttribute('data-i');
    if (i === null || i === undefined) { tip.style.display = 'none'; return; }
    tip.innerHTML = describe(Number(i));
    tip.style.display = 'block';
    var box = root.getBoundingClientRect();
    tip.style.left = (e.clientX - box.left + 14) + 'px';
    tip.style.top = (e.clientY - box.top + 14) + 'px';
  });
  svgBox.addEventListener('mouseleave', function () { tip.style.display = 'none'; });

  function zoom(factor) {
    var mid = (view.from + view.to) / 2, half = (view.to - view.from) * factor / 2;
    view.from = mid - half;
    view.to = mid + half;
    render();
  }
  function pan(frac) {
    var d = (view.to - view.from) * frac;
    view.from += d;
    view.to += d;
    render();
  }
  var actions = {
    widen: function () { zoom(2); },
    narrow: function () { zoom(0.5); },
    left: function () { pan(-0.5); },
    right: function () { pan(0.5); },
    focus: function () { view.from = data.focus[0]; view.to = data.focus[1]; render(); },
    all: function () { view.from = 0; view.to = data.events; render(); }
  };
  root.querySelectorAll('button[data-act]').forEach(function (b) {
    b.addEventListener('click', actions[b.getAttribute('data-act')]);
  });
  window.addEventListener('resize', render);
  render();
})();
