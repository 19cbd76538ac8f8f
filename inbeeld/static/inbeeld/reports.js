/* Draws the figures dashboard's charts with Chart.js from one JSON data island.
 *
 * <script id="report-charts-data"> (Django's json_script) holds {charts: [{key, title, kind, labels,
 * unit, series: [{label, values}]}]}; kind is "line", "bar", "stacked" or "diverging". A null value is
 * a figure not shown (disclosure control): the line breaks there, no bar is drawn. Each
 * <canvas data-report-chart="KEY"> sits in a hidden box that is shown once drawn; without JavaScript the tables say the
 * same. Plain ES5, no build step.
 */
(function () {
  "use strict";

  // Okabe-Ito: told apart by colour-blind readers too.
  var COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999"];

  function config(chart) {
    var kind = chart.kind;
    var type = kind === "line" ? "line" : "bar";
    var datasets = chart.series.map(function (s, i) {
      var colour = COLOURS[i % COLOURS.length];
      return {
        label: s.label,
        data: s.values,
        borderColor: colour,
        backgroundColor: kind === "line" ? colour : colour + "CC",
        borderWidth: kind === "line" ? 2 : 0,
        pointRadius: kind === "line" ? 2 : 0,
        spanGaps: false
      };
    });
    var stacked = kind === "stacked";
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: { display: chart.series.length > 1, position: "bottom" },
        tooltip: {
          callbacks: {
            label: function (ctx) {
              var value = ctx.raw === null ? "x" : ctx.formattedValue;
              return ctx.dataset.label + ": " + value + (chart.unit === "%" ? " %" : "");
            }
          }
        }
      },
      scales: {
        x: { stacked: stacked, ticks: { autoSkip: true, maxRotation: 0 } },
        y: { stacked: stacked, beginAtZero: true, title: { display: !!chart.unit, text: chart.unit } }
      }
    };
    if (kind === "diverging") {
      options.indexAxis = "y";
      options.scales = {
        x: { title: { display: !!chart.unit, text: chart.unit } },
        y: { ticks: { autoSkip: false } }
      };
    }
    return { type: type, data: { labels: chart.labels, datasets: datasets }, options: options };
  }

  function draw() {
    var island = document.getElementById("report-charts-data");
    if (!island || typeof Chart === "undefined") {
      return;
    }
    var charts = JSON.parse(island.textContent).charts;
    charts.forEach(function (chart) {
      var canvas = document.querySelector('canvas[data-report-chart="' + chart.key + '"]');
      if (!canvas) {
        return;
      }
      canvas.parentNode.hidden = false;
      new Chart(canvas, config(chart));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
