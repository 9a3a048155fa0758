#!/usr/bin/env python3
"""The design library in a real browser (Debian's chromium + chromedriver through Selenium),
against a running fleet. Run by ExclusiveLibraryBrowserTests, which starts the fleet and the users:

  library_flow.py --base-url URL --out DIR --user-a EMAIL:PASSWORD --user-b EMAIL:PASSWORD

User A's shop has credits; user B belongs to another shop. A makes a product, selects its design,
saves it to the library, and puts it on two other garments with "use this design on…"; both
products reach ready_for_sale with the gallery of three. B sees nothing of A's library.
Prints one JSON object on stdout: {"ok": bool, "checks": {name: {"ok": bool, "detail": str}}};
exits 0 when every check passed. Waits for conditions (WebDriverWait), never for fixed times.
"""
import argparse
import json
import os
import re
import sys
import tempfile
import traceback

from selenium.common.exceptions import TimeoutException  # noqa: F401 (a failed wait is reported as flow_completed)
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from builder_flow import (browser, check, close, count, fetch_json, keep_failure, report, shot, sign_in, status_of,
                          text_of, wait)

PRODUCT_URL = re.compile(r"/ui/products/([0-9a-f-]{36})$")


def post_form(driver, path, body):
    """A form POST from the page (the session cookie goes along); the answer's status and HTML."""
    return driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch(arguments[0], {method: 'POST', credentials: 'same-origin', redirect: 'manual',
               headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: arguments[1]})
          .then(async r => done({status: r.status, body: await r.text()})).catch(e => done({status: 0, body: String(e)}));""",
        path, body)


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
    drivers = []
    design = None
    try:
        a = browser(profile_a)
        drivers.append(a)
        sign_in(a, base, args.user_a)

        # A product with one design, selected: then the product page offers "save to library".
        a.get(base + "/ui/products/new")
        a.find_element(By.ID, "prompt").send_keys("a fox in a lighthouse, bold lines")
        a.find_element(By.CSS_SELECTOR, "input[name=garment][value='tshirt:white']").click()
        field = a.find_element(By.ID, "candidates")
        field.clear()
        field.send_keys("1")
        a.find_element(By.CSS_SELECTOR, "#new-product button[type=submit]").click()
        wait(a, 30).until(lambda d: PRODUCT_URL.search(d.current_url))
        source = PRODUCT_URL.search(a.current_url).group(1)
        check("no_save_form_before_selection", count(a, "#save-to-library") == 0)
        wait(a).until(lambda d: count(d, "button.select[data-variant=original]") == 1)
        a.find_element(By.CSS_SELECTOR, "button.select[data-variant=original]").click()
        wait(a, 30).until(lambda d: status_of(d) in ("generating_mockups", "ready_for_sale"))

        # Save to library: name and tags, then the library page says it was saved.
        a.find_element(By.ID, "library-name").send_keys("Lighthouse fox")
        a.find_element(By.ID, "library-tags").send_keys("Nautical, fox")
        a.find_element(By.CSS_SELECTOR, "#save-to-library button[type=submit]").click()
        wait(a, 30).until(lambda d: "/ui/library" in d.current_url)
        flash = text_of(a, "#flash")
        check("saved_flash", "Saved “Lighthouse fox”" in flash, flash)
        designs = a.find_elements(By.CSS_SELECTOR, ".library-design")
        check("library_lists_the_design", len(designs) == 1, len(designs))
        design = designs[0].get_attribute("data-design-id")
        check("library_shows_name_tags_version",
              text_of(a, ".design-name") == "Lighthouse fox" and text_of(a, ".design-tags") == "nautical, fox"
              and text_of(a, ".design-version") == "1", (text_of(a, ".design-name"), text_of(a, ".design-tags")))
        wait(a, 30).until(lambda d: d.execute_script(
            "const i = document.querySelector('.library-design img'); return i && i.complete && i.naturalWidth > 0"))
        check("library_thumbnail_loads", True)
        api = json.loads(fetch_json(a, f"/v1/library/designs/{design}")["body"])
        check("saved_through_the_library", api.get("name") == "Lighthouse fox"
              and api["versions"][0]["provenance"]["source_product_id"] == source, api)
        shot(a, args.out, "library")

        # Use this design on two garments: one batch, answered per garment.
        for value in ("hoodie:black", "tank:navy"):
            a.find_element(By.CSS_SELECTOR, f".use-design input[name=garment][value='{value}']").click()
        body = a.execute_script(
            "return new URLSearchParams(new FormData(document.querySelector('.use-design'))).toString()")
        check("form_carries_idempotency_key", "idempotency_key=" in body and "csrf_token=" in body, body)
        a.find_element(By.CSS_SELECTOR, ".use-design button[type=submit]").click()
        wait(a, 60).until(EC.presence_of_element_located((By.ID, "batch-summary")))
        links = [e.get_attribute("href") for e in a.find_elements(By.CSS_SELECTOR, ".batch-item[data-result=created] a.product-link")]
        check("two_products_created", len(links) == 2 and "2 created, 0 refused" in text_of(a, "#batch-summary"),
              (links, text_of(a, "#batch-summary")))
        garments = [e.text for e in a.find_elements(By.CSS_SELECTOR, ".batch-item")]
        check("result_names_the_garments", "Black hoodie" in garments[0] and "Navy tank" in garments[1], garments)
        shot(a, args.out, "library-result")

        # The same form sent again (a double submit) creates nothing twice.
        again = post_form(a, f"/ui/library/{design}/products", body)
        check("double_submit_replays", again["status"] == 200 and "already sent" in again["body"]
              and all(link.rsplit("/", 1)[1] in again["body"] for link in links), again["status"])
        listing = json.loads(fetch_json(a, "/v1/products?limit=100")["body"])
        check("double_submit_created_nothing", len(listing["items"]) == 3, [i["id"] for i in listing["items"]])

        # Each product: ready for sale with the gallery of three, made from the library.
        for index, link in enumerate(links):
            a.get(link)
            wait(a).until(lambda d: status_of(d) == "ready_for_sale"
                          and count(d, "#gallery .slot[data-status=ready] img") == 3)
            product = link.rsplit("/", 1)[1]
            view = json.loads(fetch_json(a, f"/v1/products/{product}")["body"])
            check(f"product_{index}_ready_with_gallery_of_three",
                  view["status"] == "ready_for_sale" and (view.get("library") or {}).get("design_id") == design, view)
            shot(a, args.out, f"library-product-{index}")

        # A refused save (no name) keeps the page, says why, and saves nothing.
        a.get(base + f"/ui/products/{source}")
        token = a.find_element(By.CSS_SELECTOR, "#save-to-library input[name=csrf_token]").get_attribute("value")
        refused = post_form(a, f"/ui/products/{source}/library", f"csrf_token={token}&name=&tags=x")
        check("save_without_name_refused", refused["status"] == 400 and "save-to-library" in refused["body"], refused["status"])
        no_csrf = post_form(a, f"/ui/products/{source}/library", "name=probe")
        check("save_without_csrf_refused", no_csrf["status"] == 403, no_csrf["status"])
        library = json.loads(fetch_json(a, "/v1/library/designs")["body"])
        check("refusals_saved_nothing", len(library["designs"]) == 1, len(library["designs"]))

        # Another shop's user: an empty library, and A's design is 404 everywhere.
        b = browser(profile_b)
        drivers.append(b)
        sign_in(b, base, args.user_b)
        b.get(base + "/ui/library")
        check("other_shop_library_empty", count(b, "#library-empty") == 1 and design not in b.page_source
              and "Lighthouse fox" not in b.page_source, b.title)
        token_b = b.find_element(By.CSS_SELECTOR, "form[action='/ui/sign-out'] input[name=csrf_token]").get_attribute("value")
        use_b = post_form(b, f"/ui/library/{design}/products",
                          f"csrf_token={token_b}&idempotency_key=bbbbbbbbbbbbbbbbbbbbbbbb&garment=tshirt%3Ablack")
        check("other_shop_cannot_use_design", use_b["status"] == 404, use_b["status"])
        check("other_shop_api_404", fetch_json(b, f"/v1/library/designs/{design}")["status"] == 404)
        save_b = post_form(b, f"/ui/products/{source}/library", f"csrf_token={token_b}&name=stolen")
        check("other_shop_cannot_save_product", save_b["status"] == 404, save_b["status"])
        listing_b = json.loads(fetch_json(b, "/v1/products")["body"])
        check("other_shop_created_nothing", listing_b["items"] == [], listing_b)
    except Exception as error:  # a failed wait or lookup is a failed check, with where it happened
        check("flow_completed", False, "".join(traceback.format_exception(error))[-1500:])
        keep_failure(drivers, args.out)
    finally:
        close(drivers, [profile_a, profile_b])
    return report(design=design)


if __name__ == "__main__":
    sys.exit(main())
