// Draws a run's charts with uPlot from the JSON in #fl-data: latency of every call (log scale),
// latency quantiles and throughput per time window. Fault windows are shaded as DOM bands under
// each plot (and labelled), the culprit of an invalid run is marked by a red line.
(function () {
  var data = JSON.parse(document.getElementById('fl-data').textContent);
  var COLORS = {ok: '#2e9e4f', fail: '#d9822b', info: '#7a3db8'};
  var FAULT_COLORS = ['#e5484d', '#3e63dd', '#e2a336', '#12a594', '#8e4ec6', '#978365'];
  var faultColor = {};
  data.windows.forEach(function (w) {
    if (!(w.fault in faultColor)) {
      faultColor[w.fault] = FAULT_COLORS[Object.keys(faultColor).length % FAULT_COLORS.length];
    }
  });

  function bands(u) {
    var layer = u.under.querySelector('.fl-bands');
    if (!layer) {
      layer = document.createElement('div');
      layer.className = 'fl-bands';
      u.under.appendChild(layer);
    }
    layer.innerHTML = '';
    data.windows.forEach(function (w) {
      var x0 = u.valToPos(w.start, 'x'), x1 = u.valToPos(w.end, 'x');
      var band = document.createElement('div');
      band.className = 'fault-band';
      band.title = w.label + ': ' + w.start.toFixed(2) + ' s to ' + w.end.toFixed(2) + ' s'
        + (w.healed ? '' : ' (never healed)');
      band.style.left = x0 + 'px';
      band.style.width = Math.max(2, x1 - x0) + 'px';
      band.style.background = faultColor[w.fault] + '22';
      band.style.borderLeft = '1px solid ' + faultColor[w.fault];
      var label = document.createElement('span');
      label.className = 'fault-label';
      label.textContent = w.label;
      label.style.color = faultColor[w.fault];
      band.appendChild(label);
      layer.appendChild(band);
    });
    if (data.culprit !== null) {
      var mark = document.createElement('div');
      mark.className = 'culprit-mark';
      mark.title = 'the culprit op was invoked here';
      mark.style.left = u.valToPos(data.culprit, 'x') + 'px';
      layer.appendChild(mark);
    }
  }

  function opts(title, yLabel, series, log) {
    return {
      title: title,
      width: 900,
      height: 260,
      scales: {x: {time: false, range: [0, Math.max(data.span, 0.001)]}, y: log ? {distr: 3} : {}},
      axes: [{label: 'seconds since the run began'}, {label: yLabel, size: 60}],
      series: [{label: 's'}].concat(series),
      legend: {live: true},
      hooks: {ready: [bands], setSize: [bands], setScale: [function (u, key) {
        if (key === 'x') { bands(u); }
      }]}
    };
  }

  function dots(label, color) {
    return {label: label, stroke: color, fill: color, paths: function () { return null; },
      points: {show: true, size: 3, width: 0, stroke: color, fill: color}};
  }

  function line(label, color, width) {
    return {label: label, stroke: color, width: width || 1.5, spanGaps: false};
  }

  var charts = [];
  function make(id, o, cols) {
    var el = document.getElementById(id);
    if (!el) { return; }
    o.width = Math.max(320, el.clientWidth || 900);
    var u = new uPlot(o, cols, el);
    el.setAttribute('data-rendered', String(cols[0].length));
    charts.push({el: el, u: u});
  }

  if (data.scatter) {
    var s = data.scatter, n = s.t.length;
    var ok = new Array(n), fail = new Array(n), info = new Array(n);
    for (var i = 0; i < n; i++) {
      ok[i] = s.o[i] === 0 ? s.lat[i] : null;
      fail[i] = s.o[i] === 1 ? s.lat[i] : null;
      info[i] = s.o[i] === 2 ? s.lat[i] : null;
    }
    make('fl-latency', opts('Latency of every call (by invocation time)', 'ms (log)',
      [dots('ok', COLORS.ok), dots('fail', COLORS.fail), dots('info', COLORS.info)], true),
      [s.t, ok, fail, info]);
    var q = data.quantiles;
    make('fl-quantiles', opts('Latency quantiles per ' + data.width + ' s window', 'ms (log)',
      [line('p50', '#1f77b4'), line('p95', '#ff7f0e'), line('p99', '#d62728'),
        line('max', '#555', 1)], true),
      [q.t, q.p50, q.p95, q.p99, q.max]);
    var t = data.throughput;
    make('fl-throughput', opts('Completions per second by outcome', 'ops/s',
      [line('ok', COLORS.ok), line('fail', COLORS.fail), line('info', COLORS.info)], false),
      [t.t, t.ok, t.fail, t.info]);
  }

  // How long the page took from navigation to drawn charts, for measuring (docs/REPORTS.md).
  document.body.setAttribute('data-render-ms', String(Math.round(performance.now())));

  var pending = null;
  window.addEventListener('resize', function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      charts.forEach(function (c) {
        c.u.setSize({width: Math.max(320, c.el.clientWidth), height: 260});
      });
    }, 100);
  });
})();
