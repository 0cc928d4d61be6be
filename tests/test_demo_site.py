"""What `make run` serves on a fresh clone: the seven networks and every entry of the county's page."""

import html
import re

from django.core.management import call_command

from importing.curated import SEED_PATH
from importing.page import parse
from register.models import Network


def visible_text(response):
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


def test_make_run_steps_on_an_empty_database(db, capsys, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("load_demo", "--if-empty")
    call_command("ensure_local_admin")
    output = capsys.readouterr().out
    assert "Local admin login: admin / " in output
    call_command("load_demo", "--if-empty")  # a second start keeps the data
    assert "already holds data" in capsys.readouterr().out
    assert Network.objects.count() == 7


def test_home_lists_the_seven_networks(demo, client):
    text = visible_text(client.get("/"))
    for network in Network.objects.all():
        assert network.name in text


def test_every_list_line_is_on_its_network_page(demo, client):
    from importing.decisions import load

    # Entries the office decided are one actor show under the name kept (the other is its alias).
    kept = {decision["merge"]: decision["keep"] for decision in load()["same"]}
    page = parse(SEED_PATH.read_bytes())
    checked = 0
    for section in page.sections:
        text = visible_text(client.get(Network.objects.get(name=section.heading).get_absolute_url()))
        for page_list in section.lists:
            for item in page_list.items:
                # Units appear under their organisation: every part of the entry is on the page.
                for part in item.text.split(" - "):
                    assert kept.get(part, part) in text, f"{section.heading}: {item.text}"
                checked += 1
    assert checked == 72


def test_network_page_in_english_keeps_german_content(demo, client):
    response = client.get("/en" + Network.objects.get(short_name="KAB").get_absolute_url())
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()
    assert "Kreisausländerbeirat im LaDaDi" in visible_text(response)
