#!/usr/bin/env python3
"""The builder in a real browser (Debian's chromium + chromedriver through Selenium), against a
running fleet. Run by ExclusiveBuilderBrowserTests, which starts the fleet and the users:

  builder_flow.py --base-url URL --out DIR --user-a EMAIL:PASSWORD --user-b EMAIL:PASSWORD

User A's shop has credits; user B's shop has none. Prints one JSON object on stdout:
{"ok": bool, "checks": {name: {"ok": bool, "detail": str}}, "product": id}; exits 0 when every
check passed. Waits for conditions (WebDriverWait), never for fixed times; one overall deadline.
"""
import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import time
import traceback

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
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


def wait(driver, seconds=480):
    """Fleet work (designs, mockups) in a debug build on a busy 2-core machine can take minutes:
    the bound only ends a failed run; a passing one waits exactly as long as the work takes."""
    return WebDriverWait(driver, seconds, poll_frequency=0.1)


def shot(driver, out, name):
    """A full-page screenshot under the test's scratch directory."""
    path = os.path.join(out, name + ".png")
    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = metrics["cssContentSize"]
    data = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}})
    import base64
    with open(path, "wb") as f:
        f.write(base64.b64decode(data["data"]))
    return path


def sign_in(driver, base, credentials):
    email, password = credentials.split(":", 1)
    driver.get(base + "/ui/sign-in")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "#sign-in button[type=submit]").click()
    wait(driver, 30).until(lambda d: "/ui/products" in d.current_url)


def fetch_json(driver, path):
    """A GET with the session cookie, from the page (the API accepts the cookie for reads)."""
    return driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch(arguments[0], {credentials: 'same-origin'}).then(async r => done({status: r.status, body: await r.text()}))
          .catch(e => done({status: 0, body: String(e)}));""", path)


def status_of(driver):
    """Read in one script call: the live region may be swapped between a find and a read."""
    return driver.execute_script("const e = document.getElementById('status'); return e ? e.dataset.status : null")


def count(driver, selector):
    return driver.execute_script("return document.querySelectorAll(arguments[0]).length", selector)


def text_of(driver, selector):
    return driver.execute_script("const e = document.querySelector(arguments[0]); return e ? e.textContent : ''", selector)


def no_horizontal_overflow(driver):
    return driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")


def keep_failure(drivers, out):
    """After a failed check: every browser's screenshot and page source, for whoever reads the test log."""
    for index, driver in enumerate(drivers):
        try:
            shot(driver, out, f"failure-{index}")
            with open(os.path.join(out, f"failure-{index}.html"), "w") as f:
                f.write(driver.page_source)
        except Exception:
            pass


def close(drivers, profiles):
    """Quits every browser and removes its profile directory."""
    for driver in drivers:
        try:
            driver.quit()
        except Exception:
            pass
    for profile in profiles:
        shutil.rmtree(profile, ignore_errors=True)


def report(**extra):
    """Prints the checks as one JSON object; the exit status: 0 when every check passed."""
    ok = bool(checks) and all(c["ok"] for c in checks.values())
    print(json.dumps({"ok": ok, "checks": checks, **extra}))
    return 0 if ok else 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--user-a", required=True)
    parser.add_argument("--user-b", required=True)
    args = parser.parse_args()
    base = args.base_url.rstrip("/")
    os.makedirs(args.out, exist_ok=True)
    profile_a, profile_b = tempfile.mkdtemp(prefix="itp-chrome-a-"), tempfile.mkdtemp(prefix="itp-chrome-b-")
    product = None
    drivers = []
    try:
        a = browser(profile_a)
        drivers.append(a)

        # Not signed in: a page sends the browser to sign-in.
        a.get(base + "/ui/products")
        check("signed_out_redirects_to_sign_in", "/ui/sign-in" in a.current_url, a.current_url)
        sign_in(a, base, args.user_a)
        cookie = a.get_cookie("itp_session") or {}
        check("session_cookie_httponly_strict", cookie.get("httpOnly") and cookie.get("sameSite") == "Strict", cookie)

        # New product: garment swatches from the catalogue, cost and balance shown.
        a.get(base + "/ui/products/new")
        cost = a.find_element(By.ID, "cost").text
        check("new_product_shows_cost_and_balance", "costs" in cost and "balance" in cost.lower(), cost)
        swatches = a.find_elements(By.CSS_SELECTOR, "input[name=garment]")
        check("garment_swatches_from_catalogue", len(swatches) >= 3, len(swatches))
        a.find_element(By.ID, "prompt").send_keys("a fox in a lighthouse, bold lines")
        a.find_element(By.CSS_SELECTOR, "input[name=garment][value='tshirt:white']").click()
        candidates = a.find_element(By.ID, "candidates")
        candidates.clear()
        candidates.send_keys("1")
        a.find_element(By.CSS_SELECTOR, "#new-product button[type=submit]").click()
        wait(a, 30).until(lambda d: re.search(r"/ui/products/[0-9a-f-]{36}$", d.current_url))
        product = a.current_url.rsplit("/", 1)[1]

        # Live progress: the candidates appear without a reload (a marker set now survives).
        a.execute_script("window.__itpNoReload = true;")
        wait(a).until(lambda d: status_of(d) == "awaiting_selection")
        wait(a, 30).until(lambda d: count(d, ".candidate") == 1)
        check("candidates_live_without_reload", a.execute_script("return window.__itpNoReload === true"))
        variants = [e.get_attribute("data-variant") for e in a.find_elements(By.CSS_SELECTOR, "button.select")]
        check("candidate_variants_shown", sorted(set(variants)) == ["background_removed", "dtf", "original"], variants)
        check("dtf_on_checkerboard", len(a.find_elements(By.CSS_SELECTOR, "figure.checker img")) >= 2)
        alts = [e.get_attribute("alt") for e in a.find_elements(By.TAG_NAME, "img")]
        check("every_image_has_alt", all(alt and len(alt) > 5 for alt in alts), alts)

        # Regenerate with feedback: a new iteration, the feedback visible in the history.
        a.find_element(By.ID, "feedback").send_keys("make the fox orange")
        a.find_element(By.CSS_SELECTOR, "#regenerate button[type=submit]").click()
        wait(a).until(lambda d: status_of(d) == "awaiting_selection" and "iteration 2" in text_of(d, ".status-line"))
        wait(a, 30).until(lambda d: count(d, ".candidate") == 1)
        history = a.find_element(By.CSS_SELECTOR, ".history").text
        check("feedback_in_iteration_history", "make the fox orange" in history and "Iteration 2" in history, history)

        # Keyboard only: TAB to the first Select button, ENTER.
        a.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);")
        a.find_element(By.TAG_NAME, "body").click()
        reached = False
        for _ in range(120):
            ActionChains(a).send_keys(Keys.TAB).perform()
            if a.execute_script("return document.activeElement && document.activeElement.matches('button.select')"):
                reached = True
                break
        chosen = a.execute_script(
            "return document.activeElement.form.querySelector('input[name=asset_id]').value") if reached else None
        check("keyboard_reaches_select", reached)
        if reached:
            ActionChains(a).send_keys(Keys.ENTER).perform()
        wait(a, 30).until(lambda d: status_of(d) in ("generating_mockups", "ready_for_sale"))
        check("keyboard_selection_submitted", status_of(a) in ("generating_mockups", "ready_for_sale"), status_of(a))

        # Live mockup progress, then the gallery of exactly three, in order.
        a.execute_script("window.__itpNoReload = true;")
        wait(a).until(lambda d: status_of(d) == "ready_for_sale")
        wait(a, 30).until(lambda d: count(d, "#gallery .slot[data-status=ready] img") == 3)
        check("mockups_live_without_reload", a.execute_script("return window.__itpNoReload === true"))
        slots = [e.get_attribute("data-slot") for e in a.find_elements(By.CSS_SELECTOR, "#gallery .slot")]
        check("gallery_exactly_three_in_order", slots == ["design", "flat_lay", "mr_imagine"], slots)
        gallery = json.loads(fetch_json(a, f"/v1/products/{product}/gallery")["body"])
        gallery_ids = {s.get("asset_id") for s in gallery["slots"]}
        shown_ids = [e.get_attribute("data-asset-id") for e in a.find_elements(By.CSS_SELECTOR, "#gallery img")]
        check("gallery_is_the_display_list", shown_ids == [s.get("asset_id") for s in gallery["slots"]], (shown_ids, gallery))
        check("selected_design_in_gallery", chosen == shown_ids[0], (chosen, shown_ids))
        designs = json.loads(fetch_json(a, f"/v1/products/{product}/designs?iteration=all")["body"])
        all_ids = {v["asset_id"] for c in designs["candidates"] for v in c["variants"]} | gallery_ids
        in_dom = set(UUID.findall(a.page_source)) - {product}
        check("no_other_asset_in_dom", in_dom <= gallery_ids and not (in_dom & (all_ids - gallery_ids)), in_dom - gallery_ids)
        sizes = a.execute_script("""return performance.getEntriesByType('resource')
            .filter(e => e.initiatorType === 'img').map(e => [e.name, e.transferSize, e.encodedBodySize]);""")
        check("gallery_images_at_display_size", all("width=" in name for name, _, _ in sizes) and sizes, sizes)
        shot(a, args.out, "product-1440")
        check("layout_1440_no_overflow", no_horizontal_overflow(a))
        a.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 375, "height": 812, "deviceScaleFactor": 1, "mobile": True})
        a.refresh()
        wait(a, 30).until(lambda d: count(d, "#gallery .slot img") == 3)
        shot(a, args.out, "product-375")
        check("layout_375_no_overflow", no_horizontal_overflow(a))
        a.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

        # Re-selection after ready_for_sale asks first, then shows the new mockups.
        a.get(base + f"/ui/products/{product}/designs")
        other = [f for f in a.find_elements(By.CSS_SELECTOR, "form.variant")
                 if f.find_element(By.NAME, "asset_id").get_attribute("value") != chosen][0]
        new_choice = other.find_element(By.NAME, "asset_id").get_attribute("value")
        other.find_element(By.CSS_SELECTOR, "button.select").click()
        wait(a, 30).until(EC.presence_of_element_located((By.ID, "confirm-selection")))
        check("reselection_asks_confirmation", "/selection" in a.current_url and status_after(a, base, product) == "ready_for_sale")
        a.find_element(By.ID, "confirm-selection").click()
        wait(a).until(lambda d: status_of(d) == "ready_for_sale" and count(d, "#gallery .slot[data-status=ready] img") == 3
                      and d.execute_script("const i = document.querySelector('#gallery .slot[data-slot=design] img');"
                                           "return i ? i.dataset.assetId : null") == new_choice)
        check("reselection_shows_new_mockups", True)

        # mr_imagine fails for red tanks in this fleet: the gallery says the fallback is shown.
        a.get(base + "/ui/products/new")
        a.find_element(By.ID, "prompt").send_keys("a red tank with a whale")
        a.find_element(By.CSS_SELECTOR, "input[name=garment][value='tank:red']").click()
        field = a.find_element(By.ID, "candidates")
        field.clear()
        field.send_keys("1")
        a.find_element(By.CSS_SELECTOR, "#new-product button[type=submit]").click()
        wait(a, 30).until(lambda d: re.search(r"/ui/products/[0-9a-f-]{36}$", d.current_url))
        wait(a).until(lambda d: count(d, "button.select[data-variant=original]") == 1)
        a.find_element(By.CSS_SELECTOR, "button.select[data-variant=original]").click()
        wait(a).until(lambda d: status_of(d) == "ready_for_sale" and count(d, ".fallback-notice") == 1)
        notice = a.find_element(By.CSS_SELECTOR, ".fallback-notice").text
        check("mr_imagine_failure_shows_fallback_notice", "could not be made" in notice, notice)
        shot(a, args.out, "product-fallback")

        # CSRF: a state-changing form without its token is refused, and creates nothing.
        result = a.execute_async_script("""
            const done = arguments[arguments.length - 1];
            fetch('/ui/products', {method: 'POST', credentials: 'same-origin', redirect: 'manual',
                   headers: {'Content-Type': 'application/x-www-form-urlencoded'},
                   body: 'prompt=csrf+probe&garment=tshirt%3Awhite&candidates=1'})
              .then(r => done(r.status)).catch(e => done(String(e)));""")
        check("csrf_missing_refused", result == 403, result)
        listing = json.loads(fetch_json(a, "/v1/products?limit=100")["body"])
        check("csrf_refusal_created_nothing", not any(i["prompt"] == "csrf probe" for i in listing["items"]), len(listing["items"]))
        a.get(base + "/ui/products")
        rows = a.find_elements(By.CSS_SELECTOR, ".product-list li")
        check("products_list_newest_first", len(rows) >= 2 and "whale" in rows[0].text, [r.text for r in rows[:3]])
        shot(a, args.out, "products")

        # Shop B (no credits): the refusal in words, nothing created; A's product is invisible.
        b = browser(profile_b)
        drivers.append(b)
        sign_in(b, base, args.user_b)
        b.get(base + "/ui/products/new")
        b.find_element(By.ID, "prompt").send_keys("a product nobody pays for")
        b.find_element(By.CSS_SELECTOR, "#new-product button[type=submit]").click()
        wait(b, 30).until(EC.presence_of_element_located((By.ID, "flash")))
        flash = b.find_element(By.ID, "flash").text
        check("insufficient_credits_message", "Not enough credits" in flash, flash)
        check("insufficient_credits_form_kept", b.find_element(By.ID, "prompt").get_attribute("value") == "a product nobody pays for")
        listing_b = json.loads(fetch_json(b, "/v1/products")["body"])
        check("insufficient_credits_created_nothing", listing_b["items"] == [], listing_b)
        shot(b, args.out, "insufficient-credits")
        b.get(base + f"/ui/products/{product}")
        check("other_shop_product_page_404", "Not found" in b.title or "Not found" in b.page_source, b.title)
        image = fetch_json(b, f"/v1/assets/{shown_ids[0]}/content?width=256")
        check("other_shop_image_404", image["status"] == 404, image["status"])
        own = fetch_json(a, f"/v1/assets/{shown_ids[0]}/content?width=256")
        check("own_image_200", own["status"] == 200, own["status"])

        # Sign-out ends the session: the cookie no longer opens a page.
        a.get(base + "/ui/products")
        a.find_element(By.CSS_SELECTOR, "form[action='/ui/sign-out'] button").click()
        wait(a, 30).until(lambda d: "/ui/sign-in" in d.current_url)
        a.get(base + f"/ui/products/{product}")
        check("signed_out_session_ends", "/ui/sign-in" in a.current_url, a.current_url)
    except Exception as error:  # a failed wait or lookup is a failed check, with where it happened
        state = ""
        if product and drivers:
            try:
                state = fetch_json(drivers[0], f"/v1/products/{product}")["body"][:1500]
            except Exception:
                pass
        check("flow_completed", False, "".join(traceback.format_exception(error))[-1200:] + "\nproduct: " + state)
        keep_failure(drivers, args.out)
    finally:
        close(drivers, [profile_a, profile_b])
    return report(product=product)


def status_after(driver, base, product):
    body = fetch_json(driver, f"/v1/products/{product}")["body"]
    return json.loads(body).get("status")


if __name__ == "__main__":
    sys.exit(main())
