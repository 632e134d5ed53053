// Progressive enhancement of a case page's reassign panel: the people who may take the case and whose name
// matches are listed as it is typed (cases.views.case.reassign_people), instead of after pressing Find.
(function () {
  var input = document.querySelector("[data-reassign-people]");
  var choices = document.getElementById("reassign-choices");
  if (!input || !choices) return;
  var timer = null;
  var asked = 0;

  function note(text) {
    var p = document.createElement("p");
    p.className = "hint";
    p.setAttribute("data-reassign-note", "");
    p.textContent = text;
    return p;
  }

  function show(data, words) {
    choices.querySelectorAll(".check, [data-reassign-note]").forEach(function (old) { old.remove(); });
    data.people.forEach(function (person, i) {
      var div = document.createElement("div");
      div.className = "check";
      var radio = document.createElement("input");
      radio.type = "radio";
      radio.name = "to";
      radio.value = person.id;
      radio.id = "id_to_" + i;
      radio.required = true;
      var label = document.createElement("label");
      label.htmlFor = radio.id;
      label.textContent = person.name;
      div.append(radio, " ", label);
      choices.append(div);
    });
    if (!data.people.length) {
      choices.append(note(words ? "Nobody who can take this case matches “" + words + "”." : "Find the person first."));
    }
    if (data.more) choices.append(note("Only the first matches are shown: type more of the name."));
  }

  function search() {
    var words = input.value.trim();
    var mine = ++asked;
    var url = input.dataset.reassignPeople + "?q=" + encodeURIComponent(words);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && mine === asked) show(data, words); })
      .catch(function () { /* The Find button still works. */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  input.form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    search();
  });
})();
