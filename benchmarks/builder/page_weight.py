#!/usr/bin/env python3
"""Page weight and first contentful paint of a builder product page in headless Chromium
(benchmarks/builder/run). Prints figures; exits 0 whatever they are."""
import argparse
import os
import shutil
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait


def main():
    parser = argparse.ArgumentParser()
    for name in ("--base-url", "--product", "--email", "--password"):
        parser.add_argument(name, required=True)
    args = parser.parse_args()
    profile = tempfile.mkdtemp(prefix="itp-bench-chrome-")
    options = webdriver.ChromeOptions()
    for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
                 "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1", "--window-size=1440,900"]:
        options.add_argument(flag)
    options.binary_location = "/usr/lib/chromium/chromium"
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    try:
        driver.get(args.base_url + "/ui/sign-in")
        driver.find_element(By.ID, "email").send_keys(args.email)
        driver.find_element(By.ID, "password").send_keys(args.password)
        driver.find_element(By.CSS_SELECTOR, "#sign-in button[type=submit]").click()
        WebDriverWait(driver, 30, 0.05).until(lambda d: "/ui/products" in d.current_url)
        # A cold cache: the figures of a first visit.
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.clearBrowserCache", {})
        driver.get(f"{args.base_url}/ui/products/{args.product}")
        WebDriverWait(driver, 30, 0.05).until(
            lambda d: d.execute_script("return [...document.querySelectorAll('#gallery img')].every(i => i.complete && i.naturalWidth > 0)"))
        entries = driver.execute_script("""
            const nav = performance.getEntriesByType('navigation')[0];
            const res = performance.getEntriesByType('resource').map(e => ({name: e.name, type: e.initiatorType,
                transfer: e.transferSize, body: e.encodedBodySize}));
            const fcp = performance.getEntriesByType('paint').find(p => p.name === 'first-contentful-paint');
            const images = [...document.querySelectorAll('#gallery img')].map(i => ({src: i.currentSrc, w: i.naturalWidth, shown: i.width}));
            return {nav: {transfer: nav.transferSize, body: nav.encodedBodySize}, res, fcp: fcp ? fcp.startTime : null, images};""")
        html = entries["nav"]["transfer"]
        css_js = sum(r["transfer"] for r in entries["res"] if r["type"] in ("link", "script"))
        print(f"product page HTML + CSS + JS transferred: {(html + css_js) / 1024:.1f} KB  (HTML {html} B, CSS + JS {css_js} B; target <= 100 KB)")
        for r in entries["res"]:
            if r["type"] == "img":
                print(f"  image {r['name'].split('/v1/')[-1]}: {r['transfer'] / 1024:.1f} KB transferred (target <= 300 KB)")
        for image in entries["images"]:
            print(f"  gallery image shown at {image['shown']} px from a {image['w']} px file: {image['src'].split('?')[-1]}")
        print(f"first contentful paint: {entries['fcp']:.0f} ms" if entries["fcp"] is not None else "first contentful paint: not reported")
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
