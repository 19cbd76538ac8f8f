/* Draws the assessment radar (spider) chart with Chart.js from a JSON data island.
 *
 * <canvas data-spider="ID" hidden> names a <script type="application/json" id="ID"> made by Django's
 * json_script: {labels, min, max, levels: {value: name}, datasets: [{key, label, data}]}, where a
 * null score is "not assessed". Without JavaScript (or Chart.js) the canvas stays hidden and the
 * table next to it tells the same. No build step: plain ES5, Chart.js from its UMD file.
 */
(function () {
  "use strict";

  var STYLES = {
    latest: { border: "rgb(31, 111, 120)", fill: "rgba(31, 111, 120, 0.25)", dash: [] },
    first: { border: "rgb(120, 120, 120)", fill: "rgba(120, 120, 120, 0.08)", dash: [6, 4] }
  };

  function dataset(set) {
    var style = STYLES[set.key] || STYLES.latest;
    return {
      label: set.label,
      data: set.data,
      borderColor: style.border,
      backgroundColor: style.fill,
      pointBackgroundColor: style.border,
      borderDash: style.dash,
      borderWidth: 2,
      spanGaps: false
    };
  }

  // On a phone the domain names would run off the canvas: break them into lines of a few words.
  function wrap(label, width) {
    var lines = [];
    var line = "";
    String(label).split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) {
      lines.push(line);
    }
    return lines.length > 1 ? lines : String(label);
  }

  function draw(canvas) {
    if (canvas.getAttribute("data-spider-drawn") || typeof window.Chart === "undefined") {
      return;
    }
    var island = document.getElementById(canvas.getAttribute("data-spider"));
    if (!island) {
      return;
    }
    var data = JSON.parse(island.textContent);
    if (!data || !data.labels || !data.labels.length) {
      return;
    }
    var levels = data.levels || {};
    canvas.hidden = false;
    var narrow = (canvas.parentElement ? canvas.parentElement.clientWidth : 600) < 520;
    var labels = narrow ? data.labels.map(function (label) { return wrap(label, 13); }) : data.labels;
    canvas.setAttribute("data-spider-drawn", "1");
    // eslint-disable-next-line no-new
    new window.Chart(canvas, {
      type: "radar",
      data: { labels: labels, datasets: data.datasets.map(dataset) },
      options: {
        responsive: true,
        maintainAspectRatio: true,
        aspectRatio: 1,
        animation: false,
        scales: {
          r: {
            min: data.min,
            max: data.max,
            ticks: {
              stepSize: 1,
              backdropColor: "transparent",
              callback: function (value) {
                return value > data.min ? String(value) : "";
              }
            },
            pointLabels: { font: { size: narrow ? 10 : 12 } }
          }
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              title: function (items) {
                return items.length ? data.labels[items[0].dataIndex] : "";
              },
              label: function (context) {
                var value = context.raw;
                var name = levels[String(value)] || "";
                return context.dataset.label + ": " + value + (name ? " · " + name : "");
              }
            }
          }
        }
      }
    });
  }

  function drawAll(root) {
    var canvases = (root || document).querySelectorAll("canvas[data-spider]");
    Array.prototype.forEach.call(canvases, draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  } else {
    drawAll(document);
  }
  // Content that htmx swaps in later gets its chart too.
  document.addEventListener("htmx:load", function (event) { drawAll(event.target); });
})();
