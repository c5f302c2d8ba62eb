// 总览 charts: trend lines, and the children coloured by growth — a China map when boundaries are
// loaded (national view), otherwise a ranking bar chart. ECharts and the GeoJSON are served locally.
(function () {
  var view = JSON.parse(document.getElementById("view-data").textContent);
  var fmt = function (v) { return v === null || v === undefined ? "—" : v.toFixed(1); };
  var trendEl = document.getElementById("trend");
  if (trendEl && window.echarts) {
    var t = echarts.init(trendEl);
    t.setOption({
      tooltip: { trigger: "axis", valueFormatter: fmt },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 30 },
      xAxis: { type: "category", data: view.trend.labels },
      yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      series: view.trend.series.map(function (s) {
        return { name: s.name, type: "line", data: s.values, connectNulls: false, symbolSize: 4 };
      })
    });
    window.addEventListener("resize", function () { t.resize(); });
  }
  var mapEl = document.getElementById("map");
  if (!mapEl || !window.echarts) return;
  var chart = echarts.init(mapEl);
  window.addEventListener("resize", function () { chart.resize(); });
  var vals = view.children.map(function (c) { return c.value; }).filter(function (v) { return v !== null; });
  var lo = Math.min.apply(null, vals), hi = Math.max.apply(null, vals);
  var codeByName = {};
  view.children.forEach(function (c) { codeByName[c.name] = c.region; });
  // diverging scale centred on the parent region's value: red above it, blue below (red = up)
  var centre = (view.value !== null && view.value !== undefined) ? view.value : (lo + hi) / 2;
  var spread = Math.max(hi - centre, centre - lo, 0.5);
  var visual = { min: Math.floor((centre - spread) * 10) / 10, max: Math.ceil((centre + spread) * 10) / 10, calculable: true, orient: "horizontal", left: "center",
                 bottom: 0, text: ["高", "低"], inRange: { color: ["#2166ac", "#92c5de", "#f7f7f7", "#f4a582", "#b2182b"] } };
  var qs = mapEl.getAttribute("data-qs") || "";
  function drill(name) { var code = codeByName[name]; if (code) window.location.href = "/regions/" + code + qs; }
  function bars() {
    var rows = view.children.slice().filter(function (c) { return c.value !== null; })
      .sort(function (a, b) { return a.value - b.value; });
    mapEl.setAttribute("data-rendered", "bar");
    chart.setOption({
      tooltip: { valueFormatter: fmt }, grid: { left: 90, right: 30, top: 10, bottom: 50 },
      visualMap: Object.assign({ dimension: 0 }, visual, { show: false }),  // the axis shows the values
      xAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", data: rows.map(function (c) { return c.name; }) },
      series: [{ type: "bar", data: rows.map(function (c) { return c.value; }) }]
    });
    chart.on("click", function (p) { drill(p.name); });
  }
  if (mapEl.getAttribute("data-has-geo") !== "true") { bars(); return; }
  fetch("/geo/china.json").then(function (r) { if (!r.ok) throw new Error("no geo"); return r.json(); })
    .then(function (geo) {
      echarts.registerMap("china", geo);
      chart.setOption({
        tooltip: { trigger: "item", formatter: function (p) { return p.name + "：" + fmt(p.value) + "%"; } },
        visualMap: visual,
        series: [{ type: "map", map: "china", roam: false, name: view.measure_zh,
                   itemStyle: { areaColor: "#eeeeee", borderColor: "#999" },
                   emphasis: { label: { show: true } },
                   data: view.children.map(function (c) { return { name: c.name, value: c.value }; }) }]
      });
      chart.on("click", function (p) { drill(p.name); });
      mapEl.setAttribute("data-rendered", "map");
    })
    .catch(bars);
})();
