// 地区评价: map (or bars) of the stored scores; per region a radar of the normalised indicator scores and a
// bar of the points each indicator earns and loses against the best region.
(function () {
  var mapEl = document.getElementById("eval-map");
  if (!mapEl || typeof echarts === "undefined") return;
  var run = mapEl.getAttribute("data-run");
  var base = "/api/evaluation/runs/" + encodeURIComponent(run);
  var chart = echarts.init(mapEl);
  var radar = echarts.init(document.getElementById("eval-radar"));
  var bars = echarts.init(document.getElementById("eval-bars"));
  var byName = {}, data = null;
  function f1(v) { return v == null ? "—" : (Math.round(v * 10) / 10).toFixed(1); }

  function detail(code) {
    fetch(base + "/regions/" + encodeURIComponent(code)).then(function (r) { return r.json(); }).then(function (d) {
      var s = data.scores.filter(function (x) { return x.region === code; })[0];
      document.getElementById("eval-detail-title").textContent =
        s.name + "：得分 " + f1(s.score) + (s.rank > 0 ? "，第 " + s.rank + " 名" : "，" + s.status);
      radar.setOption({
        animation: false,
        title: { text: "各指标标准化得分（最优 = 100）", textStyle: { fontSize: 13 } },
        radar: { indicator: d.items.map(function (it) { return { name: it.name, max: 100 }; }), radius: "60%" },
        series: [{ type: "radar", areaStyle: { opacity: 0.2 }, data: [{ name: s.name, value: d.items.map(function (it) {
          return Math.round(it.norm * 1000) / 10; }) }] }], tooltip: {}
      }, true);
      bars.setOption({
        animation: false,
        title: { text: "逐项得分与较最优失分", textStyle: { fontSize: 13 } },
        tooltip: { trigger: "axis" }, legend: { data: ["得分", "较最优失分"], right: 0 },
        grid: { left: 150, right: 20, top: 40, bottom: 20 },
        xAxis: { type: "value" }, yAxis: { type: "category", data: d.items.map(function (it) {
          return it.name + (it.imputed ? "（补齐）" : ""); }) },
        series: [{ name: "得分", type: "bar", stack: "t", data: d.items.map(function (it) { return +f1(it.points); }) },
                 { name: "较最优失分", type: "bar", stack: "t", itemStyle: { color: "#dddddd" },
                   data: d.items.map(function (it) { return +f1(it.lost); }) }]
      }, true);
      itemTable(d.items);
      mapEl.setAttribute("data-detail", code);
    });
  }

  // the figures behind the charts: value in its unit, normalised score, weight, points, points lost
  function itemTable(items) {
    var t = document.getElementById("eval-items");
    if (!t) return;
    t.textContent = "";
    var head = t.createTHead().insertRow();
    ["指标", "数值", "标准化得分", "权重%", "得分", "较最优失分"].forEach(function (h) {
      var th = document.createElement("th"); th.textContent = h; head.appendChild(th); });
    var body = t.createTBody();
    items.forEach(function (it) {
      var row = body.insertRow();
      [it.name, (it.value_text || f1(it.value)) + (it.imputed ? "（缺值已补齐）" : ""), f1(it.norm * 100),
       f1(it.weight * 100), f1(it.points), f1(it.lost)].forEach(function (v, i) {
        var c = row.insertCell(); c.textContent = v; if (i > 0) c.className = "num"; });
    });
    var notes = {};
    items.forEach(function (it) { if (it.note) (notes[it.note] = notes[it.note] || []).push(it.name); });
    Object.keys(notes).forEach(function (n) {
      var c = body.insertRow().insertCell(); c.colSpan = 6; c.className = "hint";
      c.textContent = notes[n].join("、") + "：" + n;
    });
  }

  fetch(base + "/scores").then(function (r) { return r.json(); }).then(function (d) {
    data = d;
    d.scores.forEach(function (s) { byName[s.name] = s.region; });
    var vals = d.scores.map(function (s) { return s.score; });
    var visual = { min: Math.floor(Math.min.apply(null, vals)), max: Math.ceil(Math.max.apply(null, vals)),
                   inRange: { color: ["#fde0dd", "#c51b8a"] }, calculable: true, left: 10, bottom: 10 };
    function asBars() {
      var rows = d.scores.slice().reverse();
      mapEl.style.height = Math.max(420, 18 * rows.length + 40) + "px";  // every region's name readable
      chart.resize();
      chart.setOption({ tooltip: {}, grid: { left: 110, right: 20, top: 10, bottom: 30 },
        xAxis: { type: "value" }, yAxis: { type: "category", axisLabel: { interval: 0, fontSize: 11 },
                                           data: rows.map(function (s) { return s.name; }) },
        visualMap: Object.assign({ dimension: 0, show: false }, visual),
        series: [{ type: "bar", data: rows.map(function (s) { return +f1(s.score); }) }] });
      chart.on("click", function (p) { detail(byName[p.name]); });
      mapEl.setAttribute("data-rendered", "bars");
    }
    if (mapEl.getAttribute("data-has-geo") !== "true") { asBars(); }
    else {
      fetch("/geo/china.json").then(function (r) { if (!r.ok) throw new Error("no geo"); return r.json(); })
        .then(function (geo) {
          echarts.registerMap("china", geo);
          chart.setOption({
            tooltip: { trigger: "item", formatter: function (p) {
              var s = d.scores.filter(function (x) { return x.name === p.name; })[0];
              var iv = s && s.rank > 0 && s.p05 != null ? "（区间 " + s.p05 + "–" + s.p95 + "）" : "";  // no draws: none
              return s ? s.name + "：" + f1(s.score) + " 分，第 " + (s.rank > 0 ? s.rank : "—") + " 名" + iv : p.name; } },
            visualMap: visual,
            series: [{ type: "map", map: "china", roam: false, itemStyle: { areaColor: "#eeeeee", borderColor: "#999" },
                       data: d.scores.map(function (s) { return { name: s.name, value: +f1(s.score) }; }) }]
          });
          chart.on("click", function (p) { if (byName[p.name]) detail(byName[p.name]); });
          mapEl.setAttribute("data-rendered", "map");
        }).catch(asBars);
    }
    var first = d.scores.filter(function (s) { return s.rank === 1; })[0] || d.scores[0];
    if (first) detail(first.region);
  });
  Array.prototype.forEach.call(document.querySelectorAll("a.eval-region"), function (a) {
    a.addEventListener("click", function (e) { e.preventDefault(); detail(a.getAttribute("data-region")); });
  });
})();
