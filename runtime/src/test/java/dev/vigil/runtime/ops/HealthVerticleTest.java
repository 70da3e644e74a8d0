package dev.vigil.runtime.ops;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class HealthVerticleTest {

    @Test
    void answersHealthOverRealHttp(Vertx vertx, VertxTestContext ctx) {
        HealthVerticle health = new HealthVerticle("127.0.0.1", 0, Clock.systemUTC());
        vertx.deployVerticle(health).compose(id -> {
            HttpClient client = vertx.createHttpClient();
            return client.request(HttpMethod.GET, health.actualPort(), "127.0.0.1", "/health")
                    .compose(req -> req.send())
                    .compose(resp -> {
                        ctx.verify(() -> {
                            assertThat(resp.statusCode()).isEqualTo(200);
                            assertThat(resp.getHeader("content-type")).startsWith("application/json");
                        });
                        return resp.body();
                    });
        }).onComplete(ctx.succeeding((Buffer body) -> ctx.verify(() -> {
            JsonObject json = body.toJsonObject();
            assertThat(json.getString("status")).isEqualTo("UP");
            assertThat(json.getLong("uptimeSeconds")).isGreaterThanOrEqualTo(0);
            ctx.completeNow();
        })));
    }

    @Test
    void unknownPathIs404(Vertx vertx, VertxTestContext ctx) {
        HealthVerticle health = new HealthVerticle("127.0.0.1", 0, Clock.systemUTC());
        vertx.deployVerticle(health)
                .compose(id -> vertx.createHttpClient().request(HttpMethod.GET, health.actualPort(), "127.0.0.1", "/nope"))
                .compose(req -> req.send())
                .onComplete(ctx.succeeding(resp -> ctx.verify(() -> {
                    assertThat(resp.statusCode()).isEqualTo(404);
                    ctx.completeNow();
                })));
    }
}
