/* The interactive network map: cytoscape.js over the elements the page carries.
   Without JavaScript the graph section stays hidden and the table shows the same. */
(function () {
  "use strict";
  var section = document.getElementById("map-graph");
  var container = document.getElementById("network-map");
  var source = document.getElementById("map-elements");
  if (!section || !container || !source || typeof window.cytoscape !== "function") {
    return;
  }
  var elements = JSON.parse(source.textContent);
  var maxDegree = 1;
  elements.nodes.forEach(function (node) {
    maxDegree = Math.max(maxDegree, node.data.degree);
    /* The labels are the register's German names: isolated left to right (U+2066 … U+2069), so that
       on a right-to-left page too the "…" of a shortened label stands after it, not before. */
    node.data.shown = "\u2066" + node.data.label + "\u2069";
  });
  section.hidden = false;

  var cy = window.cytoscape({
    container: container,
    elements: elements,
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: {
        "background-color": "data(colour)",
        "width": "mapData(degree, 0, " + maxDegree + ", 14, 64)",
        "height": "mapData(degree, 0, " + maxDegree + ", 14, 64)",
        "label": "data(shown)",
        "font-size": 10,
        "color": "#1b1b1b",
        "text-valign": "bottom",
        "text-margin-y": 3,
        "text-wrap": "ellipsis",
        "text-max-width": 140,
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.7,
        "border-width": 1,
        "border-color": "#1b1b1b"
      } },
      { selector: "node[kind = 'network']", style: {
        "shape": "round-rectangle",
        "font-weight": "bold",
        "font-size": 12,
        "width": "mapData(degree, 0, " + maxDegree + ", 24, 64)",
        "height": "mapData(degree, 0, " + maxDegree + ", 24, 64)"
      } },
      { selector: "edge", style: { "line-color": "#6b7280", "width": "mapData(weight, 1, 6, 1, 6)", "curve-style": "bezier" } },
      { selector: "edge[kind = 'part_of']", style: { "line-style": "dashed", "line-color": "#4a4a4a" } },
      { selector: "edge[kind = 'funds']", style: { "line-style": "dotted", "line-color": "#4a4a4a" } },
      { selector: "edge[kind = 'stands_for']", style: { "line-style": "dashed", "line-dash-pattern": [10, 3, 2, 3], "line-color": "#4a4a4a" } },
      /* Cooperation from the survey answers (office only): long dashes in a colour with 5:1 contrast on white. */
      { selector: "edge[layer = 'cooperation']", style: {
        "line-style": "dashed", "line-dash-pattern": [14, 4], "line-color": "#b45309", "width": "mapData(weight, 1, 4, 2, 6)"
      } },
      { selector: ".faded", style: { "opacity": 0.15 } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#ffbf47" } }
    ],
    layout: { name: "cose", animate: false, nodeRepulsion: function () { return 9000; }, idealEdgeLength: function () { return 70; }, padding: 20 }
  });

  var selection = document.getElementById("map-selection");
  cy.on("tap", "node", function (event) {
    var node = event.target;
    cy.elements().addClass("faded");
    node.closedNeighborhood().removeClass("faded");
    var data = node.data();
    /* The German name isolated, so that on a right-to-left page it keeps its place before the rest. */
    var name = document.createElement("bdi");
    name.lang = "de";
    name.textContent = data.name;
    selection.replaceChildren(name, " – " + data.category_label + " – " + container.dataset.linksLabel + ": " + data.degree);
  });
  cy.on("tap", function (event) {
    if (event.target === cy) {
      cy.elements().removeClass("faded");
      selection.textContent = "";
    }
  });

  function download(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  function escape(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  /* The visible part of the graph as SVG, drawn from the positions cytoscape has now. */
  function svgOfView() {
    var box = cy.extent();
    var parts = [];
    cy.edges().forEach(function (edge) {
      var a = edge.source().position(), b = edge.target().position();
      var kind = edge.data("kind");
      var dash = kind === "part_of" ? ' stroke-dasharray="6 4"' : kind === "funds" ? ' stroke-dasharray="2 3"' : kind === "stands_for" ? ' stroke-dasharray="10 3 2 3"' : kind === "cooperation" ? ' stroke-dasharray="14 4"' : "";
      var colour = kind === "cooperation" ? "#b45309" : kind === "part_of" || kind === "funds" || kind === "stands_for" ? "#4a4a4a" : "#6b7280";
      var width = kind === "cooperation" ? 1 + Math.min(4, edge.data("weight") || 1) : Math.min(6, edge.data("weight") || 1);
      parts.push('<line x1="' + a.x + '" y1="' + a.y + '" x2="' + b.x + '" y2="' + b.y + '" stroke="' + colour + '" stroke-width="' + width + '"' + dash + "/>");
    });
    cy.nodes().forEach(function (node) {
      var p = node.position(), w = node.width(), data = node.data();
      var shape = data.kind === "network"
        ? '<rect x="' + (p.x - w / 2) + '" y="' + (p.y - w / 2) + '" width="' + w + '" height="' + w + '" rx="6"'
        : '<circle cx="' + p.x + '" cy="' + p.y + '" r="' + w / 2 + '"';
      parts.push('<g><title>' + escape(data.name) + "</title>" + shape + ' fill="' + escape(data.colour) + '" stroke="#1b1b1b"/>' +
        '<text x="' + p.x + '" y="' + (p.y + w / 2 + 12) + '" font-size="10" text-anchor="middle" font-family="sans-serif">' + escape(data.label) + "</text></g>");
    });
    return '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="' +
      [box.x1, box.y1, box.w, box.h].join(" ") + '" width="' + Math.round(box.w) + '" height="' + Math.round(box.h) + '">' +
      '<rect x="' + box.x1 + '" y="' + box.y1 + '" width="' + box.w + '" height="' + box.h + '" fill="#ffffff"/>' + parts.join("") + "</svg>";
  }

  section.addEventListener("click", function (event) {
    var action = event.target.getAttribute("data-map-action");
    if (action === "fit") {
      cy.fit(undefined, 20);
    } else if (action === "png") {
      download(cy.png({ output: "blob", bg: "#ffffff", scale: 2 }), "netzwerkkarte.png");
    } else if (action === "svg") {
      download(new Blob([svgOfView()], { type: "image/svg+xml" }), "netzwerkkarte.svg");
    }
  });
  window.vernetztMap = cy;
}());
