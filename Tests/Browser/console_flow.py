#!/usr/bin/env python3
"""The operator console in a real browser (Debian's chromium + chromedriver through Selenium),
against a running fleet with dead flat-lay jobs. Run by ExclusiveConsoleBrowserTests:

  console_flow.py --base-url URL --out DIR --operator NAME:PASSWORD --watcher NAME:PASSWORD
                  --shop EMAIL:PASSWORD --shop-key KEY --error-class C --stage S --expect N
                  --cancel-product ID

`--operator` may act; `--watcher` is read-only; `--shop` is a builder user and `--shop-key` a
shop API key, neither of which may sign in. N dead letters match the class and stage, more
than one page of them. The product ID waits for its selection: its page shows its designs'
thumbnails (the candidates not chosen marked inactive), and the operator cancels it there.
The overview shows every work queue's broker readings, and the scaling page the plan per
worker kind with why scale-in is or is not allowed. Prints one JSON object on stdout: {"ok": bool, "checks": {name: {"ok":
bool, "detail": str}}}; exits 0 when every check passed. Waits for conditions
(WebDriverWait), never for fixed times.
"""
import argparse
import base64
import json
import os
import shutil
import sys
import tempfile
import traceback

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

checks = {}


def check(name, ok, detail=""):
    checks[name] = {"ok": bool(ok), "detail": str(detail)[:2000]}
    print(f"check {name}: {'ok' if ok else 'FAILED'} {detail if not ok else ''}", file=sys.stderr, flush=True)
    return ok


def browser(profile):
    options = webdriver.ChromeOptions()
    for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
                 "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
                 "--window-size=1440,900", "--disable-gpu"]:
        options.add_argument(flag)
    options.binary_location = "/usr/lib/chromium/chromium"
    driver = webdriver.Chrome(service=Service(executable_path=os.environ.get("SE_CHROMEDRIVER", "/usr/bin/chromedriver")),
                              options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    return driver


def wait(driver, seconds=240):
    return WebDriverWait(driver, seconds, poll_frequency=0.1)


def shot(driver, out, name):
    path = os.path.join(out, name + ".png")
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    data = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}})
    with open(path, "wb") as f:
        f.write(base64.b64decode(data["data"]))
    return path


def text_of(driver, selector):
    return driver.execute_script("const e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : ''", selector)


def sign_in(driver, base, name, password):
    driver.get(base + "/sign-in")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "#sign-in button[type=submit]").click()


def post_without_token(driver, path, body):
    """A same-origin POST carrying the session cookie but no CSRF token: its status."""
    return driver.execute_script("""
        return fetch(arguments[0], {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'},
                                    body: arguments[1], redirect: 'manual'}).then(r => r.status);""", path, body)


def main():
    parser = argparse.ArgumentParser()
    for name in ["--base-url", "--out", "--operator", "--watcher", "--shop", "--shop-key", "--error-class", "--stage", "--cancel-product"]:
        parser.add_argument(name, required=True)
    parser.add_argument("--expect", type=int, required=True)
    args = parser.parse_args()
    base = args.base_url.rstrip("/")
    os.makedirs(args.out, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="itp-chrome-console-")
    driver = None
    try:
        driver = browser(profile)
        # Not signed in: the list sends the browser to sign-in.
        driver.get(base + "/dead-letters")
        check("signed_out_redirects_to_sign_in", "/sign-in" in driver.current_url, driver.current_url)

        # A shop user's e-mail and password, or a shop's API key, sign nobody in.
        email, shop_password = args.shop.split(":", 1)
        sign_in(driver, base, email, shop_password)
        wait(driver, 30).until(lambda d: text_of(d, "#flash") != "")
        check("shop_user_cannot_sign_in", "/sign-in" in driver.current_url and driver.get_cookie("itp_console_session") is None,
              text_of(driver, "#flash"))
        sign_in(driver, base, "shop", args.shop_key)
        wait(driver, 30).until(lambda d: text_of(d, "#flash") != "")
        check("shop_key_cannot_sign_in", driver.get_cookie("itp_console_session") is None, text_of(driver, "#flash"))

        # A read-only operator sees the list but is offered no action, and is refused one.
        watcher, watcher_password = args.watcher.split(":", 1)
        sign_in(driver, base, watcher, watcher_password)
        wait(driver, 30).until(lambda d: d.find_elements(By.ID, "who"))
        driver.get(base + "/dead-letters")
        check("read_only_sees_the_list", text_of(driver, "#matching") != "" and not driver.find_elements(By.ID, "replay"),
              text_of(driver, "#who"))
        token = driver.find_element(By.CSS_SELECTOR, "input[name=csrf_token]").get_attribute("value")
        status = driver.execute_script("""
            return fetch('/dead-letters/replay', {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'},
                body: 'scope=matching&csrf_token=' + encodeURIComponent(arguments[0]), redirect: 'manual'}).then(r => r.status);""", token)
        check("read_only_action_refused", status == 403, status)
        driver.find_element(By.CSS_SELECTOR, "header form button").click()
        wait(driver, 30).until(lambda d: "/sign-in" in d.current_url)

        # The operator signs in (HttpOnly, SameSite=Strict cookie).
        name, password = args.operator.split(":", 1)
        sign_in(driver, base, name, password)
        wait(driver, 30).until(lambda d: d.find_elements(By.ID, "who"))
        cookie = driver.get_cookie("itp_console_session") or {}
        check("operator_session_cookie_httponly_strict", cookie.get("httpOnly") and cookie.get("sameSite") == "Strict", cookie)
        check("overview_has_chart", driver.find_elements(By.CSS_SELECTOR, "svg.chart"), driver.current_url)
        queues = text_of(driver, "#queues")
        check("overview_shows_broker_readings", "mockup.flat_lay" in queues and "consumers" in queues
              and not driver.find_elements(By.ID, "broker-problem"), queues[:400])
        shot(driver, args.out, "console-overview")

        # An action without the CSRF token is refused.
        check("action_without_csrf_refused", post_without_token(driver, "/dead-letters/replay", "scope=matching") == 403)

        # Filter by error class and stage (the form, as a person would).
        driver.get(base + "/dead-letters")
        Select(driver.find_element(By.ID, "error_class")).select_by_value(args.error_class)
        driver.find_element(By.ID, "stage").send_keys(args.stage)
        driver.find_element(By.ID, "apply-filters").click()
        wait(driver, 30).until(lambda d: "stage=" in d.current_url)
        matching = text_of(driver, "#matching")
        check("filter_counts_all_matching", matching == str(args.expect), f"{matching} != {args.expect} at {driver.current_url}")
        rows = driver.find_elements(By.CSS_SELECTOR, "#dead-letters tbody tr")
        check("list_is_paged", 0 < len(rows) < args.expect and driver.find_elements(By.ID, "next-page"), len(rows))
        shot(driver, args.out, "console-dead-letters")

        # Select all N that match (every page), then the dry run.
        driver.find_element(By.ID, "select-all").click()
        driver.find_element(By.ID, "replay").click()
        wait(driver).until(lambda d: d.find_elements(By.ID, "dry-run"))
        will = text_of(driver, "#will-replay")
        check("dry_run_counts_every_page", will == str(args.expect), f"will replay {will}, skip {text_of(driver, '#will-skip')}, "
              f"refuse {text_of(driver, '#will-refuse')}")
        shot(driver, args.out, "console-replay-dry-run")
        rate = driver.find_element(By.ID, "rate")
        rate.clear()
        rate.send_keys("2")
        driver.find_element(By.ID, "confirm").click()

        # Progress while it runs, then the per-item result table.
        wait(driver, 30).until(lambda d: "/actions/" in d.current_url)
        check("progress_bar_shown", driver.find_elements(By.ID, "progress"), driver.current_url)
        action_url = driver.current_url
        wait(driver).until(lambda d: text_of(d, "#state") == "done")
        replayed = len(driver.find_elements(By.CSS_SELECTOR, "#items tr.replayed"))
        check("every_item_replayed", replayed == args.expect and text_of(driver, "#succeeded") == str(args.expect),
              f"{replayed} rows; {text_of(driver, '#counts')}")
        shot(driver, args.out, "console-replay-result")

        # The audit page shows the action, by whom.
        driver.get(base + "/audit")
        audit = text_of(driver, "#audit")
        check("audit_shows_the_replay", "dlq.replay" in audit and name in audit and action_url.rsplit("/", 1)[1] in audit, audit[:400])
        shot(driver, args.out, "console-audit")

        # The scaling page: the plan per worker kind, its readings, why scale-in is or is not allowed.
        driver.get(base + "/scaling")
        kinds = driver.find_elements(By.CSS_SELECTOR, "section.scale")
        verdicts = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "dd.scale-in")]
        check("scaling_page_plans_every_worker_kind", len(kinds) == 3 and len(verdicts) == 3
              and all(v.startswith(("Allowed now", "Not allowed now", "Not asked for")) for v in verdicts),
              f"{len(kinds)} kinds: {verdicts}")
        shot(driver, args.out, "console-scaling")

        # A product's page: thumbnails of its designs (inactive ones marked), then cancel it.
        driver.get(base + "/products/" + args.cancel_product)
        # The first request for each thumbnail renders it (a 3543-pixel DTF file decoded and resampled:
        # seconds each in a debug build on a loaded machine): the default wait.
        wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, "img.thumb") and d.execute_script(
            "return [...document.querySelectorAll('img.thumb')].every(i => i.complete && i.naturalWidth > 0)"))
        thumbs = len(driver.find_elements(By.CSS_SELECTOR, "img.thumb"))
        inactive = len(driver.find_elements(By.CSS_SELECTOR, "#assets tr.inactive .badge.inactive"))
        check("product_page_shows_thumbnails", thumbs > 0, f"{thumbs} thumbnails")
        check("product_page_marks_inactive_assets", inactive > 0, f"{inactive} inactive rows")
        shot(driver, args.out, "console-product")
        check("cancel_without_csrf_refused",
              post_without_token(driver, "/products/" + args.cancel_product + "/cancel", "confirm=1") == 403)
        driver.find_element(By.ID, "cancel-confirm").click()
        driver.find_element(By.ID, "cancel-product").click()
        wait(driver, 30).until(lambda d: text_of(d, "#notice") != "")
        check("product_cancelled", text_of(driver, "#status") == "cancelled" and text_of(driver, "#notice").startswith("Cancelled:"),
              f"{text_of(driver, '#status')}: {text_of(driver, '#notice')}")
        shot(driver, args.out, "console-product-cancelled")
    except Exception as error:
        check("flow_completed", False, "".join(traceback.format_exception(error))[-1500:])
        if driver is not None:
            try:
                shot(driver, args.out, "failure")
                with open(os.path.join(args.out, "failure.html"), "w") as f:
                    f.write(driver.page_source)
            except Exception:
                pass
    finally:
        if driver is not None:
            try:
                driver.quit()
            except Exception:
                pass
        shutil.rmtree(profile, ignore_errors=True)
    ok = bool(checks) and all(c["ok"] for c in checks.values())
    print(json.dumps({"ok": ok, "checks": checks}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
