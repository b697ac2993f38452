// The questionnaires on the phone, one question per screen, with or without signal. Answers go
// to the encrypted queue (queue.js) and the server scores them when they arrive: nothing is
// scored here. An answer that the instrument says opens the path to care shows the help
// numbers at once.
(function () {
  "use strict";
  var root = document.getElementById("questionnaires");
  if (!root) return;
  var forms = JSON.parse(document.getElementById("questionnaire-forms").textContent);
  var pending = JSON.parse(document.getElementById("questionnaire-pending").textContent);
  var byId = {};
  forms.forEach(function (form) { byId[form.id] = form; });
  var current = null, position = 0, answers = {};

  function show(name) {
    root.querySelectorAll("[data-screen]").forEach(function (screen) {
      screen.hidden = screen.dataset.screen !== name;
    });
    window.scrollTo(0, 0);
  }

  function list() {
    var ul = document.getElementById("questionnaire-list");
    if (!ul) return show("list");
    ul.textContent = "";
    pending.forEach(function (id) {
      var li = document.createElement("li"), button = document.createElement("button");
      button.type = "button";
      button.className = "primary";
      button.textContent = byId[id].name;
      button.addEventListener("click", function () { start(id); });
      li.appendChild(button);
      ul.appendChild(li);
    });
    root.querySelector("[data-when=none]").hidden = pending.length > 0;
    show("list");
  }

  function start(id) {
    current = byId[id];
    position = 0;
    answers = {};
    question();
  }

  function question() {
    var q = current.questions[position];
    var progress = document.getElementById("question-progress");
    progress.textContent = progress.dataset.pattern.replace("{name}", current.name)
      .replace("{n}", position + 1).replace("{count}", current.questions.length);
    var bar = document.getElementById("question-bar");
    bar.max = current.questions.length;
    bar.value = position + 1;
    var instructions = document.getElementById("question-instructions");
    instructions.textContent = current.instructions;
    instructions.hidden = position !== 0 || !current.instructions;
    document.getElementById("question-text").textContent = q.text;
    document.getElementById("question-error").hidden = true;
    var options = document.getElementById("question-options");
    options.textContent = "";
    q.options.forEach(function (option) {
      var label = document.createElement("label"), input = document.createElement("input");
      var span = document.createElement("span");
      label.className = "option";
      input.type = "radio";
      input.name = "answer";
      input.value = option[0];
      input.checked = answers[q.number] === option[0];
      span.textContent = option[1];
      label.appendChild(input);
      label.appendChild(document.createTextNode(" "));
      label.appendChild(span);
      options.appendChild(label);
    });
    document.getElementById("question-back").hidden = position === 0;
    show("question");
  }

  document.getElementById("question-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var chosen = root.querySelector("#question-options input:checked");
    if (!chosen) { document.getElementById("question-error").hidden = false; return; }
    answers[current.questions[position].number] = parseInt(chosen.value, 10);
    if (position + 1 < current.questions.length) { position += 1; question(); } else finish();
  });

  document.getElementById("question-back").addEventListener("click", function () {
    if (position > 0) { position -= 1; question(); }
  });

  function atRisk() {
    return Object.keys(current.risk_from).some(function (item) {
      return answers[item] !== undefined && answers[item] >= current.risk_from[item];
    });
  }

  function finish() {
    var risk = atRisk(), status = document.getElementById("done-status");
    document.getElementById("risk-help").hidden = !risk;
    document.getElementById("done-help").hidden = false;
    status.textContent = status.dataset.kept;
    pending = pending.filter(function (id) { return id !== current.id; });
    document.getElementById("done-next").hidden = pending.length === 0;
    show("done");
    var today = new Date(), day = today.getFullYear() + "-" +
      String(today.getMonth() + 1).padStart(2, "0") + "-" + String(today.getDate()).padStart(2, "0");
    window.AcompanaQueue.add("assessment", {instrument: current.id, responses: answers, taken_on: day},
                             current.name).then(function (id) {
      return window.AcompanaQueue.sync().then(function () { return window.AcompanaQueue.sent(); })
        .then(function (sent) {
          var mine = sent.filter(function (s) { return s.id === id; })[0];
          if (!mine) return;
          status.textContent = mine.status === "accepted" ? status.dataset.sent
            : status.dataset.refused + " " + mine.message;
        });
    }).catch(function () { status.textContent = status.dataset.nokey; });
  }

  document.getElementById("done-next").addEventListener("click", list);
  list();
})();
