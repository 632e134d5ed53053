// The admin's periodic task form (django-celery-beat): show the chosen crontab in words under the field.
"use strict";
{
  const $ = django.jQuery;
  const readableCrontabs = JSON.parse(document.getElementById("readable-crontabs").textContent);
  const originalCrontabHelp = document.getElementById("periodic-task-overrides").dataset.crontabHelp;

  $(".field-crontab_translation").hide();
  $(".field-crontab").change(function () {
    const help = $(".field-crontab .help");
    help.text(originalCrontabHelp);
    help.append("<br>", document.createTextNode("Translation: " + readableCrontabs[$("#id_crontab").val()]));
  });
}
