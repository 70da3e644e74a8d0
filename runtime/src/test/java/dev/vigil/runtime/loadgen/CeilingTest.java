package dev.vigil.runtime.loadgen;

import dev.vigil.domain.Frame;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The ceiling run's parts, over a real WebSocket: the generator, unpaced, sends every machine's frames, and the null
 * server decodes every one of them (the same samples, the same sum) and refuses what is no frame. No timing is
 * asserted: the rate is a figure for docs/PERFORMANCE.md, not a pass mark.
 */
class CeilingTest {

    @Test
    void theNullServerTakesEveryFrameTheUnpacedGeneratorSends() throws Exception {
        List<Frame> healthy = LoadGenerator.simulate("spindle-7", 3, false, 7);
        List<Frame> faulty = LoadGenerator.simulate("spindle-7", 3, true, 8);
        Vertx server = Vertx.vertx();
        Vertx client = Vertx.vertx();
        try {
            NullServer sink = new NullServer(1 << 20);
            server.deployVerticle(sink).await(10, TimeUnit.SECONDS);
            LoadGenerator.Result r = new LoadGenerator(client).run(new LoadGenerator.Plan("127.0.0.1", sink.port(),
                    false, null, "m", 3, 2, 2, false, 0), healthy, faulty);

            // two seconds of three machines, the second one faulty: 20 ticks of 11 channels each
            double expectedSum = 0;
            long expected = 0;
            int channels = (int) healthy.stream().map(Frame::channel).distinct().count();
            for (int machine = 0; machine < 3; machine++) {
                List<Frame> src = machine == 1 ? faulty : healthy;
                for (Frame f : src.subList(0, 20 * channels)) {
                    expected += f.samples().length;
                    for (float v : f.samples()) {
                        expectedSum += v;
                    }
                }
            }
            long sent = expected;
            assertThat(r.samplesSent()).isEqualTo(sent);
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.samples() == sent);
            assertThat(sink.sum()).isCloseTo(expectedSum, within(1e-6 * Math.max(1, Math.abs(expectedSum))));
            assertThat(sink.refused()).isZero();
            assertThat(sink.samplesPerSecond()).isPositive();

            // held in a variable and closed here: Vert.x shuts down a WebSocket client nothing references any more
            // (when the garbage collector finds it) with a 30 s grace period, sockets and all; an unheld client made
            // this test's teardown wait out those 30 s once in a full suite run
            WebSocketClient wsClient = client.createWebSocketClient();
            WebSocket ws = wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1")
                    .setPort(sink.port()).setURI("/anything")).await(10, TimeUnit.SECONDS);
            ws.writeBinaryMessage(Buffer.buffer("not a frame"));
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.refused() == 1);
            assertThat(sink.samples()).isEqualTo(sent);
            ws.close().await(10, TimeUnit.SECONDS);
            wsClient.close().await(10, TimeUnit.SECONDS);
        } finally {
            client.close().await(30, TimeUnit.SECONDS);
            server.close().await(30, TimeUnit.SECONDS);
        }
    }
}
