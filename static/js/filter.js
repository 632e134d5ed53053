// Progressive enhancement: a text box that hides the choices that do not match what is typed. Without a
// script the box is not shown ([data-needs-script] hidden) and every choice is there.
document.querySelectorAll("[data-filter-target]").forEach(function (input) {
  var target = document.querySelector(input.dataset.filterTarget);
  if (!target) return;
  var wrapper = input.closest("[data-needs-script]");
  if (wrapper) wrapper.hidden = false;
  input.addEventListener("input", function () {
    var words = input.value.toLowerCase().trim();
    target.querySelectorAll(".check").forEach(function (choice) {
      choice.hidden = words !== "" && choice.textContent.toLowerCase().indexOf(words) === -1;
    });
  });
  // Enter filters; it must not send the whole form the box is in.
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") event.preventDefault();
  });
});
