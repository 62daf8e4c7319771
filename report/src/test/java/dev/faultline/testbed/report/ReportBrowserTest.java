package dev.faultline.testbed.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faultline.histories.History;
import dev.faultline.testbed.serve.RunServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Opens reports and the web UI in a real headless Chromium (Debian's chromium and chromium-driver)
 * and checks what a person would see: charts drawn, fault windows shaded, the counterexample shown.
 * Screenshots go to target/browser/.
 */
class ReportBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path tmp;
  static Path valid;
  static Path invalid;
  static RunServer server;
  static WebDriver browser;
  static Path shots;
  static int validCalls;

  @BeforeAll
  static void setUp() throws Exception {
    installChromiumIfMissing();
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
        "needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium"
            + " chromium-driver, as root)");
    Path store = tmp.resolve("store");
    long t0 = System.nanoTime();
    History v = SyntheticRun.history(21, 10, Duration.ofSeconds(60), 20, false);
    valid =
        SyntheticRun.write(store.resolve("register-partition/20260102T030405.000Z"), v, 21, true);
    ReportWriter.write(valid);
    validCalls = v.calls().size();
    History i = SyntheticRun.history(22, 10, Duration.ofSeconds(20), 20, true);
    invalid = SyntheticRun.write(store.resolve("register-kill/20260103T030405.000Z"), i, 22, true);
    ReportWriter.write(invalid);
    System.out.printf(
        "browser test: %d + %d calls generated, checked and reported in %.1f s%n",
        v.calls().size(), i.calls().size(), (System.nanoTime() - t0) / 1e9);
    server = RunServer.start(store, "127.0.0.1", 0);
    shots = Path.of(System.getProperty("faultline.root", "."), "report/target/browser");
    if (!Files.isDirectory(shots.getParent())) {
      shots = Path.of("target/browser");
    }
    Files.createDirectories(shots);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,3200",
        "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium-profile")));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .withTimeout(WAIT)
            .build();
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
  }

  /** As root and with apt available, installs Debian's chromium and its driver (bounded). */
  private static void installChromiumIfMissing() throws InterruptedException {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER)) {
      return;
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    if (!root || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
      return;
    }
    try {
      Process p =
          new ProcessBuilder("apt-get", "install", "-y", "chromium", "chromium-driver")
              .redirectErrorStream(true)
              .redirectOutput(new File(System.getProperty("java.io.tmpdir"), "chromium-apt.log"))
              .start();
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      System.out.println("browser test: could not run apt-get: " + e.getMessage());
    }
  }

  @AfterAll
  static void tearDown() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  private static void open(String url) {
    browser.get(url);
    new WebDriverWait(browser, WAIT)
        .until(
            d ->
                "complete"
                    .equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
  }

  private static void waitForCharts() {
    new WebDriverWait(browser, WAIT)
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#fl-throughput[data-rendered]")));
  }

  private static void screenshot(String name) throws IOException {
    byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(shots.resolve(name + ".png"), png);
  }

  /** Pixels of a colour (within a small tolerance) on the canvas inside the element {@code id}. */
  private static long pixels(String id, int r, int g, int b) {
    Object n =
        ((JavascriptExecutor) browser)
            .executeScript(
                "var c = document.querySelector('#' + arguments[0] + ' canvas');"
                    + "var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                    + "var n = 0;"
                    + "for (var i = 0; i < d.length; i += 4) {"
                    + "  if (d[i + 3] > 0 && Math.abs(d[i] - arguments[1]) < 24"
                    + "      && Math.abs(d[i + 1] - arguments[2]) < 24"
                    + "      && Math.abs(d[i + 2] - arguments[3]) < 24) { n++; }"
                    + "}"
                    + "return n;",
                id,
                r,
                g,
                b);
    return ((Number) n).longValue();
  }

  @Test
  void aValidRunsReportDrawsItsChartsWithTheFaultWindowsShaded() throws IOException {
    open(valid.resolve("report.html").toUri().toString());
    waitForCharts();
    System.out.printf(
        "browser test: report of %d calls (%d bytes) drawn %s ms after navigation%n",
        validCalls,
        Files.size(valid.resolve("report.html")),
        browser.findElement(By.tagName("body")).getAttribute("data-render-ms"));
    screenshot("report-valid");
    assertThat(browser.findElement(By.id("fl-verdict")).getAttribute("data-verdict"))
        .isEqualTo("valid");
    assertThat(browser.findElements(By.cssSelector(".chart canvas"))).hasSize(3);
    // Points and lines in the outcome colours, not just axes.
    assertThat(pixels("fl-latency", 0x2e, 0x9e, 0x4f)).isGreaterThan(500);
    assertThat(pixels("fl-quantiles", 0xd6, 0x27, 0x28)).isGreaterThan(100);
    assertThat(pixels("fl-throughput", 0x2e, 0x9e, 0x4f)).isGreaterThan(100);
    List<WebElement> bands = browser.findElements(By.cssSelector(".fault-band"));
    assertThat(bands).hasSize(6);
    for (WebElement band : bands) {
      assertThat(band.getSize().getWidth()).isGreaterThan(20);
      assertThat(band.getSize().getHeight()).isGreaterThan(100);
    }
    assertThat(browser.findElements(By.cssSelector(".fault-label")))
        .extracting(WebElement::getText)
        .contains("partition n1", "kill n2");
    assertThat(browser.findElement(By.id("fl-availability")).getText()).contains("outside faults");
  }

  @Test
  void anInvalidRunsReportShowsWhatBrokeAndTheCounterexample() throws IOException {
    open(invalid.resolve("report.html").toUri().toString());
    waitForCharts();
    WebElement verdict = browser.findElement(By.id("fl-verdict"));
    assertThat(verdict.getAttribute("data-verdict")).isEqualTo("invalid");
    assertThat(verdict.getText())
        .contains("to key \"k0\"")
        .contains("was acknowledged by n1 before the read began")
        .contains("answered by n3");
    assertThat(browser.findElements(By.cssSelector(".culprit-mark"))).hasSize(3);
    WebElement check = browser.findElement(By.cssSelector("section.fl-check"));
    ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()", check);
    screenshot("report-invalid-counterexample");
    assertThat(check.isDisplayed()).isTrue();
    assertThat(check.getText()).contains("not linearizable");
    List<WebElement> svgs = check.findElements(By.cssSelector(".fl-check-svg svg"));
    assertThat(svgs).isNotEmpty();
    assertThat(svgs.get(0).findElements(By.cssSelector(".fl-culprit"))).isNotEmpty();
    ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
    screenshot("report-invalid");
  }

  @Test
  void theWebUiListsRunsByVerdictAndOpensAReport() throws IOException {
    open("http://127.0.0.1:" + server.port() + "/");
    screenshot("serve-list");
    List<WebElement> rows = browser.findElements(By.cssSelector("tr.run"));
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).getAttribute("class")).contains("verdict-invalid");
    assertThat(rows.get(1).getAttribute("class")).contains("verdict-valid");
    rows.get(0).findElement(By.tagName("a")).click();
    waitForCharts();
    assertThat(browser.getCurrentUrl()).endsWith("/runs/register-kill/20260103T030405.000Z/");
    assertThat(browser.findElements(By.cssSelector(".fault-band"))).isNotEmpty();
    browser.findElement(By.linkText("history.jsonl")).click();
    assertThat(browser.getPageSource()).contains("\"process\"");
    open("http://127.0.0.1:" + server.port() + "/?verdict=valid");
    assertThat(browser.findElements(By.cssSelector("tr.run"))).hasSize(1);
  }
}
