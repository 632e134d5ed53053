// GOV.UK error summary: after a form is sent back with errors, move focus to the summary at the top, so
// that a keyboard or screen reader user hears what went wrong and can follow its links to the fields.
(function () {
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
})();
