"""`make screenshots`: the README's pictures of the product, taken from the real thing.

Seeds a scratch demo database (a temporary SQLite file: your `var/` database is not
touched), starts the web server and the sandbox network on free ports, and has
Playwright (Debian's Chromium) sign in as the demo people and photograph:

- feed-phone.png          the employee's feed on a 390×844 phone
- composer-phone.png      the share composer on the same phone
- manager-dashboard.png   the manager's dashboard on a 1280 px laptop
- library.png             the curator's content library on a 1280 px laptop
- admin-home.png          the admin's home on the laptop
- campaign-form.png       the admin's new-campaign form on the laptop

`--root DIR --out DIR` photographs another checkout of Chorus (for instance an older
commit in a git worktree, with this venv) into another folder: docs/screenshots/before/
was taken that way (see docs/screenshots/README.md). A page that an older checkout does
not have is skipped with a message.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
PHONE_SHOTS = ["feed-phone.png", "composer-phone.png"]  # the feed, then its first Share
# (person, page, file, whole page) of the laptop pictures; the campaign form is taken whole,
# its lists of content and teams are below the fold
LAPTOP_SHOTS = [
    ("manager@acme.example", "/o/acme/analytics/", "manager-dashboard.png", False),
    ("curator@acme.example", "/o/acme/library/", "library.png", False),
    ("admin@acme.example", "/o/acme/", "admin-home.png", False),
    ("admin@acme.example", "/o/acme/campaigns/new/", "campaign-form.png", True),
]
PYTHON = sys.executable
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = os.environ.get("DEMO_PASSWORD", "chorus-demo-2026")
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 1000}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10):  # noqa: S310 (our own http URL)
                return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"{url} did not answer within {seconds:.0f} s") from None
            time.sleep(0.5)


def environment(scratch: Path, web_port: int, sandbox_port: int) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # a scratch demo: no shared database, cache or broker of the machine
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "SITE_URL"}
    }
    env.update(
        DATABASE_URL=f"sqlite:///{scratch / 'demo.sqlite3'}",
        MEDIA_ROOT=str(scratch / "media"),
        SITE_URL=f"http://127.0.0.1:{web_port}",
        SANDBOX_URL=f"http://127.0.0.1:{sandbox_port}",
        CELERY_TASK_ALWAYS_EAGER="true",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        DEMO_PASSWORD=PASSWORD,
    )
    return env


# Another checkout runs on this venv, whose editable install of Chorus points here: a module
# the other checkout lacks would be found in this one. Python loads sitecustomize after the
# .pth files, so this one drops the editable finder and only the other checkout is imported.
ONLY_THAT_CHECKOUT = """import sys
sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in getattr(f, "__module__", "")]
"""


def only_checkout(env: dict[str, str], scratch: Path) -> None:
    folder = scratch / "site"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(ONLY_THAT_CHECKOUT)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(folder), env.get("PYTHONPATH")]))


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def settle(page) -> None:
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1200)  # chart animations


def photograph(base_url: str, out: Path, only: set[str]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    taken = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )

        def context(viewport, phone: bool):
            ctx = browser.new_context(
                base_url=base_url,
                viewport=viewport,
                device_scale_factor=2 if phone else 1,
                is_mobile=phone,
                has_touch=phone,
                locale="en-US",
                service_workers="block",
            )
            ctx.set_default_timeout(120_000)
            return ctx

        if only & set(PHONE_SHOTS):
            employee = context(PHONE, True)
            page = employee.new_page()
            sign_in(page, "employee1@acme.example")
            page.goto("/o/acme/share/")
            settle(page)
            page.screenshot(path=out / "feed-phone.png")
            taken.append(out / "feed-phone.png")
            page.get_by_test_id("share-button").first.click()
            settle(page)
            page.screenshot(path=out / "composer-phone.png")
            taken.append(out / "composer-phone.png")
            employee.close()

        for email, path, name, whole in LAPTOP_SHOTS:
            if name not in only:
                continue
            laptop = context(LAPTOP, False)
            page = laptop.new_page()
            sign_in(page, email)
            response = page.goto(path)
            if response is None or response.status >= 400:
                print(f"  skipped {name}: {path} answered {response and response.status}")
                laptop.close()
                continue
            settle(page)
            page.screenshot(path=out / name, full_page=whole)
            taken.append(out / name)
            laptop.close()
        browser.close()
    return taken


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to photograph")
    parser.add_argument("--out", type=Path, default=OUT, help="where the pictures go")
    names = PHONE_SHOTS + [shot[2] for shot in LAPTOP_SHOTS]
    parser.add_argument("--only", nargs="+", choices=names, default=names, metavar="FILE")
    args = parser.parse_args()
    root, out = args.root.resolve(), args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Chromium not found at {CHROMIUM}; install Debian's chromium package")
    with ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="chorus-shots-")))
        web_port, sandbox_port = free_port(), free_port()
        env = environment(scratch, web_port, sandbox_port)
        if root != ROOT:
            only_checkout(env, scratch)
        manage = [PYTHON, "manage.py"]
        print("seeding a scratch demo database …", flush=True)
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=root, env=env, check=True)  # noqa: S603
        subprocess.run(  # noqa: S603 (fixed commands of this repository)
            [*manage, "seed_demo"], cwd=root, env=env, check=True, stdout=subprocess.DEVNULL
        )
        servers = [
            [PYTHON, "-m", "social.sandbox", "--host", "127.0.0.1", "--port", str(sandbox_port)],
            [*manage, "runserver", f"127.0.0.1:{web_port}", "--noreload"],
        ]
        for command in servers:
            process = subprocess.Popen(  # noqa: S603
                command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            stack.callback(process.wait, 30)
            stack.callback(process.terminate)
        wait_for(f"http://127.0.0.1:{web_port}/healthz")
        for path in photograph(f"http://127.0.0.1:{web_port}", out, set(args.only)):
            print(f"  {path}")


if __name__ == "__main__":
    main()
