// Progressive enhancement: a text box that hides the choices that do not match what is typed.
document.querySelectorAll("[data-filter-target]").forEach(function (input) {
  var target = document.querySelector(input.dataset.filterTarget);
  if (!target) return;
  input.addEventListener("input", function () {
    var words = input.value.toLowerCase().trim();
    target.querySelectorAll(".check").forEach(function (choice) {
      choice.hidden = words !== "" && choice.textContent.toLowerCase().indexOf(words) === -1;
    });
  });
});
