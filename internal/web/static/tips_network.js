// The network graph of a tip: read as JSON from the container's data-graph
// (the server computed it with the page, so there is no second request),
// drawn with Cytoscape.js. Loaded only on the network page; kept out of the
// page itself because the CSP forbids inline script.
// Node labels are tip references (and, for linked cases, the case's
// reference and TLP), set as data: Cytoscape draws them on a
// canvas, so no text becomes HTML.
(function () {
  "use strict";
  var box = document.getElementById("tip-graph");
  if (!box || typeof window.cytoscape !== "function") {
    return;
  }
  box.style.height = "22rem";
  box.style.border = "1px solid #d0d7de";
  box.style.borderRadius = "4px";
  Promise.resolve(box.getAttribute("data-graph"))
    .then(JSON.parse)
    .then(function (g) {
      var elements = [];
      g.nodes.forEach(function (n) {
        elements.push({ data: { id: n.id, label: n.label, score: n.score, root: n.root ? 1 : 0, href: n.href, kind: n.kind || "tip" } });
      });
      g.edges.forEach(function (e, i) {
        elements.push({ data: { id: "e" + i, source: e.source, target: e.target, reason: e.reason } });
      });
      var cy = window.cytoscape({
        container: box,
        elements: elements,
        layout: { name: g.nodes.length > 1 ? "cose" : "grid", animate: false, padding: 20 },
        minZoom: 0.3,
        maxZoom: 3,
        style: [
          { selector: "node", style: {
            "label": "data(label)", "font-size": 10, "text-valign": "bottom", "text-margin-y": 4,
            "width": "mapData(score, 0, 1, 18, 42)", "height": "mapData(score, 0, 1, 18, 42)",
            "background-color": "mapData(score, 0, 1, #8aa1b4, #b3261e)" } },
          { selector: "node[root = 1]", style: { "border-width": 3, "border-color": "#1f3a5f" } },
          // A linked case: a dark square, labelled by reference and TLP.
          { selector: "node[kind = \"case\"]", style: { "shape": "round-rectangle", "width": 30, "height": 30,
            "background-color": "#1f1f1f", "border-width": 2, "border-color": "#ffc000" } },
          { selector: "edge[reason ^= \"case:\"]", style: { "line-style": "dashed", "line-color": "#1f1f1f" } },
          { selector: "edge", style: { "width": 2, "line-color": "#9aa5b1", "curve-style": "bezier" } }
        ]
      });
      cy.on("tap", "node", function (ev) {
        var href = ev.target.data("href");
        if (href && href.charAt(0) === "/") {
          window.location.assign(href);
        }
      });
      // Tests and assistive text read these.
      box.setAttribute("data-nodes", String(cy.nodes().length));
      box.setAttribute("data-edges", String(cy.edges().length));
      box.setAttribute("data-ready", "true");
    })
    .catch(function () {
      box.setAttribute("data-error", "true");
      box.textContent = box.getAttribute("aria-label") + ": —";
    });
})();
