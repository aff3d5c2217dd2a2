package dev.ambassadorlab.labtests;

import dev.ambassadorlab.console.Console;
import dev.ambassadorlab.console.ConsoleSettings;
import dev.ambassadorlab.labtests.console.HeadlessChromium;
import dev.ambassadorlab.labtests.pod.LabPod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The lab console in a real headless Chromium, in front of the suite's pod: a fault pressed on the page reaches
 * WireMock, the load reaches the app, the ambassador's decision trace comes back as a waterfall row, and "Clear all"
 * undoes the fault. Screenshots land in target/console/.
 */
class ConsoleIT extends ChaosTest {
    private static final Path SCREENSHOTS = LabPod.ROOT.resolve("lab-tests/target/console");
    private static final Duration TRACE_PATIENCE = Duration.ofSeconds(30);
    private Console console;
    private HeadlessChromium chromium;

    @BeforeEach
    void startTheConsoleAndTheBrowser() {
        assumeTrue(HeadlessChromium.installed(), "the console's browser test needs " + HeadlessChromium.BROWSER + " and "
                + HeadlessChromium.DRIVER + " (Debian: apt-get install chromium chromium-driver; ./lab test installs them)");
        console = Console.start(ConsoleSettings.fromEnv(Map.of("CONSOLE_PORT", "0",
                "AMBASSADOR_ADMIN_URL", pod.adminUrl(""), "APP_URL", pod.appUrl(""),
                "TOXIPROXY_URL", pod.toxiproxyUrl(), "TOXIPROXY_PROXY", "cat-api",
                "WIREMOCK_URL", pod.wiremockUrl())), System.out);
        chromium = new HeadlessChromium();
    }

    @AfterEach
    void stopAndResetThePod() {
        if (chromium != null) chromium.close();
        if (console != null) console.close();
        pod.reset();
    }

    @Test
    void a_503_burst_pressed_on_the_page_shows_as_a_request_retried_to_success_and_clear_all_removes_it() {
        var browser = chromium.driver();
        var wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        browser.get("http://localhost:" + console.port() + "/");
        By burst = By.cssSelector("button[data-fault='burst-503']");

        // Given the 503 burst switched on from its button
        wait.until(ExpectedConditions.elementToBeClickable(burst)).click();
        wait.until(ExpectedConditions.attributeToBe(burst, "aria-pressed", "true"));
        assertThat(browser.findElement(burst).getText()).as("an active fault says so in words").contains("ON");
        chromium.screenshot(SCREENSHOTS.resolve("console-fault-on.png"));

        // When the load switch sends one request a second through the app
        browser.findElement(By.cssSelector("input[name='rate'][value='1']")).click();

        // Then a row shows a request that needed 3 searches and 1 download (data-attempts counts every attempt of
        // every call together: 4) and ended in success. The waterfall is drawn again as each trace arrives (the load
        // goes on), so each look at the row finds it afresh.
        By retried = By.cssSelector(".row[data-ended='success'][data-attempts='4']");
        WebDriverWait traces = new WebDriverWait(browser, TRACE_PATIENCE);
        traces.ignoring(StaleElementReferenceException.class);
        RowSeen row = traces.until(driver -> driver.findElements(retried).stream().findFirst().map(RowSeen::of)
                .orElse(null));
        assertThat(row.searches()).as("search attempts in the row").isEqualTo(3);
        assertThat(row.images()).as("image downloads in the row").isEqualTo(1);
        assertThat(row.gaps()).as("waits between the searches").hasSize(2)
                .allSatisfy(gap -> assertThat(gap).contains("backoff"));
        assertThat(row.id()).isNotBlank();
        browser.findElement(By.cssSelector("input[name='rate'][value='0']")).click();

        // And Enter on the row shows its whole trace
        By theRow = By.cssSelector(".row[data-request-id='" + row.id() + "']");
        traces.until(driver -> {
            driver.findElement(theRow).sendKeys(Keys.ENTER);
            return true;
        });
        traces.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".row[aria-expanded='true'] .detail table")));

        // When a fault that stays on is pressed too (the burst turns itself off once its two 503s are used), and then
        // "Clear all"
        By latency = By.cssSelector("button[data-fault='latency']");
        browser.findElement(latency).click();
        wait.until(ExpectedConditions.attributeToBe(latency, "aria-pressed", "true"));
        browser.findElement(By.id("clear-all")).click();

        // Then the button is no longer marked, the API lists no active fault, and the page logged no error
        wait.until(ExpectedConditions.attributeToBe(latency, "aria-pressed", "false"));
        wait.until(ExpectedConditions.attributeToBe(burst, "aria-pressed", "false"));
        assertThat(browser.findElement(latency).getText()).contains("off");
        assertThat(pod.send(HttpRequest.newBuilder(URI.create("http://localhost:" + console.port() + "/api/faults")))
                .body())
                .as("GET /api/faults").doesNotContain("\"active\":true");
        chromium.screenshot(SCREENSHOTS.resolve("console.png"));
        assertThat(chromium.consoleErrors()).as("errors in the browser's console").isEmpty();
    }

    /** What a waterfall row showed at one look: its request id, its bars and the words in its gaps. */
    private record RowSeen(String id, int searches, int images, List<String> gaps) {
        static RowSeen of(WebElement row) {
            return new RowSeen(row.getAttribute("data-request-id"),
                    row.findElements(By.cssSelector(".bar.search")).size(),
                    row.findElements(By.cssSelector(".bar.image")).size(),
                    row.findElements(By.cssSelector(".gap")).stream().map(WebElement::getText).toList());
        }
    }
}
