// Read aloud with the browser's own speech synthesis: a button with data-speak="<selector>" reads
// that element, then the answer options on the screen (for those who read little).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-speak]");
    if (!button || !("speechSynthesis" in window)) return;
    var parts = [document.querySelector(button.dataset.speak).textContent];
    document.querySelectorAll(".option span").forEach(function (option) {
      if (option.offsetParent !== null) parts.push(option.textContent);
    });
    var utterance = new SpeechSynthesisUtterance(parts.join(". "));
    utterance.lang = document.documentElement.lang === "en" ? "en-US" : "es-MX";
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(utterance);
  });
})();
