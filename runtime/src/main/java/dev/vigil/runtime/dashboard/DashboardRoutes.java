package dev.vigil.runtime.dashboard;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

import java.util.function.BiConsumer;

/**
 * Serves the dashboard at {@code /dashboard/} and uPlot from its webjar at {@code /webjars/uplot/}; {@code /}
 * redirects to the dashboard. The files are public: every number on the page comes from the API with the
 * engineer's token, which the page keeps in the browser's session storage.
 */
public final class DashboardRoutes implements BiConsumer<Vertx, Router> {
    @Override
    public void accept(Vertx vertx, Router router) {
        router.route("/").handler(ctx -> {
            if (ctx.request().method() != io.vertx.core.http.HttpMethod.GET) {
                ctx.next();
                return;
            }
            ctx.redirect("/dashboard/");
        });
        // the page's scripts come only from here (no inline script, nothing from elsewhere) and it is never framed:
        // a page that holds an engineer's token must not run injected script nor be clickjacked
        router.route("/dashboard/*").handler(ctx -> {
            ctx.response().putHeader("Content-Security-Policy", "default-src 'self'; script-src 'self'; "
                    + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
                    + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
                    .putHeader("X-Content-Type-Options", "nosniff").putHeader("Referrer-Policy", "no-referrer");
            ctx.next();
        });
        router.route("/dashboard/*").handler(StaticHandler.create("dashboard").setCachingEnabled(false)
                .setIndexPage("index.html"));
        router.route("/webjars/uplot/*").handler(StaticHandler.create("META-INF/resources/webjars/uplot/"
                + uplotVersion() + "/dist"));
    }

    /** The webjar's version as its own pom.properties says: the pom is the one place it is written. */
    private static String uplotVersion() {
        try (java.io.InputStream in = DashboardRoutes.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the uPlot webjar is not on the classpath");
            }
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
