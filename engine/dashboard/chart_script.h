// The dashboard's script and style sheet, inlined into every page so a page needs nothing else.
#pragma once

#include <string_view>

namespace tapegrid {

// A small charting library (plain ES2017, no dependencies, no network). When the page has
// loaded it reads the JSON in <script type="application/json" id="page-data"> and draws:
// - data.charts: [{type: 'line', target: element id, title, yLabel, series: [{name, x: [epoch ms],
//   y: [...], color?, step?}], markers: [{x, y, kind: 'entry'|'exit'|'signal'|'only-original'|
//   'only-replay', label}]}], and {type: 'histogram', target, label, values, bins};
// - data.sweep: the sweep explorer (a heatmap of two parameters against a metric, chosen with
//   <select>s, best-of or at fixed values of the other parameters, and a metric's histogram);
// and makes every <table class="sortable"> sortable by clicking a header (numeric when the
// column's cells, or their data-value attributes, are numbers; a second click reverses).
// Each chart is an <svg class="chart" data-points="N"> with a fixed viewBox (no layout needed):
// N counts the data points drawn (a line chart's series points, a heatmap's filled cells, a
// histogram's values); each series is a <path class="series">, each marker a <path> or <circle>
// with class "marker" and a <title>; a chart with nothing to draw says "no data". The functions
// are also reachable as window.tapegrid.{lineChart, heatmap, histogram, makeSortable}.
std::string_view dashboard_script();

// The pages' CSS: plain system fonts, no web fonts.
std::string_view dashboard_style();

}  // namespace tapegrid
