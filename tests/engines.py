"""One small driver per browser engine, so that each cross-engine check is written once.

- Chromium: Debian's ``chromium``, driven by Playwright: the session's browser
  (conftest.py), as in test_browser.py.
- Firefox: Debian's ``firefox-esr`` over WebDriver BiDi, driven by puppeteer-core
  (tests/package.json) in tests/firefox.mjs, which this module talks to in JSON
  lines. Playwright's own Firefox needs Playwright's patched build, and its
  BiDi channel fails on Firefox ESR (it sends a media emulation ESR lacks).
- WebKit: WebKitGTK's MiniBrowser through Debian's ``WebKitWebDriver`` and
  Selenium, on an Xvfb display this module starts (MiniBrowser's headless mode
  hangs under the driver). Its window cannot be narrower than its toolbar
  (about 450 px), so pages are opened in an ``<iframe>`` of the exact viewport
  size. The driver has no console access, and WebKit writes no console message
  of a page in an ephemeral session (every automation session is one) to its
  output: the page is served through a proxy that puts the recorder in front
  of everything in it (WebKitEngine). What a browser does on a top-level
  navigation only, such as following a text directive (``#:~:text=``), is
  tested with WebKitEngine.open_top_level, at a size the window can take.

Each engine reports as *problems* console errors, uncaught errors, files that
fail to load and Content-Security-Policy violations (``securitypolicyviolation``
events), from the start of each page load (Chromium, Firefox: a script the
driver runs before the page's own; WebKit: one the proxy puts first in the page).
"""

from __future__ import annotations

import contextlib
import http.client
import http.server
import json
import os
import shutil
import subprocess
import sysconfig
import threading
import time
import warnings
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urldefrag, urlsplit

from PIL import Image

REPO = Path(__file__).resolve().parent.parent
NODE_MODULES = REPO / "tests" / "node_modules"
# "tablet": the widest screen below Material's 60em breakpoint, the widest the inline share serves alone.
SIZES = {"phone": (390, 844), "desktop": (1280, 800), "tablet": (959, 800)}
ENGINES = ("chromium", "firefox", "webkit")
FIREFOX = Path("/usr/bin/firefox-esr")
WEBKIT_DRIVER = Path("/usr/bin/WebKitWebDriver")
# Where Debian's libwebkit2gtk-4.1-0 puts MiniBrowser: under the machine's
# multiarch directory (x86_64-linux-gnu, aarch64-linux-gnu, ...), which Debian's
# Python knows as MULTIARCH (dpkg-architecture is in dpkg-dev, not installed).
WEBKIT_PACKAGE = "libwebkit2gtk-4.1-0"
WEBKIT_LIBEXEC = "webkit2gtk-4.1/MiniBrowser"
XVFB = Path("/usr/bin/Xvfb")
# Run before the page's own scripts (Chromium, Firefox): what the page reports.
RECORD_PROBLEMS = """window.__engineProblems = [];
document.addEventListener("securitypolicyviolation", e => window.__engineProblems.push(
    `policy: ${e.violatedDirective} blocked ${e.blockedURI}`));
window.addEventListener("error", e => window.__engineProblems.push(`error: ${e.message}`));
// A file the page asks for that does not load (Firefox logs none to its console).
window.addEventListener("error", e => e.target !== window && window.__engineProblems.push(
    `failed to load: ${e.target.src || e.target.href || e.target.outerHTML.slice(0, 80)}`), true);"""
# The one console error a browser logs for a page that is itself served with status 404 (the site's 404
# page, at an unknown address): Chromium logs this, located at the page's own URL; Firefox and WebKit log
# nothing. The same words located elsewhere are another file missing: a problem.
NOT_FOUND_DOCUMENT_ERROR = "Failed to load resource: the server responded with a status of 404 (Not Found)"


def is_not_found_document_error(text: str, source_url: str, page_url: str) -> bool:
    """Whether the console error ``text``, logged at ``source_url``, is the page at ``page_url`` served as a 404."""
    return text == NOT_FOUND_DOCUMENT_ERROR and urldefrag(source_url).url == urldefrag(page_url).url


class EngineMissingError(RuntimeError):
    """A browser or driver this engine needs is not installed."""


def require(path: Path, package: str) -> None:
    if not path.exists():
        raise EngineMissingError(f"{path} is missing: install Debian's {package} (`make test` does, as root)")


class Engine(ABC):
    """A browser with one page open at a time, loaded at one of SIZES."""

    name: ClassVar[str]

    @abstractmethod
    def open(self, url: str, size: str = "phone") -> None:
        """Load ``url`` in a fresh profile (no storage) at ``size``; return once loaded and its fonts are ready."""

    @abstractmethod
    def _evaluate(self, expression: str) -> Any: ...

    def evaluate(self, function: str, arg: Any = None) -> Any:
        """Call the JavaScript ``function`` (source of an arrow function) with ``arg``; awaits a promise."""
        return self._evaluate(f"({function})({json.dumps(arg)})")

    @abstractmethod
    def click(self, selector: str) -> None:
        """Click the first element ``selector`` matches, as a reader does (pointer events)."""

    @abstractmethod
    def type(self, selector: str, text: str) -> None:
        """Focus the element and type ``text`` key by key."""

    @abstractmethod
    def screenshot(self, path: Path) -> None:
        """The page as shown, into ``path`` (PNG)."""

    @abstractmethod
    def element_screenshot(self, selector: str, path: Path) -> None:
        """The first element ``selector`` matches, into ``path`` (PNG)."""

    @abstractmethod
    def _reported(self) -> list[str]:
        """What the browser itself reported since the page was opened."""

    def problems(self) -> list[str]:
        """Console errors, uncaught errors and policy violations since the page was opened."""
        return self._reported() + self._evaluate("window.__engineProblems || []")

    def wait_for(self, function: str, arg: Any = None, *, timeout_s: float = 10) -> Any:
        """Call ``function`` (see evaluate) until it returns something truthy, and return that.

        Polled from here, not in the page, so that it survives the page being replaced by another.
        """
        deadline = time.monotonic() + timeout_s
        error: Exception | None = None
        while True:
            try:
                value = self.evaluate(function, arg)
            except Exception as raised:  # a page being replaced; the last one is reported
                value, error = None, raised
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: still false after {timeout_s} s ({error}): {function}")
            time.sleep(0.05)

    def close(self) -> None:  # noqa: B027 - engines without anything to release keep the default
        pass


WAIT_FOR_FONTS = "document.fonts.ready.then(() => true)"


class ChromiumEngine(Engine):
    name = "chromium"

    def __init__(self, browser: Any) -> None:
        """``browser``: a Playwright Browser already running (one Playwright per thread), left open by close()."""
        self._browser = browser
        self._context: Any = None
        self._page: Any = None
        self._console: list[str] = []

    def open(self, url: str, size: str = "phone") -> None:
        if self._context:
            self._context.close()
        width, height = SIZES[size]
        self._context = self._browser.new_context(viewport={"width": width, "height": height}, locale="ar")
        self._context.add_init_script(RECORD_PROBLEMS)
        self._page = self._context.new_page()
        self._console = []
        self._page.on(
            "console",
            lambda m: (
                m.type == "error"
                and not is_not_found_document_error(m.text, m.location["url"], url)
                and self._console.append(f"console: {m.text}")
            ),
        )
        self._page.on("pageerror", lambda e: self._console.append(f"error: {e}"))
        self._page.goto(url)
        self._page.evaluate(WAIT_FOR_FONTS)

    def _evaluate(self, expression: str) -> Any:
        return self._page.evaluate(expression)

    def click(self, selector: str) -> None:
        self._page.locator(selector).first.click()

    def type(self, selector: str, text: str) -> None:
        field = self._page.locator(selector).first
        field.press_sequentially(text)

    def screenshot(self, path: Path) -> None:
        self._page.screenshot(path=path, full_page=True)

    def element_screenshot(self, selector: str, path: Path) -> None:
        self._page.locator(selector).first.screenshot(path=path)

    def _reported(self) -> list[str]:
        return list(self._console)

    def close(self) -> None:
        if self._context:
            self._context.close()


class FirefoxEngine(Engine):
    name = "firefox"
    BRIDGE = REPO / "tests" / "firefox.mjs"

    def __init__(self) -> None:
        require(FIREFOX, "firefox-esr")
        if not (NODE_MODULES / "puppeteer-core").is_dir():
            raise EngineMissingError(f"{NODE_MODULES}/puppeteer-core is missing: run `make test` (npm ci in tests/)")
        node = shutil.which("node")
        if node is None:
            raise EngineMissingError("node (Node.js 20) is missing: it runs puppeteer-core for Firefox")
        self._process = subprocess.Popen(
            [node, str(self.BRIDGE), str(FIREFOX)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=self.BRIDGE.parent,
        )
        self._next_id = 0
        self._call("version")

    def _call(self, op: str, **args: Any) -> Any:
        assert self._process.stdin and self._process.stdout
        self._next_id += 1
        self._process.stdin.write(json.dumps({"id": self._next_id, "op": op, "args": args}) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError(f"tests/firefox.mjs ended (status {self._process.poll()}) during {op}")
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"Firefox, {op}: {answer['error']}")
        return answer["value"]

    def open(self, url: str, size: str = "phone") -> None:
        width, height = SIZES[size]
        self._call("open", url=url, width=width, height=height, init=RECORD_PROBLEMS)
        self._evaluate(WAIT_FOR_FONTS)

    def _evaluate(self, expression: str) -> Any:
        return self._call("evaluate", expression=expression)

    def click(self, selector: str) -> None:
        self._call("click", selector=selector)

    def type(self, selector: str, text: str) -> None:
        self._call("type", selector=selector, text=text)

    def screenshot(self, path: Path) -> None:
        self._call("screenshot", path=str(path), fullPage=True)

    def element_screenshot(self, selector: str, path: Path) -> None:
        self._call("elementScreenshot", selector=selector, path=str(path))

    def _reported(self) -> list[str]:
        return self._call("problems")

    def close(self) -> None:
        assert self._process.stdin
        self._process.stdin.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        finally:
            assert self._process.stdout
            self._process.stdout.close()


def minibrowser() -> Path:
    """WebKitGTK's MiniBrowser in this machine's multiarch directory; missing, an error naming the package."""
    triplet = sysconfig.get_config_var("MULTIARCH")
    if not triplet:
        raise EngineMissingError(
            f"this Python does not name the machine's multiarch directory (sysconfig MULTIARCH), where "
            f"Debian's {WEBKIT_PACKAGE} puts MiniBrowser: run the tests with Debian's python3"
        )
    path = Path("/usr/lib") / triplet / WEBKIT_LIBEXEC
    require(path, f"{WEBKIT_PACKAGE} (MiniBrowser; webkit2gtk-driver depends on it)")
    return path


@contextlib.contextmanager
def xvfb_display() -> Iterator[str]:
    """A fresh Xvfb display (the X server picks a free number); stopped on exit."""
    require(XVFB, "xvfb")
    server = subprocess.Popen(
        [str(XVFB), "-displayfd", "1", "-screen", "0", "1920x1200x24", "-nolisten", "tcp"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout
        number = server.stdout.readline().strip()
        if not number:
            raise RuntimeError(f"Xvfb did not start (status {server.poll()})")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait()
        if server.stdout:
            server.stdout.close()


# The top-level page in WebKit: the site's page in a frame of the viewport's
# size. Served from 127.0.0.1 (by frame_server), a secure context, so the frame
# is one too and has the clipboard (under data: or about:blank it has not).
FRAME_PAGE = b"""<!doctype html><meta charset="utf-8"><style>body{margin:0}iframe{border:0;display:block}</style>
<iframe id="viewport" allow="clipboard-write"></iframe>"""
# The window around it: room for the frame at each of SIZES.
FRAME_WINDOW = {"width": 1400, "height": 1000}
# How long open_top_level tries to fit the window to a size before it says the window cannot take it.
FIT_WINDOW_SECONDS = 5
ADD_FRAME = """const [width, height, url] = arguments, frame = document.getElementById("viewport");
Object.assign(frame, {width, height, src: url});"""


class _FramePage(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(FRAME_PAGE)))
        self.end_headers()
        self.wfile.write(FRAME_PAGE)

    def log_message(self, format: str, *args: object) -> None:
        pass


# WebKit: console errors, which other engines' drivers report, recorded by the page too.
RECORD_CONSOLE_ERRORS = """{const error = console.error;
console.error = (...args) => {
    window.__engineProblems.push(`console: ${args.join(" ")}`);
    return error.apply(console, args);
};}"""
WEBKIT_RECORDER = f"<script>{RECORD_PROBLEMS}\n{RECORD_CONSOLE_ERRORS}</script>".encode()
# Hop-by-hop headers, and those the proxy's own answer sets.
NOT_FORWARDED = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length", "server", "date"})


def with_recorder(html: bytes) -> bytes:
    """``html`` with WEBKIT_RECORDER first in its <head>, before any script and any policy <meta> can act."""
    head = html.find(b"<head>")
    if head < 0:
        raise ValueError("WebKit: a page without <head>, where the recorder goes")
    start = head + len(b"<head>")
    return html[:start] + WEBKIT_RECORDER + html[start:]


class _RecordingProxy(http.server.BaseHTTPRequestHandler):
    """Forwards each GET to ``upstream`` (host:port), with WEBKIT_RECORDER put into each HTML page.

    A page names the address it was built for (its canonical URL, and its
    policy, which allows the site's files by it): in each HTML page the
    upstream's origin becomes the proxy's, the address the engine loads it from.
    """

    upstream: ClassVar[str]

    def do_GET(self) -> None:
        connection = http.client.HTTPConnection(self.upstream, timeout=30)
        try:
            connection.request("GET", self.path)
            answer = connection.getresponse()
            body = answer.read()
        finally:
            connection.close()
        if answer.getheader("Content-Type", "").startswith("text/html"):
            host, port = self.server.server_address[:2]
            body = with_recorder(body.replace(f"http://{self.upstream}/".encode(), f"http://{host}:{port}/".encode()))
        self.send_response(answer.status, answer.reason)
        for name, value in answer.getheaders():
            if name.lower() not in NOT_FORWARDED:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class WebKitEngine(Engine):
    name = "webkit"

    def __init__(self, *, page_scripts: bool = True) -> None:
        """``page_scripts=False``: pages' own scripts never run (the driver's still do), as with JavaScript off."""
        require(WEBKIT_DRIVER, "webkit2gtk-driver")
        browser = minibrowser()
        try:
            from selenium import webdriver
            from selenium.webdriver.webkitgtk.options import Options
            from selenium.webdriver.webkitgtk.service import Service
        except ImportError as missing:
            raise EngineMissingError(f"Selenium is missing ({missing}): install requirements-dev.txt") from missing

        self._display = xvfb_display()
        display = self._display.__enter__()
        options = Options()
        options.binary_location = str(browser)
        options.add_argument("--automation")
        if not page_scripts:
            # WebKitSettings' enable-javascript-markup: the page's scripts are dropped as it is parsed, while
            # the driver's evaluation runs (enable-javascript off would stop that too).
            options.add_argument("--enable-javascript-markup=false")
        # An explicit driver path: Selenium Manager (which downloads drivers) is never asked.
        service = Service(
            executable_path=str(WEBKIT_DRIVER),
            log_output=subprocess.DEVNULL,
            env={**os.environ, "DISPLAY": display},
        )
        try:
            with warnings.catch_warnings():
                # Selenium's own WebKitGTK class uses a parameter Selenium deprecates; nothing to change here.
                warnings.filterwarnings("ignore", "setting remote_server_addr", DeprecationWarning)
                self._driver = webdriver.WebKitGTK(options=options, service=service)
        except Exception:
            self._display.__exit__(None, None, None)
            raise
        self._driver.set_window_rect(x=0, y=0, **FRAME_WINDOW)
        # Whether the page is the window's own (open_top_level) rather than the frame's.
        self._top_level = False
        # Fail in seconds rather than the driver's five minutes.
        self._driver.set_page_load_timeout(30)
        self._driver.set_script_timeout(30)
        self._frame_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FramePage)
        threading.Thread(target=self._frame_server.serve_forever, daemon=True).start()
        # One recording proxy per origin opened (host:port), so that a page's own addresses stay in one origin.
        self._proxies: dict[str, http.server.ThreadingHTTPServer] = {}

    def _through_proxy(self, url: str) -> str:
        """``url`` (http, on 127.0.0.1) as the recording proxy of its origin serves it."""
        parts = urlsplit(url)
        if parts.netloc not in self._proxies:
            handler = type("Proxy", (_RecordingProxy,), {"upstream": parts.netloc})
            proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
            threading.Thread(target=proxy.serve_forever, daemon=True).start()
            self._proxies[parts.netloc] = proxy
        return parts._replace(netloc=f"127.0.0.1:{self._proxies[parts.netloc].server_address[1]}").geturl()

    def open(self, url: str, size: str = "phone") -> None:
        from selenium.webdriver.common.by import By

        width, height = SIZES[size]
        driver = self._driver
        driver.switch_to.default_content()
        if self._top_level:
            driver.set_window_rect(**FRAME_WINDOW)
            self._top_level = False
        # A fresh profile: nothing kept from the last page.
        driver.delete_all_cookies()
        driver.get(f"http://127.0.0.1:{self._frame_server.server_address[1]}/")
        driver.execute_script(ADD_FRAME, width, height, self._through_proxy(url))
        frame = driver.find_element(By.ID, "viewport")
        driver.switch_to.frame(frame)
        self.wait_for("() => document.readyState === 'complete' && location.href !== 'about:blank'")
        self._evaluate("localStorage.length && (localStorage.clear(), location.reload())")
        self.wait_for("() => document.readyState === 'complete'")
        self._evaluate(WAIT_FOR_FONTS)

    def open_top_level(self, url: str, size: str = "desktop") -> None:
        """As open(), but ``url`` is the window's own page rather than the frame's.

        For what a browser does on a top-level navigation only, such as following a text directive
        (``#:~:text=``). Not at "phone" size: the window cannot be narrower than its toolbar (a
        ValueError). Until the next open(), the other methods act on this page.
        """
        driver = self._driver
        driver.switch_to.default_content()
        self._top_level = True
        self._fit_window(size)
        address = self._through_proxy(url)
        # A fresh profile: the origin's storage emptied before the page is loaded (a reload, as open() does
        # after, would load the address without its fragment's directive, which the browser removes from it).
        driver.get(urldefrag(address).url)
        driver.delete_all_cookies()
        driver.execute_script("localStorage.clear()")
        # Then a new document, not a move within this one to the fragment.
        driver.get("about:blank")
        driver.get(address)
        self.wait_for("() => document.readyState === 'complete'")
        self._evaluate(WAIT_FOR_FONTS)

    def _fit_window(self, size: str) -> None:
        """Resize the window until its page is ``size``: a ValueError naming both sizes if it cannot be.

        Measured and resized again until it fits, for a few seconds: one measure of the toolbar
        and one resize were not enough once, in CI on a fresh Debian 12 (the first page of a new
        window came out at another size), as a resize may be applied after the driver answers.
        """
        width, height = SIZES[size]
        driver = self._driver
        deadline = time.monotonic() + FIT_WINDOW_SECONDS
        while (shown := driver.execute_script("return [innerWidth, innerHeight]")) != [width, height]:
            if time.monotonic() > deadline:
                asked, got = f"{width}x{height} ({size})", "x".join(map(str, shown))
                raise ValueError(f"WebKit: the window cannot show a page at {asked}; it shows {got}")
            window = driver.get_window_rect()
            wider, taller = width - shown[0], height - shown[1]
            driver.set_window_rect(width=window["width"] + wider, height=window["height"] + taller)
            time.sleep(0.1)

    def _evaluate(self, expression: str) -> Any:
        from selenium.common.exceptions import NoSuchFrameException

        # Right after a click that loads another page in the frame, the driver
        # refuses scripts until the new page is there: ask again, a bounded number of times.
        for _ in range(100):
            try:
                return self._driver.execute_script(f"return {expression}")
            except NoSuchFrameException:
                self._driver.switch_to.default_content()
                self._driver.switch_to.frame(self._element("#viewport"))
        raise RuntimeError("WebKit: the frame did not settle on a page")

    def _element(self, selector: str) -> Any:
        from selenium.webdriver.common.by import By

        return self._driver.find_element(By.CSS_SELECTOR, selector)

    def click(self, selector: str) -> None:
        from selenium.common.exceptions import StaleElementReferenceException

        # As Playwright and puppeteer do: find the element again if the page replaced it meanwhile.
        for _ in range(20):
            try:
                self._element(selector).click()
                return
            except StaleElementReferenceException:
                continue
        raise RuntimeError(f"WebKit: {selector} kept being replaced")

    def type(self, selector: str, text: str) -> None:
        self._element(selector).send_keys(text)

    def screenshot(self, path: Path) -> None:
        if self._top_level:
            Path(path).write_bytes(self._driver.get_screenshot_as_png())
            return
        self._driver.switch_to.default_content()
        try:
            Path(path).write_bytes(self._element("#viewport").screenshot_as_png)
        finally:
            self._driver.switch_to.frame(self._element("#viewport"))

    def element_screenshot(self, selector: str, path: Path) -> None:
        # The driver draws an element inside a frame black: the frame, cut to the element.
        box = self.evaluate("(s) => document.querySelector(s).getBoundingClientRect().toJSON()", selector)
        self.screenshot(path)
        with Image.open(path) as frame:
            part = frame.crop((round(box["left"]), round(box["top"]), round(box["right"]), round(box["bottom"])))
        part.save(path)

    def _reported(self) -> list[str]:
        return []  # all recorded in the page (WEBKIT_RECORDER)

    def close(self) -> None:
        try:
            self._driver.quit()
            for server in (self._frame_server, *self._proxies.values()):
                server.shutdown()
                server.server_close()
        finally:
            self._display.__exit__(None, None, None)


def start(name: str, *, chromium: Any = None) -> Engine:
    """The engine called ``name`` (one of ENGINES), started; Chromium in ``chromium``, a running Playwright Browser."""
    if name == "chromium":
        if chromium is None:
            raise TypeError("start('chromium') needs chromium=, the session's Playwright Browser")
        return ChromiumEngine(chromium)
    return {"firefox": FirefoxEngine, "webkit": WebKitEngine}[name]()
