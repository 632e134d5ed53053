// The raise form (templates/cases/raise.html), enhanced; everything works without it.
(function () {
  var form = document.querySelector("form [name=subject_kind]");
  form = form && form.form;
  if (!form) return;

  // 1. Fields that belong to one kind of concern (or to "Other" platform) are shown only for it: fewer
  // stops for the keyboard, and no field that does not apply.
  function chosen(name) {
    var field = form.elements[name]; // a select, or the radios (a RadioNodeList: the checked one's value)
    return field ? field.value : "";
  }
  var dependants = Array.prototype.slice.call(form.querySelectorAll("[data-shown-when]"));
  function showDependants() {
    dependants.forEach(function (part) {
      var value = chosen(part.dataset.shownWhen);
      var shown = part.dataset.shownFor.split(" ").indexOf(value) !== -1;
      // A field with an error stays in view, whatever is chosen.
      part.hidden = !shown && !part.querySelector(".field-error");
    });
  }
  form.addEventListener("change", showDependants);
  showDependants();

  // 2. Clauses suggested from the description as it is typed: the same sum as cases/clause_suggestions.py,
  // from the words the server put on each checkbox (data-words).
  var description = form.elements.description;
  var place = document.getElementById("clause-suggestions");
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=clauses][data-words]"));
  if (!description || !place || !boxes.length) return;
  var STEM = 6, SHORTEST = 4, SUGGESTED = 5;
  var clauseWords = boxes.map(function (box) {
    return box.dataset.words.split(" ").filter(Boolean);
  });
  var frequency = {};
  clauseWords.forEach(function (words) {
    words.forEach(function (word) { frequency[word] = (frequency[word] || 0) + 1; });
  });
  function stems(text) {
    var found = {};
    (text.toLowerCase().match(/[a-z]+/g) || []).forEach(function (word) {
      if (word.length >= SHORTEST) found[word.slice(0, STEM)] = true;
    });
    return found;
  }
  function suggest() {
    var words = stems(description.value);
    var scored = [];
    clauseWords.forEach(function (clause, position) {
      var score = 0;
      clause.forEach(function (word) {
        if (words[word]) score += Math.log((1 + boxes.length) / frequency[word]);
      });
      if (score > 0) scored.push({ score: score, position: position });
    });
    scored.sort(function (a, b) { return b.score - a.score || a.position - b.position; });
    place.textContent = "";
    if (!scored.length) return;
    var line = document.createElement("p");
    line.appendChild(document.createTextNode("Suggested from what you wrote (choose any that apply): "));
    scored.slice(0, SUGGESTED).forEach(function (item, index) {
      var box = boxes[item.position];
      var label = document.createElement("label");
      label.htmlFor = box.id;
      label.className = "suggestion";
      label.textContent = box.parentNode.querySelector("label").textContent.split(" ")[0];
      if (index) line.appendChild(document.createTextNode(", "));
      line.appendChild(label);
    });
    place.appendChild(line);
  }
  var waiting = null;
  description.addEventListener("input", function () {
    clearTimeout(waiting);
    waiting = setTimeout(suggest, 400);
  });
})();
