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

  // Kroner the way the pages write them: "1.234,50 kr." in Danish, "DKK 1,234.50" otherwise.
  function formatPrice(ore, language) {
    var kroner = String(Math.floor(ore / 100));
    var rest = String(ore % 100).padStart(2, "0");
    if (language === "da") {
      return kroner.replace(/\B(?=(\d{3})+(?!\d))/g, ".") + "," + rest + " kr.";
    }
    return "DKK " + kroner.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + "." + rest;
  }

  // The ticket chooser: +/- buttons, a running total, and no empty or zero choices in the address.
  document.querySelectorAll("form[data-ticket-chooser]").forEach(function (form) {
    var language = (document.documentElement.lang || "da").split("-")[0];
    var inputs = Array.prototype.slice.call(form.querySelectorAll(".quantity__input"));
    var total = form.querySelector("[data-ticket-total]");
    var error = form.querySelector("[data-ticket-error]");

    function quantity(input) {
      var value = parseInt(input.value, 10);
      return isNaN(value) || value < 0 ? 0 : value;
    }

    function update() {
      var count = 0;
      var ore = 0;
      inputs.forEach(function (input) {
        count += quantity(input);
        ore += quantity(input) * parseInt(input.getAttribute("data-price-ore"), 10);
      });
      if (total) {
        var template = form.getAttribute(count === 1 ? "data-total-one" : "data-total-other");
        var price = ore === 0 ? form.getAttribute("data-free") : formatPrice(ore, language);
        total.textContent = count === 0 ? "" : template.replace("%(count)s", count).replace("%(total)s", price);
      }
      if (count > 0 && error) {
        error.textContent = "";
      }
      return count;
    }

    function stepButton(input, text, label, change) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "quantity__step";
      button.textContent = text;
      button.setAttribute("aria-label", label.replace("%(name)s", input.getAttribute("data-name")));
      button.addEventListener("click", function () {
        var max = parseInt(input.max, 10);
        input.value = String(Math.max(0, Math.min(quantity(input) + change, isNaN(max) ? Infinity : max)));
        update();
      });
      return button;
    }

    inputs.forEach(function (input) {
      var controls = document.createElement("div");
      controls.className = "quantity__controls";
      input.parentNode.insertBefore(controls, input);
      controls.appendChild(stepButton(input, "\u2212", form.getAttribute("data-fewer"), -1));
      controls.appendChild(input);
      controls.appendChild(stepButton(input, "+", form.getAttribute("data-more"), 1));
      controls.parentNode.classList.add("quantity--enhanced");
      input.addEventListener("input", update);
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (update() === 0) {
        if (error) {
          error.textContent = error.getAttribute("data-message");
        }
        if (inputs[0]) {
          inputs[0].focus();
        }
        return;
      }
      var params = new URLSearchParams();
      inputs.forEach(function (input) {
        if (quantity(input) > 0) {
          params.append(input.name, String(quantity(input)));
        }
      });
      window.location.assign(form.action + "?" + params.toString());
    });
    update();
  });

  // A page that answers a form with errors takes the visitor straight to what went wrong.
  var summary = document.querySelector("[data-focus-on-load]");
  if (summary) {
    summary.focus();
  }

  // The reservation countdown: the text changes at most once a minute, so screen readers are not flooded.
  document.querySelectorAll("[data-countdown]").forEach(function (element) {
    var endsAt = Date.now() + parseInt(element.getAttribute("data-seconds-left"), 10) * 1000;
    var timer;
    function tick() {
      var left = endsAt - Date.now();
      var text;
      if (left <= 0) {
        text = element.getAttribute("data-over");
        window.clearInterval(timer);
      } else if (left < 60000) {
        text = element.getAttribute("data-under-a-minute");
      } else {
        var minutes = Math.ceil(left / 60000);
        text = element.getAttribute(minutes === 1 ? "data-one" : "data-other").replace("%(minutes)s", minutes);
      }
      if (element.textContent !== text) {
        element.textContent = text;
      }
    }
    timer = window.setInterval(tick, 5000);
    tick();
  });
})();
