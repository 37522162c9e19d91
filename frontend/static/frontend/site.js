// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // On narrow screens, fold the extra filters away so the results come first.
  var wide = window.matchMedia("(min-width: 62rem)");
  var panels = document.querySelectorAll(".filters__more");
  function fit() {
    panels.forEach(function (panel) {
      if (wide.matches || panel.hasAttribute("data-keep-open")) {
        panel.open = true;
      }
    });
  }
  if (!wide.matches) {
    panels.forEach(function (panel) {
      if (!panel.hasAttribute("data-keep-open")) {
        panel.open = false;
      }
    });
  }
  wide.addEventListener("change", fit);
})();
