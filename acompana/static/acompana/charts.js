// Draws the page's charts in the browser from the data the server put in a json_script
// element (#chart-data): no chart is drawn on the server, and no inline script is needed.
// Each chart: {id, kind: "bar" | "line", title, labels, series: [{name, values}], percent}.
(function () {
  "use strict";
  var PALETTE = ["#0b6e4f", "#c84c09", "#5b6475", "#7a4fa3", "#d4a017"];

  function percent(value) {
    return Math.round(value * 100) + " %";
  }

  function draw(chart) {
    var canvas = document.getElementById("chart-" + chart.id);
    if (!canvas || !window.Chart) {
      return;
    }
    var datasets = chart.series.map(function (series, index) {
      var color = PALETTE[index % PALETTE.length];
      return {label: series.name, data: series.values, backgroundColor: color,
              borderColor: color, pointRadius: 3, tension: 0};
    });
    var yAxis = {beginAtZero: true};
    if (chart.percent) {
      yAxis.max = 1;
      yAxis.ticks = {callback: percent};
    }
    canvas.chart = new window.Chart(canvas, {
      type: chart.kind,
      data: {labels: chart.labels, datasets: datasets},
      options: {
        animation: false,
        scales: {y: yAxis},
        plugins: {
          title: {display: true, text: chart.title, align: "start"},
          legend: {display: datasets.length > 1, align: "end"},
          tooltip: chart.percent ? {callbacks: {label: function (item) {
            return item.dataset.label + ": " + percent(item.parsed.y);
          }}} : {}
        }
      }
    });
  }

  function start() {
    var source = document.getElementById("chart-data");
    if (source) {
      JSON.parse(source.textContent).forEach(draw);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
