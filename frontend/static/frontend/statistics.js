// The statistics page's charts, drawn with Chart.js from the figures the page carries as JSON.
// Progressive enhancement: without this file every figure is in the tables, which start open.
(function () {
  "use strict";

  if (typeof window.Chart === "undefined") {
    return;
  }
  var Chart = window.Chart;
  var language = (document.documentElement.lang || "da").split("-")[0];
  var whole = new Intl.NumberFormat(language, { maximumFractionDigits: 0 });
  var compact = new Intl.NumberFormat(language, { notation: "compact", maximumFractionDigits: 1 });
  var tenths = new Intl.NumberFormat(language, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  var ink = "#17212b";

  // Every series has a colour (all dark enough against white) and its own pattern, so no chart
  // depends on telling colours apart. 0-3: sources; 4-6: utilisation.
  var STYLES = [
    { color: "#0b3250", pattern: "solid" },
    { color: "#9a3c17", pattern: "stripes" },
    { color: "#2f6b3a", pattern: "dots" },
    { color: "#5b3a8c", pattern: "crosses" },
    { color: "#124a6e", pattern: "solid" },
    { color: "#2f6b3a", pattern: "stripes" },
    { color: "#9a3c17", pattern: "dots" }
  ];
  var TARGET_COLOR = "#8a5a00";

  function pattern(style) {
    if (style.pattern === "solid") {
      return style.color;
    }
    var size = 10;
    var tile = document.createElement("canvas");
    tile.width = size;
    tile.height = size;
    var context = tile.getContext("2d");
    context.fillStyle = style.color;
    context.fillRect(0, 0, size, size);
    context.strokeStyle = "rgba(255, 255, 255, 0.85)";
    context.fillStyle = "rgba(255, 255, 255, 0.85)";
    context.lineWidth = 2;
    if (style.pattern === "dots") {
      context.beginPath();
      context.arc(size / 2, size / 2, 1.8, 0, 2 * Math.PI);
      context.fill();
    } else {
      context.beginPath();
      context.moveTo(0, size);
      context.lineTo(size, 0);
      context.moveTo(-size / 2, size / 2);
      context.lineTo(size / 2, -size / 2);
      context.moveTo(size / 2, size * 1.5);
      context.lineTo(size * 1.5, size / 2);
      if (style.pattern === "crosses") {
        context.moveTo(0, 0);
        context.lineTo(size, size);
      }
      context.stroke();
    }
    return context.createPattern(tile, "repeat");
  }

  function format(value, unit) {
    if (value === null || value === undefined) {
      return "–";
    }
    return unit === "percent" ? tenths.format(value) + " %" : whole.format(value);
  }

  // Direct labels: each bar (or each stack) carries its figure at its end.
  var valueLabels = {
    id: "valueLabels",
    afterDatasetsDraw: function (chart) {
      var spec = chart.options.plugins.valueLabels;
      if (!spec) {
        return;
      }
      var context = chart.ctx;
      var horizontal = chart.options.indexAxis === "y";
      var bars = [];
      chart.data.datasets.forEach(function (dataset, index) {
        if (dataset.type !== "line" && chart.isDatasetVisible(index)) {
          bars.push(index);
        }
      });
      context.save();
      context.fillStyle = ink;
      context.font = "600 12px system-ui, sans-serif";
      context.textBaseline = horizontal ? "middle" : "bottom";
      context.textAlign = horizontal ? "left" : "center";
      chart.data.labels.forEach(function (_label, position) {
        var targets = spec.stacked ? [bars[bars.length - 1]] : bars;
        targets.forEach(function (datasetIndex) {
          if (datasetIndex === undefined) {
            return;
          }
          var element = chart.getDatasetMeta(datasetIndex).data[position];
          var value = spec.stacked
            ? bars.reduce(function (sum, i) { return sum + (chart.data.datasets[i].data[position] || 0); }, 0)
            : chart.data.datasets[datasetIndex].data[position];
          if (!element || value === null || value === undefined || (spec.stacked && value === 0)) {
            return;
          }
          if (!horizontal && element.width < 16) {
            return;
          }
          var text = spec.unit === "percent" ? format(value, "percent")
            : (!horizontal && element.width < 40 ? compact.format(value) : whole.format(value));
          if (horizontal) {
            context.fillText(text, element.x + 4, element.y);
          } else {
            context.fillText(text, element.x, element.y - 3);
          }
        });
      });
      context.restore();
    }
  };

  // On a phone, long venue and origin names are shortened on the chart; the table has them in full.
  function shorten(value) {
    var label = String(this.getLabelForValue(value));
    return this.chart.width < 480 && label.length > 11 ? label.slice(0, 10) + "\u2026" : label;
  }

  function config(spec, narrow) {
    var horizontal = Boolean(spec.horizontal);
    var stacked = Boolean(spec.stacked);
    var datasets = spec.datasets.map(function (dataset) {
      var style = STYLES[dataset.style % STYLES.length];
      return {
        type: "bar",
        label: dataset.label,
        data: dataset.data,
        backgroundColor: pattern(style),
        borderColor: "#ffffff",
        borderWidth: stacked ? 1 : 0,
        stack: stacked ? "visits" : undefined,
        order: 1
      };
    });
    if (spec.line) {
      datasets.push({
        type: "line",
        label: spec.line.label,
        data: spec.line.data,
        borderColor: TARGET_COLOR,
        backgroundColor: TARGET_COLOR,
        borderWidth: 2,
        borderDash: [6, 4],
        pointStyle: "rectRot",
        pointRadius: 4,
        stack: "target",
        order: 0
      });
    }
    var valueAxis = {
      stacked: stacked,
      beginAtZero: true,
      grid: { color: "#e7dfd2" },
      ticks: {
        color: ink,
        callback: function (value) {
          return spec.unit === "percent" ? whole.format(value) + " %" : compact.format(value);
        }
      },
      title: spec.axis ? { display: true, text: spec.axis, color: ink } : undefined
    };
    if (spec.unit === "percent") {
      valueAxis.suggestedMax = 100;
    }
    var labelAxis = { stacked: stacked, grid: { display: false }, ticks: { color: ink, autoSkip: false } };
    if (horizontal) {
      labelAxis.ticks.callback = shorten;
      labelAxis.ticks.font = function (context) {
        return { size: context.chart.width < 480 ? 11 : 12 };
      };
    }
    return {
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        layout: { padding: { top: 18, right: horizontal ? 64 : 8 } },
        scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
        plugins: {
          legend: {
            display: datasets.length > 1,
            position: "bottom",
            labels: {
              color: ink,
              boxWidth: narrow ? 18 : 28,
              boxHeight: narrow ? 11 : 14,
              font: { size: narrow ? 11 : 12 }
            }
          },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.dataset.label + ": " + format(item.raw, spec.unit);
              }
            }
          },
          valueLabels: { stacked: stacked, unit: spec.unit }
        }
      },
      plugins: [valueLabels]
    };
  }

  document.querySelectorAll("[data-chart]").forEach(function (container) {
    var data = document.getElementById("chart-" + container.getAttribute("data-chart") + "-data");
    var canvas = container.querySelector("canvas");
    if (!data || !canvas) {
      return;
    }
    var spec = JSON.parse(data.textContent);
    if (spec.horizontal) {
      var bars = spec.stacked ? 1 : spec.datasets.length;
      var legend = spec.datasets.length > 1 ? 56 : 0;
      container.style.height = Math.max(160, spec.labels.length * (bars * 16 + 18) + 70 + legend) + "px";
    }
    container.hidden = false;
    var chart = new Chart(canvas, config(spec, container.clientWidth < 480));
    chart.draw();
    container.setAttribute("data-drawn", "true");
    // The chart now shows the figures; the table stays one click away, and is always in the page.
    var table = container.parentNode.querySelector("[data-chart-table]");
    if (table) {
      table.open = false;
    }
  });
})();
