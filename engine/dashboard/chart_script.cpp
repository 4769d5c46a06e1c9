// The dashboard's embedded charting script and style sheet (see chart_script.h for the contract).
#include "engine/dashboard/chart_script.h"

namespace tapegrid {

namespace {

// Plain ES2017 in one function scope: no modules, no build step, nothing fetched.
constexpr std::string_view kScript = R"js(
(function () {
  'use strict';

  // The SVG namespace, taken from an element the HTML parser made, so the page holds no URL.
  var SVG_NS = (function () {
    var holder = document.createElement('div');
    holder.innerHTML = '<svg></svg>';
    return holder.firstChild.namespaceURI;
  })();
  var W = 900, H = 300;
  var M = {left: 72, right: 20, top: 30, bottom: 40};
  var PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'];
  var MARKERS = {
    'entry': {color: '#2ca02c', shape: 'up', name: 'entry'},
    'exit': {color: '#d62728', shape: 'down', name: 'exit'},
    'signal': {color: '#1f77b4', shape: 'circle', name: 'signal'},
    'only-original': {color: '#ff7f0e', shape: 'square', name: 'only in the original'},
    'only-replay': {color: '#9467bd', shape: 'diamond', name: 'only in the replay'}
  };

  function node(name, attrs, parent) {
    var element = document.createElementNS(SVG_NS, name);
    if (attrs) Object.keys(attrs).forEach(function (key) { element.setAttribute(key, String(attrs[key])); });
    if (parent) parent.appendChild(element);
    return element;
  }

  function text(parent, x, y, content, attrs) {
    var element = node('text', attrs || {}, parent);
    element.setAttribute('x', x);
    element.setAttribute('y', y);
    element.textContent = content;
    return element;
  }

  function tooltip(element, content) {
    node('title', null, element).textContent = content;
  }

  function finite(value) { return typeof value === 'number' && isFinite(value); }

  function clear(container) {
    while (container.firstChild) container.removeChild(container.firstChild);
  }

  function chartRoot(container, title) {
    clear(container);
    var svg = node('svg', {'class': 'chart', viewBox: '0 0 ' + W + ' ' + H, width: '100%', role: 'img'}, container);
    if (title) tooltip(svg, title);
    return svg;
  }

  function noData(svg) {
    svg.setAttribute('data-points', 0);
    text(svg, W / 2, H / 2, 'no data', {'class': 'no-data', 'text-anchor': 'middle'});
    return svg;
  }

  function extent(values, into) {
    var range = into || [Infinity, -Infinity];
    for (var i = 0; i < values.length; ++i) {
      if (values[i] < range[0]) range[0] = values[i];
      if (values[i] > range[1]) range[1] = values[i];
    }
    return range;
  }

  function padded(range, fraction) {
    var lo = range[0], hi = range[1];
    if (lo === hi) {
      var half = lo === 0 ? 1 : Math.abs(lo) * 0.05;
      return [lo - half, hi + half];
    }
    var pad = (hi - lo) * fraction;
    return [lo - pad, hi + pad];
  }

  function scale(domain, range) {
    var d0 = domain[0], span = domain[1] - domain[0] || 1;
    return function (value) { return range[0] + (value - d0) / span * (range[1] - range[0]); };
  }

  function formatNumber(value) {
    if (!finite(value)) return String(value);
    var size = Math.abs(value);
    if (size !== 0 && (size >= 1e7 || size < 1e-3)) return value.toExponential(2);
    return String(Number(value.toPrecision(6)));
  }

  function linearTicks(lo, hi, count) {
    var raw = (hi - lo) / count;
    if (!(raw > 0)) return [lo];
    var magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    var normal = raw / magnitude;
    var step = (normal < 1.5 ? 1 : normal < 3 ? 2 : normal < 7 ? 5 : 10) * magnitude;
    var ticks = [];
    for (var value = Math.ceil(lo / step) * step; value <= hi + step * 1e-9 && ticks.length < 50; value += step)
      ticks.push(Number(value.toPrecision(12)));
    return ticks;
  }

  // Steps a time axis may take, in ms: a second to a fortnight, so ticks land on round UTC times;
  // longer spans step by calendar months, since months and years differ in length.
  var TIME_STEPS = [1e3, 5e3, 15e3, 3e4, 6e4, 3e5, 9e5, 18e5, 36e5, 108e5, 216e5, 432e5, 864e5, 1728e5, 6048e5,
                    12096e5];
  var MONTH_STEPS = [1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200];
  var DAY_MS = 864e5;

  function timeTicks(lo, hi, count) {
    var wanted = (hi - lo) / count, ticks = [], i, value;
    if (wanted <= TIME_STEPS[TIME_STEPS.length - 1]) {
      var step = TIME_STEPS[0];
      for (i = 0; i < TIME_STEPS.length; ++i)
        if (TIME_STEPS[i] >= wanted) { step = TIME_STEPS[i]; break; }
      for (value = Math.ceil(lo / step) * step; value <= hi && ticks.length < 50; value += step) ticks.push(value);
      return {ticks: ticks, step: step};
    }
    var months = MONTH_STEPS[MONTH_STEPS.length - 1];
    for (i = 0; i < MONTH_STEPS.length; ++i)
      if (MONTH_STEPS[i] * 30 * DAY_MS >= wanted) { months = MONTH_STEPS[i]; break; }
    var start = new Date(lo);
    if (isNaN(start.getTime())) return {ticks: [], step: DAY_MS};
    var month = start.getUTCFullYear() * 12 + start.getUTCMonth();
    month = Math.ceil(month / months) * months;  // multiples of the step: quarters, half years, years
    for (; ticks.length < 50; month += months) {
      value = Date.UTC(Math.floor(month / 12), month % 12, 1);
      if (value < lo) continue;
      if (value > hi) break;
      ticks.push(value);
    }
    return {ticks: ticks, step: months * 30 * DAY_MS};
  }

  function isoTime(ms) {
    var date = new Date(ms);
    return isNaN(date.getTime()) ? String(ms) : date.toISOString().replace('.000Z', 'Z');
  }

  function timeLabel(ms, step) {
    var iso = isoTime(ms);
    if (iso.length < 19) return iso;
    if (step >= 360 * DAY_MS) return iso.slice(0, 4);
    if (step >= 28 * DAY_MS) return iso.slice(0, 7);
    if (step >= DAY_MS) return iso.slice(0, 10);
    if (step >= 6e4) return iso.slice(5, 10) + ' ' + iso.slice(11, 16);
    return iso.slice(11, 19);
  }

  // Axes, grid lines and tick labels around the plot area [M.left, right] x [M.top, H - M.bottom].
  function drawAxes(svg, sx, sy, xTicks, xLabel, yTicks, yLabel, right) {
    var group = node('g', {'class': 'axes'}, svg);
    yTicks.forEach(function (value) {
      var y = sy(value).toFixed(1);
      node('line', {x1: M.left, x2: right, y1: y, y2: y, 'class': 'grid'}, group);
      text(group, M.left - 6, Number(y) + 4, formatNumber(value), {'text-anchor': 'end'});
    });
    xTicks.forEach(function (value) {
      var x = sx(value).toFixed(1);
      node('line', {x1: x, x2: x, y1: H - M.bottom, y2: H - M.bottom + 5, 'class': 'axis'}, group);
      // Labels at the ends are anchored inwards so they stay inside the viewBox.
      var anchor = x < M.left + 40 ? 'start' : x > right - 40 ? 'end' : 'middle';
      text(group, x, H - M.bottom + 18, xLabel(value), {'text-anchor': anchor});
    });
    node('line', {x1: M.left, x2: right, y1: H - M.bottom, y2: H - M.bottom, 'class': 'axis'}, group);
    node('line', {x1: M.left, x2: M.left, y1: M.top, y2: H - M.bottom, 'class': 'axis'}, group);
    if (yLabel) {
      var label = text(group, 0, 0, yLabel, {'text-anchor': 'middle', 'class': 'axis-label'});
      label.setAttribute('transform', 'translate(14,' + (M.top + H - M.bottom) / 2 + ') rotate(-90)');
    }
  }

  function markerShape(parent, shape, x, y, r) {
    if (shape === 'circle') return node('circle', {cx: x.toFixed(1), cy: y.toFixed(1), r: r}, parent);
    var p = {
      up: [[0, -r], [r, r], [-r, r]],
      down: [[0, r], [r, -r], [-r, -r]],
      square: [[-r, -r], [r, -r], [r, r], [-r, r]],
      diamond: [[0, -r], [r, 0], [0, r], [-r, 0]]
    }[shape];
    var d = p.map(function (point, i) {
      return (i ? 'L' : 'M') + (x + point[0]).toFixed(1) + ' ' + (y + point[1]).toFixed(1);
    }).join('') + 'Z';
    return node('path', {d: d}, parent);
  }

  function legend(svg, items) {
    var group = node('g', {'class': 'legend'}, svg), x = M.left;
    items.forEach(function (item) {
      if (item.shape) {
        markerShape(group, item.shape, x + 6, 14, 4).setAttribute('fill', item.color);
      } else {
        node('line', {x1: x, x2: x + 14, y1: 14, y2: 14, stroke: item.color, 'stroke-width': 2.5}, group);
      }
      text(group, x + 18, 18, item.name);
      x += 30 + item.name.length * 6.5;
    });
  }

  // spec: {series: [{name, x: [epoch ms], y, color, step}], markers: [{x, y, kind, label}],
  // yLabel, title, xType: 'time' (default) or 'number'}.
  function lineChart(container, spec) {
    spec = spec || {};
    var svg = chartRoot(container, spec.title);
    var points = 0, xRange = [Infinity, -Infinity], yRange = [Infinity, -Infinity];
    var series = (spec.series || []).filter(Boolean).map(function (s, i) {
      var xs = [], ys = [], x = s.x || [], y = s.y || [];
      for (var k = 0, n = Math.min(x.length, y.length); k < n; ++k) {
        if (finite(x[k]) && finite(y[k])) { xs.push(x[k]); ys.push(y[k]); }
      }
      points += xs.length;
      extent(xs, xRange);
      extent(ys, yRange);
      return {name: String(s.name || 'series ' + (i + 1)), color: s.color || PALETTE[i % PALETTE.length],
              x: xs, y: ys, step: !!s.step};
    });
    var markers = (spec.markers || []).filter(function (m) { return m && finite(m.x) && finite(m.y); });
    markers.forEach(function (m) { extent([m.x], xRange); extent([m.y], yRange); });
    svg.setAttribute('data-points', points);
    svg.setAttribute('data-markers', markers.length);
    if (points === 0 && markers.length === 0) return noData(svg);

    var right = W - M.right;
    var xDomain = padded(xRange, 0), yDomain = padded(yRange, 0.05);
    var sx = scale(xDomain, [M.left, right]), sy = scale(yDomain, [H - M.bottom, M.top]);
    var xTicks, xLabel;
    if (spec.xType === 'number') {
      xTicks = linearTicks(xDomain[0], xDomain[1], 8);
      xLabel = formatNumber;
    } else {
      var time = timeTicks(xDomain[0], xDomain[1], 7);
      xTicks = time.ticks;
      xLabel = function (ms) { return timeLabel(ms, time.step); };
    }
    drawAxes(svg, sx, sy, xTicks, xLabel, linearTicks(yDomain[0], yDomain[1], 6), spec.yLabel, right);

    series.forEach(function (s) {
      if (!s.x.length) return;
      var d = [];
      for (var k = 0; k < s.x.length; ++k) {
        var px = sx(s.x[k]).toFixed(1), py = sy(s.y[k]).toFixed(1);
        if (k === 0) d.push('M' + px + ' ' + py);
        else if (s.step) d.push('H' + px + 'V' + py);
        else d.push('L' + px + ' ' + py);
      }
      if (s.x.length === 1) d.push('h0.01');  // a lone point still shows, as a round cap
      var path = node('path', {d: d.join(''), 'class': 'series', stroke: s.color, fill: 'none',
                               'data-name': s.name, 'data-points': s.x.length}, svg);
      tooltip(path, s.name);
    });

    var kinds = {};
    markers.forEach(function (m) {
      var style = MARKERS[m.kind] || MARKERS.signal;
      kinds[m.kind in MARKERS ? m.kind : 'signal'] = style;
      var shape = markerShape(svg, style.shape, sx(m.x), sy(m.y), 5);
      shape.setAttribute('class', 'marker marker-' + (m.kind in MARKERS ? m.kind : 'signal'));
      shape.setAttribute('fill', style.color);
      tooltip(shape, m.label ? String(m.label) : style.name);
    });

    var items = series.map(function (s) { return {name: s.name, color: s.color}; });
    Object.keys(kinds).forEach(function (kind) {
      items.push({name: kinds[kind].name, color: kinds[kind].color, shape: kinds[kind].shape});
    });
    legend(svg, items);
    return svg;
  }

  // A perceptual scale from dark blue (worst) to yellow (best).
  var COLOURS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];

  function colour(t) {
    t = Math.max(0, Math.min(1, t)) * (COLOURS.length - 1);
    var i = Math.min(Math.floor(t), COLOURS.length - 2), f = t - i;
    var c = COLOURS[i].map(function (v, k) { return Math.round(v + (COLOURS[i + 1][k] - v) * f); });
    return 'rgb(' + c.join(',') + ')';
  }

  // spec: {xName, yName, xValues, yValues, cells: [row per y value][column per x value] (null:
  // no row), metric, higherIsBetter (default true: the best cells are the brightest)}.
  function heatmap(container, spec) {
    spec = spec || {};
    var svg = chartRoot(container, spec.title);
    var xs = spec.xValues || [], ys = spec.yValues || [], cells = spec.cells || [];
    var filled = 0, range = [Infinity, -Infinity];
    cells.forEach(function (row) {
      (row || []).forEach(function (v) { if (finite(v)) { ++filled; extent([v], range); } });
    });
    svg.setAttribute('data-points', filled);
    if (!xs.length || !ys.length || filled === 0) return noData(svg);

    var better = spec.higherIsBetter !== false;
    var right = W - M.right - 110, bottom = H - M.bottom;
    var cw = (right - M.left) / xs.length, ch = (bottom - M.top) / ys.length;
    var span = range[1] - range[0];
    var showValues = cw >= 48 && ch >= 16;
    var group = node('g', {'class': 'cells'}, svg);
    for (var yi = 0; yi < ys.length; ++yi) {
      for (var xi = 0; xi < xs.length; ++xi) {
        var v = (cells[yi] || [])[xi];
        var x = M.left + xi * cw, y = bottom - (yi + 1) * ch, has = finite(v);
        var t = has ? (span > 0 ? (v - range[0]) / span : 0.5) : 0;
        var rect = node('rect', {x: x.toFixed(1), y: y.toFixed(1), width: (cw + 0.5).toFixed(1),
                                 height: (ch + 0.5).toFixed(1), 'class': has ? 'cell' : 'cell empty',
                                 fill: has ? colour(better ? t : 1 - t) : '#eeeeee'}, group);
        tooltip(rect, spec.xName + ' = ' + xs[xi] + ', ' + spec.yName + ' = ' + ys[yi] + ': ' +
                (spec.metric || 'value') + ' = ' + (has ? formatNumber(v) : 'no row'));
        if (has && showValues)
          text(group, x + cw / 2, y + ch / 2 + 4, formatNumber(v), {'text-anchor': 'middle', 'class': 'cell-value'});
      }
    }
    var every = Math.ceil(xs.length / 12);
    xs.forEach(function (value, i) {
      if (i % every === 0) text(svg, M.left + (i + 0.5) * cw, bottom + 16, String(value), {'text-anchor': 'middle'});
    });
    every = Math.ceil(ys.length / 10);
    ys.forEach(function (value, i) {
      if (i % every === 0) text(svg, M.left - 6, bottom - (i + 0.5) * ch + 4, String(value), {'text-anchor': 'end'});
    });
    text(svg, (M.left + right) / 2, H - 6, String(spec.xName || ''), {'text-anchor': 'middle', 'class': 'axis-label'});
    var yName = text(svg, 0, 0, String(spec.yName || ''), {'text-anchor': 'middle', 'class': 'axis-label'});
    yName.setAttribute('transform', 'translate(14,' + (M.top + bottom) / 2 + ') rotate(-90)');

    // The colour bar: best at the top whichever way the metric points.
    var barX = right + 20, steps = 24, stepHeight = (bottom - M.top) / steps;
    for (var s = 0; s < steps; ++s)
      node('rect', {x: barX, y: (M.top + s * stepHeight).toFixed(1), width: 14, height: (stepHeight + 0.5).toFixed(1),
                    fill: colour(1 - s / (steps - 1))}, svg);
    text(svg, barX + 18, M.top + 8, formatNumber(better ? range[1] : range[0]));
    text(svg, barX + 18, M.top + 22, '(best)', {'class': 'muted'});
    text(svg, barX + 18, bottom, formatNumber(better ? range[0] : range[1]));
    text(svg, W - M.right, M.top - 10, String(spec.metric || ''), {'class': 'axis-label', 'text-anchor': 'end'});
    return svg;
  }

  function binValues(values, bins) {
    var data = [], range = [Infinity, -Infinity];
    (values || []).forEach(function (v) { if (finite(v)) data.push(v); });
    extent(data, range);
    bins = Math.max(1, Math.floor(bins) || 30);
    if (!data.length) return {min: 0, max: 0, counts: []};
    if (range[0] === range[1]) bins = 1;
    var counts = new Array(bins).fill(0), width = (range[1] - range[0]) / bins;
    data.forEach(function (v) { counts[width > 0 ? Math.min(bins - 1, Math.floor((v - range[0]) / width)) : 0]++; });
    return {min: range[0], max: range[1], counts: counts};
  }

  // binned: {min, max, counts} (equal-width bins from min to max; the last one holds max).
  function drawHistogram(container, binned, label) {
    var svg = chartRoot(container, label);
    var counts = binned.counts || [], total = 0, most = 0;
    counts.forEach(function (c) { total += c; most = Math.max(most, c); });
    svg.setAttribute('data-points', total);
    if (total === 0) return noData(svg);
    var right = W - M.right;
    var xDomain = binned.max > binned.min ? [binned.min, binned.max] : [binned.min - 0.5, binned.min + 0.5];
    var sx = scale(xDomain, [M.left, right]), sy = scale([0, most * 1.05], [H - M.bottom, M.top]);
    drawAxes(svg, sx, sy, linearTicks(xDomain[0], xDomain[1], 8), formatNumber,
             linearTicks(0, most * 1.05, 5), 'rows', right);
    var width = (xDomain[1] - xDomain[0]) / counts.length;
    counts.forEach(function (count, i) {
      var lo = xDomain[0] + i * width, hi = lo + width;
      var bar = node('rect', {x: sx(lo).toFixed(1), y: sy(count).toFixed(1),
                              width: Math.max(0.5, sx(hi) - sx(lo) - 1).toFixed(1),
                              height: (H - M.bottom - sy(count)).toFixed(1), 'class': 'bar'}, svg);
      tooltip(bar, '[' + formatNumber(lo) + ', ' + formatNumber(hi) + (i === counts.length - 1 ? ']' : ')') +
              ': ' + count + ' rows');
    });
    text(svg, (M.left + right) / 2, H - 4, String(label || ''), {'text-anchor': 'middle', 'class': 'axis-label'});
    return svg;
  }

  function histogram(container, values, bins, label) {
    return drawHistogram(container, binValues(values, bins), label);
  }

  function cellValue(row, column) {
    var cell = row.cells[column];
    if (!cell) return '';
    var value = cell.getAttribute('data-value');
    return value !== null ? value : cell.textContent.trim();
  }

  function sortTable(table, column, header) {
    var body = table.tBodies[0];
    if (!body) return;
    var rows = Array.prototype.slice.call(body.rows);
    var values = rows.map(function (row) { return cellValue(row, column); });
    var numeric = values.some(function (v) { return v !== ''; }) &&
                  values.every(function (v) { return v === '' || isFinite(Number(v)); });
    var ascending = header.getAttribute('aria-sort') !== 'ascending';
    Array.prototype.forEach.call(header.parentNode.children, function (th) { th.removeAttribute('aria-sort'); });
    header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
    var order = rows.map(function (row, i) { return i; });
    order.sort(function (a, b) {
      var va = values[a], vb = values[b];
      if (va === '' || vb === '') return va === vb ? a - b : va === '' ? 1 : -1;  // blanks last
      var c = numeric ? Number(va) - Number(vb) : va.localeCompare(vb);
      return (ascending ? c : -c) || a - b;
    });
    var fragment = document.createDocumentFragment();
    order.forEach(function (i) { fragment.appendChild(rows[i]); });
    body.appendChild(fragment);
  }

  function makeSortable(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll('table.sortable'), function (table) {
      var head = table.tHead;
      if (!head || !head.rows.length) return;
      Array.prototype.forEach.call(head.rows[head.rows.length - 1].cells, function (th, column) {
        th.setAttribute('tabindex', '0');
        th.addEventListener('click', function () { sortTable(table, column, th); });
        th.addEventListener('keydown', function (event) {
          if (event.key === 'Enter') sortTable(table, column, th);
        });
      });
    });
  }

  function htmlElement(name, attrs, parent, content) {
    var element = document.createElement(name);
    if (attrs) Object.keys(attrs).forEach(function (key) { element.setAttribute(key, String(attrs[key])); });
    if (content !== undefined) element.textContent = content;
    if (parent) parent.appendChild(element);
    return element;
  }

  function select(parent, label, options, chosen, onChange) {
    var wrap = htmlElement('label', null, parent, label + ' ');
    var box = htmlElement('select', null, wrap);
    options.forEach(function (option) {
      var item = htmlElement('option', {value: option.value}, box, option.text);
      if (String(option.value) === String(chosen)) item.selected = true;
    });
    box.addEventListener('change', onChange);
    return box;
  }

  // data: the sweep page's page-data "sweep" object (engine/dashboard/dashboard_pages.h).
  function sweepExplorer(root, data) {
    var columns = data.columns || [];
    columns.forEach(function (c, i) { c.index = i; });
    var parameters = columns.filter(function (c) { return c.role === 'parameter' && (c.levels || []).length >= 2; });
    var metrics = columns.filter(function (c) { return c.role === 'metric'; });
    var higher = {};
    (data.metrics || []).forEach(function (m) { higher[m.name] = m.higher_is_better; });
    var controls = htmlElement('div', {'class': 'controls'}, root);
    var heat = htmlElement('div', {id: 'sweep-heatmap', 'class': 'chart-box'}, root);
    var note = htmlElement('p', {'class': 'note'}, root);
    var fixedBox = htmlElement('div', {'class': 'controls fixed'}, root);
    if (parameters.length < 2 || !metrics.length) {
      heatmap(heat, {});
      note.textContent = 'A heatmap needs two parameters that take more than one value in this sweep.';
    }
    var paramOptions = parameters.map(function (c, i) { return {value: i, text: c.name}; });
    var metricOptions = metrics.map(function (c, i) { return {value: i, text: c.name}; });
    var find = function (list, name, fallback) {
      for (var i = 0; i < list.length; ++i) if (list[i].name === name) return i;
      return fallback;
    };
    var fixed = {}, fixedBoxes = {};
    Object.keys(data.default_fixed || {}).forEach(function (k) { fixed[k] = data.default_fixed[k]; });

    function cellsFromRows(x, y, metric, best) {
      var cells = y.levels.map(function () { return x.levels.map(function () { return null; }); });
      var others = parameters.filter(function (c) { return c !== x && c !== y; });
      var wantHigher = higher[metric.name] !== false, values = metric.values;
      for (var r = 0; r < data.rows_embedded; ++r) {
        var xc = x.codes[r], yc = y.codes[r], v = values[r];
        if (xc < 0 || yc < 0 || !finite(v)) continue;
        if (!best) {
          var match = true;
          for (var o = 0; o < others.length && match; ++o)
            match = others[o].codes[r] === Number(fixed[others[o].index] || 0);
          if (!match) continue;
        }
        var current = cells[yc][xc];
        if (current === null || (wantHigher ? v > current : v < current)) cells[yc][xc] = v;
      }
      return cells;
    }

    function exactCells(x, y, metric) {
      var exact = data.exact_best || {}, entry = exact[x.index + ',' + y.index];
      if (entry && entry[metric.name]) return entry[metric.name];
      entry = exact[y.index + ',' + x.index];
      if (!entry || !entry[metric.name]) return null;
      var flipped = entry[metric.name];
      return y.levels.map(function (u, yi) { return x.levels.map(function (w, xi) { return flipped[xi][yi]; }); });
    }

    function draw() {
      if (parameters.length < 2 || !metrics.length) return;
      var x = parameters[Number(xBox.value)], y = parameters[Number(yBox.value)];
      var metric = metrics[Number(metricBox.value)], best = modeBox.value === 'best';
      Object.keys(fixedBoxes).forEach(function (k) {
        fixedBoxes[k].parentNode.style.display = best || Number(k) === x.index || Number(k) === y.index ? 'none' : '';
      });
      if (x === y) {
        heatmap(heat, {});
        note.textContent = 'Choose two different parameters.';
        return;
      }
      var cells = null, exact = !data.rows_cut;
      if (best && data.rows_cut) {
        cells = exactCells(x, y, metric);
        exact = cells !== null;
      }
      if (!cells) cells = cellsFromRows(x, y, metric, best);
      var drawn = heatmap(heat, {xName: x.name, yName: y.name, xValues: x.levels, yValues: y.levels, cells: cells,
                                 metric: metric.name, higherIsBetter: higher[metric.name] !== false});
      note.textContent = (best ? 'Each cell: the best ' + metric.name + ' (' +
                          (higher[metric.name] !== false ? 'highest' : 'lowest') + ') over the other parameters'
                               : 'Each cell: ' + metric.name + ' with the other parameters at the values chosen below') +
                         (exact ? '.' : ', over the ' + data.rows_embedded + ' rows embedded in this page (not all rows).') +
                         (drawn.getAttribute('data-points') === '0' ? ' No row has these values.' : '');
    }

    if (parameters.length >= 2 && metrics.length) {
      var xBox = select(controls, 'x', paramOptions, find(parameters, data.default_x, 0), draw);
      var yBox = select(controls, 'y', paramOptions, find(parameters, data.default_y, 1), draw);
      var metricBox = select(controls, 'metric', metricOptions, find(metrics, data.default_metric, 0), draw);
      var modeBox = select(controls, 'other parameters', [{value: 'best', text: 'best of'}, {value: 'fixed', text: 'fixed at'}],
                           'best', draw);
      parameters.forEach(function (c) {
        fixedBoxes[c.index] = select(fixedBox, c.name, c.levels.map(function (level, i) { return {value: i, text: String(level)}; }),
                                     fixed[c.index] || 0, function () { fixed[c.index] = Number(fixedBoxes[c.index].value); draw(); });
      });
      draw();
    }

    // The distribution of a metric over the grid.
    var histControls = htmlElement('div', {'class': 'controls'}, root);
    var hist = htmlElement('div', {id: 'sweep-histogram', 'class': 'chart-box'}, root);
    function drawHist() {
      var metric = metrics[Number(histBox.value)];
      var exact = data.exact_histograms && data.exact_histograms[metric.name];
      if (exact) drawHistogram(hist, exact, metric.name + ' (all rows)');
      else histogram(hist, metric.values, 40, metric.name);
    }
    if (metrics.length) {
      var histBox = select(histControls, 'distribution of', metricOptions, find(metrics, data.default_metric, 0), drawHist);
      drawHist();
    } else {
      histogram(hist, [], 40, '');
    }
  }

  function init() {
    makeSortable(document);
    var source = document.getElementById('page-data');
    if (!source) return;
    var data;
    try {
      data = JSON.parse(source.textContent);
    } catch (error) {
      document.body.insertBefore(htmlElement('p', {'class': 'error'}, null, 'The page data cannot be read: ' + error.message),
                                 document.body.firstChild);
      return;
    }
    (data.charts || []).forEach(function (chart) {
      var target = document.getElementById(chart.target);
      if (!target) return;
      if (chart.type === 'histogram') histogram(target, chart.values, chart.bins, chart.label);
      else lineChart(target, chart);
    });
    var sweepRoot = document.getElementById('sweep-explorer');
    if (data.sweep && sweepRoot) sweepExplorer(sweepRoot, data.sweep);
    // Milliseconds from the start of navigation until every chart is drawn: what the browser
    // test and docs/PERFORMANCE.md read to time a page's opening.
    document.documentElement.setAttribute('data-drawn-ms', String(Math.round(performance.now())));
  }

  window.tapegrid = {lineChart: lineChart, heatmap: heatmap, histogram: histogram, makeSortable: makeSortable};
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
)js";

constexpr std::string_view kStyle = R"css(
:root { color-scheme: light; --ink: #1d2330; --muted: #5d6677; --line: #d9dde5; --accent: #1f5fbf; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color: var(--ink); background: #f6f7f9; }
header { background: #fff; border-bottom: 1px solid var(--line); padding: 12px 24px; }
header nav a { margin-right: 16px; }
h1 { font-size: 20px; margin: 4px 0; }
h2 { font-size: 16px; margin: 24px 0 8px; }
main { padding: 8px 24px 40px; max-width: 1400px; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; margin: 16px 0; }
.note, .muted { color: var(--muted); }
.error { color: #b00020; font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f0f2f5; font-weight: 600; white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; }
td.time, td.mono { white-space: nowrap; word-break: normal; }
table.sortable th { cursor: pointer; user-select: none; }
table.sortable th[aria-sort="ascending"]::after { content: " \25B2"; }
table.sortable th[aria-sort="descending"]::after { content: " \25BC"; }
table.kv { width: auto; }
table.kv th { background: none; }
.scroll { max-height: 600px; overflow: auto; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; word-break: break-all; }
.chart-box { width: 100%; margin: 8px 0; }
svg.chart { display: block; max-width: 100%; height: auto; font-size: 11px; fill: var(--ink); }
svg.chart .grid { stroke: #edf0f4; }
svg.chart .axis { stroke: #8a93a3; }
svg.chart .axis-label { font-weight: 600; }
svg.chart .series { stroke-width: 1.5; stroke-linejoin: round; stroke-linecap: round; }
svg.chart .marker { stroke: #fff; stroke-width: 1; }
svg.chart .bar { fill: #4c78a8; }
svg.chart .cell-value { fill: #fff; font-size: 10px; paint-order: stroke; stroke: rgba(0,0,0,.35); stroke-width: 2px; }
svg.chart .muted { fill: var(--muted); }
svg.chart .no-data { fill: var(--muted); font-size: 16px; }
.controls { display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0; }
.controls label { color: var(--muted); }
.pos { color: #1a7f37; }
.neg { color: #b42318; }
)css";

}  // namespace

std::string_view dashboard_script() {
    return kScript;
}

std::string_view dashboard_style() {
    return kStyle;
}

}  // namespace tapegrid
