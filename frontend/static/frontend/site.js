// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // On narrow screens, fold the extra filters away so the results come first.
  var wide = window.matchMedia("(min-width: 62rem)");
  var panels = document.querySelectorAll(".filters__more");
  if (!wide.matches) {
    panels.forEach(function (panel) {
      if (!panel.hasAttribute("data-keep-open")) {
        panel.open = false;
      }
    });
  }
  wide.addEventListener("change", function () {
    panels.forEach(function (panel) {
      if (wide.matches) {
        panel.open = true;
      }
    });
  });

  // Leave empty fields out of the address, so links to a search stay short and readable.
  document.querySelectorAll("form.filters__form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, name) {
        if (typeof value === "string" && value.trim() !== "") {
          params.append(name, value.trim());
        }
      });
      event.preventDefault();
      var query = params.toString();
      window.location.assign(form.action + (query ? "?" + query : ""));
    });
  });
})();
