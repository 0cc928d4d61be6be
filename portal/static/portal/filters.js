// Filter panels (<details data-remember>): open on wide screens and folded on phones, so that results
// come first; a visitor who opens or folds a panel finds it so on the next page of this visit.
// Without JavaScript the panel is folded and opens on its own button.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 48em)").matches;
  function read(key) {
    try { return window.sessionStorage.getItem(key); } catch (error) { return null; }
  }
  function write(key, value) {
    try { window.sessionStorage.setItem(key, value); } catch (error) { /* storage blocked: not remembered */ }
  }
  document.querySelectorAll("details[data-remember]").forEach(function (panel) {
    var key = "vernetzt:" + panel.id;
    var stored = read(key);
    if (!panel.hasAttribute("data-keep-open")) {
      panel.open = stored ? stored === "open" : wide;
    }
    panel.querySelector("summary").addEventListener("click", function () {
      window.setTimeout(function () { write(key, panel.open ? "open" : "closed"); }, 0);
    });
  });
})();
