// 产业链图：ECharts force graph from the JSON the server embedded (scoped to the caller's region).
(function () {
  var el = document.getElementById("chain-graph");
  var data = document.getElementById("chain-graph-data");
  if (!el || !data || typeof echarts === "undefined") { return; }
  var g = JSON.parse(data.textContent);
  var chart = echarts.init(el);
  // tooltips are HTML: names and regions from the registry are shown as text, never markup
  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  chart.setOption({
    tooltip: { formatter: function (p) {
      if (p.dataType === "edge") { return "供货占比 " + (p.data.value * 100).toFixed(1) + "%"; }
      return esc(p.data.name) + "（" + esc(p.data.value) + "，" + esc(p.data.region) + "）";
    } },
    legend: [{ data: g.categories.map(function (c) { return c.name; }), type: "scroll", bottom: 0 }],
    animation: false,
    series: [{
      type: "graph", layout: "force", roam: true, draggable: true,
      data: g.nodes, links: g.links, categories: g.categories,
      force: { repulsion: g.nodes.length > 200 ? 40 : 300, edgeLength: g.nodes.length > 200 ? 30 : [80, 160] },
      edgeSymbol: ["none", "arrow"], edgeSymbolSize: 5,
      lineStyle: { opacity: 0.4, curveness: 0.1 },
      label: { show: g.nodes.length <= 40, position: "right", fontSize: 11 },
      emphasis: { focus: "adjacency", label: { show: true } }
    }]
  });
  el.setAttribute("data-nodes", String(g.nodes.length));
  window.addEventListener("resize", function () { chart.resize(); });
})();
