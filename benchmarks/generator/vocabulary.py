"""The words generated tickets are made of: names, products, subject and text templates.

Templates are ``str.format`` strings whose fields (``{order}``, ``{product}``) are
filled per row by :class:`benchmarks.generator.text.Slots`; each table pairs a
template with its relative weight.
"""

from __future__ import annotations

from typing import Final

FIRST_NAMES: Final = (
    "Anna", "Ben", "Chloé", "David", "Elena", "Farid", "Grace", "Hiro", "Ingrid",
    "José", "Kara", "Lukas", "Maya", "Nils", "Olga", "Pedro", "Quinn", "Rosa",
    "Sam", "Tomás", "Uma", "Victor", "Wen", "Yusuf", "Zoë",
)  # fmt: skip
LAST_NAMES: Final = (
    "Adams", "Berg", "Chen", "Dubois", "Evans", "Fischer", "García", "Hansen",
    "Ito", "Jensen", "Kowalski", "Lopez", "Müller", "Novak", "O'Neill", "Patel",
    "Rossi", "Schmidt", "Tanaka", "Urban", "Virtanen", "Weber", "Yilmaz",
)  # fmt: skip
CONTACT_NAMES: Final = (
    "Renée Dubois", "Jürgen Müller", "José García", "Zoë Clarke", "Søren Nielsen",
    "Ana Lúcia Souza", "山田 太郎", "Priya Sharma", "John Smith", "Maria Rossi",
    "Wei Zhang", "Fatima Khan", "Liam O'Brien", "Chloé Martin", "Emma Johnson",
    "Noah Williams", "Olivia Brown", "Łukasz Nowak", "Aiko Tanaka", "Mehmet Yılmaz",
    "Sarah Miller", "Tom Becker", "Lucía Fernández", "Kevin Wright", "Nina Petrov",
)  # fmt: skip
PRODUCTS: Final = (
    "Mobile app", "Web portal", "CloudSync", "PayFlow", "Billing portal",
    "Acme Router X200", "SmartHub Mini", "Desktop client", "API v2", "VPN client",
    "Label printer LP-40", "Thermostat T3", "DataVault", "MailPilot", "TimeTrack",
    "Café POS", "Müller Scale Pro", "日本語 keyboard", "Widget Pro 3", "Reports module",
    "Team calendar", "Inventory sync", "Smart lock S2", "Webhooks", "Android app",
    "iOS app", "Analytics dashboard", "Backup agent", "Checkout page", "Gift cards",
    "Loyalty program", "Shipping labels", "SSO connector", "Tablet stand",
    "Barcode scanner BS-7", "Sensor kit", "Voice assistant", "Photo uploader",
    "Customer portal", "Print server",
)  # fmt: skip
SITES: Final = (
    "Berlin", "München", "São Paulo", "Zürich", "Tokyo (日本)", "Lyon", "Austin",
    "Toronto", "Kraków", "Malmö", "Dublin", "Madrid",
)  # fmt: skip
FEATURES: Final = (
    "dark mode", "bulk export", "SSO login", "two-factor auth", "CSV import",
    "custom fields", "offline mode", "API rate limits", "audit log", "webhook retries",
    "shared inbox", "saved filters", "multi-currency", "PDF invoices", "Slack alerts",
)  # fmt: skip
HTTP_CODES: Final = ("400", "401", "403", "404", "408", "429", "500", "502", "503")
ERROR_NAMES: Final = (
    "TIMEOUT", "SSL_PROTOCOL", "CONNECTION_RESET", "QUOTA_EXCEEDED", "AUTH_FAILED",
)  # fmt: skip

#: Error message templates ({n4}: four digits).
ERROR_TEMPLATES: Final = ("E{n4}", "HTTP {http}", "ERR_{errname}", "0x8007{n4}")
#: Subject prefixes (reply/forward chains) and their weights.
SUBJECT_PREFIXES: Final = (
    ("", 0.74), ("Re: ", 0.13), ("RE: ", 0.04), ("Fwd: ", 0.05), ("FW: ", 0.02),
    ("Re: Re: ", 0.02),
)  # fmt: skip
SUBJECT_SUFFIXES: Final = (
    ("", 0.88), (" (2nd request)", 0.03), (" [URGENT]", 0.03),
    (" - please help", 0.03), ("!!", 0.03),
)  # fmt: skip
#: Subject bodies: most carry a number, so subjects are mostly distinct.
SUBJECT_BODIES: Final = (
    ("Order {order} not delivered", 6.0),
    ("Where is my order {order_hash}?", 4.0),
    ("Refund request for order {order}", 5.0),
    ("Shipping address change, order {order}", 3.0),
    ("Damaged {product} in order {order}, need replacement", 3.0),
    ("Wrong item in order {order_hash}", 2.0),
    ("Return label for order {order} not working", 2.0),
    ("{product} not working after update to {version}", 5.0),
    ("{product} is very slow since {version}", 2.5),
    ("{product}: error {error} when saving", 5.0),
    ('"{error}" on checkout, order {order_hash}', 2.0),
    ("Cannot log in to {product} ({case})", 4.0),
    ("Invoice {invoice} - wrong amount", 4.0),
    ("Invoice {invoice}, charged twice", 3.0),
    ("Charged €{amount} twice for {product}", 2.0),
    ("Question about {product} subscription, account {case}", 3.0),
    ("Billing issue, ref {ref}", 3.0),
    ("Ticket {ref}: follow-up", 4.0),
    ("Callback request from {name} (case {case})", 3.0),
    ("{site} office cannot reach {product}", 1.5),
    ("{product} – feature request: {feature}", 1.5),
    ("Data export incomplete for account {case}", 2.0),
    ("Upgrade {product} licence for {name}", 1.0),
    ("Password reset not received", 1.5),
    ("Account locked", 1.0),
    ("Cancel my subscription", 1.0),
)
DESC_OPENINGS: Final = (
    ("", 0.55), ("Hi team, ", 0.1), ("Hello, ", 0.1), ("Hi support, ", 0.07),
    ("Good morning, ", 0.05), ("Dear support team, ", 0.05), ("Hi there, ", 0.05),
    ("Hello again, ", 0.03),
)  # fmt: skip
DESC_BODIES: Final = (
    ("I placed order {order} on the website but it still shows as processing.", 3.0),
    ("Since the last update {product} crashes as soon as I open the settings.", 3.0),
    ('The app shows "{error}" when I try to save my changes, every single time.', 2),
    ("I was charged twice for invoice {invoice}, please refund one payment.", 2.0),
    ("Our team in {site} cannot connect to {product}; the login page reloads.", 2.0),
    ("The {product} I received is damaged, the box was open and a cable missing.", 2),
    ("I need to change the delivery address for order {order} before it ships.", 2),
    ("Password reset emails never arrive, I checked spam and the address is right.", 2),
    ("Export from {product} stops at 10,000 rows. Is there a limit on our plan?", 1.5),
    ("Reference {ref}: the problem came back after the fix you shipped last week.", 2),
    ("Please cancel my {product} subscription at the end of the billing period.", 1.5),
    ("The API returns {error} when a name contains accents, e.g. Müller or José.", 1),
    ('Your colleague said "it will be fixed tomorrow" but nothing has changed.', 1.5),
    ("We were billed €{amount} for {product} although we downgraded last month.", 1.5),
    ("Order {order_hash} arrived with the wrong item, I ordered the {product}.", 2.0),
    ("{product} is extremely slow since {version}, pages take 20 seconds to load.", 2),
    ("Could you add {feature} to {product}? We need it for our audit in {site}.", 1.0),
    ("Account {case} is locked after three failed logins, I cannot reset it.", 1.5),
    ("The invoice {invoice} lists 12 seats, we only have 9 active users.", 1.0),
    ("Tracking for order {order} has not updated for a week, where is it?", 2.0),
)
DESC_DETAILS: Final = (
    ("", 0.5), (" This is blocking our whole team.", 0.06),
    (" I already tried restarting and reinstalling, no luck.", 0.07),
    (" Screenshots attached.", 0.07), (" It worked fine until {version}.", 0.06),
    (" Our account number is {case}.", 0.05),
    (" About 40 users are affected, mostly in {site}.", 0.04),
    (' The error says "{error}", nothing else.', 0.04),
    (" Same thing on Chrome and Firefox.", 0.05),
    (" Happened again this morning at 9:15.", 0.06),
)  # fmt: skip
DESC_CLOSINGS: Final = (
    ("", 0.45), (" Thanks.", 0.12), (" Thanks in advance!", 0.1),
    (" Please advise.", 0.08), (" Regards, {name}", 0.1), (" Cheers", 0.04),
    (" Thank you for your help.", 0.06), (" Please call me back asap.", 0.035),
    # Line breaks inside the quoted field (a small share of all descriptions).
    ("\n\nThanks,\n{name}", 0.008),
    ("\nSteps:\n1. Open {product}\n2. Click Save\n3. Error appears", 0.004),
    ("\n\n--\n{name}\n{site} office", 0.003),
)  # fmt: skip
