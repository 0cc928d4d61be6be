"""Downloads of the public register (``importing.open_data``) as CSV for Excel in Germany and as XLSX.

URL names for links (the "Offene Daten" page): ``api:open_data`` with the dataset and the format,
e.g. ``{% url 'api:open_data' 'netzwerke' 'csv' %}`` → ``/daten/netzwerke.csv``. Datasets:
``netzwerke`` (networks with their facts), ``organisationen``, ``mitgliedschaften``; formats ``csv``
and ``xlsx``. Public, without sign-in, with CORS like the other interfaces, served from the page cache.
"""

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from importing.open_data import DATASETS
from register.guards import public
from register.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_bytes, xlsx_bytes


@public
@require_safe
def download(request, dataset, fmt):
    if dataset not in DATASETS:
        raise Http404
    sheet = DATASETS[dataset].build()
    if fmt == "csv":
        content, content_type = csv_bytes(sheet.headers, sheet.rows), CSV_CONTENT_TYPE
    else:
        content, content_type = xlsx_bytes([sheet]), XLSX_CONTENT_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="vernetzt-{dataset}-{timezone.localdate():%Y-%m-%d}.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
