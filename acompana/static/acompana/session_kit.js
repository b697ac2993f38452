// The facilitator's session kit: one tap per person changes her mark (everyone starts present);
// saving puts the whole sheet in the phone's encrypted queue, sent when there is signal, into
// the same session log as the office-hours sheet.
(function () {
  "use strict";
  var form = document.getElementById("kit-form");
  if (!form) return;
  var NEXT = {present: "absent", absent: "excused", excused: "present"};
  var words = document.getElementById("kit-words").content.firstElementChild.dataset;
  var count = document.getElementById("kit-count");

  function paint(button) {
    var status = button.dataset.status;
    button.className = "mark " + status;
    button.setAttribute("aria-pressed", status === "present" ? "true" : "false");
    button.querySelector(".state").textContent = words[status];
    form.querySelector("input[name='" + button.dataset.name + "']").value = status;
  }

  function tally() {
    var marks = form.querySelectorAll("button.mark");
    var present = form.querySelectorAll("button.mark.present").length;
    count.textContent = count.dataset.pattern.replace("{present}", present).replace("{total}", marks.length);
  }

  form.querySelectorAll("button.mark").forEach(function (button) {
    paint(button);
    button.addEventListener("click", function () {
      button.dataset.status = NEXT[button.dataset.status];
      paint(button);
      tally();
    });
  });
  tally();

  form.addEventListener("submit", function (event) {
    if (!window.AcompanaQueue) return;  // no queue: the form posts to the sheet as it is
    event.preventDefault();
    var fields = {};
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken" && name !== "version") fields[name] = value;
    });
    var status = document.getElementById("kit-status");
    var payload = {key: form.dataset.key, version: form.querySelector("[name=version]").value,
                   fields: fields};
    window.AcompanaQueue.add("session", payload, form.dataset.label).then(function (id) {
      status.textContent = status.dataset.kept;
      return window.AcompanaQueue.sync().then(function () { return window.AcompanaQueue.sent(); })
        .then(function (sent) {
          var mine = sent.filter(function (s) { return s.id === id; })[0];
          if (!mine) return;
          if (mine.status === "accepted") {
            status.textContent = status.dataset.sent;
            if (mine.outcome.version) form.querySelector("[name=version]").value = mine.outcome.version;
          } else if (mine.status === "conflict") {
            status.textContent = status.dataset.conflict;
            var link = document.getElementById("kit-compare");
            link.href = mine.outcome.compare;
            link.hidden = false;
          } else {
            status.textContent = status.dataset.refused + " " + mine.message;
          }
        });
    }).catch(function () { status.textContent = status.dataset.nokey; });
  });
})();
