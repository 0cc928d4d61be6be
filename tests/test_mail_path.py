"""One path for mail: the outbox (meetings/mail.py) is the only code that talks to the mail server, so
that every mail is stored, sent by a task and, when it fails, shown to the office and sent again."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["register", "analysis", "matching", "meetings", "importing", "needs", "inquiries", "portal", "workspace", "api"]
OUTBOX = ROOT / "meetings" / "mail.py"


def mail_imports(path):
    """The lines of ``path`` that import Django's mail sending."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            names = {alias.name for alias in node.names}
        else:
            continue
        if any(name == "django.core.mail" or name.startswith("django.core.mail.") for name in names):
            found.append(node.lineno)
    return found


def test_only_the_outbox_sends_mail():
    offenders = {
        str(path.relative_to(ROOT)): lines
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if path != OUTBOX and (lines := mail_imports(path))
    }
    assert offenders == {}
    assert mail_imports(OUTBOX)  # the check looks at the right thing
