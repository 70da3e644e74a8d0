package dev.vigil.runtime.api;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.nio.file.Path;

/**
 * Streams a request body to a temporary file, with back-pressure and a size cap, instead of holding it in the
 * heap: four model uploads of 256 MB at once would otherwise take most of a 1 GB heap. Call it after
 * authorisation and from the request's own event-loop turn (the request is paused before anything async).
 */
final class BodyFile {
    private BodyFile() {
    }

    /** The body is larger than the route allows. */
    static final class TooLarge extends RuntimeException {
        TooLarge(String message) {
            super(message);
        }
    }

    /**
     * @return the file (the caller deletes it) or a failure: {@link TooLarge} as soon as the declared or streamed
     *         length passes {@code limit}, or the transport's error
     */
    static Future<Path> receive(Vertx vertx, RoutingContext ctx, long limit) {
        HttpServerRequest req = ctx.request();
        String declared = req.getHeader("content-length");
        if (declared != null) {
            long n;
            try {
                n = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                return Future.failedFuture(new IllegalArgumentException("Content-Length '" + declared + "' is not a number"));
            }
            if (n > limit) {
                return Future.failedFuture(tooLarge(limit));
            }
        }
        req.pause();
        return vertx.fileSystem().createTempFile("vigil-upload-", ".part").compose(name -> {
            Path path = Path.of(name);
            return vertx.fileSystem().open(name, new OpenOptions().setWrite(true).setCreate(false))
                    .compose(file -> copy(req, file, limit).eventually(file::close))
                    .map(path)
                    .recover(e -> vertx.fileSystem().delete(name).transform(ignored -> Future.<Path>failedFuture(e)));
        });
    }

    private static Future<Void> copy(HttpServerRequest req, AsyncFile file, long limit) {
        Promise<Void> done = Promise.promise();
        long[] received = {0};
        req.handler(chunk -> {
            received[0] += chunk.length();
            if (received[0] > limit) {
                req.pause();
                done.tryFail(tooLarge(limit));
                return;
            }
            file.write(chunk);
            if (file.writeQueueFull()) {
                req.pause();
                file.drainHandler(v -> req.resume());
            }
        });
        req.exceptionHandler(done::tryFail);
        req.endHandler(v -> done.tryComplete());
        file.exceptionHandler(done::tryFail);
        req.resume();
        return done.future();
    }

    private static TooLarge tooLarge(long limit) {
        return new TooLarge("the body is larger than this route's limit of " + limit + " bytes");
    }
}
