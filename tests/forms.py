"""Read a rendered form back as the browser would send it: what a person sees is what a test posts."""

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.current, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = []
            self.forms.append(self.current)
        elif self.current is None:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                self.current.append((attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self.select = attrs.get("name")
        elif tag == "option" and self.select and "selected" in attrs:
            self.current.append((self.select, attrs.get("value", "")))
        elif tag == "textarea":
            self.textarea = [attrs.get("name"), ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            if self.current is not None:
                self.current.append((self.textarea[0], self.textarea[1].removeprefix("\n")))
            self.textarea = None


def form_data(response, containing="version"):
    """The fields of the page's form that has a field ``containing``: {name: value or [values]}."""
    parser = _Forms()
    parser.feed(response.content.decode())
    for pairs in parser.forms:
        if any(name == containing for name, _ in pairs):
            data = {}
            for name, value in pairs:
                if name in data:
                    data[name] = [*data[name], value] if isinstance(data[name], list) else [data[name], value]
                else:
                    data[name] = value
            return data
    raise AssertionError(f"no form with a field {containing!r}")
