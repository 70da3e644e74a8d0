package dev.vigil.runtime.security;

import dev.vigil.domain.Frame;
import dev.vigil.runtime.Api;
import dev.vigil.runtime.SecondFrames;
import dev.vigil.runtime.TestModels;
import dev.vigil.runtime.TestServer;
import dev.vigil.runtime.VigilServer;
import dev.vigil.runtime.stream.FrameCodec;
import dev.vigil.sim.CncSpec;
import dev.vigil.sim.Simulation;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tenant scope on every route, for every role that carries it, generated from the routes the server actually
 * serves (a route added later is tried too): a caller scoped to tenant acme gets 404 for anything of tenant beta's,
 * machine or alert, and its lists and streams never name beta's machines. Before, only alert list and detail and
 * availability honoured the scope: an engineer of acme read and acknowledged beta's alerts and machines.
 */
@Tag("slow")
class TenantScopeEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    void everyRouteHidesAnotherTenantsMachinesAndAlerts() throws Exception {
        TestModels.copyTo("spindle-7", tmp.resolve("m.zip"));
        Path yaml = Files.writeString(tmp.resolve("vigil.yaml"), TestServer.LOCAL + """
                alerts: {staleAfterSeconds: 1}
                machines:
                  - {id: spindle-7, tenant: acme, model: m.zip}
                  - {id: spindle-8, tenant: beta, model: m.zip}
                auth:
                  tokens:
                """ + Api.tokenEntry("gw", "device", "gw", "spindle-7", "spindle-8")
                + "    - {name: anna, role: engineer, tenants: [acme], sha256: " + Tokens.sha256("anna") + "}\n"
                + "    - {name: acme-admin, role: admin, tenants: [acme], sha256: " + Tokens.sha256("acme-admin") + "}\n"
                + "    - {name: acme-platform, role: scheduler, tenants: [acme], sha256: " + Tokens.sha256("plat") + "}\n"
                + Api.tokenEntry("root", "admin", "root"));
        try (TestServer running = TestServer.start(yaml)) {
            VigilServer server = running.server();
            Api root = new Api("http://127.0.0.1:" + server.port(), "root");
            // beta's machine sends a little and goes quiet: a stale-data alert of beta's
            for (Frame f : SecondFrames.of(Simulation.builder(CncSpec.defaults("spindle-8")).lifeDurationS(2).seed(2)
                    .start(Instant.now().minusSeconds(2)).build())) {
                assertThat(root.as("gw").post("/api/v1/machines/spindle-8/frames", FrameCodec.encode(f)).statusCode())
                        .isEqualTo(202);
            }
            long betaAlert = await().atMost(Duration.ofSeconds(20)).until(() -> new JsonObject(
                    root.get("/api/v1/alerts?machine=spindle-8").body()).getJsonArray("alerts"), a -> !a.isEmpty())
                    .getJsonObject(0).getLong("id");

            List<String> routes = server.routes();
            assertThat(routes).contains("POST /api/v1/alerts/{id}/ack", "GET /api/v1/machines/{id}/spectrum");
            List<String> checked = new ArrayList<>();
            for (String who : List.of("anna", "acme-admin", "plat")) {
                Api api = root.as(who);
                for (String route : routes) {
                    String method = route.substring(0, route.indexOf(' '));
                    String template = route.substring(route.indexOf(' ') + 1);
                    if (!template.contains("{") || template.endsWith("/stream")) {
                        continue; // lists and streams: below; the WebSocket stream: below
                    }
                    String path = template.replace("{id}", template.startsWith("/api/v1/alerts/") ? String.valueOf(betaAlert)
                            : "spindle-8").replace("{machine}", "spindle-8");
                    HttpRequest.Builder b = api.request(path).header("content-type", "application/json");
                    b = switch (method) {
                        case "GET" -> b.GET();
                        case "DELETE" -> b.DELETE();
                        default -> b.method(method, HttpRequest.BodyPublishers.ofString(
                                "{\"verdict\":\"false-alarm\",\"text\":\"x\",\"assignee\":\"anna\",\"excluded\":false}"));
                    };
                    HttpResponse<String> r = api.send(b);
                    // 403 where the role may not use the route at all (that says nothing about beta); else 404
                    assertThat(r.statusCode()).as(who + " " + method + " " + path + ": " + r.body()).isIn(403, 404);
                    if (r.statusCode() == 404) {
                        assertThat(r.body()).doesNotContain("spindle-8\":");
                    }
                    checked.add(route);
                }
                for (String list : List.of("/api/v1/machines", "/api/v1/alerts?open=false", "/api/v1/availability")) {
                    HttpResponse<String> r = api.get(list);
                    assertThat(r.body()).as(who + " " + list).doesNotContain("spindle-8");
                }
            }
            assertThat(checked).as("routes tried").hasSizeGreaterThan(30);
            // and the alert is untouched: nobody of acme acknowledged or resolved it
            JsonObject alert = new JsonObject(root.get("/api/v1/alerts/" + betaAlert).body());
            assertThat(alert.getBoolean("acknowledged")).isFalse();
            assertThat(alert.getBoolean("open")).isTrue();
            // the alert event stream of a scoped engineer: beta's events never reach it
            HttpResponse<java.util.stream.Stream<String>> events = root.as("anna").http().send(root.as("anna")
                    .request("/api/v1/alerts/events").GET().build(), HttpResponse.BodyHandlers.ofLines());
            List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread reader = new Thread(() -> {
                try {
                    events.body().forEach(lines::add);
                } catch (java.io.UncheckedIOException closed) {
                    // closed by the test
                }
            });
            reader.setDaemon(true);
            reader.start();
            assertThat(root.post("/api/v1/alerts/" + betaAlert + "/ack", "{}").statusCode()).isEqualTo(200);
            // the acknowledgement of beta's alert never reaches the acme engineer's stream
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                    .until(() -> lines.stream().noneMatch(l -> l.contains("spindle-8")));
            events.body().close();
            // the WebSocket stream's handshake is scoped too
            var ws = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer acme-admin")
                    .buildAsync(java.net.URI.create("ws://127.0.0.1:" + server.port() + "/api/v1/machines/spindle-8/stream"),
                            new java.net.http.WebSocket.Listener() { });
            assertThat(ws).failsWithin(Duration.ofSeconds(10));
        }
    }
}
