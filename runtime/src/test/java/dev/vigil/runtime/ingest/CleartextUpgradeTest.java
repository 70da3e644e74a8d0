package dev.vigil.runtime.ingest;

import dev.vigil.runtime.HttpVerticle;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client asking to switch a plain-HTTP connection to HTTP/2 (as Java's HttpClient does on its first request)
 * gets an ordinary HTTP/1.1 answer: the switch raced with request bodies and broke the connection.
 */
class CleartextUpgradeTest {
    @Test
    void anH2cUpgradeRequestIsAnsweredInHttp11() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            HttpVerticle v = HttpVerticle.ingestOnly("127.0.0.1", 0, Map.of(), 1 << 16, 16);
            vertx.deployVerticle(v).await(10, TimeUnit.SECONDS);
            try (Socket s = new Socket("127.0.0.1", v.actualPort())) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write(("POST /api/v1/machines/nobody/frames HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n"
                        + "Content-Type: application/octet-stream\r\nContent-Length: 4\r\n\r\nVGF1").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                assertThat(status).startsWith("HTTP/1.1 4").doesNotContain("101");
            }
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
