package dev.vigil.runtime.dashboard;

import dev.vigil.domain.FaultType;
import dev.vigil.domain.Frame;
import dev.vigil.runtime.Api;
import dev.vigil.runtime.SecondFrames;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.VigilServer;
import dev.vigil.runtime.config.ConfigLoader;
import dev.vigil.runtime.config.RuntimeConfig;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.FaultSpec;
import dev.vigil.sim.Progression;
import dev.vigil.sim.Simulation;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real headless Chromium against the real runtime fed by the simulator: the fleet page loads
 * behind a token, an alert raised by a developing bearing fault appears on the page, and acknowledging it on the
 * page changes it in the API. Leaves a screenshot in {@code target/dashboard-*.png}.
 */
@Tag("slow")
class DashboardBrowserTest {
    @TempDir
    Path tmp;

    static WebDriver chromium() {
        // Debian's chromium and chromedriver (the README's test command, scripts/test, installs them); never a download
        Path driver = Path.of(System.getProperty("vigil.chromedriver", "/usr/bin/chromedriver"));
        Path browser = Path.of(System.getProperty("vigil.chromium", "/usr/bin/chromium"));
        assertThat(Files.isExecutable(driver) && Files.isExecutable(browser)).as("%s and %s are needed: run scripts/test, "
                + "or apt-get install chromium chromium-driver", browser, driver).isTrue();
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).build();
        ChromeOptions options = new ChromeOptions().setBinary(browser.toString())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,2000",
                        "--disable-gpu", "--no-first-run", "--user-data-dir=" + System.getProperty("java.io.tmpdir")
                                + "/vigil-chromium-" + ProcessHandle.current().pid());
        return new ChromeDriver(service, options);
    }

    private static void send(Api gw, List<Frame> frames, long startNanos) throws Exception {
        for (Frame f : frames) {
            // stamped as if live: the recording's clock moved to startNanos
            Frame live = new Frame(f.machineId(), f.channel(), startNanos + f.startNanos() - frames.get(0).startNanos(),
                    f.sampleRateHz(), f.samples());
            assertThat(gw.post("/api/v1/machines/spindle-7/frames", FrameCodec.encode(live)).statusCode()).isEqualTo(202);
        }
    }

    private static void shot(WebDriver page, String name) throws Exception {
        Path out = Path.of("target", "dashboard-" + name + ".png");
        Files.write(out, ((TakesScreenshot) page).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void anEngineerSeesTheAlertArriveAndAcknowledgesItOnThePage() throws Exception {
        TestModels.copyTo("spindle-7", tmp.resolve("m.zip"));
        Vertx vertx = Vertx.vertx();
        WebDriver page = null;
        try {
            Path yaml = Files.writeString(tmp.resolve("vigil.yaml"), """
                    http: {host: 127.0.0.1, port: 0}
                    storage: {path: data/vigil.db}
                    recording: {enabled: false}
                    machines:
                      - {id: spindle-7, tenant: acme, model: m.zip}
                    auth:
                      tokens:
                    """ + Api.tokenEntry("gw", "device", "gw", "spindle-7")
                    + Api.tokenEntry("anna", "engineer", "anna-secret-token"));
            RuntimeConfig config = ConfigLoader.load(vertx, yaml, Map.of()).await(20, TimeUnit.SECONDS);
            VigilServer server = new VigilServer(vertx, config, Clock.systemUTC()).start().await(60, TimeUnit.SECONDS);
            String base = "http://127.0.0.1:" + server.port();
            Api anna = new Api(base, "anna-secret-token");
            Api gw = anna.as("gw");

            page = chromium();
            // the page redraws every 2 s: an element found a moment ago may be gone, so look again
            WebDriverWait wait = (WebDriverWait) new WebDriverWait(page, Duration.ofSeconds(20))
                    .ignoring(StaleElementReferenceException.class);
            page.get(base + "/dashboard/");
            wait.until(d -> !d.findElements(By.id("login")).isEmpty());
            page.findElement(By.id("token")).sendKeys("not-a-token");
            page.findElement(By.cssSelector("#login button")).click();
            wait.until(d -> d.findElement(By.id("view")).getText().contains("not accepted"));

            // the link `vigil demo` prints signs in, and the token leaves the address bar
            page.get(base + "/dashboard/#token=anna-secret-token");
            String card = wait.until(d -> d.findElements(By.cssSelector(".card[data-machine='spindle-7']")).stream()
                    .findFirst().map(WebElement::getText).orElse(null));
            assertThat(card).contains("spindle-7").contains("offline");
            assertThat(page.getCurrentUrl()).doesNotContain("anna-secret-token");

            long now = System.currentTimeMillis() * 1_000_000L;
            CncSpec spec = CncSpec.defaults("spindle-7");
            send(gw, SecondFrames.of(Simulation.builder(spec).lifeDurationS(60).seed(11)
                    .fault(new FaultSpec(FaultType.BEARING_OUTER, 20, 30, Progression.LINEAR, 1, null, 0)).build()),
                    now - 60_000_000_000L);

            // the alert reaches the page (it polls every 2 s) well within 20 s of the data being scored
            page.get(base + "/dashboard/#/alerts");
            String row = wait.until(d -> d.findElements(By.cssSelector("#alert-list tr[data-alert]")).stream()
                    .findFirst().map(r -> r.getAttribute("data-alert") + " " + r.getText()).orElse(null));
            long alertId = Long.parseLong(row.substring(0, row.indexOf(' ')));
            assertThat(row).contains("spindle-7").contains("new");
            page.get(base + "/dashboard/#/machine/spindle-7");
            wait.until(d -> !d.findElements(By.cssSelector("#score-chart canvas")).isEmpty()
                    && !d.findElements(By.cssSelector("#trend-chart canvas")).isEmpty()
                    && !d.findElements(By.cssSelector("#envelope-chart canvas")).isEmpty()
                    && d.findElement(By.id("spectrum-note")).getText().contains("rpm")
                    && d.findElement(By.id("machine-alerts")).getText().contains(String.valueOf(alertId)));
            var bad = anna.get("/api/v1/machines/spindle-7/recent?after=soon");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("after: not a window index: soon");
            JsonArray recent = new JsonObject(anna.get("/api/v1/machines/spindle-7/recent").body()).getJsonArray("windows");
            long lastIndex = recent.getJsonObject(recent.size() - 1).getLong("index");
            assertThat(new JsonObject(anna.get("/api/v1/machines/spindle-7/recent?after=" + (lastIndex - 3)).body())
                    .getJsonArray("windows")).hasSize(3);
            JsonObject spectrum = new JsonObject(anna.get("/api/v1/machines/spindle-7/spectrum").body());
            assertThat(spectrum.getJsonObject("lines").fieldNames()).contains("1x", "2x", "BPFO", "BPFI", "BSF", "FTF");
            JsonObject channel = spectrum.getJsonArray("channels").getJsonObject(0);
            assertThat(channel.getJsonArray("hz").size()).isEqualTo(channel.getJsonArray("amplitude").size())
                    .isBetween(100, 1200);
            // the outer-race fault shows in the envelope spectrum at BPFO: its strongest line sits there (or at 2x BPFO)
            double bpfo = spectrum.getJsonObject("lines").getDouble("BPFO");
            JsonArray envHz = channel.getJsonArray("envelopeHz");
            JsonArray env = channel.getJsonArray("envelope");
            int peak = -1;
            for (int i = 0; i < env.size(); i++) {
                // above the shaft rate: the envelope's slow drift is not a bearing line
                if (envHz.getDouble(i) > 0.5 * bpfo && (peak < 0 || env.getDouble(i) > env.getDouble(peak))) {
                    peak = i;
                }
            }
            double ratio = envHz.getDouble(peak) / bpfo;
            assertThat(Math.min(Math.abs(ratio - 1), Math.abs(ratio - 2))).as("envelope peak at %s Hz, BPFO %s Hz",
                    envHz.getDouble(peak), bpfo).isLessThan(0.05);
            shot(page, "machine");

            page.get(base + "/dashboard/#/alert/" + alertId);
            wait.until(d -> d.findElement(By.id("alert-state")).getText().equals("new"));
            String detail = wait.until(d -> d.findElement(By.id("view")).getText());
            assertThat(detail).contains("Attribution").contains("spindle-7");
            wait.until(d -> {
                d.findElement(By.id("ack")).click();
                return true;
            });
            wait.until(d -> d.findElement(By.id("alert-state")).getText().startsWith("acknowledged"));
            JsonObject alert = new JsonObject(anna.get("/api/v1/alerts/" + alertId).body());
            assertThat(alert.getBoolean("acknowledged")).isTrue();
            assertThat(alert.getString("acknowledgedBy")).isEqualTo("anna");

            page.get(base + "/dashboard/#/");
            wait.until(d -> d.findElement(By.cssSelector(".card[data-machine='spindle-7'] .badge")).getText()
                    .equals("in-maintenance"));
            shot(page, "fleet");
            page.get(base + "/dashboard/#/availability");
            wait.until(d -> d.findElement(By.id("availability")).getText().contains("in-maintenance"));
            JsonArray open = new JsonObject(anna.get("/api/v1/alerts?open=true").body()).getJsonArray("alerts");
            assertThat(open).extracting(o -> ((JsonObject) o).getLong("id")).contains(alertId);

            // the engineer assigns it, then resolves it on the page: a confirmed fault, with a note
            page.get(base + "/dashboard/#/alert/" + alertId);
            wait.until(d -> d.findElement(By.id("alert-state")).getText().startsWith("acknowledged"));
            page.findElement(By.id("assignee")).clear();
            page.findElement(By.id("assignee")).sendKeys("bob");
            page.findElement(By.cssSelector("#assign-form button")).click();
            wait.until(d -> d.findElement(By.id("alert-state")).getText().contains("bob"));
            new org.openqa.selenium.support.ui.Select(page.findElement(By.id("verdict"))).selectByValue("confirmed");
            page.findElement(By.id("note")).sendKeys("outer race pitted, bearing replaced");
            page.findElement(By.id("resolve")).click();
            wait.until(d -> d.findElement(By.id("alert-state")).getText().startsWith("resolved"));
            JsonObject resolved = new JsonObject(anna.get("/api/v1/alerts/" + alertId).body());
            assertThat(resolved.getBoolean("open")).isFalse();
            assertThat(resolved.getString("assignee")).isEqualTo("bob");
            assertThat(resolved.getString("verdict")).isEqualTo("confirmed");
            assertThat(resolved.getString("confirmedFault")).isEqualTo("bearing-outer");
            assertThat(resolved.getString("note")).isEqualTo("outer race pitted, bearing replaced");
            server.stop().await(20, TimeUnit.SECONDS);
        } finally {
            if (page != null) {
                page.quit();
            }
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
