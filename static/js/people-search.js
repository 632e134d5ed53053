// Progressive enhancement of a case page's person search fields (reassigning the case, naming a witness):
// the people who may be chosen and whose name matches are listed as it is typed (the JSON view named by
// the field's data-people-search), instead of after pressing Find. Each field says, in its data attributes,
// the radio buttons' name and id prefix and what to say when nobody matches.
(function () {
  function note(text) {
    var p = document.createElement("p");
    p.className = "hint";
    p.setAttribute("data-people-note", "");
    p.textContent = text;
    return p;
  }

  function enhance(input) {
    var choices = document.getElementById(input.getAttribute("aria-controls"));
    if (!choices) return;
    var timer = null;
    var asked = 0;

    function show(data, words) {
      choices.querySelectorAll(".check, [data-people-note]").forEach(function (old) { old.remove(); });
      data.people.forEach(function (person, i) {
        var div = document.createElement("div");
        div.className = "check";
        var radio = document.createElement("input");
        radio.type = "radio";
        radio.name = input.dataset.peopleField;
        radio.value = person.id;
        radio.id = input.dataset.peopleIdPrefix + i;
        radio.required = true;
        var label = document.createElement("label");
        label.htmlFor = radio.id;
        label.textContent = person.name;
        div.append(radio, " ", label);
        choices.append(div);
      });
      if (!data.people.length) {
        choices.append(note(words ? input.dataset.peopleNone + " “" + words + "”." : "Find the person first."));
      }
      if (data.more) choices.append(note("Only the first matches are shown: type more of the name."));
    }

    function search() {
      var words = input.value.trim();
      var mine = ++asked;
      var url = input.dataset.peopleSearch + "?q=" + encodeURIComponent(words);
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
  }

  document.querySelectorAll("[data-people-search]").forEach(enhance);
})();
