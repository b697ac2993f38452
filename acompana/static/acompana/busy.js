// A busy state for anything slow (a plan download, a materials zip, photos being read, a
// re-plan): the button or link a person used says what is happening ("Preparando…",
// "Leyendo…") and cannot be used twice, instead of a page that looks frozen. Declared with
// `data-busy="<text>"` on a form (its submit button changes) or on a link.
(function () {
  "use strict";

  // A link to a file that is ready downloads without leaving the page: it comes back then.
  var LINK_SECONDS = 6;

  function makeBusy(control, text) {
    if (control.dataset.idleText === undefined) control.dataset.idleText = control.textContent;
    control.textContent = text;
    control.classList.add("busy");
    control.setAttribute("aria-disabled", "true");
    control.setAttribute("aria-busy", "true");
  }

  function makeIdle(control) {
    if (control.dataset.idleText === undefined) return;
    control.textContent = control.dataset.idleText;
    delete control.dataset.idleText;
    control.classList.remove("busy");
    control.removeAttribute("aria-disabled");
    control.removeAttribute("aria-busy");
    if (control.tagName === "BUTTON") control.disabled = false;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-busy")) return;
    if (form.getAttribute("aria-busy") === "true") {
      event.preventDefault();  // sent already: a second click sends nothing twice
      return;
    }
    var button = event.submitter || form.querySelector("button[type=submit], button:not([type])");
    form.setAttribute("aria-busy", "true");
    if (!button) return;
    makeBusy(button, form.dataset.busy);
    // Disabled after the browser has read the form, so the button's own value is still sent.
    window.setTimeout(function () { button.disabled = true; }, 0);
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-busy]");
    if (!link) return;
    if (link.getAttribute("aria-busy") === "true") {
      event.preventDefault();
      return;
    }
    makeBusy(link, link.dataset.busy);
    window.setTimeout(function () { makeIdle(link); }, LINK_SECONDS * 1000);
  });

  // Back to a page the browser kept: nothing is being prepared on it any more.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("[aria-busy=true]").forEach(function (element) {
      if (element.tagName === "FORM") {
        element.removeAttribute("aria-busy");
        element.querySelectorAll(".busy").forEach(makeIdle);
      } else {
        makeIdle(element);
      }
    });
  });
})();
