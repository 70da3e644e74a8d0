package dev.vigil.runtime.security;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Route handlers for authentication (first on the router) and per-route authorisation. A missing or unknown
 * token gets 401 with {@code WWW-Authenticate: Bearer}; a known token without the role gets 403. Neither says
 * whether the resource exists.
 */
public final class Access {
    private static final String KEY = "vigil.principal";
    // every route that names a machine in its path: /machines/{id}[/...] and /availability/{machine}[/...]
    private static final java.util.regex.Pattern MACHINE_PATH =
            java.util.regex.Pattern.compile("^/api/v1/(?:machines|availability)/([^/]+)(?:/.*)?$");
    private final Tokens tokens;
    private final java.util.Map<String, String> tenants;

    public Access(Tokens tokens) {
        this(tokens, java.util.Map.of());
    }

    /** @param tenants each machine's tenant: a caller scoped to tenants gets 404 for any other tenant's machine */
    public Access(Tokens tokens, java.util.Map<String, String> tenants) {
        this.tokens = tokens;
        this.tenants = java.util.Map.copyOf(tenants);
    }

    /**
     * Whether the caller may know of this machine at all: its tenant is one the caller is scoped to (or the caller
     * is not scoped). Unknown machines pass (the route says 404 itself).
     */
    public boolean sees(Principal p, String machineId) {
        String tenant = tenants.get(machineId);
        return tenant == null || p.seesTenant(tenant);
    }

    public Tokens tokens() {
        return tokens;
    }

    /** Authenticates every request except the liveness and readiness probes. */
    public Handler<RoutingContext> authenticate() {
        return ctx -> {
            String path = ctx.normalizedPath();
            if (path.equals("/health") || path.startsWith("/health/")) {
                ctx.next();
                return;
            }
            var p = tokens.authenticate(ctx.request().getHeader("Authorization"));
            if (p.isEmpty()) {
                ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"vigil\"");
                deny(ctx, 401, "missing or unknown bearer token");
                return;
            }
            ctx.put(KEY, p.get());
            // tenant scope for every route that names a machine, checked once here so no route can forget it
            java.util.regex.Matcher m = MACHINE_PATH.matcher(path);
            if (m.matches() && !sees(p.get(), m.group(1))) {
                deny(ctx, 404, "unknown machine '" + m.group(1) + "'");
                return;
            }
            ctx.next();
        };
    }

    /** Lets the request through when the caller has one of the roles (admin always may). */
    public static Handler<RoutingContext> require(Role... roles) {
        return ctx -> {
            if (principal(ctx).hasAny(roles)) {
                ctx.next();
            } else {
                deny(ctx, 403, "this token's role may not do that");
            }
        };
    }

    /** Lets a device (or admin) through only for its own machine, named by the {@code id} path parameter. */
    public static Handler<RoutingContext> ingestOwnMachine() {
        return ctx -> {
            if (principal(ctx).mayIngest(ctx.pathParam("id"))) {
                ctx.next();
            } else {
                deny(ctx, 403, "this token may not send data for that machine");
            }
        };
    }

    public static Principal principal(RoutingContext ctx) {
        Principal p = ctx.get(KEY);
        if (p == null) {
            throw new IllegalStateException("route registered without authentication");
        }
        return p;
    }

    static void deny(RoutingContext ctx, int status, String message) {
        if (!ctx.request().isEnded()) {
            // the body is never read: close rather than take in what the caller was not allowed to send
            ctx.response().putHeader("connection", "close");
        }
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                .end(new JsonObject().put("error", message).encode());
    }
}
