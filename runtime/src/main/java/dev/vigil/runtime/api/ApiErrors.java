package dev.vigil.runtime.api;

import dev.vigil.runtime.score.NotSharedException;
import dev.vigil.runtime.store.NotFoundException;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Callable;

/**
 * One error policy for the API: 404 for what does not exist, 400 for bad input (the message names the
 * problem), 413 for a body over the route's limit, 503 for a change a cluster's other instances could not be given
 * (the message says what was made where), 500 with only the exception's type for anything else (logged with its stack trace, never sent).
 */
public final class ApiErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    private ApiErrors() {
    }

    /** Runs work on a worker and answers with its JSON, or with the error. */
    public static void blocking(Vertx vertx, RoutingContext ctx, Callable<JsonObject> work) {
        vertx.executeBlocking(work, false).onComplete(ar -> {
            if (ar.succeeded()) {
                ctx.json(ar.result());
            } else {
                send(ctx, ar.cause());
            }
        });
    }

    /**
     * As {@link #blocking}, for an action an instance of a cluster may hand on to the instance that scores the machine:
     * answered 202 when the work's answer says where it went ({@code forwardedTo}), 200 when it was done here.
     */
    public static void forwardable(Vertx vertx, RoutingContext ctx, Callable<JsonObject> work) {
        vertx.executeBlocking(work, false).onComplete(ar -> {
            if (ar.failed()) {
                send(ctx, ar.cause());
            } else {
                ctx.response().setStatusCode(ar.result().containsKey("forwardedTo") ? 202 : 200);
                ctx.json(ar.result());
            }
        });
    }

    /** The request's body as a JSON object ({} when empty); anything else is bad input (400), never a 500. */
    static JsonObject jsonBody(RoutingContext ctx) {
        try {
            JsonObject o = ctx.body() == null || ctx.body().length() <= 0 ? new JsonObject() : ctx.body().asJsonObject();
            if (o == null) {
                throw new IllegalArgumentException("expected a JSON object body");
            }
            return o;
        } catch (DecodeException | ClassCastException e) {
            throw new IllegalArgumentException("body is not a JSON object: " + e.getMessage().split("\n")[0]);
        }
    }

    public static void send(RoutingContext ctx, Throwable t) {
        int status = t instanceof NotFoundException ? 404 : t instanceof IllegalArgumentException ? 400
                : t instanceof BodyFile.TooLarge ? 413 : t instanceof NotSharedException ? 503 : 500;
        if (!ctx.request().isEnded()) {
            // refused before its body was read (or all of it): the connection cannot carry another request
            ctx.response().putHeader("connection", "close");
        }
        if (status == 500) {
            LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), t);
        }
        String message = status == 500 ? "internal error: " + t.getClass().getSimpleName() : t.getMessage();
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                .end(new JsonObject().put("error", message).encode());
    }
}
