from django.http import Http404
from django.urls import path

app_name = "reports"


def _todo(request):  # replaced by the reports views
    raise Http404


urlpatterns = [path("", _todo, name="index")]
