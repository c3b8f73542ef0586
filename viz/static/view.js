/* policykg view: reads the graph from a JSON <script> block and draws it with vis-network.
   Document text is only ever put into the page with textContent, never parsed as HTML. */
(function () {
  "use strict";
  var now = function () { return window.performance ? performance.now() : Date.now(); };
  var timings = { start: now() };
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  timings.parsed = now();

  function tipElement(text) {
    var el = document.createElement("div");
    el.className = "pkg-tip";
    el.textContent = text;
    return el;
  }
  data.nodes.forEach(function (n) { if (n.tip) { n.title = tipElement(n.tip); } });
  data.edges.forEach(function (e) { if (e.tip) { e.title = tipElement(e.tip); } });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  timings.datasets = now();
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  timings.network = now();
  // what the page spent where (ms since navigation start), read by the browser tests
  window.policykg = {
    network: network, nodes: nodes, edges: edges, rendered: false, timings: timings
  };
  network.once("afterDrawing", function () {
    timings.drawn = now();
    window.policykg.rendered = true;
    document.body.setAttribute("data-rendered", "true");
  });

  var info = document.getElementById("info");
  network.on("click", function (params) {
    var text = "";
    if (params.nodes.length) { text = nodes.get(params.nodes[0]).tip || ""; }
    else if (params.edges.length) { text = edges.get(params.edges[0]).tip || ""; }
    info.textContent = text;
  });

  var search = document.getElementById("search");
  search.addEventListener("input", function () {
    var q = search.value.trim();
    if (!q) { network.unselectAll(); return; }
    var hits = nodes.get({ filter: function (n) { return (n.tip || n.label || "").indexOf(q) >= 0; } });
    var ids = hits.map(function (n) { return n.id; });
    network.selectNodes(ids);
    if (ids.length) { network.fit({ nodes: ids, animation: false }); }
    info.textContent = ids.length + " 个匹配 / matches";
  });
  document.getElementById("fit").addEventListener("click", function () {
    network.fit({ animation: false });
  });
})();
