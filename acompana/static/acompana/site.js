// Behaviour the pages declare with data attributes, so that no inline handler is needed under
// the Content-Security-Policy: a select that sends its form when changed, a button that prints.
document.addEventListener("change", function (event) {
  var field = event.target.closest("[data-submit-on-change]");
  if (field && field.form) field.form.submit();
});
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
